"""`framefind search` from a terminal while `framefind watch` runs: the wall time of the
command, process start to exit, answered by the running watcher over its socket.

    .venv/bin/python -m tests.bench.terminal [--queries 20] [--quick]

Full-size CLIP and CLAP (random weights), the 5,000-file data folder of tests.bench.latency.
The watcher is given 10 s after its first answer to finish starting (its first pass over the
folder, opening the indexes), as an app that has been open a while. Each query is new to the
watcher (no cached embedding). Also times `framefind search --here` (the command searches by
itself, as with nothing running): once before anything ran in the data folder (the models load
through torch and export their query towers), then with the towers (no torch: five runs, p50).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.latency import QUERIES, SIZES, _fill, bench_settings
from tests.support.models import build_full_clap, build_full_clip

FRAMEFIND = [sys.executable, "-m", "indexer.cli"]
WARM_S = 10.0


def _search(data: Path, text: str, *extra: str) -> tuple[float, str]:
    began = time.perf_counter()
    done = subprocess.run(
        [*FRAMEFIND, "--data-dir", str(data), "search", text, "--limit", "10", *extra],
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - began, done.stdout


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="a small folder and 3 queries")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        models = {"image": build_full_clip(work / "clip"), "audio": build_full_clap(work / "clap")}
        data, empty = work / "data", work / "folder"
        data.mkdir()
        empty.mkdir()
        photos, videos, audio = (200, (20, 5), (10, 5)) if args.quick else SIZES["5,000 files"]
        _fill(data, models, photos, videos, audio)
        bench_settings(data, models, [empty])
        first_here, _ = _search(data, "a dog on the beach", "--here")
        env = os.environ | {"HF_HUB_OFFLINE": "1"}
        watcher = subprocess.Popen(
            [*FRAMEFIND, "--data-dir", str(data), "watch"], env=env, stderr=subprocess.DEVNULL
        )
        try:
            results = _measure(data, 3 if args.quick else args.queries) | {
                "here_first_s": round(first_here, 2)
            }
        finally:
            watcher.terminate()
            watcher.wait(timeout=60)
    print(json.dumps(results), flush=True)
    return results


def _measure(data: Path, queries: int) -> dict:
    from indexer import load_settings, parse_query
    from indexer.ipc import ask

    settings, deadline = load_settings({}, data_dir=data), time.monotonic() + 300
    while ask(settings, parse_query("warm up")) is None:  # the watcher's models load first
        if time.monotonic() > deadline:
            raise SystemExit("terminal: the watcher never answered")
        time.sleep(1)
    time.sleep(WARM_S)  # the watcher's start-up pass and first checkpoint, done: a warm app
    for i in range(3):
        _search(data, f"warming {i}")
    times = [_search(data, f"{QUERIES[i % len(QUERIES)]} {i}")[0] for i in range(queries)]
    alone = sorted(_search(data, f"a dog on the beach {i}", "--here")[0] for i in range(5))
    return {
        "via_running_watcher_p50_ms": round(1000 * statistics.median(times), 1),
        "via_running_watcher_p95_ms": round(1000 * sorted(times)[int(0.95 * (len(times) - 1))], 1),
        "here_p50_s": round(alone[2], 2),
        "here_max_s": round(alone[-1], 2),
        "queries": queries,
    }


if __name__ == "__main__":
    main()
