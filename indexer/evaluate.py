"""`framefind eval`: recall@k and MRR of the search on a labelled folder.

The folder holds media and a `queries.json`:

    {"queries": [
      {"text": "a red circle on blue", "relevant": [{"file": "photos/003.png"}]},
      {"text": "applause", "relevant": [{"file": "talk.mp4", "start": 30, "end": 34}]}
    ]}

A result answers a query when it is one of the relevant files and, where a label gives
seconds, its best timestamp lies in them (give or take one video sampling interval).
The folder is indexed into a temporary data folder with the configured models, then each
query runs with raw cosines, with calibration, and with reranking when a reranker loads.
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
from indexer.media import extract
from indexer.moments import Hit, group_moments
from indexer.query import Query
from indexer.search import MOMENT_GAP_S
from indexer.settings import Settings

log = logging.getLogger(__name__)

KS = (1, 5, 10)


@dataclass(frozen=True)
class Label:
    file: Path
    start: float | None = None
    end: float | None = None


@dataclass(frozen=True)
class LabelledQuery:
    text: str
    relevant: tuple[Label, ...]


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

    def line(self) -> str:
        recalls = "  ".join(f"R@{k} {self.recall[k]:.3f}" for k in KS)
        return f"{self.name:<22} {recalls}  MRR {self.mrr:.3f}  ({self.queries} queries)"


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


def metrics(name: str, ranks: Sequence[int | None]) -> Metrics:
    n = max(len(ranks), 1)
    recall = {k: sum(1 for r in ranks if r is not None and r <= k) / n for k in KS}
    return Metrics(name, recall, sum(1 / r for r in ranks if r is not None) / n, len(ranks))


def _search_variant(
    engine: Engine, queries: list[LabelledQuery], name: str, tolerance: float, **fields
) -> Metrics:
    ranks = []
    for q in queries:
        response = engine.search(Query(text=q.text, limit=max(KS), show_all=True, **fields))
        ranks.append(first_relevant([Found(r.path, r.t) for r in response], q.relevant, tolerance))
    return metrics(name, ranks)


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
    by_modality = {m: [(p, k, s) for p, k, s in segments if s.modality == m] for m in ("image", "audio")}
    ranks = []
    vectors = {
        space.name: {
            m: space.embedder.encode_segments([s for _, _, s in by_modality[m]])
            for m in ("image", "audio")
            if space.takes(m)
        }
        for space in engine.searchable_spaces()
    }
    for q in queries:
        hits = []
        for space in engine.searchable_spaces():
            if not space.takes("text"):
                continue
            query = space.embedder.encode_text([q.text])[0]
            for modality, matrix in vectors[space.name].items():
                mine = by_modality[modality]
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
        files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "queries.json")
        out = [
            _search_variant(
                engine, queries, "indexed (raw cosine)", tolerance, calibrate=False, rerank=False
            ),
            _brute_force(engine, files, queries, tolerance),
            _search_variant(engine, queries, "indexed + calibration", tolerance, rerank=False),
        ]
        if engine.reranker.model_id is not None:
            out.append(_search_variant(engine, queries, "+ calibration + rerank", tolerance))
        return out
