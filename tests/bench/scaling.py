"""Does indexing stay linear in time and flat in memory as the library grows?

Indexes N small photos with the tiny test models, each N in a fresh process, and prints the
rate and the peak resident memory. Not part of the test run:

    .venv/bin/python -m tests.bench.scaling [--sizes 1000 4000 16000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support.media import write_photo


def one(n: int) -> dict:
    from indexer import build_engine
    from tests.conftest import make_settings
    from tests.support.models import build_tiny_clap, build_tiny_clip

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i in range(n):
            write_photo(root / "photos" / f"{i // 1000:03d}" / f"p{i:06d}.png", i, size=(64, 48))
        settings = make_settings(
            root / "data", build_tiny_clip(root / "clip"), build_tiny_clap(root / "clap")
        )
        with build_engine(settings) as engine:
            engine.index([root / "photos" / "000" / "p000000.png"])  # models loaded outside the timing
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            began = time.perf_counter()
            report = engine.index([root / "photos"])
            seconds = time.perf_counter() - began
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "files": n,
        "indexed": report.new,
        "seconds": round(seconds, 2),
        "files_per_s": round(n / seconds),
        "peak_rss_mb": round(peak / 1024),
        "rss_growth_mb": round((peak - before) / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 4000, 16000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one)))
        return
    rows = []
    for n in args.sizes:
        done = subprocess.run(
            [sys.executable, "-m", "tests.bench.scaling", "--one", str(n)],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        r = rows[-1]
        print(
            f"{r['files']:>7} photos: {r['seconds']:7.1f} s, {r['files_per_s']:5} files/s, "
            f"peak memory {r['peak_rss_mb']} MB (+{r['rss_growth_mb']} MB while indexing)"
        )
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
