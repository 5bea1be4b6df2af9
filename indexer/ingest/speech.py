"""The speech stage: what is said in recordings and videos without subtitles, recognised after
their pictures and sounds are searchable (a new library is searchable by picture in minutes,
by words later).

A file is read a piece at a time from where its recognition stopped. Voice detection finds
the speech in the piece; up to one Whisper window of it (30 s) is packed together, recognised
in one call, and the piece commits with its lines, cut in a pause so no word is split. A kill
loses one piece; the next run starts from the last cut, and reads exactly what an
uninterrupted run would have read there (each piece is decoded afresh from its cut). A piece
with no voice costs the voice detector only.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from indexer.catalog import Catalog, Pending
from indexer.errors import MediaError
from indexer.ingest.progress import ProgressEvent
from indexer.ingest.reading import ReadingReport
from indexer.media.audio import resampled_chunks
from indexer.media.subtitles import Line
from indexer.models.speech import RATE, WINDOW_S, Heard, Recogniser, Word

log = logging.getLogger(__name__)

PIECE_S = 60.0  # audio read at a time
TAIL_S = 1.0  # speech this close to a piece's end may go on past it: it waits for the next piece
LINE_GAP_S = 1.0  # a pause this long ends a line
LINE_MAX_S = 8.0  # a line is a few seconds: a search result quotes one
_SENTENCE_END = re.compile(r"[.?!。？！]$")

Span = tuple[float, float]


@dataclass
class SpeechReport:
    files: int = 0  # finished
    pieces: int = 0
    windows: int = 0  # recogniser calls
    heard_s: float = 0.0  # audio read
    speech_s: float = 0.0  # of that, voice
    lines: int = 0
    drained: bool = False  # nothing was left to recognise (Writer.transcribe: nor to embed)
    lines_embedded: int = 0  # lines given vectors in the words spaces
    reading: ReadingReport = field(default_factory=ReadingReport)  # text read in pictures meanwhile

    def summary(self) -> str:
        """ "Transcribed 3 recordings: 12 min of audio, 7 min of speech, 140 lines. 140 lines
        embedded for their meaning." """
        said = ""
        if self.pieces:
            files = f"{self.files} recording{'s' * (self.files != 1)}"
            files = files if self.files else "part of a recording"
            said = (
                f"Transcribed {files}: {_minutes(self.heard_s)} of audio, {_minutes(self.speech_s)} of "
                f"speech, {self.lines} line{'s' * (self.lines != 1)}."
            )
        if self.reading.files:
            said += " " + self.reading.summary()
        if self.lines_embedded:
            lines = f"{self.lines_embedded} line{'s' * (self.lines_embedded != 1)}"
            said += f" {lines} embedded for their meaning."
        return said.strip()


def _minutes(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


@dataclass(frozen=True)
class Piece:
    start: float  # seconds into the file
    samples: np.ndarray
    last: bool  # the file ends in it

    @property
    def seconds(self) -> float:
        return len(self.samples) / RATE


class SpeechStage:
    """Recognises the speech of files still waiting for it, piece by piece, while `go_on()`."""

    def __init__(self, catalog: Catalog, recogniser: Recogniser) -> None:
        self._catalog = catalog
        self._recogniser = recogniser

    def run(
        self,
        go_on: Callable[[], bool],
        on_progress: Callable[[ProgressEvent], None] | None = None,
        pieces: int | None = None,
    ) -> SpeechReport:
        """Work until nothing is left, `go_on()` turns False, or `pieces` pieces are done."""
        report = SpeechReport()
        model = self._recogniser.identity
        started = time.monotonic()
        # What is left is counted for the progress bar only: the count scans the catalog.
        total = self._catalog.speech.figures(model).files_left if on_progress is not None else 0
        while go_on() and (pieces is None or report.pieces < pieces):
            waiting = self._catalog.speech.pending(model, limit=1)
            if not waiting:
                report.drained = True
                break
            file = waiting[0]
            if on_progress is not None:
                on_progress(self._progress(model, report, total, file.path, started))
            self._piece(file, model, report)
        return report

    def _piece(self, file: Pending, model: str, report: SpeechReport) -> None:
        try:
            piece = read_piece(file.path, file.done_s)
            voice = self._recogniser.voice(piece.samples)
            taken, cut = plan_cut(voice, piece.seconds, piece.last)
            lines = self._recognised(piece, taken, report) if taken else []
        except MediaError as exc:  # a silent video, or unreadable now: a change reads it again
            log.info("no speech read from %s: %s", file.path, exc.reason)
            piece, taken, cut, lines = Piece(file.done_s, np.empty(0, np.float32), True), [], 0.0, []
        log.debug("%s from %.3f s: %d voice stretches, cut at %.3f", file.path, piece.start, len(taken), cut)
        finished = piece.last and cut >= piece.seconds
        speech_s = sum(b - a for a, b in taken)
        with self._catalog.transaction():
            span = (piece.start, piece.start + cut)
            self._catalog.speech.save_piece(file.file_id, model, span, lines, finished, speech_s)
        report.pieces += 1
        report.files += finished
        report.heard_s += cut
        report.speech_s += speech_s
        report.lines += len(lines)

    def _recognised(self, piece: Piece, taken: list[Span], report: SpeechReport) -> list[Line]:
        parts = [piece.samples[int(a * RATE) : int(b * RATE)] for a, b in taken]
        heard = self._recogniser.recognise(np.concatenate(parts))
        report.windows += 1
        return lines_from(heard, taken, piece.start)

    def _progress(
        self, model: str, report: SpeechReport, total: int, current: Path, started: float
    ) -> ProgressEvent:
        figures = self._catalog.speech.figures(model)
        working = max(time.monotonic() - started, 1e-9)
        rate = report.heard_s / working  # seconds of audio per second
        return ProgressEvent(
            total=max(total, report.files + figures.files_left),
            done=report.files,
            failed=0,
            current=current,
            rate=report.files / working,
            eta_s=figures.seconds_left / rate if rate > 0 else None,
            stage="transcribing",
            audio_left_s=figures.seconds_left,
        )


def plan_cut(voice: list[Span], seconds: float, last: bool) -> tuple[list[Span], float]:
    """Which stretches of voice one recogniser window takes, and where the piece ends: in the
    pause after the last one taken, never inside speech. Voice that reaches the piece's end
    (unless the file ends there) and what does not fit the window wait for the next piece."""
    complete = [v for v in voice if last or v[1] < seconds - TAIL_S]
    taken: list[Span] = []
    for span in complete:
        if taken and sum(b - a for a, b in taken) + span[1] - span[0] > WINDOW_S - 1:
            break
        taken.append(span)
    rest = voice[len(taken) :]
    if not rest:
        return taken, seconds if last else max(seconds - TAIL_S, taken[-1][1] if taken else 0.0)
    if not taken and rest[0][0] <= 0:  # voice from the start to past the end: take it whole
        return [rest[0]], rest[0][1]
    return taken, (taken[-1][1] + rest[0][0]) / 2 if taken else rest[0][0]


def lines_from(heard: Heard, taken: list[Span], offset: float) -> list[Line]:
    """The recognised words, back on the file's clock, as lines: one stretch of voice or
    less, split at pauses and after sentences once a line is long enough."""
    starts = np.cumsum([0.0] + [b - a for a, b in taken])
    groups: dict[int, list[Word]] = {}
    for word in heard.words:
        middle = (word.start + word.end) / 2
        i = int(np.clip(np.searchsorted(starts, middle, side="right") - 1, 0, len(taken) - 1))
        shift = offset + taken[i][0] - starts[i]
        end = min(word.end + shift, offset + taken[i][1])
        groups.setdefault(i, []).append(Word(min(word.start + shift, end), end, word.text))
    return [line for i in sorted(groups) for line in _split(groups[i], heard.language)]


def _split(words: list[Word], language: str | None) -> Iterator[Line]:
    line: list[Word] = []
    for word in words:
        if line and (
            word.start - line[-1].end > LINE_GAP_S
            or word.end - line[0].start > LINE_MAX_S
            or (_SENTENCE_END.search(line[-1].text.strip()) and line[-1].end - line[0].start > 2)
        ):
            yield _line(line, language)
            line = []
        line.append(word)
    if line:
        yield _line(line, language)


def _line(words: list[Word], language: str | None) -> Line:
    text, timed = "", []
    for word in words:
        piece = word.text if text else word.text.lstrip()
        timed.append((len(text) + len(piece) - len(piece.lstrip()), word.start, word.end))
        text += piece
    return Line(words[0].start, words[-1].end, text.rstrip(), language, "speech", tuple(timed))


def read_piece(path: Path, start: float) -> Piece:
    """PIECE_S seconds of 16 kHz mono from `start`, placed by the decoder's timestamps (a
    dropout stays silent), decoded afresh from a seek."""
    wanted = int(PIECE_S * RATE)
    out = np.zeros(wanted, np.float32)
    filled = 0
    chunks = resampled_chunks(path, RATE, from_s=start)
    with contextlib.closing(chunks):
        for at_s, samples in chunks:
            at = filled if at_s is None else round((at_s - start) * RATE)
            if at < filled:
                samples = samples[filled - at :]
                at = filled
            room = wanted - at
            if room <= 0:  # a dropout to past this piece: silence
                return Piece(start, out, False)
            out[at : at + min(room, len(samples))] = samples[:room]
            filled = at + min(room, len(samples))
            if filled >= wanted:
                return Piece(start, out, False)
    return Piece(start, out[:filled], True)
