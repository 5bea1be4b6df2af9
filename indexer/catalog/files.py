"""The files table: every file seen, what a scan saw of it, and whether it is indexed."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from indexer.catalog.db import Database
from indexer.catalog.records import FileRecord, FileState, path_key
from indexer.catalog.records import under as paths_under
from indexer.catalog.segments import INSERT
from indexer.media.segment import LINE
from indexer.wording import Message

COLUMNS = "id, path, size, mtime_ns, fingerprint, kind, status, error, duration, taken, content, sampled_s"


def _file(row: sqlite3.Row) -> FileRecord:
    record = FileRecord(row[0], Path(os.fsdecode(row[1])), *row[2:])
    return replace(record, error=Message.from_json(record.error)) if record.error is not None else record


class FileTable:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _records(self, where: str, params: Iterable[object] = ()) -> list[FileRecord]:
        return [_file(r) for r in self._db.rows(f"SELECT {COLUMNS} FROM files {where}", list(params))]

    def get(self, path: Path) -> FileRecord | None:
        found = self._records("WHERE path = ?", (path_key(path),))
        return found[0] if found else None

    def under(self, folder: Path) -> list[FileRecord]:
        """Every file at `folder` itself or below it."""
        return self._records(
            "WHERE path = ? OR (path >= ? AND path < ?)", (path_key(folder), *paths_under(folder))
        )

    def count_under(self, folder: Path) -> int:
        rows = self._db.rows(
            "SELECT COUNT(*) FROM files WHERE path = ? OR (path >= ? AND path < ?)",
            (path_key(folder), *paths_under(folder)),
        )
        return int(rows[0][0])

    def by_ids(self, file_ids: Iterable[int]) -> list[FileRecord]:
        return [
            _file(r) for r in self._db.rows_in(f"SELECT {COLUMNS} FROM files WHERE id IN ({{}})", file_ids)
        ]

    def dates(self, paths: Iterable[Path]) -> dict[Path, float]:
        """When each file was taken (its metadata), else last modified, in epoch seconds."""
        rows = self._db.rows_in(
            "SELECT path, COALESCE(taken, mtime_ns / 1e9) FROM files WHERE path IN ({})",
            (path_key(p) for p in paths),  # type: ignore[misc]
        )
        return {Path(os.fsdecode(r[0])): float(r[1]) for r in rows}

    def damaged(self) -> list[FileRecord]:
        """Indexed files that lost some of their content to damage (the note says how much)."""
        return self._records("WHERE status = 'indexed' AND error IS NOT NULL ORDER BY path")

    def all(self, status: str | None = None) -> list[FileRecord]:
        if status:
            return self._records("WHERE status = ? ORDER BY path", (status,))
        return self._records("ORDER BY path")

    def save(
        self,
        state: FileState,
        *,
        kind: str | None,
        status: str,
        error: str | None = None,
        duration: float | None = None,
        taken: float | None = None,
        sampled_s: float | None = None,
    ) -> int:
        """Insert or update a file's row; returns its id."""
        with self._db.transaction():
            self._db.execute(
                """INSERT INTO files
                     (path, size, mtime_ns, fingerprint, content, kind, status, error, duration, taken,
                      sampled_s, indexed_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(path) DO UPDATE SET
                     size = excluded.size, mtime_ns = excluded.mtime_ns,
                     fingerprint = excluded.fingerprint, content = excluded.content, kind = excluded.kind,
                     status = excluded.status, error = excluded.error,
                     duration = excluded.duration, taken = excluded.taken,
                     sampled_s = excluded.sampled_s, indexed_at = excluded.indexed_at""",
                (
                    path_key(state.path),
                    state.size,
                    state.mtime_ns,
                    state.fingerprint,
                    state.content,
                    kind,
                    status,
                    error.to_json() if isinstance(error, Message) else error,  # the window says it
                    duration,
                    taken,
                    sampled_s,
                    time.time(),
                ),
            )
            return int(
                self._db.execute("SELECT id FROM files WHERE path = ?", (path_key(state.path),)).fetchone()[0]
            )

    def touch(self, file_id: int, size: int, mtime_ns: int) -> None:
        """Record new stat data for a file whose content did not change."""
        with self._db.transaction():
            self._db.execute(
                "UPDATE files SET size = ?, mtime_ns = ? WHERE id = ?", (size, mtime_ns, file_id)
            )

    def indexed_twin(self, fingerprint: str, size: int) -> FileRecord | None:
        """An indexed file whose sampled fingerprint and size are these, if there is one
        (preferring one whose whole-file hash is known: only that can confirm a copy)."""
        found = self._records(
            "WHERE fingerprint = ? AND size = ? AND status = 'indexed' ORDER BY content IS NULL LIMIT 1",
            (fingerprint, size),
        )
        return found[0] if found else None

    def with_content(self, fingerprint: str) -> FileRecord | None:
        """Any file with this content, whatever its size or status (pictures are shared)."""
        found = self._records("WHERE fingerprint = ? LIMIT 1", (fingerprint,))
        return found[0] if found else None

    def move(self, file_id: int, state: FileState) -> None:
        """The same content under a new name: the row, its segments and vectors stay."""
        with self._db.transaction():
            self._db.execute(
                "UPDATE files SET path = ?, size = ?, mtime_ns = ?, content = COALESCE(?, content) "
                "WHERE id = ?",
                (path_key(state.path), state.size, state.mtime_ns, state.content, file_id),
            )

    def copy(self, source: FileRecord, state: FileState) -> tuple[list[int], list[int]]:
        """A second file with the same content: rows copied from `source`.

        Returns (source segment ids, new segment ids), pairwise.
        """
        with self._db.transaction():
            file_id = self.save(
                state,
                kind=source.kind,
                status="indexed",
                duration=source.duration,
                taken=source.taken,
                sampled_s=source.sampled_s,
            )
            rows = self._db.execute(  # its lines come with the lines (speech.copy)
                'SELECT id, modality, start, "end", t, kind FROM segments WHERE file_id = ? AND kind != ? '
                "ORDER BY id",
                (source.id, LINE),
            ).fetchall()
            new = [
                int(
                    self._db.execute(
                        INSERT,
                        (file_id, *r[1:]),
                    ).lastrowid
                    or 0
                )
                for r in rows
            ]
        return [r[0] for r in rows], new

    def delete(self, file_ids: Iterable[int]) -> None:
        """Delete files and their segments (the trigger logs the segments' removal)."""
        with self._db.transaction():
            self._db.executemany("DELETE FROM files WHERE id = ?", [(i,) for i in file_ids])

    def counts(self) -> dict[tuple[str, str], int]:
        """Number of files per (kind, status); kind is '?' where it is not known."""
        rows = self._db.rows("SELECT COALESCE(kind, '?'), status, COUNT(*) FROM files GROUP BY 1, 2")
        return {(r[0], r[1]): r[2] for r in rows}
