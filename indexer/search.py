"""Search: a query → every space that takes it → calibrated, grouped, cut off, reranked.

1. Each positive term (the text, each example) is embedded in every space that takes its
   modality and searched there; the union of what they find is the candidate set.
2. Every candidate is scored against every term exactly, from its stored vector. With
   calibration each cosine becomes a z-score against the user's own documents of the same
   modality in the same space (see calibrate.py), so spaces and modality pairs compare.
   A term's weight scales its score; negative terms subtract theirs.
3. Neighbouring hits of one file become moments; near-duplicate photos fold together.
4. A relevance cutoff hides the weak tail; `show_all` returns it too.
5. A cross-encoder may reorder the top (see rerank.py).
"""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from indexer.calibrate import Calibrator
from indexer.catalog import Catalog, SegmentFilter
from indexer.cutoff import relevance_cutoff
from indexer.errors import FramefindError, MediaError
from indexer.media import ExtractOptions, extract
from indexer.media.excerpt import excerpt
from indexer.moments import Hit, Moment, fold_near_duplicates, group_moments
from indexer.query import Query
from indexer.rerank import Reranker, RerankReport
from indexer.space import Space
from indexer.store import VectorIndex

log = logging.getLogger(__name__)

MAX_QUERY_SEGMENTS = 64  # a long example file is summarised by its first minutes
MOMENT_GAP_S = 1.0  # hits this close in time (or overlapping) are one moment…
MOMENT_DROP = 1.5  # …when they score within this many σ of its best
DUPLICATE_COSINE = 0.95  # photos this similar are one result "+N similar"


@dataclass(frozen=True)
class SearchResult:
    path: Path
    kind: str
    modality: str  # of the best-matching segment: "image" (photo, keyframe) or "audio"
    score: float  # calibrated: σ above this query's typical score; the cosine when not calibrated
    cosine: float  # raw similarity of the best segment in the space that found it
    space: str
    start: float | None  # the moment; None for photos
    end: float | None
    t: float | None  # best timestamp to play from
    segment_id: int
    hits: int = 1  # segments merged into this moment
    similar: tuple[Path, ...] = ()  # near-duplicate photos folded into this result
    other_moments: int = 0  # further moments of the same file not listed
    rerank_score: float | None = None


@dataclass(frozen=True)
class SearchResponse:
    """Results above the relevance cutoff (up to the query's limit), best first; `hidden`
    holds those below it, for "show more"."""

    results: list[SearchResult]
    hidden: list[SearchResult]
    calibrated: bool
    rerank: RerankReport | None = None

    def __len__(self) -> int:
        return len(self.results)

    def __getitem__(self, index: int) -> SearchResult:
        return self.results[index]

    def __iter__(self) -> Iterator[SearchResult]:
        return iter(self.results)


@dataclass(frozen=True)
class _Term:
    space: Space
    vector: np.ndarray
    weight: float  # negative for negative terms


class Searcher:
    """One query over fixed snapshots: each space's store as it was when the search began
    (the caller holds a catalog snapshot too), so nothing changes under it."""

    def __init__(
        self,
        catalog: Catalog,
        views: Sequence[tuple[Space, VectorIndex]],
        options: ExtractOptions,
        calibrator: Calibrator,
        reranker: Reranker | None = None,
    ) -> None:
        self._catalog = catalog
        self._spaces = [space for space, _ in views]
        self._views = {id(space): view for space, view in views}
        self._options = options
        self._calibrator = calibrator
        self._reranker = reranker

    def search(self, query: Query) -> SearchResponse:
        allowed = None
        if query.filtered:
            allowed = np.asarray(self._catalog.ids_matching(_filter(query)), dtype=np.int64)
            if len(allowed) == 0:
                return SearchResponse([], [], query.calibrate)
        hits, vectors = self._hits(query, self._terms(query), allowed)
        moments = group_moments(hits, MOMENT_GAP_S, MOMENT_DROP if query.calibrate else 0.05, query.per_file)
        moments = fold_near_duplicates(
            moments,
            lambda m: vectors.get(m.best.segment_id) if m.best.modality == "image" else None,
            DUPLICATE_COSINE,
        )
        results = [_result(m) for m in moments]
        shown = (
            len(results)
            if query.show_all or not query.calibrate
            else relevance_cutoff([r.score for r in results])
        )
        visible = results[: min(shown, query.limit)]
        hidden = results[len(visible) :]  # past the limit or below the cutoff: "show more" has them all
        report = None
        if query.rerank and self._reranker is not None and query.text and visible:
            visible, report = self._rerank(query.text, visible)
        return SearchResponse(visible, hidden, query.calibrate, report)

    # query terms ---------------------------------------------------------------------------

    def _terms(self, query: Query) -> list[_Term]:
        terms: list[_Term] = []
        texts = [(query.text, query.text_weight)] if query.text else []
        texts += [(n, -query.negative_weight) for n in query.negatives]
        for text, weight in texts:
            terms += [
                _Term(s, s.embedder.encode_text([text])[0], weight) for s in self._spaces if s.takes("text")
            ]
        examples = len(query.examples) + (1 if query.like else 0)
        for example in query.examples:
            terms += self._example_terms(example, query.example_weight / examples)
        if query.like:
            terms += self._stored_terms(list(query.like), query.example_weight / examples)
        if not any(t.weight > 0 for t in terms):
            raise FramefindError("No embedding space takes this query (is a model set for its kind?).")
        return terms

    def _example_terms(self, path: Path, weight: float) -> list[_Term]:
        if path.is_dir():
            ids = self._catalog.ids_matching(SegmentFilter(folder=path))
            if not ids:
                raise FramefindError(f"Nothing in {path} is indexed yet, so it cannot be a query.")
            return self._stored_terms(ids, weight)
        by_modality = defaultdict(list)
        try:
            for segment in itertools.islice(extract(path, self._options).segments, MAX_QUERY_SEGMENTS):
                by_modality[segment.modality].append(segment)
        except MediaError as exc:
            raise FramefindError(f"Cannot use {exc.path} as a query: {exc.reason}") from exc
        share = weight / max(len(by_modality), 1)
        return [
            _Term(space, _unit(space.embedder.encode_segments(segments).mean(axis=0)), share)
            for modality, segments in by_modality.items()
            for space in self._spaces
            if space.takes(modality)
        ]

    def _stored_terms(self, ids: list[int], weight: float) -> list[_Term]:
        """The mean stored vector of these segments, in each space that holds any of them."""
        terms = []
        wanted = np.asarray(ids, dtype=np.int64)
        for space in self._spaces:
            view = self._view(space)
            held = wanted[view.has(wanted)]
            if len(held):
                terms.append(_Term(space, _unit(view.vectors(held).mean(axis=0)), weight))
        share = 1 / max(len(terms), 1)
        return [replace(t, weight=weight * share) for t in terms]

    def _view(self, space: Space) -> VectorIndex:
        return self._views[id(space)]

    # scoring -------------------------------------------------------------------------------

    def _hits(
        self, query: Query, terms: list[_Term], allowed: np.ndarray | None
    ) -> tuple[list[Hit], dict[int, np.ndarray]]:
        """Scored candidates, and their vectors (from the first space holding each)."""
        depth = max(query.limit * query.per_file * 4, 100)
        best: dict[int, Hit] = {}
        vectors_of: dict[int, np.ndarray] = {}
        for space in self._spaces:
            view = self._view(space)
            mine = [t for t in terms if t.space is space]
            positive = [t for t in mine if t.weight > 0]
            if not positive or len(view) == 0:
                continue
            found: set[int] = set()
            for term in positive:
                _, ids = view.search(term.vector[None, :], depth, allowed)
                found.update(i for i in ids[0].tolist() if i >= 0)
            rows = self._catalog.rows(found)
            ids = np.asarray(sorted(rows), dtype=np.int64)
            if not len(ids):
                continue
            vectors = view.vectors(ids)
            for i, vector in zip(ids.tolist(), vectors, strict=True):
                vectors_of.setdefault(i, vector)
            modalities = np.asarray([rows[int(i)].modality for i in ids])
            scores, cosines = self._score(space, mine, vectors, modalities, query.calibrate)
            total = sum(t.weight for t in positive)
            for i, score, cosine in zip(ids.tolist(), scores / total, cosines, strict=True):
                if i not in best or score > best[i].score:
                    r = rows[i]
                    best[i] = Hit(
                        i,
                        r.path,
                        r.kind,
                        r.modality,
                        r.start,
                        r.end,
                        r.t,
                        float(score),
                        float(cosine),
                        space.name,
                    )
        return list(best.values()), vectors_of

    def _score(
        self, space: Space, terms: list[_Term], vectors: np.ndarray, modalities: np.ndarray, calibrate: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """(weighted score, best positive cosine) per vector."""
        scores = np.zeros(len(vectors))
        cosines = np.full(len(vectors), -np.inf)
        for term in terms:
            raw = vectors @ term.vector
            if term.weight > 0:
                cosines = np.maximum(cosines, raw)
            if calibrate:
                raw = raw.copy()
                for modality in set(modalities.tolist()):
                    mask = modalities == modality
                    stats = self._calibrator.stats(space, self._view(space), modality, term.vector)
                    raw[mask] = stats.z(raw[mask])
            scores += term.weight * raw
        return scores, cosines

    # reranking -----------------------------------------------------------------------------

    def _rerank(self, text: str, results: list[SearchResult]) -> tuple[list[SearchResult], RerankReport]:
        assert self._reranker is not None

        def media_of(i: int) -> object:
            r = results[i]
            return excerpt(r.path, r.modality, r.t, r.start, r.end, self._options)

        order, scores, report = self._reranker.rerank(
            text, len(results), lambda i: results[i].modality, media_of
        )
        return place_reranked(results, dict(zip(order, scores, strict=True))), report


def place_reranked(results: list[SearchResult], scores: dict[int, float]) -> list[SearchResult]:
    """The results with those the reranker scored (by position) reordered among the places
    they held; a result it could not score (audio for a vision model, a file that no longer
    decodes, the budget spent) keeps its place instead of sinking below every scored one."""
    out = list(results)
    slots = sorted(scores)
    for slot, i in zip(slots, sorted(slots, key=lambda i: -scores[i]), strict=True):
        out[slot] = replace(results[i], rerank_score=scores[i])
    return out


def _unit(vector: np.ndarray) -> np.ndarray:
    return (vector / max(float(np.linalg.norm(vector)), 1e-12)).astype(np.float32)


def _filter(query: Query) -> SegmentFilter:
    return SegmentFilter(
        query.kinds, query.folder, query.after, query.before, query.min_duration, query.max_duration
    )


def _result(moment: Moment) -> SearchResult:
    best = moment.best
    return SearchResult(
        path=best.path,
        kind=best.kind,
        modality=best.modality,
        score=best.score,
        cosine=best.cosine,
        space=best.space,
        start=moment.start,
        end=moment.end,
        t=best.t,
        segment_id=best.segment_id,
        hits=moment.hits,
        similar=moment.similar,
        other_moments=moment.other_moments,
    )


__all__ = ["SearchResponse", "SearchResult", "Searcher"]
