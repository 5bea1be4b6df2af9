"""How the result grid copes with a huge result list: filling the model, and the time to
paint each frame while scrolling through it (Qt's offscreen platform, software painting).

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.bench.ui_scroll [--results 50000]

The cards' pictures load in the background as they come into view; the numbers are the UI
thread's own work per frame, which is what decides whether scrolling stutters.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def fake_results(n: int) -> list:
    from indexer import SearchResult

    out = []
    for i in range(n):
        video = i % 3 == 0
        start = float(i % 600) if video else None
        out.append(
            SearchResult(
                Path(f"/library/{i // 1000:03d}/item-{i:06d}.{'mp4' if video else 'jpg'}"),
                "video" if video else "photo",
                "image",
                10.0 - i / n * 8,
                0.3,
                "image",
                start,
                None if start is None else start + 6,
                start,
                segment_id=i,
            )
        )
    return out


def measure(results: int, frames: int) -> dict:
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication, QListView

    from desktop.card_delegate import CARD, CardDelegate
    from desktop.results_model import ResultsModel
    from desktop.thumbnails import ThumbnailLoader
    from desktop.translation import install_translations
    from indexer import Settings, build_engine

    app = QApplication.instance() or QApplication([])
    install_translations(app, QLocale.system())  # as `framefind` does
    with (
        tempfile.TemporaryDirectory() as tmp,
        build_engine(Settings(data_dir=Path(tmp), spaces=())) as engine,
    ):
        loader = ThumbnailLoader(engine)
        model = ResultsModel(loader)
        view = QListView()
        view.setViewMode(QListView.ViewMode.IconMode)
        view.setResizeMode(QListView.ResizeMode.Adjust)
        view.setUniformItemSizes(True)
        view.setGridSize(CARD)
        view.setItemDelegate(CardDelegate(view))
        view.setModel(model)
        view.resize(1200, 800)
        view.show()
        data = fake_results(results)
        started = time.perf_counter()
        model.set_results(data)
        app.processEvents()
        fill_s = time.perf_counter() - started
        bar = view.verticalScrollBar()
        jumps = [jump(app, view, round(bar.maximum() * i / max(1, frames - 1))) for i in range(frames)]
        bar.setValue(bar.maximum() // 2)
        wheel = [jump(app, view, bar.value() + 40, full=False) for _ in range(frames)]
        loader.close()
        return {
            "results": results,
            "fill_model_s": round(fill_s, 3),
            "frames": frames,
            "jump": summary(jumps),
            "wheel": summary(wheel),
        }


def jump(app, view, value: int, full: bool = True) -> float:
    """Milliseconds of UI-thread work to show the grid scrolled to `value`: a full repaint
    (dragging the scroll bar far), or Qt's own scroll of the viewport (the wheel, 40 px)."""
    started = time.perf_counter()
    view.verticalScrollBar().setValue(value)
    if full:
        view.viewport().repaint()
    app.processEvents()
    return (time.perf_counter() - started) * 1000


def summary(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {
        "p50": round(statistics.median(ms), 2),
        "p95": round(ms[int(len(ms) * 0.95) - 1], 2),
        "max": round(ms[-1], 2),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--results", type=int, default=50_000)
    parser.add_argument("--frames", type=int, default=300)
    args = parser.parse_args(argv)
    numbers = measure(args.results, args.frames)
    print(json.dumps(numbers, indent=1))
    jump, wheel = numbers["jump"], numbers["wheel"]
    print(
        f"{numbers['results']:,} results: model filled in {numbers['fill_model_s']} s; a frame takes "
        f"{wheel['p50']} / {wheel['p95']} ms (p50 / p95) wheel-scrolling, {jump['p50']} / {jump['p95']} ms "
        "jumping to a new screenful; 60 fps needs < 16.7 ms"
    )
    return numbers


if __name__ == "__main__":
    main()
