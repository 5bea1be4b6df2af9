from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from indexer.catalog import Catalog, FileState
from indexer.catalog.db import migrations
from indexer.media.segment import MediaSegment


def _state(path: Path, size: int = 10) -> FileState:
    return FileState(path, size, 123, "abc")


def test_a_new_catalog_is_at_the_latest_schema_in_wal_mode(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    assert catalog.schema_version == len(migrations())
    mode = sqlite3.connect(tmp_path / "c.sqlite3").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_a_catalog_from_a_newer_version_is_refused(tmp_path):
    db = sqlite3.connect(tmp_path / "c.sqlite3")
    db.execute(f"PRAGMA user_version = {len(migrations()) + 1}")
    db.close()
    with pytest.raises(RuntimeError, match="newer Framefind"):
        Catalog(tmp_path / "c.sqlite3")


def test_files_and_segments_round_trip_through_a_reopen(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    path = tmp_path / "v.mp4"
    file_id = catalog.files.save(_state(path), kind="video", status="indexed", duration=12.5)
    ids = catalog.segments.replace(
        file_id, [MediaSegment("image", None, 0.0, 2.0, 0.0), MediaSegment("audio", None, 0.0, 10.0, 5.0)]
    )
    catalog.close()
    again = Catalog(tmp_path / "c.sqlite3")
    record = again.files.get(path)
    assert (record.kind, record.status, record.duration) == ("video", "indexed", 12.5)
    rows = again.segments.rows(ids)
    assert [(rows[i].modality, rows[i].start, rows[i].end) for i in ids] == [
        ("image", 0.0, 2.0),
        ("audio", 0.0, 10.0),
    ]


def test_segment_ids_are_never_reused(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    file_id = catalog.files.save(_state(tmp_path / "p.jpg"), kind="photo", status="indexed")
    first = catalog.segments.replace(file_id, [MediaSegment("image", None)])
    catalog.files.delete([file_id])
    file_id = catalog.files.save(_state(tmp_path / "p.jpg"), kind="photo", status="indexed")
    second = catalog.segments.replace(file_id, [MediaSegment("image", None)])
    assert second[0] > first[0]


def test_files_under_a_folder_excludes_its_siblings(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    for name in ("a/x.jpg", "a/sub/y.jpg", "ab/z.jpg", "a.jpg"):
        catalog.files.save(_state(tmp_path / name), kind="photo", status="indexed")
    found = {p.path.relative_to(tmp_path).as_posix() for p in catalog.files.under(tmp_path / "a")}
    assert found == {"a/x.jpg", "a/sub/y.jpg"}


def test_non_utf8_file_names_round_trip(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    odd = tmp_path / os.fsdecode(b"caf\xe9-\xff.jpg")
    catalog.files.save(_state(odd), kind="photo", status="indexed")
    assert catalog.files.get(odd).path == odd
    assert [r.path for r in catalog.files.under(tmp_path)] == [odd]


def test_a_failed_transaction_leaves_nothing_behind(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    with pytest.raises(ZeroDivisionError), catalog.transaction():
        catalog.files.save(_state(tmp_path / "p.jpg"), kind="photo", status="indexed")
        1 / 0  # noqa: B018
    assert catalog.files.get(tmp_path / "p.jpg") is None


def _space(catalog: Catalog) -> int:
    return catalog.spaces.add("image", "m@default", "m", None, 2, ["image", "text"], ["frame", "photo"]).id


def test_the_log_holds_every_vector_change_and_the_last_write_of_an_id_wins(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    space = _space(catalog)
    file_id = catalog.files.save(_state(tmp_path / "v.mp4"), kind="video", status="indexed")
    first = catalog.segments.replace(file_id, [MediaSegment("image", None)] * 3)
    catalog.log.add(space, first, np.eye(3, 2, dtype=np.float32))
    catalog.log.add(space, first[:1], np.array([[0.6, 0.8]], dtype=np.float32))  # set again
    second = catalog.segments.replace(file_id, [MediaSegment("image", None)])  # the trigger logs removals
    changes = catalog.log.changes(space, after=0, dim=2)
    assert sorted(changes.removed.tolist()) == first and changes.ids.tolist() == []
    catalog.log.add(space, second, np.ones((1, 2), dtype=np.float32))
    catalog.files.delete([file_id])  # a cascade through files logs the segments too
    later = catalog.log.changes(space, after=changes.seq, dim=2)
    assert later.removed.tolist() == second and later.ids.tolist() == [] and later.seq > changes.seq


def test_a_rolled_back_change_leaves_nothing_in_the_log(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    space = _space(catalog)
    file_id = catalog.files.save(_state(tmp_path / "p.jpg"), kind="photo", status="indexed")
    with pytest.raises(RuntimeError), catalog.transaction():
        ids = catalog.segments.replace(file_id, [MediaSegment("image", None)])
        catalog.log.add(space, ids, np.ones((1, 2), dtype=np.float32))
        raise RuntimeError("the commit never happens")
    changes = catalog.log.changes(space, after=0, dim=2)
    assert changes.ids.tolist() == [] and changes.removed.tolist() == [] and catalog.segments.count() == 0


def test_a_checkpoint_truncates_the_log_up_to_it(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    space = _space(catalog)
    file_id = catalog.files.save(_state(tmp_path / "p.jpg"), kind="photo", status="indexed")
    ids = catalog.segments.replace(file_id, [MediaSegment("image", None)] * 2)
    catalog.log.add(space, ids, np.ones((2, 2), dtype=np.float32))
    catalog.files.delete([file_id])
    assert catalog.log.size() == 4
    catalog.log.set_checkpoint(space, catalog.log.last_seq())
    assert catalog.log.size() == 2  # the removals every space shares wait for the spaces in use
    catalog.log.truncate([space])
    assert (
        catalog.log.size() == 0 and catalog.spaces.get("m@default").checkpoint_seq == catalog.log.last_seq()
    )


def test_reads_inside_reading_see_one_snapshot(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    catalog.files.save(_state(tmp_path / "a.jpg"), kind="photo", status="indexed")
    seen = []
    with catalog.reading():
        seen.append(len(catalog.files.all()))
        writer = threading.Thread(
            target=lambda: catalog.files.save(_state(tmp_path / "b.jpg"), kind="photo", status="indexed")
        )
        writer.start()
        writer.join()
        seen.append(len(catalog.files.all()))  # the commit happened, but not in this snapshot
    seen.append(len(catalog.files.all()))
    assert seen == [1, 1, 2]


def _files_another_process_sees(path: Path) -> int:
    """What a search in another process (`framefind search`, the app) finds in the catalog."""
    code = (
        "import sys; from pathlib import Path; from indexer.catalog import Catalog\n"
        "c = Catalog(Path(sys.argv[1])); print(len(c.files.all())); c.close()"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_commits_after_making_the_catalog_durable_reach_other_processes_and_the_disk(tmp_path):
    """Forcing the catalog onto the disk (before every vector checkpoint) must leave SQLite's
    locks alone: otherwise a search process closing its connection deletes the WAL the writer
    goes on committing into, and the text read afterwards was neither found nor kept."""
    path = tmp_path / "c.sqlite3"
    catalog = Catalog(path)
    catalog.files.save(_state(tmp_path / "a.jpg"), kind="photo", status="indexed")
    catalog.make_durable()
    assert _files_another_process_sees(path) == 1
    catalog.files.save(_state(tmp_path / "b.jpg"), kind="photo", status="indexed")
    assert _files_another_process_sees(path) == 2
    catalog.files.save(_state(tmp_path / "c.jpg"), kind="photo", status="indexed")
    catalog.close()
    assert _files_another_process_sees(path) == 3


def test_an_old_catalog_is_upgraded_in_place(tmp_path):
    from tests.support.legacy import downgrade_to_schema_3

    catalog = Catalog(tmp_path / "c.sqlite3")
    _space(catalog)
    catalog.close()
    downgrade_to_schema_3(tmp_path / "c.sqlite3")
    catalog = Catalog(tmp_path / "c.sqlite3")
    assert catalog.schema_version == len(migrations())
    assert catalog.spaces.get("m@default").needs_check  # the old index file is compared id by id once


def test_the_calibration_sample_is_drawn_from_the_whole_library(tmp_path):
    catalog = Catalog(tmp_path / "c.sqlite3")
    ids = []
    for n in range(1000):
        file_id = catalog.files.save(_state(tmp_path / f"{n}.jpg"), kind="photo", status="indexed")
        ids += catalog.segments.replace(file_id, [MediaSegment("image", None)])
    sample = catalog.segments.sample_ids("image", 100, seed=0)
    assert len(set(sample.tolist())) == 100 and set(sample.tolist()) <= set(ids)
    newest_half = sum(i > ids[499] for i in sample.tolist())
    assert 35 <= newest_half <= 65  # not the oldest files only (it was: sorted, then cut)
