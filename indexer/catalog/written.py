"""Text read in pictures: the `reading` table says which photos and videos had their text
read, and with which reader. A file's written lines are saved with its row in one
transaction, so a kill loses at most the file being read; another reader reads the library
again, the old lines giving way file by file."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from indexer.catalog.db import Database
from indexer.catalog.lines import WRITTEN, NewLine, copy_lines, insert_lines

SHOWN = ("photo", "video")


@dataclass(frozen=True, slots=True)
class Unread:
    file_id: int
    path: Path
    kind: str


@dataclass(frozen=True, slots=True)
class ReadingFigures:
    files_left: int
    pictures: int  # looked at so far, all files
    read: int  # of those, passed by the gate to the recogniser


_UNREAD = """
    FROM files f LEFT JOIN reading r ON r.file_id = f.id
    WHERE f.kind IN ('photo', 'video') AND f.status = 'indexed' AND (r.file_id IS NULL OR r.reader != ?)
"""


class WrittenTable:
    def __init__(self, db: Database) -> None:
        self._db = db

    def unread(self, reader: str, limit: int = 100) -> list[Unread]:
        rows = self._db.rows(f"SELECT f.id, f.path, f.kind {_UNREAD} ORDER BY f.id LIMIT ?", (reader, limit))
        return [Unread(r[0], Path(os.fsdecode(r[1])), r[2]) for r in rows]

    def judged_photos(self, reader: str, limit: int) -> list[tuple[int, bool]]:
        """(file id, whether text was read in it) of the photos this reader looked at, the
        most recent first: what the text gate learns from (text_gate.py)."""
        rows = self._db.rows(
            """SELECT r.file_id, EXISTS (SELECT 1 FROM lines l WHERE l.file_id = r.file_id AND l.source = ?)
               FROM reading r JOIN files f ON f.id = r.file_id
               WHERE r.reader = ? AND f.kind = 'photo' AND r.pictures > 0 ORDER BY r.rowid DESC LIMIT ?""",
            (WRITTEN, reader, limit),
        )
        return [(r[0], bool(r[1])) for r in rows]

    def figures(self, reader: str) -> ReadingFigures:
        left = self._db.rows(f"SELECT COUNT(*) {_UNREAD}", (reader,))[0][0]
        seen = self._db.rows("SELECT SUM(pictures), SUM(read) FROM reading WHERE reader = ?", (reader,))[0]
        return ReadingFigures(int(left), int(seen[0] or 0), int(seen[1] or 0))

    def save(self, file_id: int, reader: str, lines: Sequence[NewLine], pictures: int, read: int) -> None:
        """A file's written lines, in place of any it had. Call inside a transaction."""
        self._db.execute("DELETE FROM lines WHERE file_id = ? AND source = ?", (file_id, WRITTEN))
        insert_lines(self._db, file_id, lines)
        self._db.execute(
            "INSERT OR REPLACE INTO reading (file_id, reader, pictures, read) VALUES (?, ?, ?, ?)",
            (file_id, reader, pictures, read),
        )

    def copy(self, source_id: int, file_id: int) -> None:
        """A copy of a file shows what the original shows (call inside a transaction)."""
        copy_lines(self._db, source_id, file_id, WRITTEN)
        self._db.execute(
            "INSERT OR REPLACE INTO reading SELECT ?, reader, pictures, read FROM reading WHERE file_id = ?",
            (file_id, source_id),
        )
