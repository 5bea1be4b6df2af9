"""Building FAISS indexes: exact (flat) ones for small spaces, IVF with 8-bit scalar
quantisation past a size threshold (a quarter of the memory, millisecond searches at a
million vectors, and removal still works), trained without holding searches back."""

from __future__ import annotations

import contextlib
import math
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")


def load_faiss() -> Any:
    """FAISS, imported on first use (a `framefind search` handed to a running app never needs it)."""
    import faiss

    return faiss


def flat_index(ids: np.ndarray, vectors: np.ndarray) -> Any:
    faiss = load_faiss()
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(vectors.shape[1]))
    if len(ids):
        index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
    return index


def compressed_index(
    ids: np.ndarray,
    vectors: np.ndarray,
    nprobe: int = 64,
    nlist: int | None = None,
    train_size: int = 100_000,
) -> Any:
    """An IVF-SQ8 index of these vectors (training is the slow part)."""
    faiss = load_faiss()
    dim = vectors.shape[1]
    # About 4·√n lists (FAISS's guidance), each trained on ≥ 39 points where there are enough.
    nlist = nlist or max(1, min(65_536, int(4 * math.sqrt(len(ids))), len(ids) // 39))
    index = faiss.IndexIVFScalarQuantizer(
        faiss.IndexFlatIP(dim), dim, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    sample = np.random.default_rng(0).permutation(len(ids))[: max(train_size, 40 * nlist)]
    training = np.ascontiguousarray(vectors[np.sort(sample)], dtype=np.float32)
    at_low_priority(lambda: index.train(training))
    index.set_direct_map_type(faiss.DirectMap.Hashtable)  # for reconstruct() and removal
    at_low_priority(lambda: index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids))
    index.nprobe = nprobe
    return index


def at_low_priority(work: Callable[[], T]) -> T:
    """Run `work` on a thread of its own at the lowest CPU priority: a search (at normal
    priority) is not held back by a one-off compression; the writer waits for it either way.
    OpenMP's threads for it are started by that thread, and inherit its priority (Linux)."""

    def lower() -> None:
        with contextlib.suppress(OSError, AttributeError):  # not Linux: the OS decides
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)

    with ThreadPoolExecutor(1, thread_name_prefix="framefind-compress", initializer=lower) as pool:
        return pool.submit(work).result()


def merged_index(base: Any, hidden: np.ndarray, ids: np.ndarray, vectors: np.ndarray) -> Any:
    """A copy of a compressed `base` without the `hidden` ids and with these vectors added,
    built at low priority like the compression itself."""

    def build() -> Any:
        copy = load_faiss().clone_index(base)
        copy.remove_ids(hidden)
        copy.add_with_ids(vectors, ids)
        return copy

    return at_low_priority(build)
