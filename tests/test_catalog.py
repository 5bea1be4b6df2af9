from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from indexer.catalog import MIGRATIONS, Catalog, FileState
from indexer.media.segment import MediaSegment


def _state(path: Path, size: int = 10) -> FileState:
    return FileState(path, size, 123, "abc")


def test_a_new_catalog_is_at_the_latest_schema_in_wal_mode(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    assert catalog.schema_version == len(MIGRATIONS)
    mode = sqlite3.connect(tmp_path / "c.sqlite3").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_a_catalog_from_a_newer_version_is_refused(tmp_path):
    db = sqlite3.connect(tmp_path / "c.sqlite3")
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(RuntimeError, match="newer Framefind"):
        Catalog(tmp_path / "c.sqlite3")


def test_files_and_segments_round_trip_through_a_reopen(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    path = tmp_path / "v.mp4"
    file_id = catalog.save_file(_state(path), kind="video", status="indexed", duration=12.5)
    _, ids = catalog.replace_segments(
        file_id, [MediaSegment("image", None, 0.0, 2.0, 0.0), MediaSegment("audio", None, 0.0, 10.0, 5.0)]
    )
    catalog.close()
    again = Catalog(tmp_path / "c.sqlite3")
    record = again.file(path)
    assert (record.kind, record.status, record.duration) == ("video", "indexed", 12.5)
    rows = again.rows(ids)
    assert [(rows[i].modality, rows[i].start, rows[i].end) for i in ids] == [
        ("image", 0.0, 2.0),
        ("audio", 0.0, 10.0),
    ]


def test_segment_ids_are_never_reused(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    file_id = catalog.save_file(_state(tmp_path / "p.jpg"), kind="photo", status="indexed")
    _, first = catalog.replace_segments(file_id, [MediaSegment("image", None)])
    catalog.delete_files([file_id])
    file_id = catalog.save_file(_state(tmp_path / "p.jpg"), kind="photo", status="indexed")
    _, second = catalog.replace_segments(file_id, [MediaSegment("image", None)])
    assert second[0] > first[0]


def test_files_under_a_folder_excludes_its_siblings(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    for name in ("a/x.jpg", "a/sub/y.jpg", "ab/z.jpg", "a.jpg"):
        catalog.save_file(_state(tmp_path / name), kind="photo", status="indexed")
    found = {p.path.relative_to(tmp_path).as_posix() for p in catalog.files_under(tmp_path / "a")}
    assert found == {"a/x.jpg", "a/sub/y.jpg"}


def test_non_utf8_file_names_round_trip(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    odd = tmp_path / os.fsdecode(b"caf\xe9-\xff.jpg")
    catalog.save_file(_state(odd), kind="photo", status="indexed")
    assert catalog.file(odd).path == odd
    assert [r.path for r in catalog.files_under(tmp_path)] == [odd]


def test_a_failed_transaction_leaves_nothing_behind(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    with pytest.raises(ZeroDivisionError), catalog.transaction():
        catalog.save_file(_state(tmp_path / "p.jpg"), kind="photo", status="indexed")
        1 / 0  # noqa: B018
    assert catalog.file(tmp_path / "p.jpg") is None
