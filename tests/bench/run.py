"""Framefind's performance benchmark: prints a table and writes JSON.

Full-size architectures with random weights (speed does not depend on weight values) and
generated media. Not part of the test run (a --quick smoke run of it is):

    .venv/bin/python -m tests.bench.run [--out bench.json] [--quick]

1. photos: end-to-end photos/s on 12-megapixel JPEGs, beside decode-only (all cores) and
   embed-only (pre-decoded) rates measured in the same run
2. video: × real time for 1080p H.264 at the default sampling, beside decode-only
3. audio: hours of audio per minute, beside decode-only
4. query: p50/p95 text-query latency (encode + search) at 10k, 100k and 1M vectors, memory
   per vector, recall@10 against exact search
5. cold start: CLI start, and the first result of a search in a new process
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

from indexer import Settings, SpaceSpec, build_engine
from indexer.catalog import Changes
from indexer.media.audio import audio_windows
from indexer.media.image import decode_image
from indexer.media.segment import MediaSegment
from indexer.media.video import video_frames
from indexer.models.embed import Embedder
from indexer.vectors.faiss_store import FaissStore
from tests.support.media import scene_image, sound, write_audio, write_video
from tests.support.models import build_full_clap, build_full_clip, build_tiny_clap, build_tiny_clip

CORES = os.cpu_count() or 1


def _photo(path: Path, index: int, size: tuple[int, int]) -> Path:
    """A photo-like JPEG: a scene with grain, so it costs what a real photo costs to decode."""
    base = np.asarray(
        scene_image(index, (size[0] // 8, size[1] // 8)).resize(size, Image.Resampling.BILINEAR)
    )
    grain = np.random.default_rng(index).integers(-18, 18, base.shape, dtype=np.int16)
    Image.fromarray(np.clip(base + grain, 0, 255).astype(np.uint8)).save(path, quality=90)
    return path


def _ratios(end_to_end: float, decode: float, embed: float) -> dict:
    shared = 1 / (1 / decode + 1 / embed)  # both stages on the same cores (no GPU)
    return {
        "end_to_end": end_to_end,
        "decode_only": decode,
        "embed_only": embed,
        "ratio_to_slower_stage": end_to_end / min(decode, embed),
        "shared_core_ceiling": shared,
        "ratio_to_shared_ceiling": end_to_end / shared,
    }


def _index_rate(settings: Settings, folder: Path, warm: Path) -> float:
    """Seconds to index `folder`, models already loaded (by indexing `warm` first)."""
    with build_engine(settings) as engine:
        engine.index([warm])
        began = time.perf_counter()
        report = engine.index([folder])
        assert report.failed == 0, report
        return time.perf_counter() - began


def bench_photos(work: Path, clip: Path, count: int, size: tuple[int, int], workers: int = 0) -> dict:
    folder, warm = work / "photos", work / "warm-photo"
    folder.mkdir()
    warm.mkdir()
    paths = [_photo(folder / f"p{i:03d}.jpg", i, size) for i in range(count)]
    _photo(warm / "w.jpg", 999, (640, 480))
    settings = Settings(
        data_dir=work / "data-photos",
        spaces=(SpaceSpec("image", str(clip)),),
        device="cpu",
        decode_workers=workers,
    )
    began = time.perf_counter()
    with ThreadPoolExecutor(CORES) as pool:
        images = list(
            pool.map(lambda p: decode_image(p, settings.max_image_pixels, settings.decode_side), paths)
        )
    decode = count / (time.perf_counter() - began)
    embedder = Embedder(settings.spaces[0], "cpu", settings.batch_size)
    embedder.encode_segments([MediaSegment("image", images[0])])  # load and warm up
    began = time.perf_counter()
    embedder.encode_segments([MediaSegment("image", im) for im in images])
    embed = count / (time.perf_counter() - began)
    seconds = _index_rate(settings, folder, warm)
    return {"photos": count, "megapixels": size[0] * size[1] / 1e6, **_ratios(count / seconds, decode, embed)}


def bench_video(work: Path, clip: Path, seconds: float, size: tuple[int, int]) -> dict:
    folder, warm = work / "video", work / "warm-video"
    scenes = list(range(int(seconds // 2)))
    path = write_video(folder / "v.mp4", scenes, scene_s=2.0, fps=30, gop=60, size=size)
    write_video(warm / "w.mp4", [1], scene_s=1.0, fps=30, size=(320, 240))
    settings = Settings(data_dir=work / "data-video", spaces=(SpaceSpec("image", str(clip)),), device="cpu")
    began = time.perf_counter()
    frames = list(
        video_frames(path, settings.video_interval_s, settings.decode_side, settings.max_image_pixels)
    )
    decode = seconds / (time.perf_counter() - began)
    embedder = Embedder(settings.spaces[0], "cpu", settings.batch_size)
    embedder.encode_segments(frames[:1])
    began = time.perf_counter()
    embedder.encode_segments(frames)
    embed = seconds / (time.perf_counter() - began)
    elapsed = _index_rate(settings, folder, warm)
    return {
        "video_seconds": seconds,
        "resolution": f"{size[0]}x{size[1]}",
        "frames_sampled": len(frames),
        "unit": "x real time",
        **_ratios(seconds / elapsed, decode, embed),
    }


def bench_audio(work: Path, clap: Path, minutes: float) -> dict:
    folder, warm = work / "audio", work / "warm-audio"
    parts = [
        ("sine", 220.0 * (1 + i % 5), 30.0) if i % 2 else ("noise", float(i), 30.0)
        for i in range(int(minutes * 2))
    ]
    path = write_audio(folder / "a.flac", sound(parts, 44_100), 44_100)
    write_audio(warm / "w.wav", sound([("sine", 440.0, 2.0)], 44_100), 44_100)
    settings = Settings(data_dir=work / "data-audio", spaces=(SpaceSpec("audio", str(clap)),), device="cpu")
    embedder = Embedder(settings.spaces[0], "cpu", settings.batch_size)
    rate = embedder.sampling_rate or 48_000
    began = time.perf_counter()
    windows = list(audio_windows(path, rate, settings.audio_window_s, settings.audio_hop_s))
    decode = minutes / 60 / ((time.perf_counter() - began) / 60)
    embedder.encode_segments(windows[:1])
    began = time.perf_counter()
    embedder.encode_segments(windows)
    embed = minutes / 60 / ((time.perf_counter() - began) / 60)
    elapsed = _index_rate(settings, folder, warm)
    return {
        "audio_minutes": minutes,
        "windows": len(windows),
        "unit": "hours of audio per minute",
        **_ratios(minutes / 60 / (elapsed / 60), decode, embed),
    }


def _clustered(n: int, dim: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((1000, dim)).astype(np.float32)
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 100_000):  # in chunks: 1M × 512 floats is 2 GB already
        m = min(100_000, n - start)
        block = centres[rng.integers(0, 1000, m)] + 0.6 * rng.standard_normal((m, dim)).astype(np.float32)
        out[start : start + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def _percentiles(samples: list[float]) -> tuple[float, float]:
    return float(np.percentile(samples, 50)), float(np.percentile(samples, 95))


def bench_query(clip: Path, sizes: list[int], queries: int) -> dict:
    embedder = Embedder(SpaceSpec("image", str(clip)), "cpu", 32)
    embedder.encode_text(["warm up"])
    encode = []
    for i in range(queries):
        began = time.perf_counter()
        embedder.encode_text([f"the bee on the pink flower {i}"])
        encode.append(time.perf_counter() - began)
    rows = {}
    for n in sizes:
        import faiss

        vectors = _clustered(n, embedder.dim, seed=n)
        flat = FaissStore(embedder.dim)
        flat.apply(Changes(1, np.arange(n), vectors))
        flat.merge(compress_above=n + 1)
        probe = _clustered(queries, embedder.dim, seed=n + 1)
        exact = flat.snapshot.search(probe, 10)[1]
        small = FaissStore(embedder.dim, flat.snapshot)
        began = time.perf_counter()
        small.merge(compress_above=1)  # the one-off compression
        build = time.perf_counter() - began
        row = {"build_s": build}
        for name, store in (("flat", flat.snapshot), ("ivf_sq8", small.snapshot)):
            latencies = []
            for q in probe:
                began = time.perf_counter()
                store.search(q[None, :], 10)
                latencies.append(time.perf_counter() - began)
            found = store.search(probe, 10)[1]
            recall = float(np.mean([len(set(a) & set(e)) / 10 for a, e in zip(found, exact, strict=True)]))
            total = [e + s for e, s in zip(encode, latencies, strict=True)]
            p50, p95 = _percentiles(total)
            row[name] = {
                "search_p50_ms": _percentiles(latencies)[0] * 1e3,
                "query_p50_ms": p50 * 1e3,
                "query_p95_ms": p95 * 1e3,
                "recall_at_10": recall,
                "bytes_per_vector": len(faiss.serialize_index(store.base)) / n,
            }
        rows[str(n)] = row
        del flat, small
    p50, p95 = _percentiles(encode)
    return {"text_encode_p50_ms": p50 * 1e3, "text_encode_p95_ms": p95 * 1e3, "sizes": rows}


def bench_cold_start(work: Path, clip: Path) -> dict:
    env = {
        **os.environ,
        "FRAMEFIND_DATA_DIR": str(work / "data-cold"),
        "FRAMEFIND_IMAGE_MODEL": str(clip),
        "FRAMEFIND_AUDIO_MODEL": "none",
        "FRAMEFIND_DEVICE": "cpu",
        "HF_HUB_OFFLINE": "1",
    }
    cli = [sys.executable, "-m", "indexer.cli"]
    photos = work / "cold-photos"
    photos.mkdir()
    for i in range(4):
        _photo(photos / f"c{i}.jpg", i, (640, 480))
    subprocess.run([*cli, "index", str(photos)], env=env, check=True, capture_output=True)
    timings = {}
    for name, args in (("cli_help_s", ["--help"]), ("first_result_s", ["search", "a photo", "--limit", "1"])):
        began = time.perf_counter()
        subprocess.run([*cli, *args], env=env, check=True, capture_output=True)
        timings[name] = time.perf_counter() - began
    timings["window_s"] = None  # the desktop app is not there yet
    return timings


def _print(results: dict) -> None:
    print(f"\nFramefind benchmark — {results['machine']}")
    for kind, unit in (("photos", "photos/s"), ("video", "× real time"), ("audio", "h audio/min")):
        r = results.get(kind)
        if r:
            print(
                f"{kind:<7} end-to-end {r['end_to_end']:8.2f} {unit:<12} "
                f"decode-only {r['decode_only']:8.2f}  embed-only {r['embed_only']:8.2f}  "
                f"ratio to slower {r['ratio_to_slower_stage']:.2f}  "
                f"shared-core ceiling {r['shared_core_ceiling']:.2f} "
                f"(ratio {r['ratio_to_shared_ceiling']:.2f})"
            )
    q = results.get("query")
    if q:
        print(
            f"query   text encode p50 {q['text_encode_p50_ms']:.1f} ms, p95 {q['text_encode_p95_ms']:.1f} ms"
        )
        for n, row in q["sizes"].items():
            for name in ("flat", "ivf_sq8"):
                s = row[name]
                print(
                    f"        {int(n):>9,} vectors {name:<8} query p50 {s['query_p50_ms']:7.1f} ms  p95 "
                    f"{s['query_p95_ms']:7.1f} ms  search p50 {s['search_p50_ms']:7.2f} ms  recall@10 "
                    f"{s['recall_at_10']:.3f}  {s['bytes_per_vector']:6.0f} B/vector"
                )
            print(f"        {'':>17} (IVF build {row['build_s']:.1f} s)")
    c = results.get("cold_start")
    if c:
        print(
            f"cold    `framefind --help` {c['cli_help_s']:.2f} s; first search result in a new process "
            f"{c['first_result_s']:.2f} s; window: not built yet"
        )


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("bench-results.json"))
    parser.add_argument("--quick", action="store_true", help="tiny models and sizes: checks the script runs")
    parser.add_argument(
        "--decode-workers", type=int, default=0, help="photo decode threads (0: one per core)"
    )
    parser.add_argument("--only", nargs="*", default=["photos", "video", "audio", "query", "cold_start"])
    args = parser.parse_args(argv)
    results: dict = {"machine": f"{CORES} CPU cores, no GPU", "quick": args.quick}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build_clip, build_clap = (
            (build_tiny_clip, build_tiny_clap) if args.quick else (build_full_clip, build_full_clap)
        )
        clip, clap = build_clip(work / "clip"), build_clap(work / "clap")
        quick = args.quick
        plan = {
            "photos": lambda: bench_photos(
                work, clip, 4 if quick else 24, (640, 480) if quick else (4000, 3000), args.decode_workers
            ),
            "video": lambda: bench_video(
                work, clip, 6.0 if quick else 60.0, (320, 240) if quick else (1920, 1080)
            ),
            "audio": lambda: bench_audio(work, clap, 0.5 if quick else 10.0),
            "query": lambda: bench_query(
                clip, [2_000] if quick else [10_000, 100_000, 1_000_000], 20 if quick else 100
            ),
            "cold_start": lambda: bench_cold_start(work, clip),
        }
        for name in args.only:
            print(f"… {name}", file=sys.stderr, flush=True)
            results[name] = plan[name]()
    _print(results)
    args.out.write_text(json.dumps(results, indent=2))
    print(f"\nwritten to {args.out}")
    return results


if __name__ == "__main__":
    main()
