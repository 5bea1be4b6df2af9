"""Walk folders for media files, with stat data only (no file is opened here)."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from indexer.media.kinds import is_candidate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Found:
    path: Path
    size: int
    mtime_ns: int


def _found(path: Path, st: os.stat_result) -> Found | None:
    if not stat.S_ISREG(st.st_mode) or not is_candidate(path):
        return None  # FIFOs, devices and the like are never opened
    return Found(path, st.st_size, st.st_mtime_ns)


def scan(root: Path, skip_hidden: bool = True) -> Iterator[Found]:
    """Media files at or below `root`. Symbolic links are not followed."""
    try:
        st = root.lstat()
    except OSError as exc:
        log.warning("cannot read %s: %s", root, exc.strerror)
        return
    if not stat.S_ISDIR(st.st_mode):
        found = _found(root, st)
        if found:
            yield found
        return

    def onerror(exc: OSError) -> None:
        log.warning("cannot list %s: %s", exc.filename, exc.strerror)

    for folder, dirs, files in os.walk(root, onerror=onerror):
        if skip_hidden:
            dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if skip_hidden and name.startswith("."):
                continue
            path = Path(folder, name)
            try:
                found = _found(path, path.lstat())
            except OSError:
                continue  # vanished between listing and stat
            if found:
                yield found
