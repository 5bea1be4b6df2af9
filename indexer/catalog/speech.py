"""The speech table: how far each recording's and video's speech recognition has come, and
with which model. Each piece's lines commit with the piece, so a kill in a three-hour
recording loses one piece, and a new model transcribes again, piece by piece, the old
lines giving way as the new ones come."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from indexer.catalog.db import Database
from indexer.catalog.lines import SAID_BY_THE_FILE, NewLine, copy_lines, insert_lines

SPOKEN = ("video", "audio")


@dataclass(frozen=True, slots=True)
class Pending:
    """A file whose speech is still to be recognised, from `done_s` on."""

    file_id: int
    path: Path
    done_s: float
    duration: float | None

    @property
    def left_s(self) -> float:
        return max(0.0, (self.duration or 0.0) - self.done_s)


@dataclass(frozen=True, slots=True)
class SpeechFigures:
    files_left: int
    seconds_left: float  # of audio still to read
    heard_s: float  # audio read so far, all files
    speech_s: float  # of that, what voice detection kept


_PENDING = f"""
    FROM files f LEFT JOIN speech s ON s.file_id = f.id
    WHERE f.kind IN ('video', 'audio') AND f.status = 'indexed' AND f.words_read = 1
      AND (s.file_id IS NULL OR s.model != ? OR s.finished = 0)
      AND NOT EXISTS (SELECT 1 FROM lines l WHERE l.file_id = f.id AND l.source IN {SAID_BY_THE_FILE})
"""


class SpeechTable:
    def __init__(self, db: Database) -> None:
        self._db = db

    def pending(self, model: str, limit: int = 100) -> list[Pending]:
        """Files without subtitles whose speech `model` has not finished: one begun first
        (it resumes), then the rest in the order they were indexed."""
        rows = self._db.rows(
            f"SELECT f.id, f.path, CASE WHEN s.model = ? THEN s.done_s ELSE 0 END, f.duration {_PENDING} "
            "ORDER BY (s.model = ? AND s.done_s > 0) DESC, f.id LIMIT ?",
            (model, model, model, limit),
        )
        return [Pending(r[0], Path(os.fsdecode(r[1])), r[2], r[3]) for r in rows]

    def figures(self, model: str) -> SpeechFigures:
        left = self._db.rows(
            f"SELECT COUNT(*), SUM(MAX(COALESCE(f.duration, 0) - "
            f"CASE WHEN s.model = ? THEN s.done_s ELSE 0 END, 0)) {_PENDING}",
            (model, model),
        )[0]
        heard = self._db.rows("SELECT SUM(heard_s), SUM(speech_s) FROM speech")[0]
        return SpeechFigures(int(left[0]), float(left[1] or 0), float(heard[0] or 0), float(heard[1] or 0))

    def save_piece(
        self,
        file_id: int,
        model: str,
        span: tuple[float, float],
        lines: Sequence[NewLine],
        finished: bool,
        speech_s: float,
    ) -> None:
        """The lines recognised in `span` (seconds) replace the file's speech lines there (to
        the end when `finished`: an older model's lines past the last piece go too), and the
        file's progress moves to the span's end. Call inside a transaction."""
        start, end = span
        self._db.execute(
            "DELETE FROM lines WHERE file_id = ? AND source = 'speech' AND start >= ? AND (start < ? OR ?)",
            (file_id, start, end, finished),
        )
        insert_lines(self._db, file_id, lines)
        self._db.execute(
            "INSERT INTO speech (file_id, model, done_s, finished, heard_s, speech_s) "
            "VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (file_id) DO UPDATE SET done_s = excluded.done_s, finished = excluded.finished, "
            "heard_s = CASE WHEN model = excluded.model THEN heard_s ELSE 0 END + excluded.heard_s, "
            "speech_s = CASE WHEN model = excluded.model THEN speech_s ELSE 0 END + excluded.speech_s, "
            "model = excluded.model",
            (file_id, model, end, finished, end - start, speech_s),
        )

    def copy(self, source_id: int, file_id: int) -> None:
        """A copy of a file says what the original says (call inside a transaction)."""
        copy_lines(self._db, source_id, file_id, "speech")
        self._db.execute(
            "INSERT OR REPLACE INTO speech SELECT ?, model, done_s, finished, heard_s, speech_s "
            "FROM speech WHERE file_id = ?",
            (file_id, source_id),
        )
