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

import hashlib
import logging
import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from indexer.errors import FramefindError
from indexer.store import MERGE_ROWS, Changes, DeltaWriter, _Delta, _isin_sorted, _top_k, search_arguments

log = logging.getLogger(__name__)

MILVUS_MAX_TOPK = 16_384  # Milvus refuses a larger limit
CHUNK = 4_096  # ids per delete or query
# Ids per search filter: one expression of 50,000 ids costs 190 ms on Milvus Lite against 480
# ms as 13 searches of 4,096 (60,000 vectors × 64).
FILTER_CHUNK = 100_000
# A filter that allows at least this share of the base is applied after an unfiltered search
# that asks for enough more (60 ms against 190 ms above).
POST_FILTER_SHARE = 0.5
HNSW_MAX = 10_000_000
GRAVE_KEEP_S = 300.0  # what a merge removed stays readable this long (a search takes seconds)
_EMPTY_IDS = np.empty(0, dtype=np.int64)


@dataclass(frozen=True)
class _Grave:
    """Rows a merge removed from the collection (deleted or overwritten), as they were."""

    removed_at: int  # the merge's seq: snapshots before it still count these rows
    ids: np.ndarray  # sorted
    vectors: np.ndarray
    seqs: np.ndarray  # when each row had been pushed
    when: float  # monotonic time of the merge


def is_milvus(store: str) -> bool:
    return store.startswith("milvus:")


def milvus_uri(store: str, data_dir: Path) -> str:
    """`milvus://host:port` → the server's URI; `milvus:name.db` → Milvus Lite's file (a
    relative path is in the data folder)."""
    if store.startswith("milvus://"):
        return "http://" + store.removeprefix("milvus://")
    path = Path(store.removeprefix("milvus:")).expanduser()
    if path.suffix != ".db":
        raise FramefindError(
            f"Setting 'store' is {store!r}: a Milvus server is milvus://HOST:PORT, Milvus Lite "
            "is milvus:FILE.db."
        )
    return str(path if path.is_absolute() else data_dir / path)


def collection_name(folder_name: str, data_dir: Path) -> str:
    """One collection per space and per catalog (segment ids are a catalog's own)."""
    catalog = hashlib.sha1(str(data_dir.resolve()).encode()).hexdigest()[:8]
    return "ff_" + re.sub(r"[^A-Za-z0-9_]", "_", folder_name)[:180] + "_" + catalog


def connect(uri: str) -> Any:
    """A client of the Milvus server at `uri`, or of the Milvus Lite file `uri`."""
    try:
        from pymilvus import MilvusClient
    except ImportError:
        raise FramefindError(
            "The Milvus store needs pymilvus (and milvus-lite for a local file): "
            "pip install 'framefind[cluster]'."
        ) from None
    try:
        return MilvusClient(uri)
    except Exception as exc:  # pymilvus raises its own types for refused or unknown hosts
        if not uri.startswith("http"):
            raise FramefindError(
                f"Cannot open the Milvus Lite file {uri}: {exc}. Milvus Lite opens a file in one "
                "process at a time: while the app or `framefind watch` holds it, search through "
                "them (`framefind search` asks the running one), or close them first; for several "
                "processes at once use a Milvus server (store: milvus://HOST:PORT)."
            ) from exc
        raise FramefindError(f"Cannot reach Milvus at {uri}: {exc}. Is it running?") from exc


def _upto(seq: int | None) -> str:
    return "" if seq is None else f"seq <= {int(seq)}"


def _and(*terms: str) -> str:
    return " and ".join(f"({t})" for t in terms if t)


def _chunks(ids: np.ndarray, size: int = CHUNK) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size].tolist()


class MilvusBase:
    """One collection: the vectors up to the last checkpoint. Its methods talk to Milvus."""

    def __init__(self, client: Any, name: str, dim: int, lite: bool) -> None:
        self.client, self.name, self.dim, self.lite = client, name, dim, lite
        self.meta = name + "_meta"

    def open(self) -> None:
        from pymilvus import DataType

        if self.client.has_collection(self.name) and not self._has_seq(self.name):
            log.warning("collection %s was written by an earlier Framefind: it is built again", self.name)
            for name in (self.name, self.meta):
                self.client.drop_collection(name)
        for name, dim in ((self.name, self.dim), (self.meta, 2)):
            if self.client.has_collection(name):
                self.client.load_collection(name)  # searchable (Milvus Lite reopens them released)
                continue
            schema = self.client.create_schema(auto_id=False)
            schema.add_field("id", DataType.INT64, is_primary=True)
            # Milvus has no table without a vector: the meta's sequence number rides on a 2-d one.
            schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
            schema.add_field("seq", DataType.INT64)  # vectors: the merge that pushed the row
            self.client.create_collection(name, schema=schema)
            # Not waiting: a FLAT index over nothing is built at once, and Milvus Lite has no
            # timestamp service to wait with (it logs an error each time one is asked for).
            self.client.create_index(name, self._index("FLAT"), sync=False)
            self.client.load_collection(name)

    def _has_seq(self, name: str) -> bool:
        fields = self.client.describe_collection(name).get("fields", [])
        return any(f.get("name") == "seq" for f in fields)

    def _index(self, kind: str, params: dict | None = None) -> Any:
        index = self.client.prepare_index_params()
        index.add_index("vector", index_type=kind, metric_type="IP", params=params or {})
        return index

    @property
    def index_type(self) -> str:
        described = self.client.describe_index(self.name, "vector") or {}
        return str(described.get("index_type", "FLAT"))

    def seq(self) -> int:
        rows = self.client.query(
            self.meta, filter="id == 0", output_fields=["seq"], consistency_level="Strong"
        )
        return int(rows[0]["seq"]) if rows else 0

    def set_seq(self, seq: int) -> None:
        self.client.upsert(self.meta, [{"id": 0, "vector": [0.0, 0.0], "seq": seq}])
        self.client.flush(self.meta)

    def count(self, upto: int | None = None) -> int:
        rows = self.client.query(
            self.name, filter=_upto(upto), output_fields=["count(*)"], consistency_level="Strong"
        )
        return int(rows[0]["count(*)"])

    def held(self, ids: np.ndarray, upto: int | None = None) -> np.ndarray:
        """Which of these ids the collection holds (rows pushed up to `upto`), sorted."""
        found: list[int] = []
        for part in _chunks(ids):
            rows = self.client.query(
                self.name,
                filter=_and(f"id in {part}", _upto(upto)),
                output_fields=["id"],
                consistency_level="Strong",
            )
            found += [int(r["id"]) for r in rows]
        return np.unique(np.asarray(found, dtype=np.int64))

    def all_ids(self, upto: int | None = None) -> np.ndarray:
        iterator = self.client.query_iterator(
            self.name, batch_size=CHUNK, filter=_upto(upto), output_fields=["id"]
        )
        found: list[int] = []
        while batch := iterator.next():
            found += [int(r["id"]) for r in batch]
        iterator.close()
        return np.sort(np.asarray(found, dtype=np.int64))

    def fetch(self, ids: np.ndarray, upto: int | None = None) -> dict[int, tuple[np.ndarray, int]]:
        """(vector, seq) of the rows of these ids pushed up to `upto`."""
        out: dict[int, tuple[np.ndarray, int]] = {}
        for part in _chunks(ids):
            rows = self.client.query(
                self.name,
                filter=_and(f"id in {part}", _upto(upto)),
                output_fields=["id", "vector", "seq"],
                consistency_level="Strong",
            )
            for row in rows:
                out[int(row["id"])] = (np.asarray(row["vector"], dtype=np.float32), int(row["seq"]))
        return out

    def search(
        self,
        queries: np.ndarray,
        k: int,
        allowed: np.ndarray | None,
        upto: int | None = None,
        hidden: np.ndarray = _EMPTY_IDS,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids) per query among rows pushed up to `upto`, without `hidden`;
        the filter is chunked when many ids are allowed."""
        if allowed is not None:
            allowed = allowed[~_isin_sorted(allowed, hidden)]
        parts = [None] if allowed is None else list(_chunks(allowed, FILTER_CHUNK))
        exclude = f"id not in {hidden.tolist()}" if allowed is None and len(hidden) else ""
        scores, ids = [], []
        for part in parts:
            hits = self.client.search(
                self.name,
                data=queries.tolist(),
                limit=min(k, MILVUS_MAX_TOPK),
                filter=_and("" if part is None else f"id in {part}", exclude, _upto(upto)),
                output_fields=["id"],
                search_params={"metric_type": "IP", "params": {"ef": max(64, k), "nprobe": 64}},
                consistency_level="Strong",
            )
            scores.append(_matrix(hits, "distance", k, -np.inf, np.float32))
            ids.append(_matrix(hits, "id", k, -1, np.int64))
        return _top_k(np.hstack(scores), np.hstack(ids), k)

    def push(self, seq: int, removed: np.ndarray, ids: np.ndarray, vectors: np.ndarray) -> _Grave:
        """Deletes, then upserts (rows marked `seq`), then a flush: what was applied survives a
        Milvus restart. Returns the rows it deleted or overwrote, as they were."""
        touched = np.union1d(removed, ids).astype(np.int64)
        old = self.fetch(touched)
        gone = np.asarray(sorted(old), dtype=np.int64)
        grave = _Grave(
            seq,
            gone,
            np.asarray([old[i][0] for i in gone.tolist()], dtype=np.float32).reshape(len(gone), self.dim),
            np.asarray([old[i][1] for i in gone.tolist()], dtype=np.int64),
            time.monotonic(),
        )
        for part in _chunks(removed):
            self.client.delete(self.name, ids=part)
        for start in range(0, len(ids), CHUNK):
            rows = zip(ids[start : start + CHUNK].tolist(), vectors[start : start + CHUNK], strict=True)
            self.client.upsert(self.name, [{"id": i, "vector": v.tolist(), "seq": seq} for i, v in rows])
        self.client.flush(self.name)
        return grave

    def reindex(self, count: int) -> None:
        """FLAT → HNSW or IVF_SQ8 by size (a server only: Milvus Lite builds FLAT alone)."""
        kind = "HNSW" if count <= HNSW_MAX else "IVF_SQ8"
        params = {"M": 16, "efConstruction": 200} if kind == "HNSW" else {"nlist": int(4 * count**0.5)}
        log.info("collection %s: building %s over %d vectors (one-off)…", self.name, kind, count)
        self.client.release_collection(self.name)
        self.client.drop_index(self.name, "vector")
        self.client.create_index(self.name, self._index(kind, params))
        self.client.load_collection(self.name)


def _matrix(hits: Any, key: str, k: int, fill: float, dtype: Any) -> np.ndarray:
    out = np.full((len(hits), k), fill, dtype=dtype)
    for row, found in enumerate(hits):
        values = [h[key] if key in h else h["entity"][key] for h in found][:k]
        out[row, : len(values)] = values
    return out


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
        delta: _Delta,
        graves: Callable[[], tuple[_Grave, ...]],
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
                keep = (grave.seqs <= self.seq) & ~_isin_sorted(grave.ids, self.hidden)
                ids.append(grave.ids[keep])
                vectors.append(grave.vectors[keep])
        if not ids:
            return _EMPTY_IDS, np.empty((0, self.dim), np.float32)
        ids_all, vectors_all = np.concatenate(ids), np.concatenate(vectors)
        _, first = np.unique(ids_all, return_index=True)  # the oldest grave holds what we counted
        return ids_all[first], vectors_all[first]

    def _base_ids(self) -> np.ndarray:
        base = self.base.all_ids(self.seq)
        return np.union1d(base[~_isin_sorted(base, self.hidden)], self._buried()[0])

    def ids(self) -> np.ndarray:
        return np.sort(np.concatenate([self._base_ids(), self._delta.live_sorted[0]]))

    def has(self, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        in_base = _isin_sorted(ids, self.base.held(ids, self.seq)) & ~_isin_sorted(ids, self.hidden)
        return in_base | _isin_sorted(ids, self._buried()[0]) | _isin_sorted(ids, self._delta.live_sorted[0])

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        out = np.empty((len(ids), self.dim), dtype=np.float32)
        live_ids, rows = self._delta.live_sorted
        in_delta = _isin_sorted(ids, live_ids)
        out[in_delta] = self._delta.vectors[rows[np.searchsorted(live_ids, ids[in_delta])]]
        rest = ids[~in_delta]
        found = {
            i: v for i, (v, _) in self.base.fetch(rest[~_isin_sorted(rest, self.hidden)], self.seq).items()
        }
        buried_ids, buried = self._buried()
        for position in np.flatnonzero(_isin_sorted(buried_ids, np.sort(rest))).tolist():
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
            keep = _isin_sorted(buried_ids, allowed)
            buried_ids, buried = buried_ids[keep], buried[keep]
        buried_scores = queries @ buried.T
        delta_scores, delta_ids = self._delta.search(queries, k, allowed)
        return _top_k(
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
            scores = np.where(_isin_sorted(ids.ravel(), allowed).reshape(ids.shape), scores, -np.inf)
            scores, ids = _top_k(scores, ids, k)
            if limit >= self.base_count or (ids >= 0).sum(axis=1).min() >= min(k, len(allowed)):
                return scores, ids
        return self.base.search(queries, k, allowed, self.seq, self.hidden)


class MilvusStore:
    """The writer's side of a Milvus store, with FaissStore's methods (see store.py)."""

    def __init__(self, base: MilvusBase, seq: int, base_count: int) -> None:
        self.dim = base.dim
        self._base = base
        self._delta = DeltaWriter(self.dim)
        self._graves: tuple[_Grave, ...] = ()  # replaced whole, so a reader's copy never changes
        self.snapshot = self._snapshot(seq, base_count, _EMPTY_IDS, self._delta.empty())

    def _snapshot(self, seq: int, base_count: int, touched: np.ndarray, delta: _Delta) -> MilvusSnapshot:
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
        newly = touched[~_isin_sorted(touched, old.hidden)]
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
        self.snapshot = self._snapshot(old.seq, count, _EMPTY_IDS, self._delta.empty())
        return self.snapshot

    def advance(self, folder: Path) -> None:
        """The log moved on without changing what this store holds: record its seq."""
        self._base.set_seq(self.snapshot.seq)

    def save(self, folder: Path) -> None:
        """Record the pushed state's sequence number in Milvus (merge first)."""
        if self.snapshot.delta_rows or len(self.snapshot.hidden):
            raise ValueError("merge before saving: Milvus does not hold every change yet")
        self._base.set_seq(self.snapshot.seq)
