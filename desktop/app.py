"""Starting the desktop app: `framefind` with no command, or `framefind gui`."""

from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

from indexer import load_settings
from indexer.logs import log_to_file


def has_display() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    return bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    )


def make_loader(overrides: dict[str, Any]):
    """Settings for a data folder: options given on the command line win, then the
    environment, then the settings file (see indexer.load_settings)."""

    def load(data_dir: Path | None):
        return load_settings(
            data_dir=overrides.get("data_dir") or data_dir,
            image_model=overrides.get("image_model"),
            image_query_model=overrides.get("image_query_model"),
            audio_model=overrides.get("audio_model"),
            speech_model=overrides.get("speech_model"),
            words_model=overrides.get("words_model"),
            vlm_model=overrides.get("vlm_model"),
            ocr=overrides.get("ocr"),
            device=overrides.get("device"),
            store=overrides.get("store"),
        )

    return load


log = logging.getLogger("desktop.app")


def close_on_termination(window: Any) -> None:
    """Logging out, `kill` and Ctrl+C in the terminal close the window as its close button
    does (the index is saved, the models are let go), instead of ending the process mid-write."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    def close() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()  # the welcome dialog, Settings: as if cancelled
        window.close()

    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: QTimer.singleShot(0, close))
    # Python runs a signal handler only between bytecodes, and an idle Qt loop runs none:
    # a timer lets it in within a quarter of a second.
    wake = QTimer(window)
    wake.timeout.connect(lambda: None)
    wake.start(250)


def run(overrides: dict[str, Any]) -> int:
    """Open the window; returns only without a display (2), else ends the process itself."""
    if not has_display():
        print(
            "framefind: there is no display to open the window on. Run it in a desktop session, "
            "or use the command line: framefind --help",
            file=sys.stderr,
        )
        return 2
    from PySide6.QtCore import QLocale, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.assets import APP_ID, app_icon
    from desktop.translation import install_translations
    from desktop.window import MainWindow

    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Framefind")
    app.setOrganizationName("Framefind")
    QApplication.setDesktopFileName(APP_ID)
    QApplication.setWindowIcon(app_icon())
    install_translations(app, QLocale.system())  # before any widget says anything
    state = QSettings()
    window = MainWindow(make_loader(overrides), state)
    stored = state.value("data_dir")
    data_dir = Path(str(stored)) if stored else None
    log_to_file((overrides.get("data_dir") or data_dir or load_settings().data_dir) / "logs")
    window.show()
    close_on_termination(window)
    QTimer.singleShot(0, lambda: log.info("window shown (pid %d)", os.getpid()))  # after the first paint
    window.start(data_dir)
    # Closed already when logging out while the welcome dialog was open.
    code = app.exec() if window.isVisible() else 0
    log.info("window closed")
    # Everything is saved by now (closing the window closed the engine, which checkpoints).
    # Tearing down torch, FAISS and Qt at interpreter exit took another 1.7 s, during which
    # the process lingered and a relaunch could not take the data folder: skip it.
    state.sync()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
