"""Icons and other files from assets/: beside the package in a checkout, an editable install
or the bundle (packaging/framefind.spec puts it there), under share/framefind in an installed one."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

# The reverse-DNS id that names the desktop entry, the icon and the AppStream metainfo in
# assets/; the window carries it so the desktop matches the window to its entry and icon.
APP_ID = "io.github.framefind.Framefind"


def assets_dir() -> Path:
    for candidate in (
        Path(__file__).resolve().parent.parent / "assets",
        Path(sys.prefix) / "share/framefind",
    ):
        if (candidate / "icons").is_dir():
            return candidate
    raise FileNotFoundError("Framefind's assets folder is missing: reinstall Framefind.")


@cache
def icon(name: str) -> QIcon:
    """An icon from assets/icons (SVG, so it is sharp at any scale)."""
    return QIcon(str(assets_dir() / "icons" / f"{name}.svg"))


def app_icon() -> QIcon:
    """The application icon, preferring the installed theme's copy."""
    return QIcon.fromTheme(APP_ID, icon(APP_ID))
