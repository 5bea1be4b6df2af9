"""Pause, resume and stop for a running indexer, and holding it back while a search runs;
safe to call from any thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

LONGEST_YIELD_S = 5.0  # a search holds indexing back at most this long at a time


class Control:
    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self._stopped = threading.Event()
        self._quiet = threading.Event()  # no search is running
        self._quiet.set()
        self._searches = 0
        self._lock = threading.Lock()

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

    @contextmanager
    def search(self) -> Iterator[None]:
        """Hold indexing back while a search runs: on a CPU the two share the cores, and a
        query that waits for torch threads busy with a batch of photos takes seconds."""
        with self._lock:
            self._searches += 1
            self._quiet.clear()
        try:
            yield
        finally:
            with self._lock:
                self._searches -= 1
                if not self._searches:
                    self._quiet.set()

    def yield_to_searches(self) -> None:
        """Called by the indexer between small pieces of work: waits while a search runs."""
        self._quiet.wait(LONGEST_YIELD_S)
