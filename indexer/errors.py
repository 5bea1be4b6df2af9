"""Error types. `FramefindError` is for the user (its message says what to do);
`MediaError` marks one bad input file, which is recorded and skipped."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

# What the disk or the folder refused: full, read-only, no permission, failing.
STORAGE_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO, errno.EFBIG}
)
_SQLITE_STORAGE = ("full", "disk i/o", "readonly", "read-only", "unable to open")


class FramefindError(Exception):
    """An environment or usage problem the user can fix; the message names the fix."""


class IndexerBusy(FramefindError):
    """Another process holds the data folder's writer lock; searching still works."""


class ModelLoadError(FramefindError):
    """A model of an embedding space could not be loaded."""

    def __init__(self, model: str, space: str, reason: str) -> None:
        self.model = model
        self.space = space
        self.reason = reason
        super().__init__(
            f"Could not load the {space} model {model!r}: {reason}\n"
            "Fix: check the network connection (models download from the Hugging Face hub on "
            "first use); when offline, set HF_HUB_OFFLINE=1 and use a model that is already in "
            f"the cache, or point --{space}-model (or FRAMEFIND_{space.upper()}_MODEL) at a "
            "local model folder."
        )


class SearchCancelled(Exception):
    """A search given up because a newer one is waiting (the user typed on)."""


class MediaError(Exception):
    """One input file could not be used; `reason` is short and specific."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def is_storage_error(exc: BaseException) -> bool:
    """Whether writing failed because of the disk or the folder (freeing space or fixing
    permissions helps), not because of something else that happened during a write (a model
    that did not load raises OSError too)."""
    if isinstance(exc, sqlite3.OperationalError):
        return any(words in str(exc).lower() for words in _SQLITE_STORAGE)
    return isinstance(exc, OSError) and exc.errno in STORAGE_ERRNOS
