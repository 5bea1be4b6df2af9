"""Vector stores: one per embedding space, ids = catalog segment ids.

Saved atomically (temporary file, fsync, rename), so a crash leaves the previous complete
file; the engine reconciles a store with the catalog when it opens it.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Any, Protocol

import numpy as np


class VectorStore(Protocol):
    dim: int

    def __len__(self) -> int: ...
    def ids(self) -> np.ndarray: ...
    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None: ...
    def remove(self, ids: np.ndarray) -> int: ...
    def vectors(self, ids: np.ndarray) -> np.ndarray: ...
    def search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]: ...
    def save(self, path: Path) -> None: ...


class FaissStore:
    """Exact inner-product search over normalised vectors (cosine)."""

    def __init__(self, dim: int, index: Any = None) -> None:
        import faiss

        self._faiss = faiss
        self.dim = dim
        self._index: Any = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        self._lock = threading.Lock()  # FAISS allows concurrent searches, not writes

    @classmethod
    def load(cls, path: Path) -> FaissStore:
        import faiss

        index = faiss.read_index(str(path))
        return cls(index.d, index)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def ids(self) -> np.ndarray:
        return self._faiss.vector_to_array(self._index.id_map).astype(np.int64)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids) == 0:
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.shape != (len(ids), self.dim):
            raise ValueError(f"expected {len(ids)} vectors of dimension {self.dim}, got {vectors.shape}")
        with self._lock:
            self._index.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> int:
        if len(ids) == 0:
            return 0
        with self._lock:
            return int(self._index.remove_ids(np.asarray(ids, dtype=np.int64)))

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        """The stored vectors of these ids (each must be present)."""
        if len(ids) == 0:
            return np.empty((0, self.dim), dtype=np.float32)
        with self._lock:
            return np.stack([self._index.reconstruct(int(i)) for i in ids]).astype(np.float32)

    def search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids) per query row; ids of -1 pad missing results."""
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        k = max(1, min(k, len(self))) if len(self) else 1
        params = None
        if allowed is not None:
            selector = self._faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
            params = self._faiss.SearchParameters()
            params.sel = selector
        return self._index.search(queries, k, params=params)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            with self._lock:
                try:
                    self._faiss.write_index(self._index, tmp)
                except RuntimeError as exc:  # FAISS reports failed writes (disk full) this way
                    raise OSError(f"cannot write {path.name}: {exc}") from exc
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


STORES = {"faiss-flat": FaissStore}


def open_store(kind: str, path: Path, dim: int) -> VectorStore:
    """The store saved at `path`, or a new empty one of this kind."""
    try:
        cls = STORES[kind]
    except KeyError:
        raise ValueError(f"unknown vector store {kind!r}; choose one of {sorted(STORES)}") from None
    store = cls.load(path) if path.exists() else cls(dim)
    if store.dim != dim:
        raise ValueError(f"{path} holds vectors of dimension {store.dim}, the model gives {dim}")
    return store
