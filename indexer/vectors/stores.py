"""Where a data folder's vector stores live: FAISS files in each space's folder (the
default), or Milvus collections (`store: milvus://HOST:PORT` or `milvus:FILE.db`). A space
asks this for its store; everything else about stores is the same for both (store.py)."""

from __future__ import annotations

import logging
import shutil
import threading
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar, Protocol

from indexer.vectors.faiss_store import FaissStore, Snapshot, checkpoints, remove_temporaries
from indexer.vectors.milvus_base import collection_name, connect, is_milvus, milvus_uri
from indexer.vectors.milvus_store import MilvusStore

log = logging.getLogger(__name__)


class Stores(Protocol):
    def exists(self, folder: Path) -> bool: ...
    def empty(self, folder: Path, dim: int, seq: int) -> FaissStore | MilvusStore: ...
    def load(self, folder: Path, dim: int) -> FaissStore | MilvusStore: ...
    def drop(self, folder: Path) -> None: ...
    def size(self, folder: Path) -> int: ...
    def clean(self, folder: Path) -> None: ...
    def close(self) -> None: ...


class FaissStores:
    """Checkpoint files `index-<seq>.faiss` in the space's folder."""

    def exists(self, folder: Path) -> bool:
        return bool(checkpoints(folder))

    def empty(self, folder: Path, dim: int, seq: int) -> FaissStore:
        return FaissStore(dim, Snapshot.empty(dim, seq))

    def load(self, folder: Path, dim: int) -> FaissStore:
        return FaissStore.load(folder, dim)

    def drop(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)

    def size(self, folder: Path) -> int:
        total = 0
        for _, path in checkpoints(folder):
            try:
                total += path.stat().st_size
            except FileNotFoundError:  # a checkpoint the writer replaced after the listing
                continue
        return total

    def close(self) -> None:
        """Nothing: files are opened only while read or written."""

    def clean(self, folder: Path) -> None:
        for path in remove_temporaries(folder):
            log.info("removed %s, left by a checkpoint that was interrupted", path)


class MilvusStores:
    """One collection per space of this catalog, named after the space's folder, through one
    client per engine. Milvus Lite serves a file to one process at a time, from a server that
    milvus_lite runs inside the process until it exits: `close` stops it once no other engine
    of this process uses the file, so another process can open it."""

    _lite_users: ClassVar[Counter[str]] = Counter()  # mirrors milvus_lite's own per-process servers
    _lite_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, uri: str, data_dir: Path) -> None:
        self.uri, self.data_dir = uri, data_dir
        self._lite = not uri.startswith("http")
        self._client: Any = None
        self._lock = threading.Lock()

    @property
    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = connect(self.uri)
                if self._lite:
                    with self._lite_lock:
                        self._lite_users[self.uri] += 1
            return self._client

    def close(self) -> None:
        with self._lock:
            if self._client is None:
                return
            self._client.close()
            self._client = None
            if self._lite:
                self._release_lite()

    def _release_lite(self) -> None:
        with self._lite_lock:
            self._lite_users[self.uri] -= 1
            if self._lite_users[self.uri] > 0:
                return
            del self._lite_users[self.uri]
        from milvus_lite.server_manager import server_manager_instance

        server_manager_instance.release_server(self.uri)

    def _name(self, folder: Path) -> str:
        return collection_name(folder.name, self.data_dir)

    def exists(self, folder: Path) -> bool:
        return MilvusStore.exists(self.client, self._name(folder))

    def empty(self, folder: Path, dim: int, seq: int) -> MilvusStore:
        return MilvusStore.create(self.client, self._name(folder), dim, seq, self._lite)

    def load(self, folder: Path, dim: int) -> MilvusStore:
        return MilvusStore.load(self.client, self._name(folder), dim, self._lite)

    def drop(self, folder: Path) -> None:
        for name in (self._name(folder), self._name(folder) + "_meta"):
            if self.client.has_collection(name):
                self.client.drop_collection(name)
        shutil.rmtree(folder, ignore_errors=True)

    def size(self, folder: Path) -> int:
        return 0  # on the Milvus side, not this machine's disk

    def clean(self, folder: Path) -> None:
        """Nothing: Milvus writes no temporary files here."""


def stores_for(store: str, data_dir: Path) -> Stores:
    return MilvusStores(milvus_uri(store, data_dir), data_dir) if is_milvus(store) else FaissStores()
