"""A filtered search on Milvus sends the allowed ids as `id in [...]` expressions of 4,096 ids,
one Milvus search per chunk and per query term (milvus_store.py:163-176), each asking for
k + len(hidden) results: a kind:/in:/date filter that allows most of a library costs one
round trip per 4,096 allowed ids (a 1,000,000-photo filter: 245 searches for one term).
has() and vectors() chunk the same way (milvus_store.py:134-157)."""

import time

import numpy as np
from _common import quiet, tmpdir

quiet()
from indexer.catalog import Changes
from indexer.vectors.faiss_store import FaissStore
from indexer.vectors.milvus_base import connect, milvus_uri
from indexer.vectors.milvus_store import MilvusStore

DIM, n = 64, 60_000
rng = np.random.default_rng(0)
x = rng.standard_normal((n, DIM)).astype(np.float32)
x /= np.linalg.norm(x, axis=1, keepdims=True)
m = MilvusStore.load(connect(milvus_uri("milvus:v.db", tmpdir("milvus"))), "s", DIM, lite=True)
m.apply(Changes(1, np.arange(1, n + 1), x))
m.merge(10**9)
m.save(None)
f = FaissStore(DIM)
f.apply(Changes(1, np.arange(1, n + 1), x))
f.merge(10**9)
q = x[:1]
for allowed_n in (None, 4_000, 20_000, 50_000):
    allowed = (
        None if allowed_n is None else np.sort(rng.choice(np.arange(1, n + 1), allowed_n, replace=False))
    )
    for name, snap in (("milvus", m.snapshot), ("faiss", f.snapshot)):
        snap.search(q, 100, allowed)
        t0 = time.perf_counter()
        snap.search(q, 100, allowed)
        print(
            f"{name:<6} {n} vectors, allowed {allowed_n or 'all':>6}: {1000 * (time.perf_counter() - t0):7.1f} ms"
        )
