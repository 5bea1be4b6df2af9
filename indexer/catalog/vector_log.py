"""The vector log: every vector change, written in the same transaction as the catalog change
it belongs to (removals by a trigger on `segments`, so no code path can forget one).

Stores only ever apply what is committed here, so a rolled-back transaction leaves no vector
behind (and SQLite may hand a rolled-back AUTOINCREMENT id out again). Each space records the
last entry its checkpoint file holds; the log is truncated up to there.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from indexer.catalog.db import Database

_EMPTY_IDS = np.empty(0, dtype=np.int64)


@dataclass(frozen=True)
class Changes:
    """Committed changes to one store up to log entry `seq`: the last write per id wins.

    Applying the same changes twice gives the same store (replay after a crash is safe)."""

    seq: int
    ids: np.ndarray = field(default_factory=lambda: _EMPTY_IDS)  # ids whose vector is set…
    vectors: np.ndarray | None = None  # …to these rows
    removed: np.ndarray = field(default_factory=lambda: _EMPTY_IDS)

    @property
    def touched(self) -> np.ndarray:
        return np.union1d(self.ids, self.removed).astype(np.int64)


class VectorLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, space_id: int, ids: Sequence[int], vectors: np.ndarray) -> None:
        """Record that these segments' vectors in one space are now `vectors` (call inside
        the transaction that commits the segments)."""
        if len(ids) == 0:
            return
        rows = np.ascontiguousarray(vectors, dtype=np.float32)
        with self._db.transaction():
            self._db.executemany(
                "INSERT INTO vector_log (space_id, segment_id, vector) VALUES (?, ?, ?)",
                [(space_id, int(i), row.tobytes()) for i, row in zip(ids, rows, strict=True)],
            )

    def remove(self, space_id: int, ids: Iterable[int]) -> None:
        """Record that one space must drop these ids (deleted segments are logged by a trigger)."""
        with self._db.transaction():
            self._db.executemany(
                "INSERT INTO vector_log (space_id, segment_id, vector) VALUES (?, ?, NULL)",
                [(space_id, int(i)) for i in ids],
            )

    def last_seq(self) -> int:
        rows = self._db.rows("SELECT seq FROM sqlite_sequence WHERE name = 'vector_log'")
        return int(rows[0][0]) if rows else 0

    def changes(self, space_id: int, after: int, dim: int) -> Changes:
        """What one space must apply to go from log entry `after` to the last committed one."""
        with self._db.reading():
            last = self.last_seq()
            rows = self._db.rows(
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
        (removals every space shares go in `truncate`)."""
        with self._db.transaction():
            self._db.execute("UPDATE spaces SET checkpoint_seq = ? WHERE id = ?", (seq, space_id))
            self._db.execute("DELETE FROM vector_log WHERE space_id = ? AND seq <= ?", (space_id, seq))

    def truncate(self, in_use: Collection[int]) -> None:
        """Drop the shared removal rows every space in use has checkpointed. A space not in use
        (its model no longer set) does not hold the log back; should it come back, it misses
        those removals, so it is compared with the catalog id by id then."""
        if not in_use:
            return
        marks = ",".join("?" * len(in_use))
        with self._db.transaction():
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

    def size(self) -> int:
        return int(self._db.rows("SELECT COUNT(*) FROM vector_log")[0][0])
