"""The spaces table: each embedding space ever built, its model, what it embeds, and how far
its checkpoint got."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

from indexer.catalog.db import Database
from indexer.catalog.records import SpaceRecord

COLUMNS = (
    "id, name, identity, model, revision, dim, modalities, state, checkpoint_seq, needs_check, "
    "model_digest, embeds"
)


class SpaceTable:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _records(self, where: str, params: Sequence[object]) -> list[SpaceRecord]:
        rows = self._db.rows(f"SELECT {COLUMNS} FROM spaces WHERE {where} ORDER BY id", params)
        return [
            SpaceRecord(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                tuple(json.loads(r[6])),
                r[7],
                r[8],
                bool(r[9]),
                r[10],
                tuple(json.loads(r[11])),
            )
            for r in rows
        ]

    def get(self, identity: str) -> SpaceRecord | None:
        found = self._records("identity = ?", (identity,))
        return found[0] if found else None

    def all(self) -> list[SpaceRecord]:
        return self._records("1", ())

    def _set(self, space_id: int, column: str, value: object) -> None:
        with self._db.transaction():
            self._db.execute(f"UPDATE spaces SET {column} = ? WHERE id = ?", (value, space_id))

    def set_state(self, space_id: int, state: str) -> None:
        self._set(space_id, "state", state)

    def set_needs_check(self, space_id: int, needed: bool) -> None:
        self._set(space_id, "needs_check", int(needed))

    def set_model_digest(self, space_id: int, digest: str) -> None:
        self._set(space_id, "model_digest", digest)

    def delete(self, space_id: int) -> None:
        with self._db.transaction():
            self._db.execute("DELETE FROM spaces WHERE id = ?", (space_id,))

    def add(
        self,
        name: str,
        identity: str,
        model: str,
        revision: str | None,
        dim: int,
        answers: Sequence[str],
        embeds: Sequence[str],
        model_digest: str | None = None,
    ) -> SpaceRecord:
        """Register a space; it is "building" until the engine has filled it. It starts at the
        log's end (nothing before concerns it) and is compared with the catalog on first use."""
        with self._db.transaction():
            last = self._db.rows("SELECT seq FROM sqlite_sequence WHERE name = 'vector_log'")
            self._db.execute(
                """INSERT INTO spaces
                     (name, identity, model, revision, dim, modalities, embeds, created_at, state,
                      checkpoint_seq, model_digest)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'building', ?, ?) ON CONFLICT(identity) DO NOTHING""",
                (
                    name,
                    identity,
                    model,
                    revision,
                    dim,
                    json.dumps(sorted(answers)),
                    json.dumps(sorted(embeds)),
                    time.time(),
                    int(last[0][0]) if last else 0,
                    model_digest,
                ),
            )
        record = self.get(identity)
        assert record is not None
        return record
