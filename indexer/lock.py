"""One writer per data folder: an OS file lock, released by the kernel if the holder dies."""

from __future__ import annotations

import os
from pathlib import Path

import filelock

from indexer.errors import IndexerBusy


class WriterLock:
    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._pid_path = data_dir / "writer.pid"
        self._lock = filelock.FileLock(data_dir / "writer.lock", timeout=0, is_singleton=False)

    def acquire(self) -> WriterLock:
        try:
            self._lock.acquire()
        except filelock.Timeout:
            holder = self._pid_path.read_text().strip() if self._pid_path.exists() else "unknown"
            raise IndexerBusy(
                f"Another Framefind indexer (pid {holder}) is already writing to {self._data_dir}. "
                "Stop it first (it may be `framefind watch` or the desktop app), or use another "
                "--data-dir. Searching works meanwhile."
            ) from None
        self._pid_path.write_text(f"{os.getpid()}\n")
        return self

    def release(self) -> None:
        if self._lock.is_locked:
            self._pid_path.unlink(missing_ok=True)
            self._lock.release()
