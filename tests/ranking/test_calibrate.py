"""Calibration on made-up spaces whose cosines sit at different levels, as CLIP's and CLAP's
do: scores compare across spaces, chance stays low, duplicates are judged per space."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from indexer.search.calibrate import FLOOR, Calibrator

DIM = 256
GENERIC = 120  # the cohort's size in each language (cohort.py, cohort_languages.py)


def _unit(m: np.ndarray) -> np.ndarray:
    return (m / np.linalg.norm(m, axis=-1, keepdims=True)).astype(np.float32)


class _Embedder:
    def __init__(self, cohort: np.ndarray, identity: str) -> None:
        self.cohort = cohort
        self.calls = 0
        self.query_identity = identity  # what embeds its queries: its cohort is its own

    def encode_text(self, texts, remember: bool = True) -> np.ndarray:
        assert len(texts) == GENERIC and not remember  # the cohort is not a user's query
        self.calls += 1
        return self.cohort


@dataclass
class _Space:
    """A space whose every query–document cosine sits near `level` (a modality gap)."""

    identity: str
    level: float
    seed: int
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp()))  # the space's own files

    def __post_init__(self) -> None:
        rng = np.random.default_rng(self.seed)
        self.gap = _unit(rng.standard_normal(DIM))
        self.docs = self.document(rng.standard_normal((400, DIM)))
        self.embedder = _Embedder(self.query(rng.standard_normal((GENERIC, DIM))), self.identity)
        self.name = self.identity

    def document(self, content: np.ndarray) -> np.ndarray:
        return _unit(np.sqrt(self.level) * self.gap + np.sqrt(1 - self.level) * _unit(content))

    def query(self, content: np.ndarray) -> np.ndarray:
        return self.document(content)  # both sides share the offset: cosines sit near `level`


class _View:
    def __init__(self, vectors: np.ndarray) -> None:
        self._vectors = vectors

    def __len__(self) -> int:
        return len(self._vectors)

    def has(self, ids: np.ndarray) -> np.ndarray:
        return ids < len(self._vectors)

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        return self._vectors[ids]


class _Segments:
    def __init__(self, n: int) -> None:
        self.n = n

    def sample_ids(self, modality: str, size: int, seed: int) -> np.ndarray:
        return np.random.default_rng(seed).permutation(self.n)[:size]


class _Catalog:
    def __init__(self, n: int) -> None:
        self.segments = _Segments(n)


def _score(calibrator: Calibrator, space: _Space, query: np.ndarray, docs: np.ndarray) -> np.ndarray:
    return calibrator.score(space, _View(space.docs), query, "text", "image", docs)  # type: ignore[arg-type]


def test_a_real_match_in_a_low_cosine_space_beats_an_ordinary_document_of_a_high_one():
    clip, clap = _Space("clip", 0.2, 1), _Space("clap", 0.5, 2)
    calibrator = Calibrator(_Catalog(400))  # type: ignore[arg-type]
    rng = np.random.default_rng(3)
    content = rng.standard_normal(DIM)
    photo = clip.document(content)  # what the query describes, in the low-cosine space
    query_clip, query_clap = clip.query(content + 3.0 * rng.standard_normal(DIM)), clap.query(content)
    ordinary = clap.docs[:50]  # documents the query does not describe, in the high-cosine space
    assert float(photo @ query_clip) < float((ordinary @ query_clap).max())  # raw cosine is fooled
    match = _score(calibrator, clip, query_clip, photo[None, :])[0]
    assert match >= FLOOR > _score(calibrator, clap, query_clap, ordinary).max()


def test_a_query_unlike_any_document_scores_below_the_floor_everywhere():
    clip = _Space("clip", 0.2, 1)
    calibrator = Calibrator(_Catalog(400))  # type: ignore[arg-type]
    nonsense = clip.query(np.random.default_rng(4).standard_normal(DIM))
    scores = _score(calibrator, clip, nonsense, clip.docs)
    query_side = Calibrator(_Catalog(400), cohort_side=False)  # type: ignore[arg-type]
    assert scores.max() < FLOOR
    assert _score(query_side, clip, nonsense, clip.docs).max() > 2.0  # alone, its best looks significant


def test_the_near_duplicate_threshold_follows_each_space():
    calibrator = Calibrator(_Catalog(400))  # type: ignore[arg-type]
    narrow, wide = _Space("narrow", 0.9, 5), _Space("wide", 0.1, 6)
    tight = calibrator.duplicate_cosine(narrow, _View(narrow.docs), "image")  # type: ignore[arg-type]
    loose = calibrator.duplicate_cosine(wide, _View(wide.docs), "image")  # type: ignore[arg-type]
    typical_narrow = float(np.median(narrow.docs[:100] @ narrow.docs[100:200].T))
    assert typical_narrow > 0.85 and tight > 0.985  # a fixed 0.95 would fold unrelated documents here
    assert 0.88 < loose < 0.93


def test_the_sample_is_drawn_again_once_the_library_has_grown():
    """A library of 400 varied documents grows by 2,000 alike ones (a new folder of one
    subject): the query side follows what the library holds now, not its first files."""
    space = _Space("grown", 0.3, seed=11)
    rng = np.random.default_rng(12)
    subject = rng.standard_normal((1, DIM))
    elsewhere = space.document(subject + 0.05 * rng.standard_normal((2000, DIM)))
    library = np.concatenate([space.docs, elsewhere])
    query = space.docs[0]
    catalog = _Catalog(len(space.docs))
    calibrator = Calibrator(catalog, sample_size=200)  # type: ignore[arg-type]
    first = calibrator.stats(space, _View(space.docs), "image", query)  # type: ignore[arg-type]
    catalog.segments.n = len(library)
    grown = calibrator.stats(space, _View(library), "image", query)  # type: ignore[arg-type]
    fresh = Calibrator(_Catalog(len(library)), sample_size=200).stats(  # type: ignore[arg-type]
        space,
        _View(library),
        "image",
        query,  # type: ignore[arg-type]
    )
    assert grown == fresh and grown != first


def test_the_cohort_is_embedded_once_per_space_not_once_per_launch():
    """Embedding the 120 generic queries took 2.2 s of the first search after every launch."""
    space = _Space("clip@1", 0.2, 1)
    first = Calibrator(_Segments(400)).cohort(space)
    again = Calibrator(_Segments(400)).cohort(space)  # a new process: a new calibrator
    assert space.embedder.calls == 1  # English only: another language when a query needs it
    np.testing.assert_array_equal(first, again)
    (space.folder / next(p.name for p in space.folder.glob("cohort-*.npy"))).write_bytes(b"cut sh")
    Calibrator(_Segments(400)).cohort(space)  # a file cut short is embedded again
    assert space.embedder.calls == 2
    Calibrator(_Segments(400)).cohort(space, "zh")
    assert space.embedder.calls == 3 and len(list(space.folder.glob("cohort-*.npy"))) == 2
