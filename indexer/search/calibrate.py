"""Make scores of different spaces and modality pairs comparable, and chance look like chance.

A text→image cosine of 0.3 may be excellent in a CLIP space where text→image cosines sit
near 0.2, while a text→audio cosine of 0.5 may be ordinary in a CLAP space where they sit
near 0.45 (the "modality gap", plus each model's own temperature). Each cosine s(q, d) is
judged against chance twice, as speaker verification normalises a trial score from both
of its sides:

- by the query: against how the same query scores over a fixed random sample of the
  user's documents of d's modality in the same space, z_q = (s − μ_q) / σ_q;
- by the space: against how unrelated queries score on those same documents, a cohort of
  generic queries (cohort.py, embedded once per space) over the sample:
  z_c = (s − μ_c) / σ_c; the cohort in the query's own language (cohort_languages.py), so
  that to a model reading English only, Chinese generic queries are the chance a Chinese
  query is judged against.

The score of a text query is (z_q + z_c) / 2. The query side alone makes every space's best
few documents look significant whether or not the query means anything to that model (a
sound described to an image model, "zzzz" anywhere: its best photo is still 3σ above its
mean photo). The cohort side answers that: "a rising chirp" scores the red-circle photos no
higher than "a dog" or "a lecture" do, so z_c stays near zero there, while a real match
stands far above what unrelated queries reach. Both sides are linear in s within one space
and modality, so each model's own ranking of its documents is kept; only the comparison
between spaces, and with chance, changes.

Measured with `framefind eval` on the labelled synthetic folder (trained tiny models):
right kind first 1.00 against 0.67 for the query side alone, gibberish shown as matches
for 5 % of queries against 100 %, recall@1 unchanged. Normalising each *document* against
the cohort instead (median and MAD per document, as in S-norm proper) was tried: it
reorders documents within a space by how far each sits from unrelated queries, and
recall@1 fell from 1.00 to 0.87.

An example (a photo, a sound) is itself a document of its space, understood by
construction, and its query side already measures it against the library's documents of
its kind, so its score is z_q. (Median and MAD were tried on the query side: in a recording
that is mostly quiet the spread collapses and scores of hundreds follow; mean and deviation
do not.) Everything is per (space, modality pair), needs no labels, and adapts to the
user's collection; samples are drawn uniformly over the whole library and drawn again when
the store has grown or shrunk by a tenth.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from indexer.catalog import Catalog
from indexer.search.cohort_cache import store_cohort, stored_cohort
from indexer.search.cohort_languages import COHORTS, nearest_language
from indexer.vectors.delta import VectorIndex
from indexer.vectors.space import Space

log = logging.getLogger(__name__)

SAMPLE_SIZE = 2000
MIN_SAMPLE = 8  # fewer documents than this: no statistics worth the name
MIN_STD = 0.02  # a near-constant sample (silence, blank frames) must not blow z up
# Scores a real match reaches and chance rarely does: from both sides at once, or (for
# comparison) from the query side alone, where a library's best few always look significant.
FLOOR = 3.0
QUERY_SIDE_FLOOR = 2.0
DUPLICATE_SHARE = 0.1  # near-duplicates are ten times closer to identical than a typical pair
DUPLICATE_SAMPLE = 500
DEFAULT_DUPLICATE_COSINE = 0.95  # too few documents to tell
COHORT_SAMPLE = 500  # documents the cohort is scored on (× 120 queries: enough for two moments)
FALLBACK = (0.0, 1.0 / 3.0)  # too few documents: a fixed scale, cosine 1 ≈ z 3


@dataclass(frozen=True)
class _Sample:
    vectors: np.ndarray  # (n, dim)
    store_size: int
    derived: dict[str, Any] = field(default_factory=dict)  # what was worked out from it, by name


@dataclass(frozen=True)
class Stats:
    mean: float
    std: float

    def z(self, scores: np.ndarray) -> np.ndarray:
        return (scores - self.mean) / self.std


class Calibrator:
    """Reference samples per (space, document modality) and the generic-query cohort per
    space, shared by the searches of one engine (and its threads)."""

    def __init__(
        self, catalog: Catalog, sample_size: int = SAMPLE_SIZE, seed: int = 0, cohort_side: bool = True
    ) -> None:
        self._catalog = catalog
        self._cohort_side = cohort_side  # False: the query side alone (to compare, in `eval`)
        self._sample_size = sample_size
        self._seed = seed
        self._samples: dict[tuple[str, str], _Sample] = {}
        self._cohorts: dict[tuple[str, str], np.ndarray] = {}  # (query identity, language) → vectors
        self._cohort_lock = threading.Lock()

    def floor(self, text: bool) -> float:
        """The score below which nothing counts as a match, for a query with text or one
        of examples alone (scored from the query side only)."""
        return FLOOR if self._cohort_side and text else QUERY_SIDE_FLOOR

    def score(
        self,
        space: Space,
        view: VectorIndex,
        term: np.ndarray,
        term_modality: str,
        doc_modality: str,
        vectors: np.ndarray,
        language: str | None = None,
    ) -> np.ndarray:
        """Calibrated scores of `vectors` (documents of `doc_modality`) for the query vector
        `term` (of `term_modality`; a text's `language` picks its cohort, None: the cohort
        the space puts nearest the text)."""
        raw = vectors @ term
        query_side = self.stats(space, view, doc_modality, term).z(raw)
        if not self._cohort_side or term_modality != "text":
            return query_side
        language = language or nearest_language(self.cohorts(space), term)
        chance = self._chance(space, view, doc_modality, language).z(raw)
        if len(self._sample(space, view, doc_modality).vectors) < MIN_SAMPLE:
            # Too few documents to say how this query scores a typical one (a first run with
            # a handful of photos), but 120 unrelated queries over even one document say
            # what chance looks like: the cohort side alone judges.
            return chance
        return (query_side + chance) / 2

    def stats(self, space: Space, view: VectorIndex, modality: str, query: np.ndarray) -> Stats:
        """How this query vector scores against typical documents of `modality` in `space`
        (whose store is read through `view`)."""
        sample = self._sample(space, view, modality)
        if len(sample.vectors) < MIN_SAMPLE:
            return Stats(*FALLBACK)
        scores = sample.vectors @ query
        return Stats(float(scores.mean()), max(float(scores.std()), MIN_STD))

    def _chance(self, space: Space, view: VectorIndex, doc_modality: str, language: str) -> Stats:
        """How unrelated queries in `language` (its cohort) score documents of `doc_modality`
        in `space`."""
        sample = self._sample(space, view, doc_modality)
        key = f"chance-{language}"
        if key not in sample.derived:
            if not len(sample.vectors):
                sample.derived[key] = Stats(*FALLBACK)
            else:
                scores = sample.vectors[:COHORT_SAMPLE] @ self.cohort(space, language).T
                sample.derived[key] = Stats(float(scores.mean()), max(float(scores.std()), MIN_STD))
        return sample.derived[key]

    def duplicate_cosine(self, space: Space, view: VectorIndex, modality: str) -> float:
        """How similar two documents of `modality` must be to count as near-duplicates in this
        space: DUPLICATE_SHARE of the way from a typical pair's cosine to 1 (a fixed 0.95 folds
        unrelated photos together in a model whose every pair sits near 0.9)."""
        sample = self._sample(space, view, modality)
        if "duplicate" not in sample.derived:
            vectors = sample.vectors[:DUPLICATE_SAMPLE]
            if len(vectors) < MIN_SAMPLE:
                sample.derived["duplicate"] = DEFAULT_DUPLICATE_COSINE
            else:
                pairs = (vectors @ vectors.T)[np.triu_indices(len(vectors), k=1)]
                sample.derived["duplicate"] = 1 - DUPLICATE_SHARE * (1 - float(np.median(pairs)))
        return sample.derived["duplicate"]

    def cohort(self, space: Space, language: str = "en") -> np.ndarray:
        """The generic queries in `language` (cohort_languages.py), embedded in `space` once,
        when a query in that language first needs them."""
        key = (space.embedder.query_identity, language)  # a query model's cohort is its own
        cached = self._cohorts.get(key)
        if cached is None:
            with self._cohort_lock:  # one encoding per space, however many searches wait
                cached = self._cohorts.get(key)
                if cached is None:
                    cached = self._kept_or_encoded(space, language)
                    self._cohorts[key] = cached
        return cached

    def cohorts(self, space: Space) -> dict[str, np.ndarray]:
        """Every language's cohort in `space`."""
        return {language: self.cohort(space, language) for language in COHORTS}

    @staticmethod
    def _kept_or_encoded(space: Space, language: str) -> np.ndarray:
        queries, texts = space.embedder.query_identity, COHORTS[language]
        kept = stored_cohort(space.folder, texts, queries)
        if kept is not None:
            return kept
        vectors = space.embedder.encode_text(texts, remember=False)
        store_cohort(space.folder, texts, vectors, space.embedder.query_identity)  # who encoded them
        return vectors

    def _sample(self, space: Space, view: VectorIndex, modality: str) -> _Sample:
        key = (space.identity, modality)
        size = len(view)
        cached = self._samples.get(key)
        if cached is not None and abs(size - cached.store_size) <= 0.1 * max(cached.store_size, MIN_SAMPLE):
            return cached
        ids = self._catalog.segments.sample_ids(modality, self._sample_size * 2, self._seed)
        held = ids[view.has(ids)][: self._sample_size]
        sample = _Sample(view.vectors(held), size)
        log.debug("calibration sample for %s/%s: %d of %d vectors", space.name, modality, len(held), size)
        self._samples[key] = sample
        return sample
