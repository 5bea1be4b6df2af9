"""The reading stage: text in photos and video frames, read after pictures and sounds are
searchable (like speech), into the words index as lines with source "written".

A picture is read only when the detector's quick look at a small copy finds text
(TextReader.look), and what it found is what the recogniser reads; a photo is not even
looked at when the text gate, which learns from the detector's verdicts on this library,
says its picture vector is clearly one without (text_gate.py). A video's frames are
sampled as for its pictures; a frame like the one last looked at (a slide still shown) is
not looked at again, and text read in consecutive frames is one line spanning them: a slide
shown for four minutes is one line, 12:10 to 16:10.
A file commits with its lines, so a kill loses at most the file being read.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from indexer.catalog import Catalog, Unread
from indexer.catalog.lines import WRITTEN
from indexer.errors import MediaError
from indexer.ingest.photo_vectors import PhotoVectors
from indexer.ingest.progress import ProgressEvent
from indexer.ingest.text_gate import MOST, Decision, TextGate
from indexer.media.image import decode_image
from indexer.media.subtitles import Line
from indexer.media.video import video_frames
from indexer.models.reader import GATE_LONGEST, GATE_SIDE, READ_SHORTER, READ_SIDE, Block, TextReader
from indexer.vectors.space import Space

log = logging.getLogger(__name__)

FRAME_SIDE = 1280  # a video frame is read at 720p at most: slides and captions are large
# A frame shows what the last one looked at did unless this share of its pixels changed
# clearly (at a size where a slide's new title still shows as a few hundred pixels).
CHANGED_SHARE = 0.002
CHANGED_GREY = 24  # of 255: less is noise and compression
_GLANCE = (128, 72)


@dataclass
class ReadingReport:
    files: int = 0
    pictures: int = 0  # photos and frames looked at
    read: int = 0  # of those, passed by the gate to the recogniser
    skipped: int = 0  # photos the text gate kept from the detector, by their picture vector
    explored: int = 0  # photos it would have skipped, looked at to count what it misses
    missed: int = 0  # of those, photos with text
    lines: int = 0
    failed: int = 0  # files that could not be decoded now (a change reads them again)
    drained: bool = False

    def summary(self) -> str:
        """ "Read the text in 40 files: 12 of 300 pictures held text, 31 lines (the text gate
        kept 90 photos from the detector)." """
        kept = f" (the text gate kept {self.skipped} photo{'s' * (self.skipped != 1)} from the detector)"
        return (
            f"Read the text in {self.files} file{'s' * (self.files != 1)}: {self.read} of {self.pictures} "
            f"picture{'s' * (self.pictures != 1)} held text, {self.lines} line{'s' * (self.lines != 1)}"
            f"{kept if self.skipped else ''}."
        )


class _Stopped(Exception):
    """Reading was stopped in the middle of a video."""


@dataclass
class _Span:
    """Text seen in consecutive frames."""

    block: Block
    start: float
    end: float


@dataclass
class _Film:
    """What reading a video found so far."""

    open: dict[str, _Span] = field(default_factory=dict)
    closed: list[_Span] = field(default_factory=list)
    glance: np.ndarray | None = None  # the last frame looked at, small and grey

    def lines(self) -> list[Line]:
        spans = sorted([*self.closed, *self.open.values()], key=lambda s: (s.start, s.block.box[1]))
        return [_line(s.block, s.start, s.end) for s in spans]


class ReadingStage:
    """Reads the text of photos and videos not yet read by this reader, while `go_on()`."""

    def __init__(
        self,
        catalog: Catalog,
        reader: TextReader,
        max_pixels: int,
        interval_s: float,
        spaces: Sequence[Space] = (),
    ) -> None:
        """`spaces`: where the photos' picture vectors are, which the text gate decides by
        (none: the detector looks at every photo)."""
        self._catalog = catalog
        self._reader = reader
        self._max_pixels = max_pixels
        self._interval_s = interval_s
        self._vectors = PhotoVectors(catalog, spaces)
        self._gate: TextGate | None = None  # taught from the catalog on first use

    def run(
        self,
        go_on: Callable[[], bool],
        on_progress: Callable[[ProgressEvent], None] | None = None,
        files: int | None = None,
    ) -> ReadingReport:
        report = ReadingReport()
        reader = self._reader.identity
        started = time.monotonic()
        total = self._catalog.written.figures(reader).files_left if on_progress is not None else 0
        while go_on() and (files is None or report.files < files):
            waiting = self._catalog.written.unread(reader, limit=1)
            if not waiting:
                report.drained = True
                break
            file = waiting[0]
            if on_progress is not None:
                on_progress(self._progress(report, total, file.path, started))
            self._read(file, reader, report, go_on)
        return report

    def _read(self, file: Unread, reader: str, report: ReadingReport, go_on: Callable[[], bool]) -> None:
        before = (report.pictures, report.read)
        try:
            if file.kind == "video":
                lines = self._video(file.path, report, go_on)
            else:
                lines = self._photo(file, report)
        except _Stopped:  # a long video is read again from its start next time
            return
        except MediaError as exc:  # unreadable now: recorded as read, a change reads it again
            log.info("no text read from %s: %s", file.path, exc.reason)
            report.failed += 1
            lines = []
        with self._catalog.transaction():
            pictures, read = report.pictures - before[0], report.read - before[1]
            self._catalog.written.save(file.file_id, reader, lines, pictures, read)
        report.files += 1
        report.lines += len(lines)

    def _photo(self, file: Unread, report: ReadingReport) -> list[Line]:
        gate = self._taught_gate()
        vector = self._vectors.of([file.file_id]).get(file.file_id)
        decision = gate.decide(vector)
        if decision is Decision.SKIP:
            report.skipped += 1
            return []
        # The detector looks at a small decode (a 12 MP JPEG at 1/8 scale: 14 ms against 40 at
        # 1/4); only a photo with text is decoded again, large enough to read.
        report.pictures += 1
        look = None  # a photo the gate sends straight to the recogniser: the detector looks there
        if decision is not Decision.READ:
            look = self._reader.look(decode_image(file.path, self._max_pixels, GATE_LONGEST, GATE_SIDE))
            report.explored += decision is Decision.EXPLORE
            report.missed += decision is Decision.EXPLORE and look.has_text
            if not look.has_text:
                gate.learn(vector, False)
                return []
        report.read += 1
        blocks = self._reader.read(decode_image(file.path, self._max_pixels, READ_SIDE, READ_SHORTER), look)
        gate.learn(vector, bool(blocks))  # what it learns: whether a photo has text to read
        return [_line(b, 0.0, 0.0) for b in blocks]

    def _taught_gate(self) -> TextGate:
        """The gate, taught on first use by the detector's verdicts already in the catalog."""
        if self._gate is None:
            self._gate = TextGate()
            judged = self._catalog.written.judged_photos(self._reader.identity, MOST)[::-1]
            vectors = self._vectors.of([file_id for file_id, _ in judged])
            for file_id, had_text in judged:
                self._gate.learn(vectors.get(file_id), had_text)
        return self._gate

    def _video(self, path: Path, report: ReadingReport, go_on: Callable[[], bool]) -> list[Line]:
        film = _Film()
        for frame in video_frames(path, self._interval_s, FRAME_SIDE, self._max_pixels):
            if not go_on():  # searches first, a pause waits, a stop ends the film here
                raise _Stopped
            start, end = frame.start or 0.0, frame.end or 0.0
            glance = np.asarray(frame.data.convert("L").resize(_GLANCE), np.float32)
            if film.glance is not None and _same(glance, film.glance):
                for span in film.open.values():  # the same picture: what it shows goes on
                    span.end = end
                continue
            film.glance = glance
            _seen(film, self._blocks(frame.data, report), start, end)
        return film.lines()

    def _blocks(self, image: Image.Image, report: ReadingReport) -> list[Block]:
        report.pictures += 1
        look = self._reader.look(image)
        if not look.has_text:
            return []
        report.read += 1
        return self._reader.read(image, look)

    def _progress(self, report: ReadingReport, total: int, current: Path, started: float) -> ProgressEvent:
        working = max(time.monotonic() - started, 1e-9)
        return ProgressEvent(
            total=max(total, report.files + 1),
            done=report.files,
            failed=0,  # a picture unreadable now is not a file left out of the index
            current=current,
            rate=report.files / working,
            eta_s=(total - report.files) * working / report.files if report.files else None,
            stage="reading",
        )


def _same(glance: np.ndarray, before: np.ndarray) -> bool:
    return float((np.abs(glance - before) > CHANGED_GREY).mean()) < CHANGED_SHARE


def _seen(film: _Film, blocks: Iterable[Block], start: float, end: float) -> None:
    """A frame's blocks: text still shown extends its span, new text opens one, text gone closes."""
    shown = {}
    for block in blocks:
        key = " ".join(block.text.casefold().split())
        span = film.open.get(key)
        if span is not None:
            span.end = end
        else:
            span = _Span(block, start, end)
        shown[key] = span
    film.closed += [span for key, span in film.open.items() if key not in shown]
    film.open = shown


def _line(block: Block, start: float, end: float) -> Line:
    return Line(start, end, block.text, None, WRITTEN, (), block.box)
