"""What every store shares: the read protocol of a snapshot, the delta of vectors set since a
store's base (append-only buffers the writer owns), and the numpy helpers searches use.

FAISS and Milvus stores alike keep recent changes in a `Delta` and search it exactly."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

import numpy as np

from indexer.catalog import Changes

EMPTY_IDS = np.empty(0, dtype=np.int64)
MERGE_ROWS = 32_768  # delta rows (live or dead) past which the writer builds a new base


class VectorIndex(Protocol):
    """What searches read: one consistent state of a store."""

    dim: int
    seq: int

    @property
    def compressed(self) -> bool: ...
    def __len__(self) -> int: ...
    def ids(self) -> np.ndarray: ...
    def has(self, ids: np.ndarray) -> np.ndarray: ...
    def vectors(self, ids: np.ndarray) -> np.ndarray: ...
    def search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True, eq=False)
class Delta:
    """Rows set since the base: buffers the writer only appends to, and the live rows."""

    vectors: np.ndarray  # (capacity, dim); rows [0, n) are written and never change
    ids: np.ndarray  # (capacity,)
    live: np.ndarray  # bool (n,): this snapshot's own copy

    @property
    def n(self) -> int:
        return len(self.live)

    @cached_property
    def live_sorted(self) -> tuple[np.ndarray, np.ndarray]:
        """(live ids sorted, their rows)."""
        rows = np.flatnonzero(self.live)
        ids = self.ids[rows]
        order = np.argsort(ids, kind="stable")
        return ids[order], rows[order]

    def search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids) among the live rows (exact: the delta is small)."""
        ids = self.ids[: self.n]
        scores = queries @ self.vectors[: self.n].T
        usable = self.live if allowed is None else self.live & np.isin(ids, allowed)
        scores[:, ~usable] = -np.inf
        return top_k(scores, np.broadcast_to(ids, scores.shape), k)


class DeltaWriter:
    """The append-only buffers behind a store's snapshots' deltas, and the row of each live
    id: one per store, used only by its writer (FAISS and Milvus stores alike)."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.empty()

    def empty(self) -> Delta:
        """Start over (after a merge): new buffers, so older snapshots keep theirs."""
        self._vectors = np.empty((1024, self.dim), np.float32)
        self._ids = np.empty(1024, np.int64)
        self._rows: dict[int, int] = {}  # live delta id → row
        return Delta(self._vectors, self._ids, np.empty(0, bool))

    def apply(self, old: Delta, changes: Changes) -> Delta:
        """The delta after `changes`: the rows of ids they touch die, their vectors are appended."""
        live = old.live.copy()
        live[[self._rows.pop(i) for i in changes.touched.tolist() if i in self._rows]] = False
        vectors, ids = self._append(changes, old.n)
        return Delta(vectors, ids, np.concatenate([live, np.ones(len(changes.ids), dtype=bool)]))

    def _append(self, changes: Changes, n: int) -> tuple[np.ndarray, np.ndarray]:
        count = len(changes.ids)
        if count and changes.vectors is not None and changes.vectors.shape != (count, self.dim):
            raise ValueError(f"expected {count} vectors of dimension {self.dim}, got {changes.vectors.shape}")
        if n + count > len(self._ids):  # older snapshots keep the old buffers
            capacity = max(2 * len(self._ids), n + count)
            vectors, ids = np.empty((capacity, self.dim), np.float32), np.empty(capacity, np.int64)
            vectors[:n], ids[:n] = self._vectors[:n], self._ids[:n]
            self._vectors, self._ids = vectors, ids
        if count:
            self._vectors[n : n + count] = changes.vectors
            self._ids[n : n + count] = changes.ids
            self._rows.update((int(i), n + r) for r, i in enumerate(changes.ids.tolist()))
        return self._vectors, self._ids


def isin_sorted(values: np.ndarray, sorted_ids: np.ndarray) -> np.ndarray:
    if not len(sorted_ids) or not len(values):
        return np.zeros(len(values), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_ids, values), len(sorted_ids) - 1)
    return sorted_ids[pos] == values


def sorted_unique(ids: np.ndarray) -> np.ndarray:
    ids = np.asarray(ids, dtype=np.int64)
    if len(ids) < 2 or bool((ids[1:] > ids[:-1]).all()):
        return ids  # already so (the catalog's ids): sorting 50,000 again cost more than the search
    return np.unique(ids)


def search_arguments(
    queries: np.ndarray, k: int, allowed: np.ndarray | None, size: int
) -> tuple[np.ndarray, int, np.ndarray | None]:
    """A search's arguments as every store reads them: float32 rows, k within the store's
    size (at least 1), the allowed ids sorted and unique."""
    queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
    k = max(1, min(k, size)) if size else 1
    return queries, k, None if allowed is None else sorted_unique(allowed)


def top_k(scores: np.ndarray, ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best (score, id) per row of score/id matrices, best first; -1 pads."""
    out_scores = np.full((len(scores), k), -np.inf, dtype=np.float32)
    out_ids = np.full((len(scores), k), -1, dtype=np.int64)
    if scores.shape[1]:
        take = min(k, scores.shape[1])
        top = np.argpartition(-scores, take - 1, axis=1)[:, :take] if take < scores.shape[1] else None
        if top is not None:  # only the k best are sorted: a filter may leave 50,000 columns
            order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1, kind="stable")
            top = np.take_along_axis(top, order, axis=1)
        else:
            top = np.argsort(-scores, axis=1, kind="stable")[:, :take]
        out_scores[:, :take] = np.take_along_axis(scores, top, axis=1)
        out_ids[:, :take] = np.take_along_axis(ids, top, axis=1)
        out_ids[~np.isfinite(out_scores)] = -1
    return out_scores, out_ids
