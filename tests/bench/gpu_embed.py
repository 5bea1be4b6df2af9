"""Embedding throughput on a GPU (or any device): full-size CLIP ViT-B/32 and CLAP with random
weights (speed does not depend on weight values) through Framefind's own Embedder, at several
batch sizes, with photos already decoded to the default 512-pixel side. Prints JSON.

    .venv/bin/python -m tests.bench.gpu_embed [--device cuda] [--quick]

`end_to_end` includes the processors' CPU work (resizing, mel spectrograms) that indexing
pays; the query row is the latency of one text query (encode), p50 and p95.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from indexer.media.segment import AUDIO_WINDOW, PHOTO, MediaSegment
from indexer.models.embed import Embedder
from indexer.space_spec import SpaceSpec
from tests.support.models import build_full_clap, build_full_clip


def _rate(embedder: Embedder, segments: list[MediaSegment], repeats: int) -> float:
    embedder.encode_segments(segments[: embedder.batch_size])  # warm up (kernels, allocator)
    began = time.perf_counter()
    for _ in range(repeats):
        embedder.encode_segments(segments)
    return repeats * len(segments) / (time.perf_counter() - began)


def _query_latency(embedder: Embedder, n: int) -> tuple[float, float]:
    times = []
    for i in range(n):
        began = time.perf_counter()
        embedder.encode_text([f"a photo of thing number {i}"], remember=False)
        times.append(time.perf_counter() - began)
    return float(np.percentile(times, 50) * 1e3), float(np.percentile(times, 95) * 1e3)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--batches", type=int, nargs="+", default=[32, 128, 256])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    count = 64 if args.quick else 1024
    photos = [
        MediaSegment(
            "image", Image.fromarray(rng.integers(0, 255, (384, 512, 3), dtype=np.uint8)), kind=PHOTO
        )
        for _ in range(count)
    ]
    windows = [
        MediaSegment(
            "audio",
            rng.standard_normal(480_000).astype(np.float32) * 0.1,
            0.0,
            10.0,
            5.0,
            48_000,
            AUDIO_WINDOW,
        )
        for _ in range(count // 4)
    ]
    out: dict = {"device": args.device, "photos": {}, "audio_windows": {}}
    with tempfile.TemporaryDirectory() as tmp:
        clip, clap = build_full_clip(Path(tmp) / "clip"), build_full_clap(Path(tmp) / "clap")
        for batch in args.batches:
            image = Embedder(SpaceSpec("image", str(clip)), args.device, batch)
            out["photos"][batch] = round(_rate(image, photos, 1 if args.quick else 2), 1)
            sound = Embedder(SpaceSpec("audio", str(clap)), args.device, batch)
            out["audio_windows"][batch] = round(_rate(sound, windows, 1), 1)
            print(
                json.dumps({"batch": batch, **{k: v[batch] for k, v in out.items() if k != "device"}}),
                flush=True,
            )
        out["query_ms_p50_p95"] = _query_latency(image, 20 if args.quick else 200)
        # Windows of 10 s every 5 s: each covers 5 s of new audio.
        best = max(out["audio_windows"].values())
        out["audio_hours_per_minute"] = round(best * 5 * 60 / 3600, 1)
    print(json.dumps(out), flush=True)
    return out


if __name__ == "__main__":
    main()
