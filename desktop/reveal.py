"""Open a file with the user's default app, or show it selected in the file manager."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QMimeDatabase, QUrl
from PySide6.QtGui import QDesktopServices


def open_file(path: Path) -> bool:
    """Open with the default app; False when there is none (the caller says so)."""
    return has_default_app(path) and QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def has_default_app(path: Path) -> bool:
    """On a freedesktop system, whether an app is set for this file's type: xdg-open is
    started detached, so Qt reports success even when it then finds nothing to open with."""
    if not sys.platform.startswith("linux") or shutil.which("xdg-mime") is None:
        return True
    mime = QMimeDatabase().mimeTypeForFile(str(path)).name()
    try:
        found = subprocess.run(
            ["xdg-mime", "query", "default", mime], capture_output=True, text=True, timeout=3, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return True  # cannot tell: let the desktop try
    return bool(found.stdout.strip())


def show_in_folder(path: Path) -> bool:
    """Select the file in the platform's file manager; else open its folder. False when
    nothing can show it (no file manager): the caller says so."""
    if sys.platform == "darwin":
        return subprocess.run(["open", "-R", str(path)], check=False).returncode == 0
    if sys.platform == "win32":
        subprocess.run(["explorer", f"/select,{path}"], check=False)  # explorer exits 1 even when it worked
        return True
    if _freedesktop_show(path):
        return True
    # xdg-open is started detached and "succeeds" with no app for folders: ask first.
    return has_default_app(path.parent) and QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


def _freedesktop_show(path: Path) -> bool:
    """The FileManager1 D-Bus interface that Nautilus, Dolphin, Nemo and Thunar implement."""
    try:
        from PySide6.QtDBus import QDBusConnection, QDBusInterface
    except ImportError:
        return False
    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        return False
    manager = QDBusInterface(
        "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1", "org.freedesktop.FileManager1", bus
    )
    if not manager.isValid():
        return False
    reply = manager.call("ShowItems", [QUrl.fromLocalFile(str(path)).toString()], "")
    return not reply.errorName()
