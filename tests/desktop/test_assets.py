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
