"""Time indexing of a synthetic corpus, per kind, with the engine and the tiny test models.

Not part of the test run. The tiny models make embedding nearly free, so the figures show
decoding and pipeline overhead; model speed is measured by the full-size benchmark.

    .venv/bin/python -m tests.bench.index_corpus [--photos 200] [--videos 4] [--recordings 4]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from indexer import build_engine
from tests.conftest import AUDIO_RATE, make_settings  # conftest also sets HF_HUB_OFFLINE
from tests.support.media import sound, write_audio, write_photo, write_video
from tests.support.models import build_tiny_clap, build_tiny_clip


def write_kinds(root: Path, photos: int, videos: int, recordings: int) -> dict[str, tuple[Path, float]]:
    """One folder per kind; returns (folder, seconds of media or 0 for photos)."""
    for i in range(photos):
        write_photo(root / "photo" / f"p{i:04d}.jpg", i, size=(1600, 1200), quality=90)
    minute = sound([("sine", 300.0 + 50 * j, 10.0) for j in range(6)], AUDIO_RATE)
    for i in range(videos):
        write_video(
            root / "video" / f"v{i}.mp4",
            list(range(i, i + 30)),
            scene_s=2.0,
            fps=25,
            gop=50,
            size=(640, 360),
            audio=minute,
            audio_rate=AUDIO_RATE,
        )
    for i in range(recordings):
        write_audio(
            root / "audio" / f"a{i}.flac", sound([("chirp", 200.0 * (i + 1), 60.0)], AUDIO_RATE), AUDIO_RATE
        )
    return {
        "photo": (root / "photo", 0.0),
        "video": (root / "video", 60.0 * videos),
        "audio": (root / "audio", 60.0 * recordings),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--videos", type=int, default=4)
    parser.add_argument("--recordings", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        settings = make_settings(
            root / "data", build_tiny_clip(root / "clip"), build_tiny_clap(root / "clap")
        )
        kinds = write_kinds(root / "media", args.photos, args.videos, args.recordings)
        rows = []
        with build_engine(settings) as engine:
            engine.index([kinds["photo"][0] / "p0000.jpg"])  # load the models outside the timings
            for kind, (folder, media_s) in kinds.items():
                started = time.perf_counter()
                report = engine.index([folder])
                wall = time.perf_counter() - started
                files = sum(report.indexed_by_kind.values())
                rows.append(
                    {
                        "kind": kind,
                        "files": files,
                        "segments": report.segments,
                        "seconds": round(wall, 2),
                        "files_per_s": round(files / wall, 1),
                        "x_real_time": round(media_s / wall, 1) if media_s else None,
                    }
                )
            again = time.perf_counter()
            engine.index([root / "media"])
            rows.append(
                {
                    "kind": "re-check, unchanged",
                    "files": sum(r["files"] for r in rows),
                    "segments": 0,
                    "seconds": round(time.perf_counter() - again, 2),
                }
            )
    print(f"{'kind':<20} {'files':>6} {'segments':>9} {'seconds':>8} {'files/s':>8} {'× real time':>12}")
    for r in rows:
        print(
            f"{r['kind']:<20} {r['files']:>6} {r['segments']:>9} {r['seconds']:>8} "
            f"{r.get('files_per_s') or '':>8} {r.get('x_real_time') or '':>12}"
        )
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
