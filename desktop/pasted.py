"""Images pasted as queries: saved in the data folder so the engine can read them, and only
the last few kept (each paste used to stay there for good)."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtGui import QImage

KEEP = 20


def save_pasted(image: QImage, folder: Path, keep: int = KEEP) -> Path:
    """Save a pasted image as a new file in `folder`, dropping all but the `keep` newest."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"pasted-{time.strftime('%Y%m%d-%H%M%S')}-{time.monotonic_ns() % 10**6:06d}.png"
    image.save(str(path))
    older = sorted(folder.glob("pasted-*.png"), key=lambda p: p.stat().st_mtime_ns, reverse=True)[keep:]
    for stale in older:
        stale.unlink(missing_ok=True)
    return path
