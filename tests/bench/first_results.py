"""From launching the app to the first results painted, for a query typed as the window shows.

    .venv/bin/python -m tests.bench.first_results [--runs 5] [--quick]

Full-size CLIP, CLAP and words model (random weights) over the 5,000-file data folder of
tests.bench.latency, opened offscreen in a new process each run, as `framefind` opens it: the
time runs from starting the process to the end of the first paint of a result list. The
first launch ever loads the models through torch, which exports their text towers
(query_tower.py) meanwhile; every later launch answers text from those towers while torch
and the models still load. Both are reported, with the median time of each step (imports
done, window started, search sent, answer received, painted) and whether torch was imported
by then.
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
from typing import Any

QUERY = "a dog on the beach"


def _launch(data: Path, stay: bool = False) -> dict:
    """One launch, timed from here: the child prints when its first results are painted."""
    began = time.time()
    env = os.environ | {"HF_HUB_OFFLINE": "1", "QT_QPA_PLATFORM": "offscreen"}
    child = [sys.executable, "-m", "tests.bench.first_results", "--child", str(data), str(began)]
    child += ["--stay"] if stay else []
    done = subprocess.run(child, env=env, capture_output=True, text=True, timeout=600, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise SystemExit(f"first_results: no results painted (exit {done.returncode}): {done.stderr[-2000:]}")
    return json.loads(lines[-1])


def _towers_exported(cache: Path, count: int) -> float:
    """Seconds until the first launch's exports (child processes that outlive it) are done."""
    began = time.monotonic()
    while len(list(cache.glob("framefind/query-towers/*/tower.json"))) < count:
        if time.monotonic() - began > 900:
            raise SystemExit(f"first_results: the query towers were not exported: see {cache}")
        time.sleep(0.5)
    return time.monotonic() - began


def _child(data: Path, began: float, stay: bool) -> None:
    """The app's window as `framefind gui` makes it; the query goes in as soon as it shows.
    Prints the seconds since launch at each step: imports done, window started, search sent,
    answer received, results painted. `stay`: exit once the models have loaded too, not at
    the paint (the first launch: its last model's tower export starts when that model loads)."""
    from PySide6.QtCore import QEvent, QLocale, QObject, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.app import make_loader
    from desktop.results_model import ResultsModel
    from desktop.translation import install_translations
    from desktop.window import MainWindow

    marks = {"imported_s": time.time() - began}
    app = QApplication([])
    install_translations(app, QLocale.system())  # as `framefind` does
    state = QSettings(str(data / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(make_loader({"data_dir": data}), state)
    window.resize(1360, 820)
    window.show()
    window.start(data)
    marks["started_s"] = time.time() - began
    assert window.session is not None
    submit, set_results = window.session.searcher.submit, ResultsModel.set_results

    def sent(*args: Any) -> None:
        marks.setdefault("sent_s", time.time() - began)
        submit(*args)

    def answered(model: ResultsModel, *args: Any) -> None:
        marks.setdefault("answered_s", time.time() - began)
        set_results(model, *args)

    models_ready: list[bool] = []
    window.session.indexer.worker.models_ready.connect(lambda: models_ready.append(True))
    window.session.searcher.submit = sent  # type: ignore[method-assign]
    ResultsModel.set_results = answered  # type: ignore[method-assign]
    window.search_bar.field.setText(QUERY)

    def report() -> None:
        if "painted_s" in marks:
            return  # a later paint: the first is what counts
        marks["painted_s"] = time.time() - began
        torch = "torch" in sys.modules  # the models load after, or meanwhile
        done = {k: round(v, 3) for k, v in marks.items()}
        print(json.dumps(done | {"torch_imported": torch}), flush=True)
        if not stay or models_ready:
            os._exit(0)
        window.session.indexer.worker.models_ready.connect(lambda: os._exit(0))

    class Painted(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and window.model is not None and window.model.rowCount():
                QTimer.singleShot(0, report)  # runs once this paint is done
            return False

    painted = Painted()
    window.view.viewport().installEventFilter(painted)
    app.exec()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="a small folder, two runs")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--stay", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(Path(args.child[0]), float(args.child[1]), args.stay)
        return {}
    # Here, not at the top: the child imports only what the app imports.
    from tests.bench.latency import SIZES, _fill, bench_settings
    from tests.bench.line_vectors import build_full_words_model
    from tests.support.models import build_full_clap, build_full_clip

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # these random models' towers, not the user's
        models = {
            "image": build_full_clip(work / "clip"),
            "audio": build_full_clap(work / "clap"),
            "words": build_full_words_model(work / "words"),
        }
        data, empty = work / "data", work / "folder"
        data.mkdir()
        empty.mkdir()
        _fill(data, models, *((200, (20, 5), (10, 5)) if args.quick else SIZES["5,000 files"]))
        bench_settings(data, models, [empty])
        first = _launch(data, stay=True)  # no query towers yet: this one starts their export
        exported = _towers_exported(work / "cache", len(models))
        later = [_launch(data) for _ in range(2 if args.quick else args.runs)]
    times = sorted(r["painted_s"] for r in later)
    results = {
        "first_launch_s": round(first["painted_s"], 2),
        "towers_exported_after_s": round(exported, 1),
        "later_p50_s": round(statistics.median(times), 2),
        "later_max_s": round(times[-1], 2),
        "later_each_s": [round(r["painted_s"], 2) for r in later],
        "later_painted_with_torch_imported": sum(r["torch_imported"] for r in later),
        "runs": len(later),
        "later_median_marks_s": {
            k: round(statistics.median(r[k] for r in later), 2) for k in later[0] if k.endswith("_s")
        },
    }
    print(json.dumps(results), flush=True)
    return results


if __name__ == "__main__":
    main()
