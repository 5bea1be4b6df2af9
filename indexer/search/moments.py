"""Hits → results: neighbouring hits in one video or recording become one moment, and
near-duplicate photos (bursts, copies, resized versions) fold into one result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from indexer.search.quote import Quote


@dataclass(frozen=True)
class Hit:
    """One segment that scored, before grouping."""

    segment_id: int
    path: Path
    kind: str
    modality: str
    start: float | None
    end: float | None
    t: float | None
    score: float  # calibrated (z) when calibration is on, else the cosine
    cosine: float  # the raw similarity in the space that found it (words: the query's share said)
    space: str
    quote: Quote | None = None  # found by what is said: the line


@dataclass(frozen=True)
class Moment:
    """A span of one file (the whole file for a photo) and the hit that best matched."""

    best: Hit
    start: float | None
    end: float | None
    hits: int  # segments merged into this moment
    similar: tuple[Moment, ...] = ()  # near-duplicate photos folded into this one
    further: tuple[Moment, ...] = ()  # the same file's next-best moments, best first
    other_moments: int = 0  # moments of the same file beyond those


def _joins(moment_end: float, hit: Hit, gap: float) -> bool:
    return hit.start is not None and hit.start <= moment_end + gap


def _moments_of_file(hits: list[Hit], gap: float, drop: float) -> list[Moment]:
    """Grow a moment from each file's best hit over neighbours in time that score within
    `drop` of it (and at least 60% of it); repeat from the best hit left over."""
    if hits[0].start is None:  # a photo: one segment, one moment
        best = max(hits, key=lambda h: h.score)
        return [Moment(best, None, None, 1)]
    by_time = sorted(hits, key=lambda h: (h.start or 0.0, h.segment_id))
    free = set(range(len(by_time)))
    moments = []
    for seed in sorted(free, key=lambda i: -by_time[i].score):
        if seed not in free:
            continue
        top = by_time[seed].score
        floor = max(top - drop, top * 0.6) if top > 0 else top - drop
        lo = hi = seed
        free.discard(seed)
        end = by_time[seed].end or by_time[seed].start or 0.0
        while hi + 1 in free and by_time[hi + 1].score >= floor and _joins(end, by_time[hi + 1], gap):
            hi += 1
            free.discard(hi)
            end = max(end, by_time[hi].end or by_time[hi].start or 0.0)
        start = by_time[seed].start or 0.0
        while lo - 1 in free and by_time[lo - 1].score >= floor:
            previous = by_time[lo - 1]
            if (previous.end or previous.start or 0.0) + gap < start:
                break
            lo -= 1
            free.discard(lo)
            start = min(start, previous.start or 0.0)
        moments.append(Moment(by_time[seed], start, end, hi - lo + 1))
    return moments


def group_moments(hits: Sequence[Hit], gap: float, drop: float, per_file: int) -> list[Moment]:
    """One moment per file, its best, holding the file's next `per_file` − 1 moments under
    it (`further`); files ranked by their best moment. A file's weaker moments thus never
    push a better match of another file down the list.

    `gap` is how far apart (seconds) two hits may be and still be one moment; `drop` is how
    much weaker than the moment's best a neighbour may be and still belong to it.
    """
    by_stream: dict[tuple[Path, str], list[Hit]] = defaultdict(list)
    for hit in hits:  # a video's frames and its soundtrack make separate moments…
        by_stream[hit.path, hit.modality].append(hit)
    by_file: dict[Path, list[Moment]] = defaultdict(list)
    for (path, _), stream_hits in by_stream.items():  # …listed together under their file
        by_file[path] += _moments_of_file(stream_hits, gap, drop)
    out = []
    for moments in (fuse_words(found, gap) for found in by_file.values()):
        kept = moments[: max(per_file, 1)]
        out.append(replace(kept[0], further=tuple(kept[1:]), other_moments=len(moments) - len(kept)))
    return sorted(out, key=_rank)


def fuse_words(moments: list[Moment], gap: float) -> list[Moment]:
    """One file's moments, best first, where a moment found by what is said and by a picture
    or sound at the same time is one moment scored by both: (z1 + z2) / √2 when that is more
    than the better alone (as Stouffer's method joins independent evidence), so a moment that
    matches picture and words ranks above one that matches only one. (Pictures and sound of
    a video stay apart, as before: "found by its soundtrack" is worth saying.)"""
    ranked = sorted(moments, key=lambda m: -m.best.score)
    if all(m.best.modality != "words" for m in ranked):  # most files: nothing to join
        return ranked
    kept: list[Moment] = []
    streams: list[set[str]] = []
    for moment in ranked:
        said = moment.best.modality == "words"
        near = next(
            (
                i
                for i, k in enumerate(kept)
                if moment.best.modality not in streams[i]
                and (said or "words" in streams[i])
                and _overlap(k, moment, gap)
            ),
            None,
        )
        if near is None:
            kept.append(moment)
            streams.append({moment.best.modality})
        else:
            kept[near] = _joined(kept[near], moment)
            streams[near].add(moment.best.modality)
    return sorted(kept, key=lambda m: -m.best.score)


def _overlap(a: Moment, b: Moment, gap: float) -> bool:
    if a.start is None or b.start is None:  # a photo: its picture and its text are one moment
        return a.start is None and b.start is None
    return a.start <= (b.end or b.start) + gap and b.start <= (a.end or a.start) + gap


def _joined(better: Moment, other: Moment) -> Moment:
    score = max(better.best.score, (better.best.score + other.best.score) / np.sqrt(2))
    quote = better.best.quote or other.best.quote
    t = better.best.t if better.best.quote or not other.best.quote else other.best.t  # the first word said
    best = replace(better.best, score=float(score), quote=quote, t=t)
    if better.start is None:  # a photo has no span
        return replace(better, best=best, hits=better.hits + other.hits)
    start = min(better.start or 0.0, other.start or 0.0)
    end = max(better.end or 0.0, other.end or 0.0)
    return replace(better, best=best, start=start, end=end, hits=better.hits + other.hits)


def _rank(moment: Moment) -> tuple[float, str, float]:
    """Best score first; equal scores (a copied photo and its original) by path. Rounded,
    because backends differ in the last bits of one dot product, and then which of two
    copies is shown (the other folds under it) would depend on the backend."""
    return (-round(moment.best.score, 6), str(moment.best.path), moment.start or 0.0)


def fold_near_duplicates(
    moments: Sequence[Moment],
    vector_of: Callable[[Moment], tuple[str, np.ndarray] | None],
    threshold_of: Callable[[str], float],
) -> list[Moment]:
    """Fold each photo whose vector is within its space's threshold cosine of a better-ranked
    photo's (in the same space: vectors of two models do not compare) into that photo's
    `similar` list. Moments (video, audio) are left as they are."""
    photos = {i: found for i, m in enumerate(moments) if m.best.kind == "photo" and (found := vector_of(m))}
    keeper_of: dict[int, int] = {}  # folded photo → the better one it folds into
    for space in {found[0] for found in photos.values()}:
        mine = [i for i, found in photos.items() if found[0] == space]
        earlier = _close_pairs(np.stack([photos[i][1] for i in mine]), threshold_of(space))
        kept: set[int] = set()
        for row in range(len(mine)):  # best first: a photo folds into the best kept twin
            twin = next((j for j in earlier.get(row, ()) if j in kept), None)
            if twin is None:
                kept.add(row)
            else:
                keeper_of[mine[row]] = mine[twin]
    similar: dict[int, list[Moment]] = defaultdict(list)
    for folded, keeper in keeper_of.items():
        similar[keeper].append(moments[folded])
    return [
        replace(m, similar=tuple(similar[i])) if i in similar else m
        for i, m in enumerate(moments)
        if i not in keeper_of
    ]


def _close_pairs(vectors: np.ndarray, threshold: float, block: int = 1024) -> dict[int, list[int]]:
    """For each row, the earlier rows at least `threshold` similar to it, in order: matrix
    products by blocks (thousands of photos: no Python loop over pairs, no n×n matrix)."""
    earlier: dict[int, list[int]] = defaultdict(list)
    for start in range(0, len(vectors), block):
        close = vectors[start : start + block] @ vectors.T >= threshold
        for row, col in zip(*np.nonzero(close), strict=True):
            if col < start + row:
                earlier[start + int(row)].append(int(col))
    return earlier
