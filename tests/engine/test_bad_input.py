"""A folder of broken files: each is recorded with its reason, the run goes on, good files stay searchable."""

from __future__ import annotations

import pytest

from indexer import Query
from tests.engine.test_index_search import assert_consistent
from tests.support.access import make_unreadable
from tests.support.hostile import write_hostile_folder
from tests.support.media import write_photo


def test_bad_files_are_recorded_and_skipped(engine, tmp_path):
    folder = tmp_path / "mixed"
    expected = write_hostile_folder(folder)
    good = [write_photo(folder / f"good-{i}.jpg", 60 + i) for i in range(3)]

    report = engine.index([folder])

    assert report.failed == len(expected)
    assert report.new == len(good)
    reasons = {f.path: f.error for f in engine.failures()}
    assert set(reasons) == set(expected)
    for path, phrase in expected.items():
        assert phrase in reasons[path], f"{path.name}: {reasons[path]!r} lacks {phrase!r}"
    for photo in good:
        assert engine.search(Query(examples=(photo,)))[0].path == photo
    assert_consistent(engine)


def test_failed_files_are_not_retried_until_they_change(engine, tmp_path):
    folder = tmp_path / "mixed"
    expected = write_hostile_folder(folder)
    engine.index([folder])
    again = engine.index([folder])
    assert again.failed == 0 and again.unchanged == len(expected)

    fixed = next(p for p in expected if p.name == "truncated.jpg")
    write_photo(fixed, 70)
    third = engine.index([folder])
    assert third.changed == 1 and third.failed == 0
    assert fixed not in {f.path for f in engine.failures()}


def test_a_file_that_breaks_after_indexing_loses_its_old_vectors(engine, tmp_path):
    folder = tmp_path / "photos"
    photo = write_photo(folder / "x.jpg", 3)
    engine.index([folder])
    photo.write_bytes(b"garbage" * 100)
    report = engine.index([folder])
    assert report.failed == 1
    assert engine.search(Query(text="anything")).results == []
    assert_consistent(engine)


def test_an_unreadable_file_is_recorded_with_the_fix(engine, tmp_path, monkeypatch):
    folder = tmp_path / "photos"
    good = write_photo(folder / "ok.jpg", 1)
    locked = write_photo(folder / "locked.jpg", 2)
    make_unreadable(locked, monkeypatch)
    report = engine.index([folder])
    assert (report.new, report.failed) == (1, 1)
    [failure] = engine.failures()
    assert failure.path == locked and "permission denied" in failure.error
    assert engine.search(Query(examples=(good,)))[0].path == good


def test_a_damaged_film_is_indexed_with_what_was_lost(engine, tmp_path, query_dir):
    from tests.conftest import scene_query
    from tests.support.oddities import write_damaged_video

    film = write_damaged_video(tmp_path / "films" / "film.mp4", [30 + i for i in range(10)])
    report = engine.index([film.parent])
    assert report.new == 1 and report.failed == 0
    [damaged] = engine.damaged()
    assert damaged.path == film and "video packets could not be decoded" in damaged.error
    best = engine.search(Query(examples=(scene_query(query_dir, 39),)))[0]  # the last scene, after the damage
    assert best.path == film and best.t == pytest.approx(18.0, abs=2.0)
