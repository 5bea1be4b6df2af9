"""Where a data folder's vector stores live: FAISS files in each space's folder (the
default), or Milvus collections (`store: milvus://HOST:PORT` or `milvus:FILE.db`). A space
asks this for its store; everything else about stores is the same for both (store.py)."""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from indexer.milvus_store import MilvusStore, collection_name, connect, is_milvus, milvus_uri
from indexer.store import FaissStore, Snapshot, checkpoints, remove_temporaries

log = logging.getLogger(__name__)


class Stores(Protocol):
    def exists(self, folder: Path) -> bool: ...
    def empty(self, folder: Path, dim: int, seq: int) -> FaissStore | MilvusStore: ...
    def load(self, folder: Path, dim: int) -> FaissStore | MilvusStore: ...
    def drop(self, folder: Path) -> None: ...
    def size(self, folder: Path) -> int: ...
    def clean(self, folder: Path) -> None: ...


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
        return sum(path.stat().st_size for _, path in checkpoints(folder) if path.exists())

    def clean(self, folder: Path) -> None:
        for path in remove_temporaries(folder):
            log.info("removed %s, left by a checkpoint that was interrupted", path)


@dataclass(frozen=True)
class MilvusStores:
    """One collection per space of this catalog, named after the space's folder."""

    uri: str
    data_dir: Path

    def _name(self, folder: Path) -> str:
        return collection_name(folder.name, self.data_dir)

    def exists(self, folder: Path) -> bool:
        return MilvusStore.exists(self.uri, self._name(folder))

    def empty(self, folder: Path, dim: int, seq: int) -> MilvusStore:
        return MilvusStore.create(self.uri, self._name(folder), dim, seq)

    def load(self, folder: Path, dim: int) -> MilvusStore:
        return MilvusStore.load(self.uri, self._name(folder), dim)

    def drop(self, folder: Path) -> None:
        client = connect(self.uri)
        for name in (self._name(folder), self._name(folder) + "_meta"):
            if client.has_collection(name):
                client.drop_collection(name)
        shutil.rmtree(folder, ignore_errors=True)

    def size(self, folder: Path) -> int:
        return 0  # on the Milvus side, not this machine's disk

    def clean(self, folder: Path) -> None:
        """Nothing: Milvus writes no temporary files here."""


def stores_for(store: str, data_dir: Path) -> Stores:
    return MilvusStores(milvus_uri(store, data_dir), data_dir) if is_milvus(store) else FaissStores()
