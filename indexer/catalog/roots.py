"""The roots table: the folders the user indexes, the device each lives on, deletions held
while one looks unmounted, and the media formats found there that Framefind does not read."""

from __future__ import annotations

import json
import os
from pathlib import Path

from indexer.catalog.db import Database
from indexer.catalog.records import HeldRoot, path_key
from indexer.wording import Message


class RootTable:
    def __init__(self, db: Database) -> None:
        self._db = db

    def device(self, root: Path) -> int | None:
        rows = self._db.rows("SELECT device FROM roots WHERE path = ?", (path_key(root),))
        return rows[0][0] if rows else None

    def set(self, root: Path, device: int | None, held: HeldRoot | None = None) -> None:
        """Remember where a root lives, and whether deletions under it are held."""
        with self._db.transaction():
            self._db.execute(
                """INSERT INTO roots (path, device, held_reason, held_files) VALUES (?, ?, ?, ?)
                   ON CONFLICT(path) DO UPDATE SET device = excluded.device,
                     held_reason = excluded.held_reason, held_files = excluded.held_files""",
                (path_key(root), device, held.reason.to_json() if held else None, held.files if held else 0),
            )

    def set_unsupported(self, root: Path, counts: dict[str, int]) -> None:
        """How many files of each media format Framefind does not read lie under `root`."""
        with self._db.transaction():
            self._db.execute(
                """INSERT INTO roots (path, unsupported) VALUES (?, ?)
                   ON CONFLICT(path) DO UPDATE SET unsupported = excluded.unsupported""",
                (path_key(root), json.dumps(counts)),
            )

    def unsupported(self) -> dict[str, int]:
        """Files skipped as formats Framefind does not read, per extension, over every root."""
        total: dict[str, int] = {}
        for (text,) in self._db.rows("SELECT unsupported FROM roots WHERE unsupported IS NOT NULL"):
            for ext, n in json.loads(text).items():
                total[ext] = total.get(ext, 0) + n
        return total

    def held(self) -> list[HeldRoot]:
        rows = self._db.rows("SELECT path, held_reason, held_files FROM roots WHERE held_reason IS NOT NULL")
        return [HeldRoot(Path(os.fsdecode(r[0])), Message.from_json(r[1]), r[2]) for r in rows]

    def forget(self, root: Path) -> None:
        with self._db.transaction():
            self._db.execute("DELETE FROM roots WHERE path = ?", (path_key(root),))
