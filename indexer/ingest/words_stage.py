"""The words stage, after pictures and sounds are searchable: recognise the speech still
waiting, read the text in pictures, then embed the lines the words spaces lack. A speech
model or text reader that cannot load turns its part off for the session, with a warning
(a words model that cannot load leaves lines found by their letters, in line_vectors.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from indexer.errors import FramefindError
from indexer.ingest.line_vectors import LineVectors
from indexer.ingest.progress import ProgressEvent
from indexer.ingest.reading import ReadingReport, ReadingStage
from indexer.ingest.speech import SpeechReport, SpeechStage

log = logging.getLogger(__name__)

ProgressCallback = Callable[[ProgressEvent], None]
R = TypeVar("R")


class WordsStage:
    def __init__(self, speech: SpeechStage | None, reading: ReadingStage | None, lines: LineVectors) -> None:
        self._speech = speech
        self._reading = reading
        self._lines = lines
        self.off: dict[str, str] = {}  # "speech" or "reading": why it is off in this session
        # False once nothing was left, until the next write (the writer says): the watcher
        # asks four times a second when idle, and finding out costs a scan of the catalog.
        self.waiting = True

    def run(
        self, go_on: Callable[[], bool], on_progress: ProgressCallback | None, pieces: int | None
    ) -> SpeechReport:
        """All that is left, or `pieces` of each part, while `go_on()`."""
        speech, reading = self._speech, self._reading
        hear = (lambda: speech.run(go_on, on_progress, pieces)) if speech else None
        read = (lambda: reading.run(go_on, on_progress, pieces)) if reading else None
        report = self._part("speech", hear, SpeechReport(drained=True))
        report.reading = self._part("reading", read, ReadingReport(drained=True))
        lines = self._lines.run(go_on, pieces)
        report.lines_embedded = lines.embedded
        self.waiting = not (report.drained and report.reading.drained and lines.drained)
        report.drained = not self.waiting
        return report

    def _part(self, name: str, work: Callable[[], R] | None, nothing: R) -> R:
        """One part's run, or `nothing` when it is off (not set, or failed to load)."""
        if work is None or name in self.off:
            return nothing
        try:
            return work()
        except FramefindError as exc:
            self.off[name] = str(exc)
            log.warning("%s", exc)
            return nothing
