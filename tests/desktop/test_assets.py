"""The icons the window shows (the desktop entry: tests/packaging)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QIcon

ROOT = Path(__file__).resolve().parents[2]


def test_every_icon_the_code_asks_for_exists_and_renders(qapp):
    from desktop.assets import APP_ID, icon

    names = set()
    for source in (ROOT / "desktop").glob("*.py"):
        names |= set(re.findall(r'icon\("([a-z-]+)"\)', source.read_text()))
    names |= {"photo", "video", "audio", APP_ID}
    for name in sorted(names):
        rendered: QIcon = icon(name)
        assert not rendered.pixmap(64, 64).isNull(), name


def test_icons_take_the_palettes_text_colour_so_a_dark_theme_shows_them(qapp):
    """On a dark theme the gear and play icons were dark grey on dark grey."""
    from PySide6.QtGui import QColor, QPalette

    from desktop.assets import icon

    before = qapp.palette()
    try:
        for window, text in (("#202124", "#e8eaed"), ("#ffffff", "#202124")):  # dark, then light
            palette = QPalette(before)
            palette.setColor(QPalette.ColorRole.Window, QColor(window))
            palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
            qapp.setPalette(palette)
            picture = icon("play").pixmap(48, 48).toImage()
            ink = picture.pixelColor(20, 24)  # inside the triangle
            near = abs(ink.lightness() - QColor(text).lightness()) < 40
            assert ink.alpha() > 200 and near, (window, ink.name())
    finally:
        qapp.setPalette(before)
