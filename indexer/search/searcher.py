"""Search: a query → every space that takes it → calibrated, grouped, cut off, reranked.

1. Each positive term (the text, each example) is embedded in every space that takes its
   modality and searched there; the union of what they find is the candidate set. An
   example file gives one term per stream (its pictures, its sound), sampled across it.
2. Every candidate is scored against every term exactly, from its stored vector. With
   calibration each cosine is judged against chance in its own space, from the query's
   side and from a cohort of unrelated queries (see calibrate.py), so spaces and modality
   pairs compare. A term's weight scales its score; negative terms subtract theirs.
3. Neighbouring hits of one file become moments, listed under the file's best one;
   near-duplicate photos fold together (how near is learnt per space).
4. A relevance cutoff hides the weak tail; `show_all` returns it too. When nothing is a
   good match, the closest few are returned and the response says so.
5. A cross-encoder may reorder the top (see rerank.py).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from indexer.catalog import Catalog, SegmentFilter
from indexer.errors import FramefindError, MediaError, ModelLoadError, SearchCancelled
from indexer.media.excerpt import excerpt
from indexer.media.extract import ExtractOptions, extract
from indexer.media.segment import MediaSegment
from indexer.search.calibrate import Calibrator
from indexer.search.cohort_languages import query_language
from indexer.search.cutoff import relevance_cutoff
from indexer.search.looks import about_looks
from indexer.search.moments import Hit, Moment, fold_near_duplicates, group_moments
from indexer.search.order import place_reranked, sorted_results
from indexer.search.query import Query
from indexer.search.quote import Quote
from indexer.search.rerank import Candidate, Reranker, RerankReport
from indexer.search.terms import Term, unanswered_weight
from indexer.search.words import MEANING_DEPTH, lines_in
from indexer.vectors.delta import VectorIndex
from indexer.vectors.space import Space

log = logging.getLogger(__name__)

MAX_QUERY_SEGMENTS = 64  # per stream: a long example file is summarised by samples across it
MOMENT_GAP_S = 1.0  # hits this close in time (or overlapping) are one moment…
MOMENT_DROP = 1.5  # …when they score within this many σ of its best
CLOSEST = 3  # results shown when none is a good match


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
    similar: tuple[SearchResult, ...] = ()  # near-duplicate photos folded into this result
    moments: tuple[SearchResult, ...] = ()  # the same file's next-best moments, best first
    other_moments: int = 0  # moments of the same file beyond those
    rerank_score: float | None = None
    quote: Quote | None = None  # found by what is said there: the line, its matched words marked

    @property
    def by_sound(self) -> bool:
        """A video moment found by its soundtrack, not its pictures."""
        return self.kind == "video" and self.modality == "audio"


@dataclass(frozen=True)
class SearchResponse:
    """Results above the relevance cutoff (up to the query's limit), best first; `hidden`
    holds all the others, in order, for "show more"."""

    results: list[SearchResult]
    hidden: list[SearchResult]
    calibrated: bool
    rerank: RerankReport | None = None
    # False when nothing stands out from chance: `results` then holds the closest few,
    # to be shown as "No good match — showing the closest".
    good_match: bool = True
    # How many of `results`, from the first, cleared the relevance cutoff (fewer than all
    # when the query asked to show all: the rest are the weaker matches).
    clear: int | None = None

    @property
    def cleared(self) -> int:
        return len(self.results) if self.clear is None else min(self.clear, len(self.results))

    @property
    def weaker(self) -> int:
        """How many results in all fall below the relevance cutoff, listed or not."""
        total = len(self.results) + len(self.hidden)
        return total - min(total, self.clear if self.clear is not None else total)

    def __len__(self) -> int:
        return len(self.results)

    def __getitem__(self, index: int) -> SearchResult:
        return self.results[index]

    def __iter__(self) -> Iterator[SearchResult]:
        return iter(self.results)


class Searcher:
    """One query over fixed snapshots: each space's store as it was when the search began
    (the caller holds a catalog snapshot too), so nothing changes under it."""

    def __init__(
        self,
        catalog: Catalog,
        views: Sequence[tuple[Space, VectorIndex]],
        options: Callable[[], ExtractOptions],
        calibrator: Calibrator,
        reranker: Reranker | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self._catalog = catalog
        self._cancelled = cancelled  # asked between stages: is a newer search waiting?
        self._spaces = [space for space, _ in views]
        self._views = {id(space): view for space, view in views}
        self._options = options  # asked only when a file is decoded: it loads the audio model
        self._calibrator = calibrator
        self._reranker = reranker

    def search(self, query: Query) -> SearchResponse:
        allowed = None
        if query.filtered:
            allowed = self._catalog.segments.ids_matching(_filter(query))
            if len(allowed) == 0:
                return SearchResponse([], [], query.calibrate)
        words_only = query.words_only
        terms = self._terms(query, words_only)
        self._go_on()
        hits, vectors = self._hits(query, terms, allowed) if terms else ([], {})
        if query.like:  # "More like this": the example is the reference, not a result
            chosen = {r.path for r in self._catalog.segments.rows(list(query.like)).values()}
            hits = [h for h in hits if h.path not in chosen]
        if query.text:
            self._go_on()
            floor = self._calibrator.floor(text=True) if query.calibrate else None
            filters = _filter(query) if query.filtered else None
            hits = lines_in(self._catalog, hits, query.text, floor, filters, query.lang, query.written)
        self._go_on()
        moments = group_moments(hits, MOMENT_GAP_S, MOMENT_DROP if query.calibrate else 0.05, query.per_file)
        moments = fold_near_duplicates(
            moments,
            lambda m: vectors.get(m.best.segment_id) if m.best.modality == "image" else None,
            self._duplicate_cosine,
        )
        results = [_result(m) for m in moments]
        scores = [r.score for r in results]
        floor = self._calibrator.floor(text=bool(query.text))
        shown = relevance_cutoff(scores, floor) if query.calibrate else len(results)
        good = shown > 0 or not results
        clear = shown
        if query.sort != "relevance":
            results = sorted_results(results, clear, query.sort, self._catalog.files.dates)
        if query.show_all:
            shown = len(results)
        elif not good:
            shown = CLOSEST
        visible = results[: min(shown, query.limit)]
        hidden = results[len(visible) :]  # past the limit or below the cutoff: "show more" has them all
        report = None
        ranked = query.sort == "relevance"  # a reranker's order is relevance too
        if query.rerank and self._reranker is not None and query.text and visible and good and ranked:
            visible, report = self._rerank(query.text, visible)
        return SearchResponse(visible, hidden, query.calibrate, report, good, clear)

    # query terms ---------------------------------------------------------------------------

    def _terms(self, query: Query, words_only: bool = False) -> list[Term]:
        """The query's terms in each space that takes them; `words_only`: its text in the
        spaces of what is said, and nothing else."""
        terms: list[Term] = []
        texts = [(query.text, query.text_weight)] if query.text else []
        texts += [(n, -query.negative_weight) for n in query.negatives] if not words_only else []
        for text, weight in texts:
            for space in self._spaces:
                if space.answers("text") and (space.embeds_lines or not words_only):
                    self._go_on()
                    if (vector := self._text_vector(space, text)) is not None:
                        skips = frozenset({"audio"}) if about_looks(text) else frozenset()
                        terms.append(Term(space, vector, weight, "text", query_language(text), skips))
        if words_only:
            return terms
        examples = len(query.examples) + (1 if query.like else 0)
        for example in query.examples:
            terms += self._example_terms(example, query.example_weight / examples)
        if query.like:
            terms += self._stored_terms(list(query.like), query.example_weight / examples)
        if terms and not any(t.weight > 0 for t in terms):
            raise FramefindError(
                "Nothing in this query has a positive weight (text_weight, example_weight): "
                "give what you search for a weight above 0."
            )
        if not terms and not query.text:  # text is still searched by its words
            raise FramefindError("No embedding space takes this query (is a model set for its kind?).")
        for term in terms:
            if len(term.vector) != self._views[id(term.space)].dim:
                term.space.check_model()  # says which model changed, and what to do
        return terms

    def _text_vector(self, space: Space, text: str) -> np.ndarray | None:
        """The text in one space; None for a words space whose model does not load (its
        lines are still found by their letters)."""
        try:
            return space.embedder.encode_text([text])[0]
        except ModelLoadError as exc:
            if space.from_media:
                raise
            log.warning("%s", exc)
            return None

    def _example_terms(self, path: Path, weight: float) -> list[Term]:
        if path.is_dir():
            ids = self._catalog.segments.ids_matching(SegmentFilter(folder=path))
            if not len(ids):
                raise FramefindError(f"Nothing in {path} is indexed yet, so it cannot be a query.")
            return self._stored_terms(ids.tolist(), weight)
        by_modality: dict[str, list[MediaSegment]] = defaultdict(list)
        options = replace(self._options(), spread=MAX_QUERY_SEGMENTS)  # the whole file, every stream
        try:
            for segment in extract(path, options).segments:
                if len(by_modality[segment.modality]) < MAX_QUERY_SEGMENTS:
                    by_modality[segment.modality].append(segment)
        except MediaError as exc:
            raise FramefindError(f"Cannot use {exc.path} as a query: {exc.reason}") from exc
        share = weight / max(len(by_modality), 1)
        return [
            Term(
                space,
                _unit(space.embedder.encode_segments(segments, urgent=True).mean(axis=0)),
                share,
                modality,
            )
            for modality, segments in by_modality.items()
            for space in self._spaces
            if space.answers(modality)
        ]

    def _stored_terms(self, ids: list[int], weight: float) -> list[Term]:
        """The mean stored vector of these segments per modality, in each space that holds
        any of them (a video's frames and its soundtrack are two terms)."""
        terms = []
        by_modality: dict[str, list[int]] = defaultdict(list)
        for i, row in self._catalog.segments.rows(ids).items():
            by_modality[row.modality].append(i)
        for modality, group in by_modality.items():
            wanted = np.asarray(group, dtype=np.int64)
            for space in self._spaces:
                view = self._view(space)
                held = wanted[view.has(wanted)]
                if len(held):
                    terms.append(Term(space, _unit(view.vectors(held).mean(axis=0)), weight, modality))
        share = 1 / max(len(terms), 1)
        return [replace(t, weight=weight * share) for t in terms]

    def _go_on(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise SearchCancelled

    def _view(self, space: Space) -> VectorIndex:
        return self._views[id(space)]

    def _duplicate_cosine(self, identity: str) -> float:
        space = next(s for s in self._spaces if s.identity == identity)
        return self._calibrator.duplicate_cosine(space, self._view(space), "image")

    # scoring -------------------------------------------------------------------------------

    def _hits(
        self, query: Query, terms: list[Term], allowed: np.ndarray | None
    ) -> tuple[list[Hit], dict[int, tuple[str, np.ndarray]]]:
        """Scored candidates, and their vectors (from the first space holding each, named by
        its identity)."""
        depth = max(query.limit * query.per_file * 4, 100)
        best: dict[int, Hit] = {}
        vectors_of: dict[int, tuple[str, np.ndarray]] = {}
        for space in self._spaces:
            view = self._view(space)
            mine = [t for t in terms if t.space is space]
            positive = [t for t in mine if t.weight > 0]
            if not positive or len(view) == 0:
                continue
            self._go_on()
            found: set[int] = set()
            for term in positive:  # a line is one result: a words space needs no moments' depth
                k = MEANING_DEPTH if space.embeds_lines else depth
                _, ids = view.search(term.vector[None, :], k, allowed)
                found.update(i for i in ids[0].tolist() if i >= 0)
            rows = self._catalog.segments.rows(found)
            ids = np.asarray(sorted(rows), dtype=np.int64)
            if not len(ids):
                continue
            vectors = view.vectors(ids)
            for i, vector in zip(ids.tolist(), vectors, strict=True):
                vectors_of.setdefault(i, (space.identity, vector))
            modalities = np.asarray([rows[int(i)].modality for i in ids])
            scores, cosines = self._score(space, mine, vectors, modalities, query.calibrate)
            total = sum(t.weight for t in positive) + unanswered_weight(query, terms, mine)
            for i, score, cosine in zip(ids.tolist(), scores / total, cosines, strict=True):
                if cosine > -np.inf and (i not in best or score > best[i].score):  # -inf: no term scored it
                    r = rows[i]
                    where = (r.path, r.kind, r.modality, r.start, r.end, r.t)
                    best[i] = Hit(i, *where, float(score), float(cosine), space.name)
        return list(best.values()), vectors_of

    def _score(
        self, space: Space, terms: list[Term], vectors: np.ndarray, modalities: np.ndarray, calibrate: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """(weighted score, best positive cosine) per vector."""
        scores = np.zeros(len(vectors))
        cosines = np.full(len(vectors), -np.inf)
        for term in terms:
            raw = vectors @ term.vector
            scored = ~np.isin(modalities, list(term.skips))
            if term.weight > 0:
                cosines = np.where(scored, np.maximum(cosines, raw), cosines)
            if calibrate:
                raw = raw.copy()
                for modality in set(modalities.tolist()) - term.skips:  # a skipped kind scores 0 below
                    mask = modalities == modality
                    of_term = (term.vector, term.modality, modality, vectors[mask], term.language)
                    raw[mask] = self._calibrator.score(space, self._view(space), *of_term)
            raw = np.where(scored, raw, 0.0)
            scores += term.weight * raw
        return scores, cosines

    # reranking -----------------------------------------------------------------------------

    def _rerank(self, text: str, results: list[SearchResult]) -> tuple[list[SearchResult], RerankReport]:
        assert self._reranker is not None

        def media_of(i: int, modality: str) -> object:
            r = results[i]
            return excerpt(r.path, modality, r.t, r.start, r.end, self._options())

        candidates = [Candidate(r.modality, r.t is not None) for r in results]
        order, scores, report = self._reranker.rerank(text, candidates, media_of)
        return place_reranked(results, dict(zip(order, scores, strict=True))), report


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
        similar=tuple(_result(m) for m in moment.similar),
        moments=tuple(_result(m) for m in moment.further),
        other_moments=moment.other_moments,
        quote=best.quote,
    )


__all__ = ["SearchResponse", "SearchResult", "Searcher"]
