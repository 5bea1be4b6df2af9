"""`framefind eval`: how well each scoring method ranks a labelled folder.

The folder holds media and a `queries.json`:

    {"queries": [
      {"text": "a red circle on blue", "about": "picture", "relevant": [{"file": "photos/003.png"}]},
      {"text": "applause", "about": "sound", "relevant": [{"file": "talk.mp4", "start": 30, "end": 34}]},
      {"text": "the budget", "about": "words", "relevant": [{"file": "talk.m4a", "start": 61, "end": 64}]},
      {"text": "zzzz", "about": "nothing", "relevant": []}
    ]}

A result answers a query when it is one of the relevant files and, where a label gives
seconds, its best timestamp lies in them (give or take one video sampling interval).
The folder is indexed into a temporary data folder with the configured models, then each
query runs with raw cosines, with the query side of calibration alone (z-norm), with the
query and cohort sides (what searches use), and with reranking when a reranker loads. Reported per
method: recall@1/5/10 and MRR over the queries that have answers; "right kind first", the
share of queries about a picture (or a sound) whose first result is a picture (a sound);
and for the queries about nothing, the share that show nothing above the relevance cutoff.
The folder's speech is transcribed before the queries run (with the configured speech
model), and the method used is also reported per kind of query (pictures, sounds, words),
with the words queries searched again by their words alone (`said:`), beside the fused list.
As a check on the index itself, every segment is also embedded again straight from the
files and scored by brute force with the same model: the indexed search should lose
nothing against it.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from indexer.engine import Engine, build_engine
from indexer.errors import FramefindError, MediaError
from indexer.media.extract import extract
from indexer.search.calibrate import Calibrator
from indexer.search.moments import Hit, group_moments
from indexer.search.query import Query
from indexer.search.searcher import MOMENT_GAP_S
from indexer.settings import Settings

log = logging.getLogger(__name__)

KS = (1, 5, 10)


@dataclass(frozen=True)
class Label:
    file: Path
    start: float | None = None
    end: float | None = None


# what a query is about → its results' modality
MODALITY_OF = {"picture": "image", "sound": "audio", "words": "words"}


@dataclass(frozen=True)
class LabelledQuery:
    text: str
    relevant: tuple[Label, ...]
    about: str | None = None  # "picture", "sound", "nothing", or unsaid


@dataclass(frozen=True)
class Found:
    """What a ranked list needs for judging: the file and the moment's best time."""

    path: Path
    t: float | None


@dataclass(frozen=True)
class Metrics:
    name: str
    recall: dict[int, float]  # k → share of queries answered in the top k
    mrr: float
    queries: int
    right_kind: float | None = None  # share of picture/sound queries whose first result is of that kind
    nothing_shown: float | None = None  # share of queries about nothing with nothing above the cutoff

    def line(self) -> str:
        recalls = "  ".join(f"R@{k} {self.recall[k]:.3f}" for k in KS)
        extra = "".join(
            f"  {label} {value:.3f}"
            for label, value in (("right kind", self.right_kind), ("gibberish hidden", self.nothing_shown))
            if value is not None
        )
        return f"{self.name:<24} {recalls}  MRR {self.mrr:.3f}{extra}  ({self.queries} queries)"


def read_labels(folder: Path) -> list[LabelledQuery]:
    path = folder / "queries.json"
    try:
        raw = json.loads(path.read_text())
        return [
            LabelledQuery(
                q["text"],
                tuple(
                    Label((folder / r["file"]).resolve(), r.get("start"), r.get("end")) for r in q["relevant"]
                ),
                _about(q),
            )
            for q in raw["queries"]
        ]
    except FileNotFoundError as exc:
        raise FramefindError(
            f"{path} is missing: label the folder's queries there (see the README)."
        ) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise FramefindError(
            f"{path} is not a valid label file ({exc!r}); see the README for its form."
        ) from exc


def _about(query: dict) -> str | None:
    about = query.get("about") or (None if query["relevant"] else "nothing")
    if about not in (None, "nothing", *MODALITY_OF):
        raise ValueError(f"'about' is {about!r}: say picture, sound, words or nothing")
    return about


def first_relevant(ranked: Sequence[Found], labels: Sequence[Label], tolerance: float) -> int | None:
    """1-based rank of the first result that answers the query, or None."""
    for rank, found in enumerate(ranked, 1):
        for label in labels:
            if found.path != label.file:
                continue
            if label.start is None or (
                found.t is not None
                and label.start - tolerance <= found.t <= (label.end or label.start) + tolerance
            ):
                return rank
    return None


def metrics(
    name: str,
    ranks: Sequence[int | None],
    right_kind: Sequence[bool] = (),
    nothing_shown: Sequence[bool] = (),
) -> Metrics:
    n = max(len(ranks), 1)
    recall = {k: sum(1 for r in ranks if r is not None and r <= k) / n for k in KS}
    return Metrics(
        name,
        recall,
        sum(1 / r for r in ranks if r is not None) / n,
        len(ranks),
        sum(right_kind) / len(right_kind) if right_kind else None,
        sum(nothing_shown) / len(nothing_shown) if nothing_shown else None,
    )


def _search_variant(
    engine: Engine,
    queries: list[LabelledQuery],
    name: str,
    tolerance: float,
    calibrator: Calibrator | None = None,
    **fields,
) -> Metrics:
    ranks: list[int | None] = []
    right_kind, nothing_shown = [], []
    for q in queries:
        response = engine.search(Query(text=q.text, limit=max(KS), show_all=True, **fields), calibrator)
        if q.relevant:
            ranks.append(first_relevant([Found(r.path, r.t) for r in response], q.relevant, tolerance))
        if q.about in MODALITY_OF:
            first = response.results[0] if response.results else None
            said = first is not None and first.quote is not None
            right_kind.append(
                first is not None and (said if q.about == "words" else first.modality == MODALITY_OF[q.about])
            )
        if q.about == "nothing":
            nothing_shown.append(not response.good_match)
    return metrics(name, ranks, right_kind, nothing_shown)


def _brute_force(
    engine: Engine, files: list[Path], queries: list[LabelledQuery], tolerance: float
) -> Metrics:
    """Embed every segment again from the files and rank by exact cosine, grouped into
    moments the same way (one hit per file and time span)."""
    segments = []
    for path in files:
        try:
            extraction = extract(path, engine.extract_options)
            segments += [(path, extraction.kind, s) for s in extraction.segments]
        except MediaError as exc:
            log.info("brute force skips %s: %s", path, exc.reason)
    ranks = []
    queries = [q for q in queries if q.relevant]
    spaces = engine.searchable_spaces()
    docs = {  # each space's documents per modality: the segments of the kinds it embeds
        space.name: {
            m: [(p, k, s) for p, k, s in segments if s.modality == m and space.embeds(s.segment_kind)]
            for m in ("image", "audio")
        }
        for space in spaces
    }
    vectors = {
        space.name: {
            m: space.embedder.encode_segments([s for _, _, s in mine])
            for m, mine in docs[space.name].items()
            if mine
        }
        for space in spaces
    }
    for q in queries:
        hits = []
        for space in spaces:
            if not space.answers("text"):
                continue
            query = space.embedder.encode_text([q.text])[0]
            for modality, matrix in vectors[space.name].items():
                mine = docs[space.name][modality]
                for n, ((path, kind, s), score) in enumerate(zip(mine, matrix @ query, strict=True)):
                    sid = hash((str(path), modality, n))
                    hits.append(
                        Hit(
                            sid,
                            path,
                            kind,
                            modality,
                            s.start,
                            s.end,
                            s.t,
                            float(score),
                            float(score),
                            space.name,
                        )
                    )
        moments = group_moments(hits, MOMENT_GAP_S, 0.05, 3)[: max(KS)]
        ranks.append(first_relevant([Found(m.best.path, m.best.t) for m in moments], q.relevant, tolerance))
    return metrics("brute force (raw)", ranks)


def evaluate(settings: Settings, folder: Path) -> list[Metrics]:
    folder = folder.expanduser().resolve()
    queries = read_labels(folder)
    tolerance = settings.video_interval_s
    with (
        tempfile.TemporaryDirectory(prefix="framefind-eval-") as data,
        build_engine(replace(settings, data_dir=Path(data), folders=(folder,))) as engine,
    ):
        report = engine.index([folder])
        if report.failed:
            log.warning("%d files of %s failed to index", report.failed, folder)
        engine.transcribe()
        files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "queries.json")
        query_side = Calibrator(engine.catalog, cohort_side=False)
        out = [
            _search_variant(
                engine, queries, "indexed (raw cosine)", tolerance, calibrate=False, rerank=False
            ),
            _brute_force(engine, files, queries, tolerance),
            _search_variant(engine, queries, "z-norm (query side)", tolerance, query_side, rerank=False),
            _search_variant(engine, queries, "query + cohort (used)", tolerance, rerank=False),
        ]
        if engine.reranker.model_id is not None:
            out.append(_search_variant(engine, queries, "query + cohort + rerank", tolerance))
        for about in MODALITY_OF:  # the fused list, by what the queries are about
            mine = [q for q in queries if q.about == about]
            if mine:
                out.append(_search_variant(engine, mine, f"  used, about {about}", tolerance, rerank=False))
        words = [q for q in queries if q.about == "words"]
        if words:
            name = "  words alone (said:)"
            out.append(_search_variant(engine, words, name, tolerance, said=True, rerank=False))
        return out
