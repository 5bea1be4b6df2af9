"""Space.checkpoint holds the space's lock through merge() and save() (space.py:181-197), and
Space.store, which every search goes through (Space.snapshot -> Engine.search, engine.py:581;
Engine.status too), takes the same lock (space.py:130) even in the writer, whose store is
already loaded. So a search waits for the whole checkpoint: the merge, the one-off IVF
compression (training: minutes at millions of vectors), and the write of the file, although
the README says "searches never wait for it". Real Space code, a store filled directly."""

import tempfile
import threading
import time
from pathlib import Path

import numpy as np
from _common import quiet

quiet()
from indexer import SpaceSpec
from indexer.catalog import (
    Catalog,
    Changes,
)
from indexer.vectors.faiss_store import FaissStore
from indexer.vectors.space import Space

dim, n = 256, 150_000
data = Path(tempfile.mkdtemp())
catalog = Catalog(data / "catalog.sqlite3")
spec = SpaceSpec("image", "some/model")
catalog.spaces.add("image", spec.identity, spec.model, None, dim, ["image", "text"], ["photo", "frame"], None)
space = Space(spec, None, catalog, data, writer=True)
store = FaissStore(dim)
x = np.random.default_rng(0).standard_normal((n, dim)).astype(np.float32)
store.apply(Changes(1, np.arange(n), x / np.linalg.norm(x, axis=1, keepdims=True)))
space._store = store  # as after the writer's catch_up

t0 = time.perf_counter()
space.snapshot()
print(f"space.snapshot() when idle: {1e6 * (time.perf_counter() - t0):.0f} µs")
for label, compress_above in (
    ("checkpoint (merge + save, flat)", 10**9),
    ("checkpoint that compresses (IVF-SQ8)", 100_000),
):
    done = threading.Event()
    writer = threading.Thread(target=lambda: (space.checkpoint(compress_above, None), done.set()))
    t_start = time.perf_counter()
    writer.start()
    time.sleep(0.05)  # a search arrives just after the checkpoint began
    t0 = time.perf_counter()
    space.snapshot()
    waited = time.perf_counter() - t0
    writer.join()
    print(
        f"{label}: took {time.perf_counter() - t_start:.1f} s; a search's space.snapshot() waited {waited:.1f} s"
    )
    store.apply(Changes(store.seq + 1, np.arange(n, n + 40_000), x[:40_000]))  # more changes for the next one
