"""Milvus snapshots are not immutable: MilvusStore.merge pushes deletes into the collection
that older snapshots still read (milvus_store.py:326, the module docstring accepts it). A
search holding an older snapshot that found id X in the base, then asks vectors([X])
(search.py:262, the calibration sample in calibrate.py:175-176) after the writer deleted
X's file and checkpointed, gets KeyError: the whole search fails.
Second part: the base is asked for k + len(hidden) results but Milvus caps a limit at 16,384
(milvus_store.py:169); with more hidden ids than that in the top (a folder of similar photos
deleted or re-indexed within one checkpoint interval) a search returns fewer results than
exist, or none."""

import numpy as np
from _common import quiet, tmpdir

quiet()
from indexer.catalog import Changes
from indexer.vectors.faiss_store import FaissStore
from indexer.vectors.milvus_base import connect, milvus_uri
from indexer.vectors.milvus_store import MilvusStore

DIM = 8
uri = milvus_uri("milvus:vectors.db", tmpdir("milvus"))
rng = np.random.default_rng(0)


def unit(x):
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


store = MilvusStore.load(connect(uri), "space", DIM, lite=True)
vecs = unit(rng.standard_normal((5, DIM)))
store.apply(Changes(1, np.arange(1, 6), vecs))
store.merge(10**9)
store.save(None)  # checkpoint: ids 1..5 in Milvus

old = store.snapshot  # a search starts: its snapshot...
_, found = old.search(vecs[2:3], 3)  # ...finds id 3 among its hits
print("search (old snapshot) found ids", found.tolist())
store.apply(Changes(2, removed=np.array([3])))  # the writer deletes id 3's file
store.merge(10**9)
store.save(None)  # and checkpoints (every 120 s in the app)
try:
    print("old.vectors(found) ->", old.vectors(found[0]).shape)
except KeyError as exc:
    print("old.vectors(found) -> KeyError", exc)
f = FaissStore(DIM)
f.apply(Changes(1, np.arange(1, 6), vecs))
fold = f.snapshot
f.apply(Changes(2, removed=np.array([3])))
f.merge(10**9)
print("the FAISS store, same sequence: old.vectors(found) ->", fold.vectors(found[0]).shape)

# part 2: more hidden ids than Milvus's top-k cap
n, near = 20_000, 17_000
base = unit(rng.standard_normal((n, DIM)))
q = unit(rng.standard_normal((1, DIM)))
base[:near] = unit(q + 0.05 * rng.standard_normal((near, DIM)))  # 17,000 photos very like the query
store2 = MilvusStore.load(connect(uri), "space2", DIM, lite=True)
store2.apply(Changes(1, np.arange(1, n + 1), base))
store2.merge(10**9)
store2.save(None)
store2.apply(Changes(2, removed=np.arange(1, near + 1)))  # that folder is deleted; no checkpoint yet
faiss2 = FaissStore(DIM)
faiss2.apply(Changes(1, np.arange(1, n + 1), base))
faiss2.merge(10**9)
faiss2.apply(Changes(2, removed=np.arange(1, near + 1)))
print(f"{len(store2.snapshot)} vectors left; top 10 for the query:")
print("  FAISS :", faiss2.snapshot.search(q, 10)[1].tolist())
print("  Milvus:", store2.snapshot.search(q, 10)[1].tolist())
