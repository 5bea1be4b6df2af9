"""A vector store on Milvus (`store: milvus://HOST:PORT`, or `milvus:FILE.db` for Milvus Lite,
an embedded Milvus in one local file): the same ids, search, filter and removal as the
FAISS store, and the same write path (see store.py and the engine's docstring).

Milvus holds the *base*: every change up to the last checkpoint, durable on its side. What
the catalog committed since then is the snapshot's in-memory *delta*, exactly as for FAISS:
the vectors set since, and the ids touched since (removed or replaced), which no longer
count in the base. A checkpoint (`merge` + `save`) pushes the delta to Milvus (deletes, then
upserts: replaying them is harmless), flushes, records the sequence number in a small
metadata collection, and the catalog then drops its log up to it.

Unlike a FAISS base, Milvus's base is changed in place by the writer's pushes, so a snapshot
holds its own view of it by two means: every row carries the `seq` of the merge that pushed
it, and a snapshot reads only rows with `seq <= snapshot.seq`; and what a merge deletes or
overwrites is first kept in memory (the *graveyard*, for GRAVE_KEEP_S), where older
snapshots still find it. So a search that straddles a checkpoint sees exactly what it began
with, on Milvus as on FAISS (docs/concurrency.md, guarantee 3).

Index types: FLAT while small (exact) and always on Milvus Lite (the only index it
builds); past `compress_above` on a server, HNSW up to ten million vectors (fast, in memory,
removals supported, unlike FAISS's) and IVF_SQ8 beyond (a quarter of the memory).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from indexer.catalog import Changes
from indexer.vectors.delta import (
    EMPTY_IDS,
    MERGE_ROWS,
    Delta,
    DeltaWriter,
    isin_sorted,
    search_arguments,
    top_k,
)
from indexer.vectors.milvus_base import MILVUS_MAX_TOPK, Grave, MilvusBase

log = logging.getLogger(__name__)

# A filter that allows at least this share of the base is applied after an unfiltered search
# that asks for enough more (60 ms against 190 ms above).
POST_FILTER_SHARE = 0.5
GRAVE_KEEP_S = 300.0  # what a merge removed stays readable this long (a search takes seconds)


class MilvusSnapshot:
    """One state of a Milvus store for searches: the base rows pushed up to `seq`, with those
    merges removed since read from the graveyard, minus what was touched since, plus the
    delta. Reads Milvus on each call; see the module's docstring for why it stays as it was."""

    def __init__(
        self,
        dim: int,
        seq: int,
        base: MilvusBase,
        base_count: int,
        touched: np.ndarray,
        delta: Delta,
        graves: Callable[[], tuple[Grave, ...]],
    ) -> None:
        self.dim, self.seq, self.base = dim, seq, base
        self.base_count = base_count  # vectors of the base that still count
        self.hidden = touched  # sorted ids the base no longer speaks for
        self._delta = delta
        self._graves = graves  # the store's graveyard as it is when read

    @property
    def compressed(self) -> bool:
        return self.base.index_type != "FLAT"

    @property
    def delta_rows(self) -> int:
        return self._delta.n

    def __len__(self) -> int:
        return self.base_count + int(self._delta.live.sum())

    def _buried(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of base rows this snapshot counts that merges since have removed."""
        ids, vectors = [], []
        for grave in self._graves():
            if grave.removed_at > self.seq:
                keep = (grave.seqs <= self.seq) & ~isin_sorted(grave.ids, self.hidden)
                ids.append(grave.ids[keep])
                vectors.append(grave.vectors[keep])
        if not ids:
            return EMPTY_IDS, np.empty((0, self.dim), np.float32)
        ids_all, vectors_all = np.concatenate(ids), np.concatenate(vectors)
        _, first = np.unique(ids_all, return_index=True)  # the oldest grave holds what we counted
        return ids_all[first], vectors_all[first]

    def _base_ids(self) -> np.ndarray:
        base = self.base.all_ids(self.seq)
        return np.union1d(base[~isin_sorted(base, self.hidden)], self._buried()[0])

    def ids(self) -> np.ndarray:
        return np.sort(np.concatenate([self._base_ids(), self._delta.live_sorted[0]]))

    def has(self, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        in_base = isin_sorted(ids, self.base.held(ids, self.seq)) & ~isin_sorted(ids, self.hidden)
        return in_base | isin_sorted(ids, self._buried()[0]) | isin_sorted(ids, self._delta.live_sorted[0])

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        out = np.empty((len(ids), self.dim), dtype=np.float32)
        live_ids, rows = self._delta.live_sorted
        in_delta = isin_sorted(ids, live_ids)
        out[in_delta] = self._delta.vectors[rows[np.searchsorted(live_ids, ids[in_delta])]]
        rest = ids[~in_delta]
        found = {
            i: v for i, (v, _) in self.base.fetch(rest[~isin_sorted(rest, self.hidden)], self.seq).items()
        }
        buried_ids, buried = self._buried()
        for position in np.flatnonzero(isin_sorted(buried_ids, np.sort(rest))).tolist():
            found.setdefault(int(buried_ids[position]), buried[position])
        missing = [i for i in rest.tolist() if i not in found]
        if missing:
            raise KeyError(f"ids not in this store: {missing[:5]}")
        if len(rest):
            out[~in_delta] = [found[i] for i in rest.tolist()]
        return out

    def search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        queries, k, allowed = search_arguments(queries, k, allowed, len(self))
        scores, ids = self._search_base(queries, k, allowed)
        buried_ids, buried = self._buried()
        if allowed is not None:
            keep = isin_sorted(buried_ids, allowed)
            buried_ids, buried = buried_ids[keep], buried[keep]
        buried_scores = queries @ buried.T
        delta_scores, delta_ids = self._delta.search(queries, k, allowed)
        return top_k(
            np.hstack([scores, buried_scores, delta_scores]),
            np.hstack([ids, np.broadcast_to(buried_ids, buried_scores.shape), delta_ids]),
            k,
        )

    def _search_base(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """A filter that allows most of the base is applied to an unfiltered search for a
        few times k (one round trip, no id list sent), unless too few allowed ones are
        among its results; otherwise the allowed ids go to Milvus."""
        if allowed is not None and self.base_count and len(allowed) >= POST_FILTER_SHARE * self.base_count:
            limit = min(MILVUS_MAX_TOPK, math.ceil(2 * k * self.base_count / len(allowed)))
            scores, ids = self.base.search(queries, limit, None, self.seq, self.hidden)
            scores = np.where(isin_sorted(ids.ravel(), allowed).reshape(ids.shape), scores, -np.inf)
            scores, ids = top_k(scores, ids, k)
            if limit >= self.base_count or (ids >= 0).sum(axis=1).min() >= min(k, len(allowed)):
                return scores, ids
        return self.base.search(queries, k, allowed, self.seq, self.hidden)


class MilvusStore:
    """The writer's side of a Milvus store, with FaissStore's methods (see store.py)."""

    def __init__(self, base: MilvusBase, seq: int, base_count: int) -> None:
        self.dim = base.dim
        self._base = base
        self._delta = DeltaWriter(self.dim)
        self._graves: tuple[Grave, ...] = ()  # replaced whole, so a reader's copy never changes
        self.snapshot = self._snapshot(seq, base_count, EMPTY_IDS, self._delta.empty())

    def _snapshot(self, seq: int, base_count: int, touched: np.ndarray, delta: Delta) -> MilvusSnapshot:
        return MilvusSnapshot(self.dim, seq, self._base, base_count, touched, delta, lambda: self._graves)

    @classmethod
    def load(cls, client: Any, name: str, dim: int, lite: bool) -> MilvusStore:
        """The collection (created when new) as of its last recorded checkpoint."""
        base = MilvusBase(client, name, dim, lite)
        base.open()
        seq = base.seq()
        return cls(base, seq, base.count(seq))

    @classmethod
    def create(cls, client: Any, name: str, dim: int, seq: int, lite: bool) -> MilvusStore:
        """A new, empty collection whose state starts at log entry `seq`."""
        base = MilvusBase(client, name, dim, lite)
        base.open()
        base.set_seq(seq)
        return cls(base, seq, base.count(seq))

    @staticmethod
    def exists(client: Any, name: str) -> bool:
        return bool(client.has_collection(name + "_meta"))

    @property
    def seq(self) -> int:
        return self.snapshot.seq

    def __len__(self) -> int:
        return len(self.snapshot)

    def apply(self, changes: Changes) -> MilvusSnapshot:
        old = self.snapshot
        if changes.seq <= old.seq:
            return old
        touched = changes.touched
        delta = self._delta.apply(old._delta, changes)
        newly = touched[~isin_sorted(touched, old.hidden)]
        self.snapshot = self._snapshot(
            changes.seq,
            old.base_count - len(self._base.held(newly, old.seq)),
            np.union1d(old.hidden, touched),
            delta,
        )
        return self.snapshot

    @property
    def needs_merge(self) -> bool:
        return self.snapshot.delta_rows >= MERGE_ROWS or len(self.snapshot.hidden) >= MERGE_ROWS

    def merge(self, compress_above: int) -> MilvusSnapshot:
        """Push the delta to Milvus and start an empty one; past `compress_above` vectors on a
        server, build the approximate index once. What the push removes stays readable for
        the snapshots taken before it (the graveyard)."""
        old = self.snapshot
        live_ids, rows = old._delta.live_sorted
        grave = self._base.push(old.seq, old.hidden, live_ids, old._delta.vectors[rows])
        now = time.monotonic()
        self._graves = (*(g for g in self._graves if now - g.when < GRAVE_KEEP_S), grave)
        count = self._base.count(old.seq)
        if count >= compress_above and not self._base.lite and not old.compressed:
            self._base.reindex(count)
        self.snapshot = self._snapshot(old.seq, count, EMPTY_IDS, self._delta.empty())
        return self.snapshot

    def advance(self, folder: Path) -> None:
        """The log moved on without changing what this store holds: record its seq."""
        self._base.set_seq(self.snapshot.seq)

    def save(self, folder: Path) -> None:
        """Record the pushed state's sequence number in Milvus (merge first)."""
        if self.snapshot.delta_rows or len(self.snapshot.hidden):
            raise ValueError("merge before saving: Milvus does not hold every change yet")
        self._base.set_seq(self.snapshot.seq)
