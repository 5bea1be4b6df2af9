"""Moved, renamed and copied files are recognised by content and keep or share their vectors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from indexer import Query, build_engine
from indexer.ingest.fingerprint import fingerprint
from tests.engine.test_index_search import assert_consistent
from tests.support.access import make_unlistable
from tests.support.media import scene_image, write_photo


@pytest.fixture
def counted(engine, monkeypatch):
    """Engine whose media encodes are counted."""
    calls = []
    for space in engine.spaces:
        original = space.embedder.encode_segments
        monkeypatch.setattr(
            space.embedder, "encode_segments", lambda s, o=original, **k: calls.append(len(s)) or o(s, **k)
        )
    return engine, calls


def _ids(engine, path):
    return engine.catalog.segments.ids_of_files([engine.catalog.files.get(path).id])


def test_a_renamed_file_keeps_its_vectors(counted, corpus):
    engine, calls = counted
    engine.index([corpus.root])
    before = _ids(engine, corpus.video)
    calls.clear()
    renamed = corpus.video.with_name("renamed trip.mp4")
    corpus.video.rename(renamed)
    report = engine.index([corpus.root])
    assert (report.moved, report.new, report.removed) == (1, 0, 0)
    assert calls == [] and _ids(engine, renamed) == before
    assert engine.catalog.files.get(corpus.video) is None
    assert_consistent(engine)


def test_a_moved_folder_keeps_every_vector(counted, corpus):
    engine, calls = counted
    engine.index([corpus.root])
    calls.clear()
    (corpus.root / "photos").rename(corpus.root / "archive")
    report = engine.index([corpus.root])
    assert report.moved == len(corpus.photos) and calls == []
    photo = corpus.root / "archive" / "a.jpg"
    assert engine.search(Query(examples=(photo,)))[0].path == photo
    assert_consistent(engine)


def test_a_copy_gets_its_own_entry_without_embedding(counted, corpus):
    engine, calls = counted
    engine.index([corpus.root])
    calls.clear()
    copy = corpus.root / "photos" / "copy of a.jpg"
    shutil.copy2(corpus.root / "photos" / "a.jpg", copy)
    report = engine.index([corpus.root])
    assert (report.copied, report.new) == (1, 0) and calls == []
    hits = engine.search(Query(examples=(copy,), per_file=1))
    # The copy and its original are one result: the other is folded in as "similar".
    assert {hits[0].path, *(s.path for s in hits[0].similar)} >= {copy, corpus.root / "photos" / "a.jpg"}
    assert hits[0].cosine == pytest.approx(1.0, abs=1e-3)
    assert set(_ids(engine, copy)).isdisjoint(_ids(engine, corpus.root / "photos" / "a.jpg"))
    assert_consistent(engine)
    with build_engine(engine.settings, writer=False) as reader:  # the copied vectors were saved
        assert_consistent(reader)


def test_files_in_an_unreadable_folder_stay_indexed(engine, corpus, monkeypatch):
    engine.index([corpus.root])
    make_unlistable(corpus.root / "videos", monkeypatch)
    report = engine.index([corpus.root])
    assert report.removed == 0 and engine.status().indexed["video"] == 2
    [problem] = engine.failures()
    assert problem.path == corpus.root / "videos" and "cannot list folder: permission denied" in problem.error


def _retouch_between_samples(source: Path, target: Path, scene: int) -> None:
    """`target`: `source`'s BMP with rows 100-200 painted over from another scene. The size
    stays, and those rows lie between the sampled fingerprint's start, middle and end."""
    image = Image.open(source).convert("RGB")
    image.paste(scene_image(scene, (640, 100)), (0, 100))
    image.save(target, format="BMP")
    assert target.stat().st_size == source.stat().st_size
    assert fingerprint(target) == fingerprint(source)


def _finds_itself_exactly(engine, photo: Path) -> bool:
    top = engine.search(Query(examples=(photo,), calibrate=False, limit=1, show_all=True)).results[0]
    return top.path == photo and top.cosine > 0.999


def test_a_same_size_edit_between_the_samples_is_embedded_again(engine, tmp_path):
    photo = write_photo(tmp_path / "media" / "scan.bmp", 1, (640, 480))
    engine.index([photo.parent])
    _retouch_between_samples(photo, photo, 7)
    report = engine.index([photo.parent])
    assert (report.changed, report.unchanged) == (1, 0)
    assert _finds_itself_exactly(engine, photo)


def test_a_new_file_that_only_samples_like_another_is_not_a_copy_of_it(engine, tmp_path):
    media = tmp_path / "media"
    original = write_photo(media / "a.bmp", 1, (640, 480))
    engine.index([media])
    _retouch_between_samples(original, media / "b.bmp", 7)
    report = engine.index([media])
    assert (report.copied, report.new) == (0, 1)
    assert _finds_itself_exactly(engine, media / "b.bmp")
    original.rename(media / "c.bmp")  # a real move is still a move, confirmed by the whole hash
    assert engine.index([media]).moved == 1
