"""The write path's cost to searches, checkpoints and status, at library sizes.

    .venv/bin/python -m tests.bench.integrity [--sizes 100000 1000000] [--out F.json] [--quick]

1. search: p50/p95 of one query (search 100 deep, then read the hits' vectors, as a search
   does) on a store's snapshot, idle, and while a writer thread applies a file's worth of
   changes every few milliseconds and checkpoints (merge + save) as the engine would
2. checkpoint: merging a full delta (32,768 rows, 1,000 removals) into the base and saving
   it, at each size (the store compressed, as the engine keeps it past 100,000 vectors)
3. status: `Engine.status()` over a catalog of N segments whose space holds N vectors,
   the first call (it loads the store) and later ones

No model is involved: vectors are random, clustered like real embeddings.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from indexer import Settings, SpaceSpec, build_engine
from indexer.catalog import Catalog
from indexer.space import space_folder
from indexer.store import MERGE_ROWS, Changes, FaissStore, compressed_index
from tests.bench.run import _clustered, _percentiles

DIM = 512
FILE_ROWS = 64  # vectors one committed file brings (a few minutes of video)


def _store(n: int, compress: bool) -> FaissStore:
    vectors = _clustered(n, DIM, seed=n)
    ids = np.arange(n, dtype=np.int64)
    store = FaissStore(DIM)
    store.apply(Changes(1, ids, vectors))
    store.merge(compress_above=1 if compress else n + 1)
    return store


def _one_query(store: FaissStore, q: np.ndarray) -> float:
    began = time.perf_counter()
    snap = store.snapshot
    ids = snap.search(q[None, :], 100)[1][0]
    snap.vectors(ids[ids >= 0])
    return time.perf_counter() - began


def bench_search(n: int, queries: int, folder: Path) -> dict:
    store = _store(n, compress=n >= 100_000)
    probe = _clustered(queries, DIM, seed=n + 7)
    idle = [_one_query(store, q) for q in probe]
    stop, applied, saves = threading.Event(), [0], [0]
    fresh = _clustered(FILE_ROWS * 400, DIM, seed=3)

    def write() -> None:
        seq, next_id = 2, n
        while not stop.is_set():
            rows = fresh[(seq * FILE_ROWS) % len(fresh) :][:FILE_ROWS]
            ids = np.arange(next_id, next_id + len(rows))
            store.apply(Changes(seq, ids, rows, removed=np.array([seq])))  # one new file, one gone
            seq, next_id = seq + 1, next_id + len(rows)
            applied[0] += 1
            if seq % 200 == 0:  # a checkpoint every 200 files, as a busy indexer reaches
                store.merge(compress_above=100_000)
                store.save(folder)
                saves[0] += 1
            time.sleep(0.002)

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(0.2)
    busy = [_one_query(store, q) for q in probe]
    stop.set()
    writer.join()
    (i50, i95), (b50, b95) = _percentiles(idle), _percentiles(busy)
    return {
        "vectors": n,
        "compressed": store.snapshot.compressed,
        "idle_p50_ms": i50 * 1e3,
        "idle_p95_ms": i95 * 1e3,
        "writing_p50_ms": b50 * 1e3,
        "writing_p95_ms": b95 * 1e3,
        "files_applied_meanwhile": applied[0],
        "checkpoints_meanwhile": saves[0],
    }


def bench_checkpoint(n: int, folder: Path) -> dict:
    vectors = _clustered(n, DIM, seed=n)
    began = time.perf_counter()
    base = compressed_index(np.arange(n, dtype=np.int64), vectors)
    build = time.perf_counter() - began
    from indexer.store import Snapshot

    store = FaissStore(DIM, Snapshot.empty(DIM, 1, base))
    delta = _clustered(MERGE_ROWS, DIM, seed=5)
    store.apply(Changes(2, np.arange(n, n + MERGE_ROWS), delta, removed=np.arange(1000)))
    began = time.perf_counter()
    store.merge(compress_above=100_000)
    merged = time.perf_counter() - began
    began = time.perf_counter()
    path = store.save(folder)
    saved = time.perf_counter() - began
    return {
        "vectors": n,
        "first_compression_s": build,
        "merge_s": merged,
        "save_s": saved,
        "checkpoint_s": merged + saved,
        "file_mb": path.stat().st_size / 1e6,
    }


def bench_status(n: int, work: Path) -> dict:
    """A catalog of n segments (files of 100 segments) and a space holding n vectors."""
    spec = SpaceSpec("image", str(work / "model"))
    settings = Settings(data_dir=work / "data", spaces=(spec,), device="cpu")
    catalog = Catalog(settings.catalog_path)
    db = sqlite3.connect(settings.catalog_path, isolation_level=None)
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO files (id, path, size, mtime_ns, fingerprint, kind, status) "
        "VALUES (?, ?, 1, 1, '', ?, ?)",
        (
            (i, f"/m/{i:08d}.mp4".encode(), "video", "failed" if i % 97 == 0 else "indexed")
            for i in range(n // 100)
        ),
    )
    db.executemany(
        "INSERT INTO segments (id, file_id, modality, start) VALUES (?, ?, 'image', ?)",
        ((i, i // 100, float(i % 100)) for i in range(n)),
    )
    db.execute("COMMIT")
    db.close()
    record = catalog.add_space("image", spec.identity, spec.model, None, DIM, ["image", "text"])
    catalog.set_needs_check(record.id, False)
    catalog.close()
    base = compressed_index(np.arange(n, dtype=np.int64), _clustered(n, DIM, seed=1), train_size=50_000)
    from indexer.store import Snapshot

    FaissStore(DIM, Snapshot.empty(DIM, 0, base)).save(
        space_folder(settings.data_dir, "image", spec.model, spec.identity)
    )
    with build_engine(settings, writer=False) as engine:
        began = time.perf_counter()
        status = engine.status()
        first = time.perf_counter() - began
        later = []
        for _ in range(5):
            began = time.perf_counter()
            engine.status()
            later.append(time.perf_counter() - began)
    assert status.spaces[0].vectors == n, status.spaces[0]
    return {"segments": n, "first_s": first, "later_p50_ms": _percentiles(later)[0] * 1e3}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: check the script runs")
    args = parser.parse_args(argv)
    sizes = [5_000] if args.quick else args.sizes
    queries = 20 if args.quick else args.queries
    results: dict = {"search": [], "checkpoint": [], "status": []}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for n in sizes:
            results["search"].append(bench_search(n, queries, work / f"search-{n}"))
            print("search", json.dumps(results["search"][-1]), flush=True)
            results["checkpoint"].append(bench_checkpoint(n, work / f"checkpoint-{n}"))
            print("checkpoint", json.dumps(results["checkpoint"][-1]), flush=True)
            results["status"].append(bench_status(n, work / f"status-{n}"))
            print("status", json.dumps(results["status"][-1]), flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
