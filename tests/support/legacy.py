"""Turn a catalog back into what an earlier Framefind wrote, to test upgrades."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def downgrade_to_schema_10(catalog: Path) -> None:
    """Schema 10, before the frame interval of each video was kept."""
    _script(catalog, "ALTER TABLE files DROP COLUMN sampled_s; PRAGMA user_version = 10;")


def downgrade_to_schema_9(catalog: Path) -> None:
    """Schema 9, before text in pictures was read: no boxes, no reading progress."""
    downgrade_to_schema_10(catalog)
    _script(
        catalog,
        """
        DROP TABLE reading;
        ALTER TABLE lines DROP COLUMN box;
        PRAGMA user_version = 9;
        """,
    )


def downgrade_to_schema_7(catalog: Path) -> None:
    """Schema 7, before speech was recognised: no word times, no recognition progress."""
    downgrade_to_schema_9(catalog)
    _script(
        catalog,
        """
        DROP TABLE speech;
        ALTER TABLE lines DROP COLUMN words;
        PRAGMA user_version = 7;
        """,
    )


def downgrade_to_schema_6(catalog: Path) -> None:
    """Schema 6, before what is said in files was kept: no lines, no full-text index."""
    downgrade_to_schema_7(catalog)
    _script(
        catalog,
        """
        DROP TABLE lines_fts;
        DROP TABLE lines;
        DROP INDEX files_words_unread;
        ALTER TABLE files DROP COLUMN words_read;
        PRAGMA user_version = 6;
        """,
    )


def downgrade_to_schema_5(catalog: Path) -> None:
    """Schema 5, as Framefind wrote it before spaces were declared by what they embed: segments
    without a kind, spaces without `embeds` (migrations 1-5 are unchanged since)."""
    downgrade_to_schema_6(catalog)
    _script(
        catalog,
        """
        DROP INDEX segments_by_kind;
        ALTER TABLE segments DROP COLUMN kind;
        ALTER TABLE spaces DROP COLUMN embeds;
        PRAGMA user_version = 5;
        """,
    )


def downgrade_to_schema_3(catalog: Path) -> None:
    """Schema 3: no vector log, no checkpoint columns, no roots, no whole-file hashes (the
    migrations add them)."""
    downgrade_to_schema_5(catalog)
    _script(
        catalog,
        """
        DROP TRIGGER segments_removed;
        DROP TABLE vector_log;
        DROP TABLE roots;
        ALTER TABLE spaces DROP COLUMN checkpoint_seq;
        ALTER TABLE spaces DROP COLUMN needs_check;
        ALTER TABLE files DROP COLUMN content;
        ALTER TABLE spaces DROP COLUMN model_digest;
        PRAGMA user_version = 3;
        """,
    )


def _script(catalog: Path, sql: str) -> None:
    db = sqlite3.connect(catalog, isolation_level=None)
    try:
        db.executescript(sql)
    finally:
        db.close()
