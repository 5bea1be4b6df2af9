"""The catalog's SQLite database: connections, transactions, snapshot reads, migrations and
the durability rule.

One connection writes (IMMEDIATE transactions, nested calls join the outer one); each reading
thread has its own connection, so `reading()` sees one snapshot whatever commits meanwhile
and never blocks the writer. The schema is the numbered `.sql` files in `migrations/`, applied
in order; `PRAGMA user_version` says how many a database has had.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path


def migrations() -> list[str]:
    """The schema's migration scripts, in order."""
    folder = resources.files(__package__).joinpath("migrations")
    scripts = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    return [f.read_text(encoding="utf-8") for f in scripts]


def statements(script: str) -> Iterator[str]:
    """The SQL statements of a script (a trigger's body holds semicolons of its own; comment
    lines are dropped first, so theirs do not count)."""
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("--"))
    pending = ""
    for piece in code.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                yield pending
            pending = ""


class Database:
    """One catalog file: the writing connection and the readers' snapshot connections."""

    def __init__(self, path: Path) -> None:
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
        scripts = migrations()
        with self.transaction():
            version = self.schema_version
            if version > len(scripts):
                raise RuntimeError(
                    f"{self.path} was written by a newer Framefind (schema {version}); upgrade Framefind"
                )
            for number, script in enumerate(scripts[version:], start=version + 1):
                for statement in statements(script):
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

    def execute(self, sql: str, params: Sequence[object] = ()) -> sqlite3.Cursor:
        """A write (call inside `transaction()`)."""
        return self._db.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        self._db.executemany(sql, rows)

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        """The rows of a read: from this thread's snapshot inside `reading()`."""
        if getattr(self._local, "depth", 0):
            return self._local.db.execute(sql, params).fetchall()
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def rows_in(self, sql: str, ids: Iterable[int], chunk: int = 500) -> list[sqlite3.Row]:
        """Rows of `sql`, whose `{}` is an IN list, for any number of ids (in chunks that
        stay under SQLite's limit on parameters)."""
        values = list(ids)
        out: list[sqlite3.Row] = []
        for start in range(0, len(values), chunk):
            part = values[start : start + chunk]
            out += self.rows(sql.format(",".join("?" * len(part))), part)
        return out

    def make_durable(self) -> None:
        """Force every commit so far onto the disk (WAL with synchronous=NORMAL syncs only at
        its own checkpoints): a vector checkpoint written next can never be newer than what
        survives a power cut.

        Only the WAL is synced: SQLite syncs the database file at every checkpoint itself, and
        closing a descriptor of the database file would drop every POSIX lock this process
        holds on it; another process's connection then takes itself for the last one,
        checkpoints and deletes the WAL while this one goes on committing into it, unseen and
        lost (SQLite's "How To Corrupt", 2.2)."""
        with self._lock:
            try:
                fd = os.open(f"{self.path}-wal", os.O_RDONLY)
            except FileNotFoundError:
                return  # no WAL: every commit is in the database file, synced by its checkpoint
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
