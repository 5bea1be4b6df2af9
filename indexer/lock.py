"""One writer per data folder: an OS file lock, released by the kernel if the holder dies."""

from __future__ import annotations

import os
from pathlib import Path

import filelock

from indexer.errors import IndexerBusy
from indexer.wording import Message


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
                Message(
                    "Another Framefind indexer (pid {pid}) is already writing to {folder}. Stop it first "
                    "(it may be `framefind watch` or the desktop app), or use another --data-dir. "
                    "Searching works meanwhile.",
                    pid=holder,
                    folder=self._data_dir,
                )
            ) from None
        self._pid_path.write_text(f"{os.getpid()}\n")
        return self

    def release(self) -> None:
        if self._lock.is_locked:
            self._pid_path.unlink(missing_ok=True)
            self._lock.release()
