"""Icons and other files from assets/: beside the package in a checkout, an editable install
or the bundle (packaging/framefind.spec puts it there), under share/framefind in an installed one."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

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


GREY = "#6b7280"  # the icons' ink: drawn in the palette's text colour instead
SIZES = (16, 20, 24, 32, 40, 48, 64)


def icon(name: str) -> QIcon:
    """An icon from assets/icons (SVG, rendered sharp at each size), its grey ink in the
    colour of the palette's text: on a dark theme it was dark grey on dark grey."""
    return _tinted(name, QApplication.palette().color(QPalette.ColorRole.WindowText).name())


@cache
def _tinted(name: str, ink: str) -> QIcon:
    svg = (assets_dir() / "icons" / f"{name}.svg").read_bytes().replace(GREY.encode(), ink.encode())
    renderer = QSvgRenderer(QByteArray(svg))
    tinted = QIcon()
    for side in SIZES:
        picture = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
        picture.fill(Qt.GlobalColor.transparent)
        painter = QPainter(picture)
        renderer.render(painter)
        painter.end()
        tinted.addPixmap(QPixmap.fromImage(picture))
    return tinted


def app_icon() -> QIcon:
    """The application icon, preferring the installed theme's copy."""
    return QIcon.fromTheme(APP_ID, QIcon(str(assets_dir() / "icons" / f"{APP_ID}.svg")))
