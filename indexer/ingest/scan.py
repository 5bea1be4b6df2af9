"""Walk folders for media files with stat data only: no file is opened here (but `.ts` files,
whose first bytes tell an MPEG transport stream from TypeScript).

Iterative (no recursion limit on deep trees) and built on os.scandir, whose entries carry
their type, so an unchanged library is re-checked at the speed of `lstat`.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from indexer.media.access import access_reason
from indexer.media.kinds import UNSUPPORTED_EXTENSIONS, is_candidate
from indexer.wording import Message


@dataclass(frozen=True)
class Found:
    path: Path
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Unlistable:
    """A folder that could not be read; its files are neither indexed nor removed."""

    path: Path
    reason: str


@dataclass(frozen=True)
class Unsupported:
    """A media file of a format Framefind does not read: counted, not opened."""

    path: Path


@dataclass(frozen=True)
class ScanOptions:
    exclude: tuple[str, ...] = ()  # fnmatch patterns for file and folder names
    follow_symlinks: bool = False


def excluded(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def _found(path: Path, st: os.stat_result) -> Found | Unsupported | None:
    if not stat.S_ISREG(st.st_mode):
        return None  # FIFOs, devices and the like are never opened
    if is_candidate(path):
        return Found(path, st.st_size, st.st_mtime_ns)
    return Unsupported(path) if path.suffix.lower() in UNSUPPORTED_EXTENSIONS else None


def scan(root: Path, options: ScanOptions) -> Iterator[Found | Unlistable | Unsupported]:
    """Media files at or below `root`; a folder reached twice (a link loop) is walked once.
    A root that links to a folder is followed (`~/Pictures → /data/Pictures` is common);
    other links, below it or to a file, are followed only with `follow_symlinks`."""
    try:
        st = root.stat()
        if not stat.S_ISDIR(st.st_mode) and not options.follow_symlinks:
            st = root.lstat()
    except OSError as exc:
        yield Unlistable(root, access_reason(exc))
        return
    if not stat.S_ISDIR(st.st_mode):
        found = _found(root, st)
        if found:
            yield found
        return
    seen = {(st.st_dev, st.st_ino)}
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            yield Unlistable(folder, Message("cannot list folder: {reason}", reason=access_reason(exc)))
            continue
        for entry in entries:
            if excluded(entry.name, options.exclude):
                continue
            try:
                if entry.is_symlink() and not options.follow_symlinks:
                    continue
                st = entry.stat(follow_symlinks=options.follow_symlinks)
            except OSError:
                continue  # vanished, or a broken link
            if stat.S_ISDIR(st.st_mode):
                if (st.st_dev, st.st_ino) not in seen:
                    seen.add((st.st_dev, st.st_ino))
                    stack.append(Path(entry.path))
            else:
                found = _found(Path(entry.path), st)
                if found:
                    yield found
