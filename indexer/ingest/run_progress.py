"""A run's progress events: one when a file is committed, and one a second while files are
being worked on and none finishes (a long video), each naming the file worked on longest.

Events came only when a file finished, naming it: a 10-minute video decoding beside small
photos was never named, and once the photos were done the status said "almost done" with
the last photo's name for as long as the video took.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from indexer.ingest.progress import ProgressEvent, WorkClock

HEARTBEAT_S = 1.0


class RunProgress:
    def __init__(
        self,
        work: list[float],
        on_progress: Callable[[ProgressEvent], None] | None,
        paused: Callable[[], bool],
    ) -> None:
        self.clock = WorkClock(work)
        self._total = len(work)
        self._on_progress = on_progress
        self._paused = paused
        self._working: dict[Path, float] = {}  # file → when its first piece arrived
        self._done = self._failed = 0
        self._said = time.monotonic()

    def started(self, path: Path) -> None:
        self._working.setdefault(path, time.monotonic())

    def finished(self, path: Path, work: float, failed: int) -> None:
        self._working.pop(path, None)
        self._done, self._failed = self._done + 1, failed
        self.clock.finished(work)
        self._say(path)

    def tick(self) -> None:
        """Say where the run stands if nothing was said for a second while files are worked on."""
        if self._working and time.monotonic() - self._said >= HEARTBEAT_S:
            self._say(None)

    def _say(self, finished: Path | None) -> None:
        self._said = time.monotonic()
        if self._on_progress is None:
            return
        longest = min(self._working, key=self._working.__getitem__, default=finished)
        rate = self._done / self.clock.working_s()
        event = ProgressEvent(
            self._total, self._done, self._failed, longest, rate, self.clock.eta_s(), self._paused()
        )
        self._on_progress(event)
