"""Search: a query (text or example file) → every space that takes it → ranked results.

Scores are cosine similarities in the space that found the segment. Each file contributes
at most `per_file` segments that do not overlap in time, so one long video cannot fill
the whole list.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from indexer.catalog import Catalog
from indexer.errors import FramefindError, MediaError
from indexer.media import ExtractOptions, extract
from indexer.media.kinds import KINDS
from indexer.space import Space

MAX_QUERY_SEGMENTS = 64  # a long example file is summarised by its first minutes


@dataclass(frozen=True)
class Query:
    text: str | None = None
    file: Path | None = None
    kinds: frozenset[str] = field(default_factory=frozenset)  # empty: every kind
    folder: Path | None = None
    limit: int = 20
    per_file: int = 3

    def __post_init__(self) -> None:
        if (self.text is None) == (self.file is None):
            raise FramefindError("Give a text query or an example file (exactly one of them).")
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise FramefindError(f"Unknown kind {sorted(unknown)}; choose from {', '.join(KINDS)}.")


@dataclass(frozen=True)
class SearchResult:
    path: Path
    kind: str
    modality: str
    score: float
    space: str
    start: float | None
    end: float | None
    t: float | None  # best timestamp to play from
    segment_id: int


class Searcher:
    def __init__(self, catalog: Catalog, spaces: Sequence[Space], options: ExtractOptions) -> None:
        self._catalog = catalog
        self._spaces = list(spaces)
        self._options = options

    def search(self, query: Query) -> list[SearchResult]:
        allowed = None
        if query.kinds or query.folder is not None:
            allowed = np.asarray(self._catalog.ids_matching(query.kinds, query.folder), dtype=np.int64)
            if len(allowed) == 0:
                return []
        depth = max(query.limit * query.per_file * 4, 50)
        best: dict[int, tuple[float, str]] = {}
        for space, vector in self._query_vectors(query):
            if len(space.store) == 0:
                continue
            scores, ids = space.store.search(vector[None, :], depth, allowed)
            for score, sid in zip(scores[0].tolist(), ids[0].tolist(), strict=True):
                if sid >= 0 and score > best.get(sid, (-np.inf, ""))[0]:
                    best[sid] = (score, space.name)
        rows = self._catalog.rows(best)
        hits = sorted(
            (
                SearchResult(r.path, r.kind, r.modality, best[sid][0], best[sid][1], r.start, r.end, r.t, sid)
                for sid, r in rows.items()
            ),
            key=lambda h: -h.score,
        )
        return _limit_per_file(hits, query.per_file)[: query.limit]

    def _query_vectors(self, query: Query) -> list[tuple[Space, np.ndarray]]:
        if query.text is not None:
            return [(s, s.embedder.encode_text([query.text])[0]) for s in self._spaces if s.takes("text")]
        assert query.file is not None
        by_modality = defaultdict(list)
        try:
            extraction = extract(query.file, self._options)
            for segment in itertools.islice(extraction.segments, MAX_QUERY_SEGMENTS):
                by_modality[segment.modality].append(segment)
        except MediaError as exc:
            raise FramefindError(f"Cannot use {exc.path} as a query: {exc.reason}") from exc
        out = []
        for modality, segments in by_modality.items():
            for space in self._spaces:
                if space.takes(modality):
                    mean = space.embedder.encode_segments(segments).mean(axis=0)
                    out.append((space, mean / max(float(np.linalg.norm(mean)), 1e-12)))
        return out


def _overlaps(a: SearchResult, b: SearchResult) -> bool:
    if a.start is None or b.start is None or a.modality != b.modality:
        return False
    return a.start < (b.end or b.start) and b.start < (a.end or a.start)


def _limit_per_file(hits: list[SearchResult], per_file: int) -> list[SearchResult]:
    """Keep each file's best `per_file` hits that do not overlap in time (hits are sorted)."""
    kept: dict[Path, list[SearchResult]] = defaultdict(list)
    out = []
    for hit in hits:
        mine = kept[hit.path]
        if len(mine) < per_file and not any(_overlaps(hit, k) for k in mine):
            mine.append(hit)
            out.append(hit)
    return out


__all__ = ["Query", "SearchResult", "Searcher"]
