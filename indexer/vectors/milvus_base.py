"""Milvus itself: connecting (a server, or Milvus Lite in one local file), the collection of
one space (rows with their id, vector and the `seq` of the merge that pushed them), and the
reads and writes a store makes of it. milvus_store.py builds snapshots on top."""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from indexer.errors import FramefindError
from indexer.vectors.delta import EMPTY_IDS, isin_sorted, top_k

log = logging.getLogger(__name__)

MILVUS_MAX_TOPK = 16_384  # Milvus refuses a larger limit
CHUNK = 4_096  # ids per delete or query
# Ids per search filter: one expression of 50,000 ids costs 190 ms on Milvus Lite against 480
# ms as 13 searches of 4,096 (60,000 vectors × 64).
FILTER_CHUNK = 100_000
HNSW_MAX = 10_000_000


@dataclass(frozen=True)
class Grave:
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
                self._load(name)  # searchable (Milvus Lite reopens them released)
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

    def _load(self, name: str) -> None:
        try:
            self.client.load_collection(name)
        except Exception as exc:  # pymilvus wraps whatever the server raised in its own type
            if not self.lite:
                raise
            # Milvus Lite writes an index file in place: a process killed while writing it leaves
            # it cut short and the collection unloadable. The index is derived from the rows (which
            # Milvus Lite writes safely), so it is built again.
            log.warning("collection %s: its index file is damaged (%s); building it again", name, exc)
            self.client.release_collection(name)
            self.client.drop_index(name, "vector")
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
        hidden: np.ndarray = EMPTY_IDS,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids) per query among rows pushed up to `upto`, without `hidden`;
        the filter is chunked when many ids are allowed."""
        if allowed is not None:
            allowed = allowed[~isin_sorted(allowed, hidden)]
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
            scores.append(matrix(hits, "distance", k, -np.inf, np.float32))
            ids.append(matrix(hits, "id", k, -1, np.int64))
        return top_k(np.hstack(scores), np.hstack(ids), k)

    def push(self, seq: int, removed: np.ndarray, ids: np.ndarray, vectors: np.ndarray) -> Grave:
        """Deletes, then upserts (rows marked `seq`), then a flush: what was applied survives a
        Milvus restart. Returns the rows it deleted or overwrote, as they were."""
        touched = np.union1d(removed, ids).astype(np.int64)
        old = self.fetch(touched)
        gone = np.asarray(sorted(old), dtype=np.int64)
        grave = Grave(
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


def matrix(hits: Any, key: str, k: int, fill: float, dtype: Any) -> np.ndarray:
    out = np.full((len(hits), k), fill, dtype=dtype)
    for row, found in enumerate(hits):
        values = [h[key] if key in h else h["entity"][key] for h in found][:k]
        out[row, : len(values)] = values
    return out
