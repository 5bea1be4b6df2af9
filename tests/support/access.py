"""Making files and folders unreadable, as the OS would for a normal user.

Root reads anything, so under root the OS's answer is simulated at the call that asks."""

from __future__ import annotations

import builtins
import os
from pathlib import Path

import pytest


def make_unreadable(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 000; under root, have open() refuse the file as it would for a user."""
    path.chmod(0)
    if os.access(path, os.R_OK):
        real_open = builtins.open

        def guarded(file, *args, **kwargs):
            if isinstance(file, (str, os.PathLike)) and Path(file) == path:
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", guarded)


def make_unlistable(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder whose listing is refused (os.scandir raises PermissionError)."""
    real_scandir = os.scandir

    def scandir(path):
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
