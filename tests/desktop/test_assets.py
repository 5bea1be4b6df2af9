"""The launcher entry and icons the desktop shows."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

from PySide6.QtGui import QIcon

ROOT = Path(__file__).resolve().parents[2]


def test_the_desktop_entry_launches_the_window_with_the_app_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(ROOT / "assets" / "framefind.desktop")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application" and section["Exec"] == "framefind gui"
    assert (ROOT / "assets" / "icons" / f"{section['Icon']}.svg").is_file()


def test_every_icon_the_code_asks_for_exists_and_renders(qapp):
    from desktop.assets import icon

    names = set()
    for source in (ROOT / "desktop").glob("*.py"):
        names |= set(re.findall(r'icon\("([a-z-]+)"\)', source.read_text()))
    names |= {"photo", "video", "audio", "framefind"}
    for name in sorted(names):
        rendered: QIcon = icon(name)
        assert not rendered.pixmap(64, 64).isNull(), name
