"""Open the app on an index of the synthetic folder, run a query, and save a screenshot.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python -m tests.support.screenshot OUT.png

Under Xvfb this is a real window on a real (virtual) X screen, grabbed from the screen.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--query", default="a yellow circle")
    parser.add_argument("--show-weaker", action="store_true", help="list the weaker matches too (faded)")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--language", help="the window's language, e.g. de_DE (default: the system's)")
    parser.add_argument(
        "--written", action="store_true", help="add two slides and a sign, read their text first"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        shoot(Path(tmp), args.out, args.query, args.timeout, args.show_weaker, args.written, args.language)


def add_written(data_dir: Path, folder: Path) -> None:
    """Pictures with text in the folder, indexed and read (RapidOCR) before the window opens."""
    from indexer import build_engine, load_settings
    from tests.support.written import sign, slide

    slide(["Quarterly roadmap", "Ship the café app in March", "Hire two engineers"]).save(
        folder / "roadmap.png"
    )
    slide(["Budget review", "Costs fell in spring"]).save(folder / "budget.png")
    sign("Roadmap Street", turn=4, warp=0.05).save(folder / "street.jpg")
    with build_engine(load_settings({}, data_dir=data_dir, speech_model="none")) as engine:
        engine.index([folder])
        engine.transcribe()


def shoot(
    root: Path,
    out: Path,
    query: str,
    timeout: float,
    show_all: bool,
    written: bool = False,
    language: str | None = None,
) -> None:
    from PySide6.QtCore import QDeadlineTimer, QLocale, QSettings, QThread
    from PySide6.QtWidgets import QApplication

    from desktop.results_model import CARD_ROLE
    from desktop.translation import install_translations
    from desktop.window import MainWindow
    from indexer import load_settings
    from tests.support.app_index import build_app_index

    index = build_app_index(root)
    if written:
        add_written(index.data_dir, index.folder.root)
    app = QApplication([])
    install_translations(app, QLocale(language) if language else QLocale.system())
    window = MainWindow(
        lambda _: load_settings({}, data_dir=index.data_dir),
        QSettings(str(root / "ui.ini"), QSettings.Format.IniFormat),
    )
    window.resize(1360, 820)
    window.show()
    window.start()
    deadline = QDeadlineTimer(int(timeout * 1000))

    def wait_for(condition) -> None:
        while not condition():
            if deadline.hasExpired():
                raise SystemExit(f"screenshot: timed out; the window says {window.summary.text()!r}")
            app.processEvents()
            QThread.msleep(20)

    window.search_bar.field.setText(query)
    wait_for(lambda: not window.searching)
    if show_all:  # the weaker matches too, as the "Show … weaker matches" button does
        window.show_weaker.click()
        wait_for(lambda: not window.searching)
    wait_for(lambda: window.model is not None and window.model.rowCount() > 0)
    rows = [window.model.row(i).result for i in range(window.model.rowCount())]
    # a video moment past its first second: the wait below sees the player cued there
    chosen = next((i for i, r in enumerate(rows) if r.kind == "video" and (r.start or 0) >= 1), 0)
    window.view.setFocus()
    window.view.setCurrentIndex(window.model.index(chosen))
    shown = range(min(8, window.model.rowCount()))
    wait_for(lambda: all(window.model.index(i).data(CARD_ROLE) for i in shown))
    if rows[chosen].start is not None:
        wait_for(lambda: window.preview.player.position() > 0)  # the video is cued at the moment
    for _ in range(20):  # let the preview and the status bar settle
        app.processEvents()
        QThread.msleep(25)
    shot = window.screen().grabWindow(window.winId())
    out.parent.mkdir(parents=True, exist_ok=True)
    if not shot.save(str(out)):
        raise SystemExit(f"screenshot: could not write {out}")
    print(f"wrote {out} ({shot.width()}×{shot.height()})")
    window.close()


if __name__ == "__main__":
    main()
