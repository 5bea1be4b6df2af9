"""Query latency at a million vectors: Milvus Lite against FAISS IVF-SQ8, at measured recall.

    .venv/bin/python -m tests.bench.milvus_vs_faiss [--n 1000000]

Vectors: 512-d unit vectors around 2,000 centres (real embeddings cluster; uniform random
vectors would make any IVF look bad). Recall@10 is against exact search (FAISS flat).
FAISS IVF-SQ8 is the index Framefind builds past `compress_above` (indexer/vectors/faiss_store.py), swept
over nprobe; Milvus Lite builds only FLAT (exact) indexes, so its recall is 1 and its
latency is that of an exact scan through Milvus. One query at a time, as a search box asks.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from indexer.vectors.faiss_indexes import compressed_index
from indexer.vectors.milvus_base import connect
from indexer.vectors.milvus_store import MilvusStore

DIM, K, QUERIES = 512, 10, 100


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def clustered(n: int, rng: np.random.Generator) -> np.ndarray:
    centres = unit(rng.standard_normal((2_000, DIM)))
    out = np.empty((n, DIM), np.float32)
    for start in range(0, n, 100_000):
        part = centres[rng.integers(0, len(centres), min(100_000, n - start))]
        out[start : start + len(part)] = unit(part + 0.02 * rng.standard_normal(part.shape))
    return out


def p50_ms(search, queries: np.ndarray) -> tuple[float, np.ndarray]:
    times, found = [], []
    for q in queries:
        began = time.perf_counter()
        found.append(search(q[None, :]))
        times.append(time.perf_counter() - began)
    return 1000 * statistics.median(times), np.vstack(found)


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / K for f, t in zip(found, truth, strict=True)]))


def main() -> None:
    import faiss

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    vectors, queries = clustered(args.n, rng), clustered(QUERIES, np.random.default_rng(1))
    ids = np.arange(args.n, dtype=np.int64)
    exact = faiss.IndexFlatIP(DIM)
    exact.add(vectors)
    flat_ms, truth = p50_ms(lambda q: exact.search(q, K)[1], queries)
    print(f"{args.n:,} vectors of {DIM} dimensions; FAISS flat (exact): p50 {flat_ms:.1f} ms")
    began = time.perf_counter()
    ivf = compressed_index(ids, vectors)
    print(f"FAISS IVF-SQ8 ({ivf.nlist} lists) built in {time.perf_counter() - began:.0f} s")
    for nprobe in (16, 64, 256, 512):
        ivf.nprobe = nprobe
        ms, found = p50_ms(lambda q: ivf.search(q, K)[1], queries)
        print(f"  nprobe {nprobe:>3}: recall@10 {recall(found, truth):.3f}, p50 {ms:.2f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        store = MilvusStore.create(connect(str(Path(tmp) / "bench.db")), "bench", DIM, 0, lite=True)
        base = store.snapshot.base
        for start in range(0, args.n, 50_000):
            base.push(ids[:0], ids[start : start + 50_000], vectors[start : start + 50_000])
        print(f"Milvus Lite: {args.n:,} vectors inserted in {time.perf_counter() - began:.0f} s (FLAT index)")
        ms, found = p50_ms(lambda q: base.search(q, K, None)[1], queries)
        print(f"  Milvus Lite FLAT: recall@10 {recall(found, truth):.3f}, p50 {ms:.1f} ms")


if __name__ == "__main__":
    main()
