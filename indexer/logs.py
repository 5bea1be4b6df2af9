"""The log file in the data folder, shared by the command line and the desktop app."""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)


def log_to_file(log_dir: Path) -> Path | None:
    """Send everything at INFO and above to log_dir/framefind.log (rotated at 2 MB, three kept);
    None when the folder cannot be written (the engine reports that properly)."""
    import logging.handlers  # here: a terminal search answered by a running app never logs to a file

    root = logging.getLogger()
    root.setLevel(logging.INFO)
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_dir / "framefind.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError as exc:
        log.warning("not logging to %s: %s", log_dir, exc.strerror or exc)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    # Libraries' warnings about the files they read (Pillow's "Corrupt EXIF data", …) are
    # about the user's files, not for the console: they go to this file with the rest.
    logging.captureWarnings(True)
    return log_dir / "framefind.log"
