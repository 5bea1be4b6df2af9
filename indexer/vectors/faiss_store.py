"""Vector stores: one per embedding space, ids = catalog segment ids.

A store is read through immutable `Snapshot`s and changed only by applying `Changes` that
the catalog has already committed (see the engine's docstring for the whole model):

- A snapshot is a *base* FAISS index that is never modified once published, plus a small
  *delta*: vectors set since the base was built (rows of append-only buffers; a snapshot
  sees its first `n` rows and which of them are still live) and the base ids hidden since
  (removed or replaced). A search reads one snapshot for the whole query, with no lock.
- `FaissStore.apply` publishes the next snapshot; when the delta grows, `merge` builds a new
  base off to the side (readers keep theirs) and `save` writes it as a checkpoint named by
  the last change it holds, `index-<seq>.faiss`, atomically (temporary file, fsync, rename).

Small spaces use exact search (flat). Past a size threshold a merge builds IVF with 8-bit
scalar quantisation instead: about a quarter of the memory, millisecond searches at a
million vectors, and — unlike HNSW — removal still works.
"""

from __future__ import annotations

import logging
import math
import os
import re
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

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
from indexer.vectors.faiss_indexes import compressed_index, flat_index, load_faiss, merged_index

log = logging.getLogger(__name__)
T = TypeVar("T")

EXACT_FILTER_MIN = 2_000  # a filtered search over fewer vectors than this is scored exactly
FILTER_SCAN_RATIO = 3.0  # …as is one where FAISS would scan more than this many vectors per allowed one
CHECKPOINT = re.compile(r"index-(\d+)\.faiss")
LEGACY_CHECKPOINT = "index.faiss"  # written before checkpoints carried their sequence number
TEMPORARY = "index.faiss.tmp"  # a checkpoint being written


def _base_ids(faiss: Any, index: Any) -> np.ndarray:
    """Every id a FAISS index holds (IDMap or IVF), sorted."""
    if isinstance(index, faiss.IndexIVF):
        lists = index.invlists
        parts = [
            faiss.rev_swig_ptr(lists.get_ids(i), lists.list_size(i)).copy()
            for i in range(index.nlist)
            if lists.list_size(i)
        ]
        ids = np.concatenate(parts) if parts else EMPTY_IDS
    else:
        ids = faiss.vector_to_array(index.id_map)
    return np.sort(ids.astype(np.int64))


def _bitmap(faiss: Any, ids: np.ndarray) -> Any:
    """A FAISS selector for these ids: a bitmap, tested in O(1) per scanned vector and built
    in O(max id) by numpy (a hash set of 50,000 ids took longer to build than the search)."""
    if not len(ids):
        return faiss.IDSelectorRange(0, 0)
    bits = np.zeros(int(ids.max()) + 1, dtype=bool)
    bits[ids] = True
    packed = np.packbits(bits, bitorder="little")
    selector = faiss.IDSelectorBitmap(len(packed), faiss.swig_ptr(packed))
    selector.referenced = packed  # the selector reads the array: keep it alive with it
    return selector


def _not_in(faiss: Any, ids: np.ndarray) -> Any:
    if not len(ids):
        return None
    inner = faiss.IDSelectorBatch(ids)
    selector = faiss.IDSelectorNot(inner)
    selector.referenced = inner
    return selector


class Snapshot:
    """One immutable state of a store. Safe to read from any number of threads."""

    def __init__(self, dim: int, seq: int, base: Any, base_ids: np.ndarray, hidden: np.ndarray, delta: Delta):
        self.dim = dim
        self.seq = seq  # the last change this state includes
        self._faiss = load_faiss()
        self.base = base
        self.base_ids = base_ids  # sorted; may include hidden ones
        self.hidden = hidden  # sorted base ids that no longer count
        self._delta = delta

    @classmethod
    def empty(cls, dim: int, seq: int = 0, base: Any = None) -> Snapshot:
        faiss = load_faiss()
        base = base if base is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        delta = Delta(np.empty((0, dim), np.float32), EMPTY_IDS, np.empty(0, bool))
        return cls(dim, seq, base, _base_ids(faiss, base), EMPTY_IDS, delta)

    @property
    def compressed(self) -> bool:
        return isinstance(self.base, self._faiss.IndexIVF)

    @property
    def delta_rows(self) -> int:
        return self._delta.n

    def __len__(self) -> int:
        return len(self.base_ids) - len(self.hidden) + int(self._delta.live.sum())

    @cached_property
    def _base_live(self) -> np.ndarray:
        return self.base_ids[~isin_sorted(self.base_ids, self.hidden)]

    def ids(self) -> np.ndarray:
        """Every id held, sorted (a duplicate, from an old file, appears twice)."""
        return np.sort(np.concatenate([self._base_live, self._delta.live_sorted[0]]))

    def has(self, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        return isin_sorted(ids, self._base_live) | isin_sorted(ids, self._delta.live_sorted[0])

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        """The stored vectors of these ids, which must be held (approximate once compressed)."""
        ids = np.asarray(ids, dtype=np.int64)
        out = np.empty((len(ids), self.dim), dtype=np.float32)
        if not len(ids):
            return out
        live_ids, rows = self._delta.live_sorted
        in_delta = isin_sorted(ids, live_ids)
        if in_delta.any():
            out[in_delta] = self._delta.vectors[rows[np.searchsorted(live_ids, ids[in_delta])]]
        rest = ids[~in_delta]
        if len(rest):
            if not isin_sorted(rest, self._base_live).all():
                missing = rest[~isin_sorted(rest, self._base_live)]
                raise KeyError(f"ids not in this store: {missing[:5].tolist()}")
            out[~in_delta] = self.base.reconstruct_batch(rest)
        return out

    def search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids) per query row; ids of -1 pad missing results."""
        queries, k, allowed = search_arguments(queries, k, allowed, len(self))
        base = self._search_base(queries, k, allowed)
        delta = self._delta.search(queries, k, allowed)
        return top_k(np.hstack([base[0], delta[0]]), np.hstack([base[1], delta[1]]), k)

    def _search_base(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        if self.base.ntotal == 0:
            return np.empty((len(queries), 0), np.float32), np.empty((len(queries), 0), np.int64)
        if allowed is None:
            return self._search_faiss(queries, k, _not_in(self._faiss, self.hidden), 0)
        present = allowed[isin_sorted(allowed, self._base_live)]
        nprobe = self._filtered_probes(len(present), k)
        if nprobe is None:
            if not len(present):
                return np.empty((len(queries), 0), np.float32), np.empty((len(queries), 0), np.int64)
            scores = queries @ self.base.reconstruct_batch(present).T
            return top_k(scores.astype(np.float32), np.broadcast_to(present, scores.shape), k)
        return self._search_faiss(queries, k, _bitmap(self._faiss, present), nprobe)

    def _filtered_probes(self, allowed: int, k: int) -> int | None:
        """How many IVF lists FAISS scans for a filtered search so that they hold about 2k
        allowed vectors (0 for a flat base); None when reading the allowed vectors and
        scoring them exactly is cheaper: few allowed, or so few per list that FAISS would
        scan mostly others."""
        if allowed <= EXACT_FILTER_MIN:
            return None
        if not self.compressed:
            return 0
        nlist, nprobe = self.base.nlist, self.base.nprobe
        per_list = allowed / nlist
        needed = min(nlist, max(nprobe, math.ceil(2 * k / per_list)))
        scanned = self.base.ntotal * needed / nlist
        return needed if scanned <= FILTER_SCAN_RATIO * allowed else None

    def _search_faiss(
        self, queries: np.ndarray, k: int, selector: Any, nprobe: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """`nprobe` 0: the index's own (ignored by a flat base)."""
        faiss = self._faiss
        params: Any = faiss.SearchParametersIVF() if self.compressed else faiss.SearchParameters()
        if self.compressed:
            params.nprobe = nprobe or self.base.nprobe
        if selector is not None:
            params.sel = selector
        if len(queries) > 1:
            return self.base.search(queries, k, params=params)
        # FAISS shares a search out by query: one query on two OpenMP threads took twice as
        # long as on one (10 against 5 ms over 75,000 vectors). The count is the calling
        # thread's own, so it is set back for whatever this thread searches next.
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            return self.base.search(queries, k, params=params)
        finally:
            faiss.omp_set_num_threads(threads)


class FaissStore:
    """The writer's side of one store: the current snapshot and how the next one is made.

    Only one thread at a time may call `apply`, `merge` and `save` (the owner serialises them);
    `snapshot` may be read from any thread at any time.
    """

    def __init__(self, dim: int, snapshot: Snapshot | None = None, nprobe: int = 64) -> None:
        self.dim = dim
        self.nprobe = nprobe
        self.snapshot = snapshot if snapshot is not None else Snapshot.empty(dim)  # an empty one is falsy
        self._delta = DeltaWriter(dim)

    @property
    def seq(self) -> int:
        return self.snapshot.seq

    def __len__(self) -> int:
        return len(self.snapshot)

    @classmethod
    def load(cls, folder: Path, dim: int) -> FaissStore:
        """The newest readable checkpoint in `folder` (an empty store at seq 0 when none)."""
        faiss = load_faiss()
        for seq, path in checkpoints(folder):
            try:
                index = faiss.read_index(str(path))
            except (RuntimeError, OSError) as exc:  # a damaged file: an older one, or a rebuild
                log.warning("cannot read %s (%s); using an older checkpoint", path, exc)
                continue
            if index.d != dim:
                raise ValueError(f"{path} holds vectors of dimension {index.d}, the model gives {dim}")
            if isinstance(index, faiss.IndexIVF):
                index.nprobe = 64
            return cls(dim, Snapshot.empty(dim, seq, index))
        return cls(dim)

    def apply(self, changes: Changes) -> Snapshot:
        """Publish the snapshot that includes `changes` (committed in the catalog first)."""
        old = self.snapshot
        if changes.seq <= old.seq:
            return old
        touched = changes.touched
        hidden = np.union1d(old.hidden, touched[isin_sorted(touched, old.base_ids)])
        delta = self._delta.apply(old._delta, changes)
        self.snapshot = Snapshot(self.dim, changes.seq, old.base, old.base_ids, hidden, delta)
        return self.snapshot

    @property
    def needs_merge(self) -> bool:
        s = self.snapshot
        return s.delta_rows >= MERGE_ROWS or len(s.hidden) > max(1000, len(s.base_ids) // 10)

    def merge(self, compress_above: int) -> Snapshot:
        """Build a new base holding everything (compressed past `compress_above` vectors) and
        publish it. Readers keep the old base until their query ends."""
        old = self.snapshot
        if not old.delta_rows and not len(old.hidden) and (old.compressed or len(old) < compress_above):
            return old
        live_ids, rows = old._delta.live_sorted
        added = old._delta.vectors[rows]
        if old.compressed:
            base = merged_index(old.base, old.hidden, live_ids, added)
        else:
            ids, vectors = self._flat_contents(old)
            ids, vectors = np.concatenate([ids, live_ids]), np.concatenate([vectors, added])
            base = (
                compressed_index(ids, vectors, self.nprobe)
                if len(ids) >= compress_above
                else flat_index(ids, vectors)
            )
        self._delta.empty()
        self.snapshot = Snapshot.empty(self.dim, old.seq, base)
        return self.snapshot

    @staticmethod
    def _flat_contents(snap: Snapshot) -> tuple[np.ndarray, np.ndarray]:
        faiss = load_faiss()
        ids = faiss.vector_to_array(snap.base.id_map).astype(np.int64)
        vectors = (
            snap.base.index.reconstruct_n(0, len(ids)) if len(ids) else np.empty((0, snap.dim), np.float32)
        )
        keep = ~isin_sorted(ids, snap.hidden)
        return ids[keep], vectors[keep]

    def save(self, folder: Path) -> Path:
        """Write the current base as checkpoint `index-<seq>.faiss`; merge first so that it holds
        everything. Older checkpoints are deleted once the new one is in place."""
        snap = self.snapshot
        if snap.delta_rows or len(snap.hidden):
            raise ValueError("merge before saving: the base does not hold every change yet")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"index-{snap.seq:012d}.faiss"
        tmp = folder / TEMPORARY  # one fixed name: a save killed half-way leaves one copy at most
        try:
            try:
                load_faiss().write_index(snap.base, str(tmp))
            except RuntimeError as exc:  # FAISS reports failed writes (disk full) this way
                raise OSError(f"cannot write {path}: {exc}") from exc
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
            sync_folder(folder)  # the rename itself survives a power loss before older files go
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        for _, older in checkpoints(folder)[1:]:
            older.unlink(missing_ok=True)
        return path

    def advance(self, folder: Path) -> None:
        """Record that the store is at its seq when the log moved on without changing what it
        holds (other spaces' writes, removals of ids it never had): the newest checkpoint is
        renamed to that seq instead of being written again."""
        seq, found = self.snapshot.seq, checkpoints(folder)
        if found and found[0][0] >= seq:
            return
        if not found:
            self.save(folder)
            return
        os.replace(found[0][1], folder / f"index-{seq:012d}.faiss")
        sync_folder(folder)


def remove_temporaries(folder: Path) -> list[Path]:
    """(Writer, at open) delete what saves that were killed half-way left behind."""
    removed = [p for p in folder.glob("*.tmp") if p.is_file()] if folder.is_dir() else []
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def sync_folder(folder: Path) -> None:
    """fsync a folder, so that a rename in it is on disk (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def checkpoints(folder: Path) -> list[tuple[int, Path]]:
    """(seq, path) of the checkpoint files in `folder`, newest first."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = [(int(m.group(1)), folder / n) for n in names if (m := CHECKPOINT.fullmatch(n))]
    found += [(0, folder / n) for n in names if n == LEGACY_CHECKPOINT]
    return sorted(found, key=lambda f: (f[0], f[1].name != LEGACY_CHECKPOINT), reverse=True)
