"""Keep C libraries from printing about the user's files: libtiff writes every complaint
about an odd TIFF straight to stderr ("WEBP compression support is not configured"), below
Python's warnings, and a library of scans printed hundreds of lines. Pillow's exception
carries the reason, which Framefind records; the default handlers only add noise."""

from __future__ import annotations

import ctypes
import logging
import re
from pathlib import Path

log = logging.getLogger(__name__)


def _loaded(name: str) -> str | None:
    """The path of a shared library this process has loaded (Linux; None elsewhere)."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return None
    found = re.search(rf"(/\S*{name}[-.]\S*\.so\S*)", maps)
    return found[1] if found else None


def silence_libtiff() -> None:
    """Turn off libtiff's default error and warning printers (best effort)."""
    import PIL._imaging  # noqa: F401 - loads the libtiff Pillow uses

    path = _loaded("libtiff")
    if path is None:
        return
    try:
        library = ctypes.CDLL(path)
        library.TIFFSetErrorHandler.restype = library.TIFFSetWarningHandler.restype = ctypes.c_void_p
        library.TIFFSetErrorHandler(None)
        library.TIFFSetWarningHandler(None)
    except (OSError, AttributeError) as exc:
        log.debug("libtiff stays talkative: %s", exc)
