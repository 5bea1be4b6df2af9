"""The catalog: every file seen, its segments, the embedding spaces, the roots, and the
vector log the stores follow, in SQLite (WAL). It is the source of truth for the vector
stores too (docs/concurrency.md).

One `Catalog` per process and data folder; its tables are reached by name:
`catalog.files`, `catalog.segments`, `catalog.lines`, `catalog.speech`, `catalog.written`, `catalog.log`,
`catalog.spaces`,
`catalog.roots`.
Reads inside `catalog.reading()` see one snapshot of the database, whatever commits meanwhile;
writes inside `catalog.transaction()` commit together.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from indexer.catalog.db import Database
from indexer.catalog.files import FileTable
from indexer.catalog.lines import LineRow, LineTable
from indexer.catalog.records import (
    FileRecord,
    FileState,
    HeldRoot,
    NewSegment,
    SegmentFilter,
    SegmentRow,
    SpaceRecord,
)
from indexer.catalog.roots import RootTable
from indexer.catalog.segments import SegmentTable
from indexer.catalog.spaces import SpaceTable
from indexer.catalog.speech import Pending, SpeechFigures, SpeechTable
from indexer.catalog.vector_log import Changes, VectorLog
from indexer.catalog.written import ReadingFigures, Unread, WrittenTable


class Catalog:
    """The catalog database and its tables."""

    def __init__(self, path: Path) -> None:
        self.db = Database(path)
        self.path = path
        self.files = FileTable(self.db)
        self.segments = SegmentTable(self.db)
        self.lines = LineTable(self.db)
        self.speech = SpeechTable(self.db)
        self.written = WrittenTable(self.db)
        self.log = VectorLog(self.db)
        self.spaces = SpaceTable(self.db)
        self.roots = RootTable(self.db)

    @property
    def schema_version(self) -> int:
        return self.db.schema_version

    def transaction(self) -> AbstractContextManager[None]:
        return self.db.transaction()

    def reading(self) -> AbstractContextManager[None]:
        return self.db.reading()

    def make_durable(self) -> None:
        self.db.make_durable()

    def close(self) -> None:
        self.db.close()


__all__ = [
    "Catalog",
    "Changes",
    "FileRecord",
    "FileState",
    "HeldRoot",
    "LineRow",
    "NewSegment",
    "Pending",
    "ReadingFigures",
    "SegmentFilter",
    "SegmentRow",
    "SpaceRecord",
    "SpeechFigures",
    "Unread",
]
