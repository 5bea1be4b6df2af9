"""What a picture query costs with CLIP ViT-B/32's own text tower and with the multilingual
query model (clip-ViT-B-32-multilingual-v1's shape: DistilBERT, 6 layers, 768 wide), both at
full size with random weights (speed does not depend on the weights' values).

    .venv/bin/python -m tests.bench.query_models [--queries 40]

For each: the first query after loading, then the median and 90th percentile of single
queries, through torch (sentence-transformers' encode_query) and through the exported int8
query tower (onnxruntime, one thread, as the app embeds queries), idle and while two
processes keep both cores busy as the indexer does; the tower's size on disk; the time the
tower takes to embed one language's cohort (once per space and language: English on the first
launch, another when a query in it first comes).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from indexer.search.cohort import GENERIC_QUERIES
from tests.support.models import build_full_clip, build_full_multilingual_queries

QUERIES = (
    "the bee on the pink flower",
    "a dog running on the beach at sunset",
    "birthday cake with candles",
    "snow on the mountains behind the lake",
    "a red car at night",
)


LOADS = ("idle", "busy")


@contextmanager
def loaded(load: str) -> Iterator[None]:
    """An idle machine, or ("busy") two processes keeping both cores busy, as the indexer does."""
    stop = multiprocessing.Event()
    burners = [multiprocessing.Process(target=_busy, args=(stop,)) for _ in range(2 if load == "busy" else 0)]
    for burner in burners:
        burner.start()
    try:
        yield
    finally:
        stop.set()
        for burner in burners:
            burner.join()


def _busy(stop: Any) -> None:
    """One core's worth of the indexer's kind of work: float matrix products."""
    import numpy as np

    a = np.random.default_rng(0).standard_normal((512, 512)).astype(np.float32)
    while not stop.is_set():
        a = np.tanh(a @ a)


def _timings(encode: Any, queries: int) -> dict[str, float]:
    started = time.perf_counter()
    encode([QUERIES[0] + " first"])
    first = time.perf_counter() - started
    times = []
    for n in range(queries):
        started = time.perf_counter()
        encode([f"{QUERIES[n % len(QUERIES)]} {n}"])  # a new text each time: no cache
        times.append(time.perf_counter() - started)
    times.sort()
    return {
        "first_ms": round(first * 1000, 1),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p90_ms": round(times[int(0.9 * (len(times) - 1))] * 1000, 1),
    }


def measure(name: str, folder: Path, queries: int) -> dict[str, Any]:
    import torch
    from sentence_transformers import SentenceTransformer

    from indexer.models.query_tower import QueryTower
    from indexer.models.query_tower_export import export_query_tower

    torch.set_num_threads(2)
    model = SentenceTransformer(str(folder), device="cpu")
    tower_folder = folder.parent / f"{name}-tower"
    if not export_query_tower(model, tower_folder):
        raise SystemExit(f"no query tower for {name}")
    tower = QueryTower.find(tower_folder)
    assert tower is not None
    row: dict[str, Any] = {
        "model": name,
        "tower_mb": round(sum(f.stat().st_size for f in tower_folder.iterdir()) / 1e6, 1),
    }

    def through_torch(texts: list[str]) -> Any:
        with torch.inference_mode():
            return model.encode_query(texts, normalize_embeddings=True, show_progress_bar=False)

    started = time.perf_counter()
    tower.encode(list(GENERIC_QUERIES))  # as Embedder.encode_text hands a cohort to the tower
    row["cohort_s"] = round(time.perf_counter() - started, 2)
    for load in LOADS:
        with loaded(load):
            row[f"torch_{load}"] = _timings(through_torch, queries)
            row[f"tower_{load}"] = _timings(tower.encode, queries)
    return row


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=int, default=40)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="framefind-query-models-"))
    rows = [
        measure("clip-vit-b32-text", build_full_clip(work / "clip"), args.queries),
        measure(
            "multilingual-distilbert", build_full_multilingual_queries(work / "multilingual"), args.queries
        ),
    ]
    for row in rows:
        print(json.dumps(row))
    return rows


if __name__ == "__main__":
    main()
