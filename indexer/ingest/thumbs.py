"""Thumbnails, cut from the decode the indexer already did and keyed by content fingerprint
(a moved or copied file shares its thumbnail). Best effort: a thumbnail that cannot be written
costs nothing but the thumbnail."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from PIL import Image

log = logging.getLogger(__name__)

THUMB_SIDE = 256


def thumbnail_path(data_dir: Path, fingerprint: str) -> Path:
    return data_dir / "thumbs" / fingerprint[:2] / f"{fingerprint}.jpg"


def save_thumbnail(image: Image.Image, path: Path, side: int = THUMB_SIDE) -> None:
    if path.exists():
        return
    small = image.copy()
    small.thumbnail((side, side), Image.Resampling.LANCZOS)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".jpg", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            small.save(fh, "JPEG", quality=85)
        os.replace(tmp, path)
    except OSError as exc:
        log.debug("no thumbnail for %s: %s", path, exc)
