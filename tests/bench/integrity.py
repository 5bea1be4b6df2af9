"""The write path's cost to searches, checkpoints and status, at library sizes.

    .venv/bin/python -m tests.bench.integrity [--sizes 100000 1000000] [--out F.json] [--quick]

1. search: p50/p95 of one query (search 100 deep, then read the hits' vectors, as a search
   does) on a store's snapshot, idle; while a writer thread applies a file's worth of
   changes every few milliseconds and checkpoints (merge + save) as the engine would; and
   while, besides, a full-size CLIP embeds photos on every core, as the indexer does
2. checkpoint: merging a full delta (32,768 rows, 1,000 removals) into the base and saving
   it, at each size (the store compressed, as the engine keeps it past 100,000 vectors)
3. status: `Engine.status()` over a catalog of N segments whose space holds N vectors,
   the first call (it loads the store) and later ones
4. filtered search: p50/p95 of one query with a filter that allows 1k, 20k or 50k of the
   store's ids (a folder, a date range), on the store as the engine keeps it at that size,
   idle and while a full-size CLIP embeds on every core
5. stall: p50/p95 of one query taken through the writer's `Space` (as `Engine.search` does),
   while the writer only applies changes, and while it also checkpoints back to back through
   `Space.checkpoint` (merge and save; at the first, compression of a flat store past the
   threshold): the ratio of the two p95s says whether searches wait for checkpoints

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
from indexer.catalog import Catalog, Changes
from indexer.vectors.delta import MERGE_ROWS
from indexer.vectors.faiss_indexes import compressed_index
from indexer.vectors.faiss_store import FaissStore
from indexer.vectors.space import Space, space_folder
from tests.bench.run import _clustered, _percentiles
from tests.support.models import build_full_clip

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


class _Background:
    """Work repeated on a thread for as long as the `with` block lasts."""

    settle_s = 0.2

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def __enter__(self):
        self._thread.start()
        time.sleep(self.settle_s)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.step()

    def step(self) -> None:
        raise NotImplementedError


class _Writer(_Background):
    """Applies a file's changes every few milliseconds, and checkpoints every 200 files."""

    def __init__(self, store: FaissStore, n: int, folder: Path) -> None:
        super().__init__()
        self.store, self.next_id, self.folder = store, n, folder
        self.applied = self.saves = 0
        self.seq = store.seq + 1
        self._fresh = _clustered(FILE_ROWS * 400, DIM, seed=3)

    def step(self) -> None:
        rows = self._fresh[(self.seq * FILE_ROWS) % len(self._fresh) :][:FILE_ROWS]
        ids = np.arange(self.next_id, self.next_id + len(rows))
        self.store.apply(Changes(self.seq, ids, rows, removed=np.array([self.seq])))  # one new file, one gone
        self.seq, self.next_id, self.applied = self.seq + 1, self.next_id + len(rows), self.applied + 1
        if self.seq % 200 == 0:
            self.store.merge(compress_above=100_000)
            self.store.save(self.folder)
            self.saves += 1
        time.sleep(0.002)


class _Embedding(_Background):
    """A full-size CLIP embedding batches of photos on every core, as the indexer does."""

    settle_s = 0.5

    def __init__(self, clip: Path) -> None:
        from PIL import Image

        from indexer.media.segment import MediaSegment
        from indexer.models.embed import Embedder

        super().__init__()
        self._embedder = Embedder(SpaceSpec("image", str(clip)), "cpu", 16)
        picture = Image.new("RGB", (224, 224), (120, 80, 40))
        self._batch = [MediaSegment("image", picture, None, None, None)] * 16
        self._embedder.encode_segments(self._batch[:1])
        self.batches = 0

    def step(self) -> None:
        self._embedder.encode_segments(self._batch)
        self.batches += 1


def bench_search(n: int, queries: int, folder: Path, clip: Path | None) -> dict:
    store = _store(n, compress=n >= 100_000)
    probe = _clustered(queries, DIM, seed=n + 7)
    row: dict = {"vectors": n, "compressed": store.snapshot.compressed}

    def measure(name: str) -> None:
        p50, p95 = _percentiles([_one_query(store, q) for q in probe])
        row[f"{name}_p50_ms"], row[f"{name}_p95_ms"] = p50 * 1e3, p95 * 1e3

    measure("idle")
    with _Writer(store, n, folder) as writer:
        measure("writing")
        if clip is not None:
            with _Embedding(clip) as embedding:
                measure("writing_and_embedding")
            row["embedding_batches_meanwhile"] = embedding.batches
    row["files_applied_meanwhile"], row["checkpoints_meanwhile"] = writer.applied, writer.saves
    return row


def bench_checkpoint(n: int, folder: Path) -> dict:
    vectors = _clustered(n, DIM, seed=n)
    began = time.perf_counter()
    base = compressed_index(np.arange(n, dtype=np.int64), vectors)
    build = time.perf_counter() - began
    from indexer.vectors.faiss_store import Snapshot

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
    record = catalog.spaces.add(
        "image", spec.identity, spec.model, None, DIM, ["image", "text"], ["frame", "photo"]
    )
    catalog.spaces.set_needs_check(record.id, False)
    catalog.spaces.set_state(record.id, "active")
    catalog.close()
    base = compressed_index(np.arange(n, dtype=np.int64), _clustered(n, DIM, seed=1), train_size=50_000)
    from indexer.vectors.faiss_store import Snapshot

    FaissStore(DIM, Snapshot.empty(DIM, 0, base)).save(
        space_folder(settings.data_dir, "image", spec.identity)
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


def bench_filtered(n: int, queries: int, clip: Path | None) -> dict:
    store = _store(n, compress=n >= 100_000)
    rng = np.random.default_rng(7)
    probe = _clustered(queries, DIM, seed=8)
    row: dict = {"vectors": n, "compressed": store.snapshot.compressed}
    filters = {size: np.sort(rng.choice(n, min(size, n), replace=False)) for size in (1_000, 20_000, 50_000)}

    def measure(name: str) -> None:
        for size, allowed in [*filters.items(), ("all", None)]:
            times = []
            for vector in probe:
                began = time.perf_counter()
                store.snapshot.search(vector[None, :], 240, allowed)  # 240: a 20-result search's depth
                times.append(time.perf_counter() - began)
            row[f"{name}_allowed_{size}_ms_p50_p95"] = [round(1000 * t, 2) for t in _percentiles(times)]

    measure("idle")
    if clip is not None:
        with _Embedding(clip):
            measure("embedding")
    return row


class _Checkpointing(_Background):
    """Applies a file's changes and runs `Space.checkpoint` after each, back to back: a
    search meanwhile almost always falls inside a merge or a save."""

    def __init__(self, space: Space, n: int, checkpoint: bool) -> None:
        super().__init__()
        self.space, self.next_id, self.checkpoint = space, n, checkpoint
        self.seq = space.store.seq + 1
        self.saves = 0
        self._fresh = _clustered(FILE_ROWS * 400, DIM, seed=3)

    def step(self) -> None:
        rows = self._fresh[(self.seq * FILE_ROWS) % len(self._fresh) :][:FILE_ROWS]
        ids = np.arange(self.next_id, self.next_id + len(rows))
        self.space.store.apply(Changes(self.seq, ids, rows, removed=np.array([self.seq])))
        self.seq, self.next_id = self.seq + 1, self.next_id + len(rows)
        if self.checkpoint and self.space.checkpoint(compress_above=100_000, every_s=None):
            self.saves += 1
        time.sleep(0.002)


def bench_stall(n: int, queries: int, work: Path, compressed: bool) -> dict:
    """Searches through the writer's Space while it applies, then while it also checkpoints:
    from a flat store (the first checkpoint compresses it) or a compressed one (each
    checkpoint merges the delta into a copy of the IVF index and saves it)."""
    catalog = Catalog(work / "catalog.sqlite3")
    spec = SpaceSpec("image", "bench-model")
    catalog.spaces.add("image", spec.identity, spec.model, None, DIM, ["image", "text"], ["frame", "photo"])
    space = Space(spec, None, catalog, work, writer=True)  # type: ignore[arg-type]  # no model needed
    space._store = _store(n, compress=compressed)
    probe = _clustered(queries, DIM, seed=n + 9)
    row: dict = {"vectors": n, "compressed": compressed}

    def one(q: np.ndarray) -> float:
        began = time.perf_counter()
        snap = space.snapshot()
        assert snap is not None
        ids = snap.search(q[None, :], 100)[1][0]
        snap.vectors(ids[ids >= 0])
        return time.perf_counter() - began

    for name, checkpoint in (("applying", False), ("checkpointing", True)):
        with _Checkpointing(space, n + 10**7, checkpoint) as writer:
            p50, p95 = _percentiles([one(q) for q in probe])
        row[f"{name}_p50_ms"], row[f"{name}_p95_ms"] = p50 * 1e3, p95 * 1e3
        row[f"{name}_checkpoints"] = writer.saves
    row["p95_ratio"] = row["checkpointing_p95_ms"] / row["applying_p95_ms"]
    catalog.close()
    return row


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: check the script runs")
    parser.add_argument("--no-embedding", action="store_true", help="skip the search-while-embedding case")
    parser.add_argument("--stall-only", action="store_true", help="only searches during checkpoints (5.)")
    args = parser.parse_args(argv)
    sizes = [5_000] if args.quick else args.sizes
    queries = 20 if args.quick else args.queries
    skip_embedding = args.quick or args.no_embedding
    results: dict = {"search": [], "checkpoint": [], "status": [], "filtered": [], "stall": []}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        clip = None if skip_embedding or args.stall_only else build_full_clip(work / "clip")
        for n in sizes:
            for compressed in (False, True):
                results["stall"].append(bench_stall(n, queries, work / f"stall-{n}-{compressed}", compressed))
                print("stall", json.dumps(results["stall"][-1]), flush=True)
            if args.stall_only:
                continue
            results["search"].append(bench_search(n, queries, work / f"search-{n}", clip))
            print("search", json.dumps(results["search"][-1]), flush=True)
            results["checkpoint"].append(bench_checkpoint(n, work / f"checkpoint-{n}"))
            print("checkpoint", json.dumps(results["checkpoint"][-1]), flush=True)
            results["status"].append(bench_status(n, work / f"status-{n}"))
            print("status", json.dumps(results["status"][-1]), flush=True)
            results["filtered"].append(bench_filtered(n, queries, clip))
            print("filtered", json.dumps(results["filtered"][-1]), flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
