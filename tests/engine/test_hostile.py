"""Hostile and unlucky files beyond the basic broken ones; each is recorded, none stops the run."""

from __future__ import annotations

import os
import threading

import av

from indexer import Query
from indexer.media.extract import extract as real_extract
from tests.engine.test_index_search import assert_consistent
from tests.support.access import make_unreadable
from tests.support.hostile import lie_about_duration, m4a_without_streams, wav_without_samples
from tests.support.media import write_photo, write_video


def test_a_video_whose_header_lies_is_sampled_by_its_real_length(engine, tmp_path):
    video = lie_about_duration(write_video(tmp_path / "v" / "liar.mkv", list(range(5)), gop=12))
    with av.open(str(video)) as c:
        assert c.duration / 1e6 > 3600  # FFmpeg believes the header
    report = engine.index([video.parent])
    assert report.new == 1 and report.failed == 0
    record = engine.catalog.files.get(video)
    assert 9.0 <= record.duration <= 11.0
    assert len(engine.catalog.segments.ids_of_files([record.id])) <= 7


def test_audio_files_without_audio_are_recorded(engine, tmp_path):
    empty = wav_without_samples(tmp_path / "a" / "silence.wav")
    streamless = m4a_without_streams(tmp_path / "a" / "nothing.m4a")
    report = engine.index([empty.parent])
    assert report.failed == 2
    assert "holds no samples" in engine.catalog.files.get(empty).error
    assert "no audio or video stream" in engine.catalog.files.get(streamless).error


def test_odd_names_round_trip_to_results(engine, tmp_path):
    folder = tmp_path / "names"
    names = [
        "space and  tab\t.jpg",
        "émoji 📷.png",
        "new\nline.jpg",
        os.fsdecode(b"latin1-\xe9\xff.jpg"),
        "-dash.jpg",
    ]
    photos = [write_photo(folder / name, i) for i, name in enumerate(names)]
    report = engine.index([folder])
    assert report.new == len(names) and report.failed == 0
    for photo in photos:
        assert engine.search(Query(examples=(photo,)))[0].path == photo


def test_a_file_that_vanishes_while_queued_is_recorded_and_dropped_later(engine, tmp_path, monkeypatch):
    folder = tmp_path / "v"
    keep, doomed = write_photo(folder / "keep.jpg", 1), write_photo(folder / "doomed.jpg", 2)
    real = real_extract

    def vanishing(path, options):
        if path == doomed:
            path.unlink()
        return real(path, options)

    monkeypatch.setattr("indexer.ingest.pipeline.extract", vanishing)
    report = engine.index([folder])
    assert (report.new, report.failed) == (1, 1)
    assert "vanished" in engine.catalog.files.get(doomed).error
    monkeypatch.undo()
    assert engine.index([folder]).removed == 1 and engine.catalog.files.get(doomed) is None
    assert engine.search(Query(examples=(keep,)))[0].path == keep


def test_a_file_replaced_while_read_is_not_committed_stale(engine, tmp_path, monkeypatch):
    folder = tmp_path / "r"
    photo = write_photo(folder / "p.png", 1)
    real = real_extract
    once = threading.Event()

    def replaced(path, options):
        extraction = real(path, options)  # decoded the old content...
        if not once.is_set():
            once.set()
            write_photo(path, 9)  # ...and now the file is another one
        return extraction

    monkeypatch.setattr("indexer.ingest.pipeline.extract", replaced)
    first = engine.index([folder])
    assert (first.deferred, first.new) == (1, 0)
    second = engine.index([folder])
    assert second.new == 1
    from tests.conftest import scene_query

    best = engine.search(Query(examples=(scene_query(tmp_path, 9),)))[0]
    assert best.path == photo and best.score > 0.999  # the index holds the new content
    assert_consistent(engine)


def test_retry_tries_failed_files_again(engine, tmp_path, monkeypatch):
    folder = tmp_path / "p"
    locked = write_photo(folder / "locked.jpg", 4)
    with monkeypatch.context() as patch:
        make_unreadable(locked, patch)
        assert engine.index([folder]).failed == 1
    locked.chmod(0o644)
    assert engine.index([folder]).failed == 0  # unchanged: not retried by itself
    assert engine.failures()
    report = engine.retry()
    assert report.new == 0 and report.changed == 1 and not engine.failures()
    assert engine.search(Query(examples=(locked,)))[0].path == locked


def test_a_video_that_breaks_after_some_frames_fails_cleanly(settings, tmp_path, monkeypatch):
    """Frames decoded before the damage may still wait in a batch when the failure arrives."""
    from indexer.errors import MediaError
    from indexer.media.extract import Extraction
    from indexer.media.segment import MediaSegment
    from tests.support.media import scene_image

    folder = tmp_path / "v"
    broken = write_video(folder / "broken.mp4", [1, 2, 3])
    good = write_photo(folder / "good.jpg", 4)

    def breaking(path, options):
        if path != broken:
            return real_extract(path, options)

        def frames():
            for i in range(3):
                yield MediaSegment("image", scene_image(i), float(i), float(i + 1), float(i))
            raise MediaError(path, "corrupt video stream near 3.0 s: test damage")

        return Extraction("video", frames())

    monkeypatch.setattr("indexer.ingest.pipeline.extract", breaking)
    from dataclasses import replace

    from indexer import build_engine

    engine = build_engine(replace(settings, batch_size=64, decode_workers=1))
    for _ in range(3):  # the order of flush and failure varies from run to run
        broken.touch()
        report = engine.index([folder])
        assert report.failed == 1
        assert "test damage" in engine.catalog.files.get(broken).error
    assert engine.search(Query(examples=(good,)))[0].path == good
    assert_consistent(engine)
    engine.close()
