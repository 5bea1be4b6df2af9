"""The folder picker every part of the window uses."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget


def choose_folder(parent: QWidget, caption: str, start: Path | None = None) -> Path | None:
    """The folder the user picks, or None; the dialog opens in `start` when it exists, else
    in the home folder (Qt's default is the directory the app was started from)."""
    where = start if start is not None and start.is_dir() else Path.home()
    picked = QFileDialog.getExistingDirectory(parent, caption, str(where))
    return Path(picked) if picked else None
