"""The catalog: every file seen, its segments, and the embedding spaces, in SQLite (WAL).

It is the source of truth for the vector stores too: every vector change is written to
`vector_log` in the same transaction as the catalog change it belongs to (removals by a
trigger on `segments`, so no code path can forget one), and stores only ever apply what
is committed there. A rolled-back transaction therefore leaves no vector behind, and
since SQLite may hand a rolled-back AUTOINCREMENT id out again, that matters: a store
never holds an id the catalog has not committed. Each space records the last log entry
its checkpoint file holds; the log is truncated up to there.

Paths are stored as bytes (os.fsencode) so any file name the OS allows round-trips.
Reads inside `reading()` see one snapshot of the database, whatever commits meanwhile.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import threading
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.media.segment import MediaSegment
from indexer.store import Changes

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        path BLOB NOT NULL UNIQUE,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        fingerprint TEXT NOT NULL,
        kind TEXT,
        status TEXT NOT NULL CHECK (status IN ('indexed', 'failed', 'pending')),
        error TEXT,
        duration REAL,
        indexed_at REAL
    );
    CREATE TABLE segments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        modality TEXT NOT NULL,
        start REAL,
        "end" REAL,
        t REAL
    );
    CREATE INDEX segments_by_file ON segments(file_id);
    CREATE TABLE spaces (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        identity TEXT NOT NULL UNIQUE,
        model TEXT NOT NULL,
        revision TEXT,
        dim INTEGER NOT NULL,
        modalities TEXT NOT NULL,
        created_at REAL NOT NULL
    );
    """,
    # 2: find moved and copied files by content; build a new space beside the one in use.
    """
    CREATE INDEX files_by_fingerprint ON files(fingerprint);
    ALTER TABLE spaces ADD COLUMN state TEXT NOT NULL DEFAULT 'active'
        CHECK (state IN ('building', 'active'));
    """,
    # 3: capture dates (EXIF, container tags) for date filters.
    """
    ALTER TABLE files ADD COLUMN taken REAL;
    """,
    # 4: vector changes follow commits through a log; checkpoints say how far they got;
    # roots remember their device, and hold deletions when they suddenly look empty.
    """
    CREATE TABLE vector_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        space_id INTEGER REFERENCES spaces(id) ON DELETE CASCADE,
        segment_id INTEGER NOT NULL,
        vector BLOB
    );
    CREATE INDEX vector_log_by_space ON vector_log(space_id, seq);
    CREATE TRIGGER segments_removed AFTER DELETE ON segments BEGIN
        INSERT INTO vector_log (space_id, segment_id, vector) VALUES (NULL, OLD.id, NULL);
    END;
    ALTER TABLE spaces ADD COLUMN checkpoint_seq INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE spaces ADD COLUMN needs_check INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE roots (
        path BLOB PRIMARY KEY,
        device INTEGER,
        held_reason TEXT,
        held_files INTEGER NOT NULL DEFAULT 0,
        unsupported TEXT
    );
    """,
    # 5: a hash of the whole file confirms what the sampled fingerprint suggests (NULL: taken
    # before this version; such a file is not trusted as unchanged, moved or copied).
    # A space remembers what its model was (models.model_digest), so a folder updated in place
    # is seen to be another model.
    """
    ALTER TABLE files ADD COLUMN content TEXT;
    ALTER TABLE spaces ADD COLUMN model_digest TEXT;
    """,
)


@dataclass(frozen=True)
class FileRecord:
    id: int
    path: Path
    size: int
    mtime_ns: int
    fingerprint: str
    kind: str | None
    status: str
    error: str | None
    duration: float | None
    taken: float | None = None  # capture time from metadata (EXIF, container tags)
    content: str | None = None  # hash of the whole file (fingerprint.content_hash)


@dataclass(frozen=True)
class SegmentRow:
    """A segment joined with its file: what a search hit needs to be shown."""

    id: int
    file_id: int
    path: Path
    kind: str
    modality: str
    start: float | None
    end: float | None
    t: float | None


@dataclass(frozen=True)
class SegmentFilter:
    """Which files a search may return (None and empty: no limit)."""

    kinds: frozenset[str] = frozenset()
    folder: Path | None = None
    after: float | None = None  # capture time (else modification time), epoch seconds
    before: float | None = None
    min_duration: float | None = None
    max_duration: float | None = None


@dataclass(frozen=True)
class SpaceRecord:
    id: int
    name: str
    identity: str
    model: str
    revision: str | None
    dim: int
    modalities: tuple[str, ...]
    state: str  # "building" until every indexed segment has its vector, then "active"
    checkpoint_seq: int = 0  # the last vector_log entry the checkpoint file holds
    needs_check: bool = False  # compare the store with the catalog id by id on next open
    model_digest: str | None = None  # what the model was when its vectors were made (None: not known)


@dataclass(frozen=True)
class HeldRoot:
    """A folder whose files vanished all at once (unmounted, unplugged, emptied share):
    they are kept in the index until the user confirms or the folder comes back."""

    path: Path
    reason: str
    files: int


@dataclass(frozen=True)
class FileState:
    """What a scan saw of a file on disk."""

    path: Path
    size: int
    mtime_ns: int
    fingerprint: str
    content: str | None = None  # the whole file's hash, once read


def _statements(script: str) -> Iterator[str]:
    """The SQL statements of a script (a trigger's body holds semicolons of its own)."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                yield pending
            pending = ""


def _key(path: Path) -> bytes:
    return os.fsencode(path)


def _under(folder: Path) -> tuple[bytes, bytes]:
    """Bounds of the byte range holding every path strictly below `folder`."""
    base = _key(folder).rstrip(b"/")
    return base + b"/", base + b"0"  # "0" is the byte right after "/"


_FILE_COLUMNS = "id, path, size, mtime_ns, fingerprint, kind, status, error, duration, taken, content"


def _file(row: sqlite3.Row) -> FileRecord:
    return FileRecord(row[0], Path(os.fsdecode(row[1])), *row[2:])


def _decoded_path(raw: bytes) -> Path:
    return Path(os.fsdecode(raw))


class Catalog:
    """Typed access to the catalog database; one instance per process and data folder."""

    def __init__(self, path: Path) -> None:
        # Paths of result rows, decoded once: a search makes thousands, and pathlib is slow
        self._path = functools.lru_cache(maxsize=100_000)(_decoded_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._depth = 0
        self._db = self._connect()
        self._local = threading.local()  # this thread's snapshot connection, inside reading()
        self._readers: list[sqlite3.Connection] = []
        self._migrate()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        return db

    def close(self) -> None:
        with self._lock:
            for db in [self._db, *self._readers]:
                db.close()
            self._readers.clear()

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        with self.transaction():
            version = self.schema_version
            if version > len(MIGRATIONS):
                raise RuntimeError(
                    f"{self.path} was written by a newer Framefind (schema {version}); upgrade Framefind"
                )
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in _statements(script):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Every read of this thread inside the block sees one snapshot of the catalog
        (a read transaction on the thread's own connection); writers are never blocked."""
        if getattr(self._local, "depth", 0):
            self._local.depth += 1
            try:
                yield
            finally:
                self._local.depth -= 1
            return
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = self._connect()
            with self._lock:
                self._readers.append(db)
        db.execute("BEGIN")
        db.execute("SELECT COUNT(*) FROM spaces").fetchone()  # the snapshot starts at the first read
        self._local.depth = 1
        try:
            yield
        finally:
            self._local.depth = 0
            db.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """An IMMEDIATE transaction (nested calls join the outer one)."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:  # a failed COMMIT (disk full) may leave it open
                    self._db.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        if getattr(self._local, "depth", 0):
            return self._local.db.execute(sql, params).fetchall()
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _rows_in(self, sql: str, ids: Iterable[int], chunk: int = 500) -> list[sqlite3.Row]:
        """Rows of `sql`, whose `{}` is an IN list, for any number of ids (in chunks that
        stay under SQLite's limit on parameters)."""
        values = list(ids)
        out: list[sqlite3.Row] = []
        for start in range(0, len(values), chunk):
            part = values[start : start + chunk]
            out += self._rows(sql.format(",".join("?" * len(part))), part)
        return out

    # files ---------------------------------------------------------------------------------

    def file(self, path: Path) -> FileRecord | None:
        rows = self._rows(f"SELECT {_FILE_COLUMNS} FROM files WHERE path = ?", (_key(path),))
        return _file(rows[0]) if rows else None

    def files_under(self, folder: Path) -> list[FileRecord]:
        """Every file at `folder` itself or below it."""
        lo, hi = _under(folder)
        rows = self._rows(
            f"SELECT {_FILE_COLUMNS} FROM files WHERE path = ? OR (path >= ? AND path < ?)",
            (_key(folder), lo, hi),
        )
        return [_file(r) for r in rows]

    def count_under(self, folder: Path) -> int:
        lo, hi = _under(folder)
        rows = self._rows(
            "SELECT COUNT(*) FROM files WHERE path = ? OR (path >= ? AND path < ?)", (_key(folder), lo, hi)
        )
        return int(rows[0][0])

    def files_by_ids(self, file_ids: Iterable[int]) -> list[FileRecord]:
        return [
            _file(r) for r in self._rows_in(f"SELECT {_FILE_COLUMNS} FROM files WHERE id IN ({{}})", file_ids)
        ]

    def damaged(self) -> list[FileRecord]:
        """Indexed files that lost some of their content to damage (the note says how much)."""
        rows = self._rows(
            f"SELECT {_FILE_COLUMNS} FROM files WHERE status = 'indexed' AND error IS NOT NULL ORDER BY path"
        )
        return [_file(r) for r in rows]

    def files(self, status: str | None = None) -> list[FileRecord]:
        where, params = ("WHERE status = ?", (status,)) if status else ("", ())
        return [
            _file(r) for r in self._rows(f"SELECT {_FILE_COLUMNS} FROM files {where} ORDER BY path", params)
        ]

    def save_file(
        self,
        state: FileState,
        *,
        kind: str | None,
        status: str,
        error: str | None = None,
        duration: float | None = None,
        taken: float | None = None,
    ) -> int:
        """Insert or update a file's row; returns its id."""
        with self.transaction():
            self._db.execute(
                """INSERT INTO files
                     (path, size, mtime_ns, fingerprint, content, kind, status, error, duration, taken,
                      indexed_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(path) DO UPDATE SET
                     size = excluded.size, mtime_ns = excluded.mtime_ns,
                     fingerprint = excluded.fingerprint, content = excluded.content, kind = excluded.kind,
                     status = excluded.status, error = excluded.error,
                     duration = excluded.duration, taken = excluded.taken,
                     indexed_at = excluded.indexed_at""",
                (
                    _key(state.path),
                    state.size,
                    state.mtime_ns,
                    state.fingerprint,
                    state.content,
                    kind,
                    status,
                    error,
                    duration,
                    taken,
                    time.time(),
                ),
            )
            return int(
                self._db.execute("SELECT id FROM files WHERE path = ?", (_key(state.path),)).fetchone()[0]
            )

    def touch_file(self, file_id: int, size: int, mtime_ns: int) -> None:
        """Record new stat data for a file whose content did not change."""
        with self.transaction():
            self._db.execute(
                "UPDATE files SET size = ?, mtime_ns = ? WHERE id = ?", (size, mtime_ns, file_id)
            )

    def indexed_twin(self, fingerprint: str, size: int) -> FileRecord | None:
        """An indexed file whose sampled fingerprint and size are these, if there is one
        (preferring one whose whole-file hash is known: only that can confirm a copy)."""
        rows = self._rows(
            f"SELECT {_FILE_COLUMNS} FROM files WHERE fingerprint = ? AND size = ? "
            "AND status = 'indexed' ORDER BY content IS NULL LIMIT 1",
            (fingerprint, size),
        )
        return _file(rows[0]) if rows else None

    def file_with_content(self, fingerprint: str) -> FileRecord | None:
        """Any file with this content, whatever its size or status (pictures are shared)."""
        rows = self._rows(f"SELECT {_FILE_COLUMNS} FROM files WHERE fingerprint = ? LIMIT 1", (fingerprint,))
        return _file(rows[0]) if rows else None

    def move_file(self, file_id: int, state: FileState) -> None:
        """The same content under a new name: the row, its segments and vectors stay."""
        with self.transaction():
            self._db.execute(
                "UPDATE files SET path = ?, size = ?, mtime_ns = ?, content = COALESCE(?, content) "
                "WHERE id = ?",
                (_key(state.path), state.size, state.mtime_ns, state.content, file_id),
            )

    def copy_file(self, source: FileRecord, state: FileState) -> tuple[list[int], list[int]]:
        """A second file with the same content: rows copied from `source`.

        Returns (source segment ids, new segment ids), pairwise.
        """
        with self.transaction():
            file_id = self.save_file(
                state, kind=source.kind, status="indexed", duration=source.duration, taken=source.taken
            )
            rows = self._db.execute(
                'SELECT id, modality, start, "end", t FROM segments WHERE file_id = ? ORDER BY id',
                (source.id,),
            ).fetchall()
            new = [
                int(
                    self._db.execute(
                        'INSERT INTO segments (file_id, modality, start, "end", t) VALUES (?, ?, ?, ?, ?)',
                        (file_id, *r[1:]),
                    ).lastrowid
                    or 0
                )
                for r in rows
            ]
        return [r[0] for r in rows], new

    def segments_of(self, file_id: int) -> list[tuple[int, str, float | None]]:
        """(id, modality, start) of a file's segments, in the order they were extracted."""
        rows = self._rows(
            "SELECT id, modality, start FROM segments WHERE file_id = ? ORDER BY id", (file_id,)
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def delete_files(self, file_ids: Iterable[int]) -> None:
        """Delete files and their segments (the trigger logs the segments' removal)."""
        with self.transaction():
            self._db.executemany("DELETE FROM files WHERE id = ?", [(i,) for i in file_ids])

    def segment_ids(self, file_ids: Iterable[int]) -> list[int]:
        return [r[0] for r in self._rows_in("SELECT id FROM segments WHERE file_id IN ({})", file_ids)]

    def replace_segments(self, file_id: int, segments: Sequence[MediaSegment]) -> list[int]:
        """Swap a file's segments for new ones (the old ones' removal is logged by the
        trigger); returns the new ids in order."""
        with self.transaction():
            self._db.execute("DELETE FROM segments WHERE file_id = ?", (file_id,))
            new = [
                int(
                    self._db.execute(
                        'INSERT INTO segments (file_id, modality, start, "end", t) VALUES (?, ?, ?, ?, ?)',
                        (file_id, s.modality, s.start, s.end, s.t),
                    ).lastrowid
                    or 0
                )
                for s in segments
            ]
        return new

    def expected_ids(self, modalities: Iterable[str]) -> set[int]:
        """Ids that a space taking these modalities must hold: segments of indexed files."""
        mods = list(modalities)
        marks = ",".join("?" * len(mods))
        rows = self._rows(
            f"""SELECT s.id FROM segments s JOIN files f ON f.id = s.file_id
                WHERE f.status = 'indexed' AND s.modality IN ({marks})""",
            mods,
        )
        return {r[0] for r in rows}

    def files_of_segments(self, segment_ids: Iterable[int]) -> set[int]:
        return {
            r[0] for r in self._rows_in("SELECT DISTINCT file_id FROM segments WHERE id IN ({})", segment_ids)
        }

    def rows(self, segment_ids: Iterable[int]) -> dict[int, SegmentRow]:
        """Segments with their files, for ids that are still in the catalog and indexed."""
        found = self._rows_in(
            """SELECT s.id, f.id, f.path, f.kind, s.modality, s.start, s."end", s.t
               FROM segments s JOIN files f ON f.id = s.file_id
               WHERE s.id IN ({}) AND f.status = 'indexed'""",
            segment_ids,
        )
        return {r[0]: SegmentRow(r[0], r[1], self._path(r[2]), *r[3:]) for r in found}

    def ids_matching(self, filters: SegmentFilter) -> np.ndarray:
        """Segment ids of indexed files that pass the filters, sorted (stores take them as they are)."""
        where: list[str] = ["f.status = 'indexed'"]
        params: list[object] = []
        if filters.kinds:
            kinds = list(filters.kinds)
            where.append(f"f.kind IN ({','.join('?' * len(kinds))})")
            params += kinds
        if filters.folder is not None:
            lo, hi = _under(filters.folder)
            where.append("f.path >= ? AND f.path < ?")
            params += [lo, hi]
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
        sql = f"SELECT s.id FROM segments s JOIN files f ON f.id = s.file_id WHERE {' AND '.join(where)}"
        return np.sort(np.fromiter((r[0] for r in self._rows(sql, params)), dtype=np.int64))

    def sample_segment_ids(self, modality: str, size: int, seed: int) -> np.ndarray:
        """A repeatable random sample of indexed segments of one modality (for calibration),
        in random order, so that any prefix of it is a random sample too."""
        ids = np.asarray(
            [
                r[0]
                for r in self._rows(
                    """SELECT s.id FROM segments s JOIN files f ON f.id = s.file_id
                       WHERE s.modality = ? AND f.status = 'indexed'""",
                    (modality,),
                )
            ],
            dtype=np.int64,
        )
        return np.random.default_rng(seed).permutation(ids)[:size]

    # the vector log ------------------------------------------------------------------------

    def log_vectors(self, space_id: int, ids: Sequence[int], vectors: np.ndarray) -> None:
        """Record that these segments' vectors in one space are now `vectors` (call inside
        the transaction that commits the segments)."""
        if len(ids) == 0:
            return
        rows = np.ascontiguousarray(vectors, dtype=np.float32)
        with self.transaction():
            self._db.executemany(
                "INSERT INTO vector_log (space_id, segment_id, vector) VALUES (?, ?, ?)",
                [(space_id, int(i), row.tobytes()) for i, row in zip(ids, rows, strict=True)],
            )

    def log_removed(self, space_id: int, ids: Iterable[int]) -> None:
        """Record that one space must drop these ids (deleted segments are logged by a trigger)."""
        with self.transaction():
            self._db.executemany(
                "INSERT INTO vector_log (space_id, segment_id, vector) VALUES (?, ?, NULL)",
                [(space_id, int(i)) for i in ids],
            )

    def last_seq(self) -> int:
        rows = self._rows("SELECT seq FROM sqlite_sequence WHERE name = 'vector_log'")
        return int(rows[0][0]) if rows else 0

    def vector_changes(self, space_id: int, after: int, dim: int) -> Changes:
        """What one space must apply to go from log entry `after` to the last committed one."""
        with self.reading():
            last = self.last_seq()
            rows = self._rows(
                """SELECT segment_id, vector FROM vector_log
                   WHERE seq > ? AND seq <= ? AND (space_id = ? OR space_id IS NULL) ORDER BY seq""",
                (after, last, space_id),
            )
        final: dict[int, bytes | None] = {}
        for segment_id, vector in rows:  # the last write of each id wins
            final.pop(segment_id, None)
            final[segment_id] = vector
        kept = [(i, v) for i, v in final.items() if v is not None]
        vectors = np.frombuffer(b"".join(v for _, v in kept), dtype=np.float32).reshape(len(kept), dim)
        return Changes(
            seq=last,
            ids=np.asarray([i for i, _ in kept], dtype=np.int64),
            vectors=vectors,
            removed=np.asarray([i for i, v in final.items() if v is None], dtype=np.int64),
        )

    def set_checkpoint(self, space_id: int, seq: int) -> None:
        """A space's checkpoint file now holds every change up to `seq`: drop its own from the log
        (removals every space shares go in `truncate_log`)."""
        with self.transaction():
            self._db.execute("UPDATE spaces SET checkpoint_seq = ? WHERE id = ?", (seq, space_id))
            self._db.execute("DELETE FROM vector_log WHERE space_id = ? AND seq <= ?", (space_id, seq))

    def truncate_log(self, in_use: Collection[int]) -> None:
        """Drop the shared removal rows every space in use has checkpointed. A space not in use
        (its model no longer set) does not hold the log back; should it come back, it misses
        those removals, so it is compared with the catalog id by id then."""
        if not in_use:
            return
        marks = ",".join("?" * len(in_use))
        with self.transaction():
            upto = self._db.execute(
                f"SELECT MIN(checkpoint_seq) FROM spaces WHERE id IN ({marks})", list(in_use)
            ).fetchone()[0]
            if upto is None:
                return
            self._db.execute(
                "UPDATE spaces SET needs_check = 1 WHERE checkpoint_seq < ? AND EXISTS "
                "(SELECT 1 FROM vector_log WHERE space_id IS NULL AND seq > spaces.checkpoint_seq "
                "AND seq <= ?)",
                (upto, upto),
            )
            self._db.execute("DELETE FROM vector_log WHERE space_id IS NULL AND seq <= ?", (upto,))

    def make_durable(self) -> None:
        """Force every commit so far onto the disk (WAL with synchronous=NORMAL syncs only at
        its own checkpoints): a vector checkpoint written next can never be newer than what
        survives a power cut."""
        with self._lock:
            for suffix in ("-wal", ""):
                try:
                    fd = os.open(f"{self.path}{suffix}", os.O_RDONLY)
                except FileNotFoundError:
                    continue
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)

    def log_size(self) -> int:
        return int(self._rows("SELECT COUNT(*) FROM vector_log")[0][0])

    # spaces --------------------------------------------------------------------------------

    def _spaces(self, where: str, params: Sequence[object]) -> list[SpaceRecord]:
        rows = self._rows(
            "SELECT id, name, identity, model, revision, dim, modalities, state, checkpoint_seq, "
            f"needs_check, model_digest FROM spaces WHERE {where} ORDER BY id",
            params,
        )
        return [
            SpaceRecord(
                r[0], r[1], r[2], r[3], r[4], r[5], tuple(json.loads(r[6])), r[7], r[8], bool(r[9]), r[10]
            )
            for r in rows
        ]

    def space(self, identity: str) -> SpaceRecord | None:
        found = self._spaces("identity = ?", (identity,))
        return found[0] if found else None

    def spaces(self) -> list[SpaceRecord]:
        return self._spaces("1", ())

    def set_space_state(self, space_id: int, state: str) -> None:
        with self.transaction():
            self._db.execute("UPDATE spaces SET state = ? WHERE id = ?", (state, space_id))

    def set_needs_check(self, space_id: int, needed: bool) -> None:
        with self.transaction():
            self._db.execute("UPDATE spaces SET needs_check = ? WHERE id = ?", (int(needed), space_id))

    def set_model_digest(self, space_id: int, digest: str) -> None:
        with self.transaction():
            self._db.execute("UPDATE spaces SET model_digest = ? WHERE id = ?", (digest, space_id))

    def delete_space(self, space_id: int) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM spaces WHERE id = ?", (space_id,))

    def add_space(
        self,
        name: str,
        identity: str,
        model: str,
        revision: str | None,
        dim: int,
        modalities: Sequence[str],
        model_digest: str | None = None,
    ) -> SpaceRecord:
        """Register a space; it is "building" until the engine has filled it. It starts at the
        log's end (nothing before concerns it) and is compared with the catalog on first use."""
        with self.transaction():
            self._db.execute(
                """INSERT INTO spaces
                     (name, identity, model, revision, dim, modalities, created_at, state, checkpoint_seq,
                      model_digest)
                   VALUES (?, ?, ?, ?, ?, ?, ?, 'building', ?, ?) ON CONFLICT(identity) DO NOTHING""",
                (
                    name,
                    identity,
                    model,
                    revision,
                    dim,
                    json.dumps(sorted(modalities)),
                    time.time(),
                    self.last_seq(),
                    model_digest,
                ),
            )
        record = self.space(identity)
        assert record is not None
        return record

    # roots ---------------------------------------------------------------------------------

    def root_device(self, root: Path) -> int | None:
        rows = self._rows("SELECT device FROM roots WHERE path = ?", (_key(root),))
        return rows[0][0] if rows else None

    def set_root(self, root: Path, device: int | None, held: HeldRoot | None = None) -> None:
        """Remember where a root lives, and whether deletions under it are held."""
        with self.transaction():
            self._db.execute(
                """INSERT INTO roots (path, device, held_reason, held_files) VALUES (?, ?, ?, ?)
                   ON CONFLICT(path) DO UPDATE SET device = excluded.device,
                     held_reason = excluded.held_reason, held_files = excluded.held_files""",
                (_key(root), device, held.reason if held else None, held.files if held else 0),
            )

    def set_unsupported(self, root: Path, counts: dict[str, int]) -> None:
        """How many files of each media format Framefind does not read lie under `root`."""
        with self.transaction():
            self._db.execute(
                """INSERT INTO roots (path, unsupported) VALUES (?, ?)
                   ON CONFLICT(path) DO UPDATE SET unsupported = excluded.unsupported""",
                (_key(root), json.dumps(counts)),
            )

    def unsupported(self) -> dict[str, int]:
        """Files skipped as formats Framefind does not read, per extension, over every root."""
        total: dict[str, int] = {}
        for (text,) in self._rows("SELECT unsupported FROM roots WHERE unsupported IS NOT NULL"):
            for ext, n in json.loads(text).items():
                total[ext] = total.get(ext, 0) + n
        return total

    def held_roots(self) -> list[HeldRoot]:
        rows = self._rows("SELECT path, held_reason, held_files FROM roots WHERE held_reason IS NOT NULL")
        return [HeldRoot(Path(os.fsdecode(r[0])), r[1], r[2]) for r in rows]

    def forget_root(self, root: Path) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM roots WHERE path = ?", (_key(root),))

    # status --------------------------------------------------------------------------------

    def counts(self) -> dict[tuple[str, str], int]:
        """Number of files per (kind, status); kind is '?' where it is not known."""
        rows = self._rows("SELECT COALESCE(kind, '?'), status, COUNT(*) FROM files GROUP BY 1, 2")
        return {(r[0], r[1]): r[2] for r in rows}

    def expected_count(self, modalities: Iterable[str]) -> int:
        """How many vectors a space taking these modalities should hold (counted in SQL)."""
        mods = list(modalities)
        marks = ",".join("?" * len(mods))
        rows = self._rows(
            f"""SELECT COUNT(*) FROM segments s JOIN files f ON f.id = s.file_id
                WHERE f.status = 'indexed' AND s.modality IN ({marks})""",
            mods,
        )
        return int(rows[0][0])

    def segment_count(self) -> int:
        return int(self._rows("SELECT COUNT(*) FROM segments")[0][0])
