"""The command line's progress bar: tqdm, fed by the engine's progress events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from indexer.ingest.progress import ProgressEvent

T = TypeVar("T")


class ProgressBar:
    """A tqdm bar fed by the engine's progress events (hidden when not on a terminal)."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._stage = ""

    def __call__(self, event: ProgressEvent) -> None:
        from tqdm import tqdm

        if self._bar is None or self._bar.total != event.total or self._stage != event.stage:
            self.close()
            self._bar = tqdm(total=event.total, unit=event.unit.rstrip("s"), dynamic_ncols=True, disable=None)
            self._bar.set_description(None if event.stage == "indexing" else event.title)
            self._stage = event.stage
        name = event.current.name if event.current else ""
        self._bar.set_postfix_str(f"failed {event.failed} · {name}"[:60])
        self._bar.update(event.done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def with_progress(run: Callable[[ProgressBar], T]) -> T:
    """`run(bar)`, the bar closed after, whatever happens."""
    bar = ProgressBar()
    try:
        return run(bar)
    finally:
        bar.close()
