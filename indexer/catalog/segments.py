"""The segments table: the photos, frames, audio windows and lines each file was cut into, joined
with their files for searches (filters, result rows, calibration samples)."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from indexer.catalog.db import Database
from indexer.catalog.records import NewSegment, SegmentFilter, SegmentRow, under
from indexer.media.segment import LINE

INSERT = """INSERT INTO segments (file_id, modality, start, "end", t, kind)
            VALUES (?, ?, ?, ?, ?, ?)"""
INDEXED = "FROM segments s JOIN files f ON f.id = s.file_id WHERE f.status = 'indexed'"


def _decoded_path(raw: bytes) -> Path:
    return Path(os.fsdecode(raw))


class SegmentTable:
    def __init__(self, db: Database) -> None:
        self._db = db
        # Paths of result rows, decoded once: a search makes thousands, and pathlib is slow
        self._path = functools.lru_cache(maxsize=100_000)(_decoded_path)

    def of_file(self, file_id: int) -> list[tuple[int, str, float | None]]:
        """(id, modality, start) of a file's segments, in the order they were extracted."""
        rows = self._db.rows(
            "SELECT id, modality, start FROM segments WHERE file_id = ? ORDER BY id", (file_id,)
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def photo_ids(self, file_ids: Iterable[int]) -> dict[int, int]:
        """file id → the id of its photo segment, for those of these files that are photos."""
        rows = self._db.rows_in(
            "SELECT file_id, id FROM segments WHERE kind = 'photo' AND file_id IN ({})", file_ids
        )
        return {r[0]: r[1] for r in rows}

    def ids_of_files(self, file_ids: Iterable[int]) -> list[int]:
        return [r[0] for r in self._db.rows_in("SELECT id FROM segments WHERE file_id IN ({})", file_ids)]

    def replace(self, file_id: int, segments: Sequence[NewSegment]) -> list[int]:
        """Swap a file's decoded segments for new ones (the old ones' removal is logged by the
        trigger; its lines keep theirs: they go with the lines); returns the new ids in order."""
        with self._db.transaction():
            self._db.execute("DELETE FROM segments WHERE file_id = ? AND kind != ?", (file_id, LINE))
            return [
                int(
                    self._db.execute(
                        INSERT,
                        (file_id, s.modality, s.start, s.end, s.t, s.segment_kind),
                    ).lastrowid
                    or 0
                )
                for s in segments
            ]

    def expected_ids(self, kinds: Iterable[str]) -> set[int]:
        """Ids that a space embedding these segment kinds must hold: segments of indexed files."""
        wanted = list(kinds)
        rows = self._db.rows(f"SELECT s.id {INDEXED} AND s.kind IN ({','.join('?' * len(wanted))})", wanted)
        return {r[0] for r in rows}

    def expected_count(self, kinds: Iterable[str]) -> int:
        """How many vectors a space embedding these segment kinds should hold (counted in SQL)."""
        wanted = list(kinds)
        rows = self._db.rows(
            f"SELECT COUNT(*) {INDEXED} AND s.kind IN ({','.join('?' * len(wanted))})", wanted
        )
        return int(rows[0][0])

    def files_of(self, segment_ids: Iterable[int]) -> set[int]:
        return {
            r[0]
            for r in self._db.rows_in("SELECT DISTINCT file_id FROM segments WHERE id IN ({})", segment_ids)
        }

    def rows(self, segment_ids: Iterable[int]) -> dict[int, SegmentRow]:
        """Segments with their files, for ids that are still in the catalog and indexed."""
        found = self._db.rows_in(
            """SELECT s.id, f.id, f.path, f.kind, s.modality, s.start, s."end", s.t
               FROM segments s JOIN files f ON f.id = s.file_id
               WHERE s.id IN ({}) AND f.status = 'indexed'""",
            segment_ids,
        )
        return {r[0]: SegmentRow(r[0], r[1], self._path(r[2]), *r[3:]) for r in found}

    def ids_matching(self, filters: SegmentFilter) -> np.ndarray:
        """Segment ids of indexed files that pass the filters, sorted (stores take them as they are)."""
        where, params = file_conditions(filters)
        sql = f"SELECT s.id {INDEXED}" + "".join(f" AND {w}" for w in where)
        return np.sort(np.fromiter((r[0] for r in self._db.rows(sql, params)), dtype=np.int64))

    def sample_ids(self, modality: str, size: int, seed: int) -> np.ndarray:
        """A repeatable random sample of indexed segments of one modality (for calibration),
        in random order, so that any prefix of it is a random sample too."""
        rows = self._db.rows(f"SELECT s.id {INDEXED} AND s.modality = ?", (modality,))
        ids = np.asarray([r[0] for r in rows], dtype=np.int64)
        return np.random.default_rng(seed).permutation(ids)[:size]

    def count(self) -> int:
        return int(self._db.rows("SELECT COUNT(*) FROM segments")[0][0])


def file_conditions(filters: SegmentFilter) -> tuple[list[str], list[object]]:
    """SQL conditions on the files table (as `f`) for the filters, and their values."""
    where: list[str] = []
    params: list[object] = []
    if filters.kinds:
        kinds = list(filters.kinds)
        where.append(f"f.kind IN ({','.join('?' * len(kinds))})")
        params += kinds
    if filters.folder is not None:
        where.append("f.path >= ? AND f.path < ?")
        params += under(filters.folder)
    when = "COALESCE(f.taken, f.mtime_ns / 1e9)"
    for sql, value in (
        (f"{when} >= ?", filters.after),
        (f"{when} < ?", filters.before),
        ("f.duration >= ?", filters.min_duration),
        ("f.duration <= ?", filters.max_duration),
    ):
        if value is not None:
            where.append(sql)
            params.append(value)
    return where, params
