"""A vector store on Milvus (`store: milvus://HOST:PORT`, or `milvus:FILE.db` for Milvus Lite,
an embedded Milvus in one local file): the same ids, search, filter and removal as the
FAISS store, and the same write path (see store.py and the engine's docstring).

Milvus holds the *base*: every change up to the last checkpoint, durable on its side. What
the catalog committed since then is the snapshot's in-memory *delta*, exactly as for FAISS:
the vectors set since, and the ids touched since (removed or replaced), which no longer
count in the base. A checkpoint (`merge` + `save`) pushes the delta to Milvus (deletes, then
upserts: replaying them is harmless), flushes, records the sequence number in a small
metadata collection, and the catalog then drops its log up to it.

Unlike a FAISS base, Milvus's base changes under older snapshots when the writer pushes. A
snapshot therefore never trusts the base for an id it has in its delta or touched list, and
a search's ids are joined with the searcher's catalog snapshot, which drops what it does
not know. Index types: FLAT while small (exact) and always on Milvus Lite (the only index it
builds); past `compress_above` on a server, HNSW up to ten million vectors (fast, in memory,
removals supported, unlike FAISS's) and IVF_SQ8 beyond (a quarter of the memory).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from indexer.errors import FramefindError
from indexer.store import MERGE_ROWS, Changes, DeltaWriter, _Delta, _isin_sorted, _top_k, search_arguments

log = logging.getLogger(__name__)

MILVUS_MAX_TOPK = 16_384  # Milvus refuses a larger limit
CHUNK = 4_096  # ids per delete, query or filter expression
HNSW_MAX = 10_000_000
_EMPTY_IDS = np.empty(0, dtype=np.int64)


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


def _chunks(ids: np.ndarray) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK].tolist()


class MilvusBase:
    """One collection: the vectors up to the last checkpoint. Its methods talk to Milvus."""

    def __init__(self, client: Any, name: str, dim: int, lite: bool) -> None:
        self.client, self.name, self.dim, self.lite = client, name, dim, lite
        self.meta = name + "_meta"

    def open(self) -> None:
        from pymilvus import DataType

        for name, dim, with_seq in ((self.name, self.dim, False), (self.meta, 2, True)):
            if self.client.has_collection(name):
                self.client.load_collection(name)  # searchable (Milvus Lite reopens them released)
                continue
            schema = self.client.create_schema(auto_id=False)
            schema.add_field("id", DataType.INT64, is_primary=True)
            # Milvus has no table without a vector: the meta's sequence number rides on a 2-d one.
            schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
            if with_seq:
                schema.add_field("seq", DataType.INT64)
            self.client.create_collection(name, schema=schema)
            # Not waiting: a FLAT index over nothing is built at once, and Milvus Lite has no
            # timestamp service to wait with (it logs an error each time one is asked for).
            self.client.create_index(name, self._index("FLAT"), sync=False)
            self.client.load_collection(name)

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

    def count(self) -> int:
        rows = self.client.query(self.name, filter="", output_fields=["count(*)"], consistency_level="Strong")
        return int(rows[0]["count(*)"])

    def held(self, ids: np.ndarray) -> np.ndarray:
        """Which of these ids the collection holds, as a sorted array."""
        found: list[int] = []
        for part in _chunks(ids):
            rows = self.client.query(
                self.name, filter=f"id in {part}", output_fields=["id"], consistency_level="Strong"
            )
            found += [int(r["id"]) for r in rows]
        return np.unique(np.asarray(found, dtype=np.int64))

    def all_ids(self) -> np.ndarray:
        iterator = self.client.query_iterator(self.name, batch_size=CHUNK, filter="", output_fields=["id"])
        found: list[int] = []
        while batch := iterator.next():
            found += [int(r["id"]) for r in batch]
        iterator.close()
        return np.sort(np.asarray(found, dtype=np.int64))

    def fetch(self, ids: np.ndarray) -> dict[int, np.ndarray]:
        out: dict[int, np.ndarray] = {}
        for part in _chunks(ids):
            for row in self.client.get(self.name, ids=part, output_fields=["vector"]):
                out[int(row["id"])] = np.asarray(row["vector"], dtype=np.float32)
        return out

    def search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids) per query; the filter is chunked when many ids are allowed."""
        parts = [None] if allowed is None else list(_chunks(allowed))
        scores, ids = [], []
        for part in parts:
            hits = self.client.search(
                self.name,
                data=queries.tolist(),
                limit=min(k, MILVUS_MAX_TOPK),
                filter="" if part is None else f"id in {part}",
                output_fields=["id"],
                search_params={"metric_type": "IP", "params": {"ef": max(64, k), "nprobe": 64}},
                consistency_level="Strong",
            )
            scores.append(_matrix(hits, "distance", k, -np.inf, np.float32))
            ids.append(_matrix(hits, "id", k, -1, np.int64))
        return _top_k(np.hstack(scores), np.hstack(ids), k)

    def push(self, removed: np.ndarray, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Deletes, then upserts, then a flush: what was applied survives a Milvus restart."""
        for part in _chunks(removed):
            self.client.delete(self.name, ids=part)
        for start in range(0, len(ids), CHUNK):
            rows = zip(ids[start : start + CHUNK].tolist(), vectors[start : start + CHUNK], strict=True)
            self.client.upsert(self.name, [{"id": i, "vector": v.tolist()} for i, v in rows])
        self.client.flush(self.name)

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
    """One state of a Milvus store for searches: the base minus what was touched since, plus
    the delta. Reads Milvus on each call; see the module's docstring for why that is safe."""

    def __init__(
        self, dim: int, seq: int, base: MilvusBase, base_count: int, touched: np.ndarray, delta: _Delta
    ) -> None:
        self.dim, self.seq, self.base = dim, seq, base
        self.base_count = base_count  # vectors of the base that still count
        self.hidden = touched  # sorted ids the base no longer speaks for
        self._delta = delta

    @property
    def compressed(self) -> bool:
        return self.base.index_type != "FLAT"

    @property
    def delta_rows(self) -> int:
        return self._delta.n

    def __len__(self) -> int:
        return self.base_count + int(self._delta.live.sum())

    def ids(self) -> np.ndarray:
        base = self.base.all_ids()
        return np.sort(np.concatenate([base[~_isin_sorted(base, self.hidden)], self._delta.live_sorted[0]]))

    def has(self, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        in_base = _isin_sorted(ids, self.base.held(ids)) & ~_isin_sorted(ids, self.hidden)
        return in_base | _isin_sorted(ids, self._delta.live_sorted[0])

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        out = np.empty((len(ids), self.dim), dtype=np.float32)
        live_ids, rows = self._delta.live_sorted
        in_delta = _isin_sorted(ids, live_ids)
        out[in_delta] = self._delta.vectors[rows[np.searchsorted(live_ids, ids[in_delta])]]
        rest = ids[~in_delta]
        fetched = self.base.fetch(rest[~_isin_sorted(rest, self.hidden)])
        missing = [i for i in rest.tolist() if i not in fetched]
        if missing:
            raise KeyError(f"ids not in this store: {missing[:5]}")
        if len(rest):
            out[~in_delta] = [fetched[i] for i in rest.tolist()]
        return out

    def search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        queries, k, allowed = search_arguments(queries, k, allowed, len(self))
        # The base may hold ids the delta speaks for (touched since): ask for enough more.
        scores, ids = self.base.search(queries, k + len(self.hidden), allowed)
        scores[_isin_sorted(ids.ravel(), self.hidden).reshape(ids.shape)] = -np.inf
        delta_scores, delta_ids = self._delta.search(queries, k, allowed)
        return _top_k(np.hstack([scores, delta_scores]), np.hstack([ids, delta_ids]), k)


class MilvusStore:
    """The writer's side of a Milvus store, with FaissStore's methods (see store.py)."""

    def __init__(self, base: MilvusBase, seq: int, base_count: int) -> None:
        self.dim = base.dim
        self._base = base
        self._delta = DeltaWriter(self.dim)
        self.snapshot = MilvusSnapshot(self.dim, seq, base, base_count, _EMPTY_IDS, self._delta.empty())

    @classmethod
    def load(cls, client: Any, name: str, dim: int, lite: bool) -> MilvusStore:
        """The collection (created when new) as of its last recorded checkpoint."""
        base = MilvusBase(client, name, dim, lite)
        base.open()
        return cls(base, base.seq(), base.count())

    @classmethod
    def create(cls, client: Any, name: str, dim: int, seq: int, lite: bool) -> MilvusStore:
        """A new, empty collection whose state starts at log entry `seq`."""
        base = MilvusBase(client, name, dim, lite)
        base.open()
        base.set_seq(seq)
        return cls(base, seq, base.count())

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
        self.snapshot = MilvusSnapshot(
            self.dim,
            changes.seq,
            self._base,
            old.base_count - len(self._base.held(newly)),
            np.union1d(old.hidden, touched),
            delta,
        )
        return self.snapshot

    @property
    def needs_merge(self) -> bool:
        return self.snapshot.delta_rows >= MERGE_ROWS or len(self.snapshot.hidden) >= MERGE_ROWS

    def merge(self, compress_above: int) -> MilvusSnapshot:
        """Push the delta to Milvus and start an empty one; past `compress_above` vectors on a
        server, build the approximate index once."""
        old = self.snapshot
        live_ids, rows = old._delta.live_sorted
        self._base.push(old.hidden, live_ids, old._delta.vectors[rows])
        count = self._base.count()
        if count >= compress_above and not self._base.lite and not old.compressed:
            self._base.reindex(count)
        self.snapshot = MilvusSnapshot(self.dim, old.seq, self._base, count, _EMPTY_IDS, self._delta.empty())
        return self.snapshot

    def advance(self, folder: Path) -> None:
        """The log moved on without changing what this store holds: record its seq."""
        self._base.set_seq(self.snapshot.seq)

    def save(self, folder: Path) -> None:
        """Record the pushed state's sequence number in Milvus (merge first)."""
        if self.snapshot.delta_rows or len(self.snapshot.hidden):
            raise ValueError("merge before saving: Milvus does not hold every change yet")
        self._base.set_seq(self.snapshot.seq)
