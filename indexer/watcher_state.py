"""The running watcher's note about itself in the data folder (`framefind status` reads it)."""

from __future__ import annotations

import os
from pathlib import Path

from indexer import jsonfile

WATCHER_STATE = "watcher.json"


def watcher_state(data_dir: Path) -> dict | None:
    """What the running watcher last wrote about itself, if it is still alive."""
    try:
        state = jsonfile.read(data_dir / WATCHER_STATE)
        os.kill(int(state["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return state
