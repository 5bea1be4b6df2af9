"""How long the app takes to go once its window is closed: while a model loads, while it
indexes, and idle.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.bench.close_time

Each case runs the real app (`desktop.app.run`, which ends its process itself) in a child
process on a data folder set for full-size CLIP and CLAP (random weights); a timer closes
the window after a delay and prints when; the parent times from then until the process is
gone. The indexing case has 600 photos to embed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = (("while a model loads", 3.0, True), ("while indexing", 25.0, True), ("idle", 25.0, False))


def child(data: Path, delay: float) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import desktop.app as app_module

    def close() -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and type(widget).__name__ == "MainWindow":
                print("CLOSE", time.time(), widget.status.label.text()[:70], flush=True)
                widget.close()

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 - run() uses it
    QTimer.singleShot(int(delay * 1000), close)
    app_module.run({"data_dir": data})


def main() -> dict[str, float]:
    from tests.bench.latency import bench_settings
    from tests.support.media import write_photo
    from tests.support.models import build_full_clap, build_full_clip

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        models = {"image": build_full_clip(work / "clip"), "audio": build_full_clap(work / "clap")}
        photos = work / "photos"
        for i in range(600):
            write_photo(photos / f"{i:04d}.jpg", i, size=(640, 480))
        for case, delay, with_photos in CASES:
            data = work / case.replace(" ", "-")
            data.mkdir()
            bench_settings(data, models, [photos] if with_photos else [])
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.bench.close_time", "--child", str(data), str(delay)],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                env=os.environ | {"QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
            )
            assert process.stdout is not None
            _, closed, state = process.stdout.readline().split(maxsplit=2)
            process.wait()
            results[case] = round(time.time() - float(closed), 2)
            print(f"{case}: closed → process gone in {results[case]} s (the status said: {state.strip()})")
    return results


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(Path(sys.argv[2]), float(sys.argv[3]))
    else:
        main()
