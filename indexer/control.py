"""Pause, resume and stop for a running indexer, safe to call from any thread."""

from __future__ import annotations

import threading


class Control:
    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self._stopped = threading.Event()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        self._stopped.set()
        self._running.set()  # wake anything waiting, so it can see the stop

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block while paused; True when work may go on, False once stopped."""
        self._running.wait(timeout)
        return not self._stopped.is_set() and self._running.is_set()

    def sleep(self, seconds: float) -> bool:
        """Sleep unless stopped first; True if not stopped."""
        return not self._stopped.wait(seconds)
