"""How long `framefind` takes from the command to a window on screen: the PyInstaller
bundle against the venv install.

    python3 packaging/build.py …   # first: build/dist/framefind
    xvfb-run -a .venv/bin/python -m tests.bench.start_time [--runs 5]

Each run starts the command with a fresh HOME and a data folder whose settings name the
committed tiny models (the window shows before any model loads, so their size does not
matter), waits for the app's "window shown" log line (written after the first paint) and
closes it with SIGTERM, as a logout does. The first run of each is reported apart. With
--cold (Linux, as root) the page cache is dropped before every run: the start after a boot,
when every library is read from disk.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.latency import bench_settings
from tests.support.models import SHAPES_CLIP, SOUNDS_CLAP

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = {
    "bundle": ROOT / "build" / "dist" / "framefind" / "framefind",
    "venv": ROOT / ".venv" / "bin" / "framefind",
}


def drop_page_cache() -> None:
    os.sync()
    Path("/proc/sys/vm/drop_caches").write_text("3\n")


def start_once(command: Path, work: Path, cold: bool) -> float:
    data = Path(tempfile.mkdtemp(dir=work))
    if cold:
        drop_page_cache()
    bench_settings(data, {"image": SHAPES_CLIP, "audio": SOUNDS_CLAP}, [])
    env = {k: v for k, v in os.environ.items() if k in ("DISPLAY", "XAUTHORITY", "QT_QPA_PLATFORM", "LANG")}
    env |= {"HOME": str(data / "home"), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    log = data / "logs" / "framefind.log"
    began = time.perf_counter()
    process = subprocess.Popen(
        [str(command), "--data-dir", str(data), "gui"], env=env, stderr=subprocess.DEVNULL
    )
    while not (log.is_file() and "window shown" in log.read_text()):
        if process.poll() is not None or time.perf_counter() - began > 120:
            raise SystemExit(f"{command} did not show its window (exit code {process.poll()})")
        time.sleep(0.01)
    shown = time.perf_counter() - began
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    return shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="drop the page cache before each start (root)")
    args = parser.parse_args()
    missing = [str(c) for c in COMMANDS.values() if not c.exists()]
    if missing:
        raise SystemExit(f"build these first: {', '.join(missing)}")
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs + 1):
            for name, command in COMMANDS.items():  # alternating, so both see the same machine
                times[name].append(start_once(command, Path(tmp), args.cold))
    for name, measured in times.items():
        first, rest = measured[0], measured[1:]
        print(
            f"{name}: window shown in {statistics.median(rest):.2f} s (median of {len(rest)}; "
            f"{min(rest):.2f}–{max(rest):.2f}), first run {first:.2f} s"
        )
    ratio = statistics.median(times["bundle"][1:]) / statistics.median(times["venv"][1:])
    print(f"bundle / venv: {ratio:.2f}×")


if __name__ == "__main__":
    sys.exit(main())
