"""When a photo or recording was taken, from its own metadata (EXIF, container tags).

Date filters fall back to the file's modification time where this finds nothing.
"""

from __future__ import annotations

import calendar
import logging
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from PIL import Image

log = logging.getLogger(__name__)

EXIF_IFD = 0x8769
DATE_TIME_ORIGINAL, DATE_TIME = 36867, 306


def _exif_seconds(text: object) -> float | None:
    """'2021:07:14 18:03:22' (local time, as cameras write it) → epoch seconds."""
    try:
        return time.mktime(time.strptime(str(text).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S"))
    except (ValueError, OverflowError):
        return None


def photo_taken(path: Path) -> float | None:
    """EXIF DateTimeOriginal (else DateTime); None when absent or unreadable."""
    try:
        with Image.open(path) as im:
            exif = im.getexif()
            found = exif.get_ifd(EXIF_IFD).get(DATE_TIME_ORIGINAL) or exif.get(DATE_TIME)
    except Exception as exc:  # metadata is optional: a bad EXIF block must not fail the photo
        log.debug("no EXIF date in %s: %s", path, exc)
        return None
    return _exif_seconds(found) if found else None


def container_taken(metadata: Mapping[str, str]) -> float | None:
    """A container's creation_time tag (ISO 8601, UTC), as phones and cameras write it."""
    text = metadata.get("creation_time") or metadata.get("date")
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return float(calendar.timegm(moment.timetuple()))
    return moment.timestamp()
