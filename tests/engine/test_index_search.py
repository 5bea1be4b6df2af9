"""End to end through the engine API: index the synthetic corpus, query it, change it."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from indexer import Query, build_engine
from tests.conftest import (
    AUDIO_RATE,
    LONG_GOP_SCENES,
    RECORDING,
    SCENE_S,
    VIDEO_SCENES,
    make_settings,
    scene_query,
)
from tests.support.media import sound, write_audio, write_photo


def assert_consistent(engine) -> None:
    for space, (missing, extra) in engine.discrepancies().items():
        assert not missing and not extra, f"{space}: {len(missing)} missing, {len(extra)} stray vectors"


def test_every_corpus_file_is_indexed_with_its_kind(indexed):
    engine, corpus = indexed
    status = engine.status()
    assert status.indexed == {"photo": len(corpus.photos), "video": 2, "audio": 1}
    assert status.failed == 0 and engine.failures() == []
    assert_consistent(engine)


@pytest.mark.parametrize("name", ["a.jpg", "b.png", "c.webp", "d.bmp", "e.tiff", "f.gif"])
def test_a_photo_as_query_finds_itself_first(indexed, name):
    engine, corpus = indexed
    photo = corpus.root / "photos" / name
    results = engine.search(Query(examples=(photo,)))
    assert results[0].path == photo
    assert results[0].kind == "photo" and results[0].space == "image"
    assert results[0].cosine == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize("second", [1.0, 7.5, 12.2, 19.0])
def test_a_frame_finds_its_video_moment_within_one_interval(indexed, query_dir, second):
    engine, corpus = indexed
    scene = VIDEO_SCENES[int(second // SCENE_S)]
    best = engine.search(Query(examples=(scene_query(query_dir, scene),)))[0]
    assert best.path == corpus.video
    assert best.kind == "video" and best.modality == "image"
    assert abs(best.t - second) <= SCENE_S
    assert best.start <= best.t <= best.end


@pytest.mark.parametrize("second", [3.0, 11.0, 15.0])
def test_long_gop_video_is_sampled_between_keyframes(indexed, query_dir, second):
    """Keyframes are 10 s apart there; the scene at `second` is only seen by a filler frame."""
    engine, corpus = indexed
    scene = LONG_GOP_SCENES[int(second // SCENE_S)]
    best = engine.search(Query(examples=(scene_query(query_dir, scene),), kinds=frozenset({"video"})))[0]
    assert best.path == corpus.long_gop_video
    assert abs(best.t - second) <= SCENE_S


def test_an_audio_excerpt_finds_its_recording_and_window(indexed, query_dir):
    engine, corpus = indexed
    full = sound(RECORDING, AUDIO_RATE)
    excerpt = write_audio(query_dir / "excerpt.wav", full[22 * AUDIO_RATE : 28 * AUDIO_RATE], AUDIO_RATE)
    best = engine.search(Query(examples=(excerpt,), kinds=frozenset({"audio"})))[0]
    assert best.path == corpus.recording
    assert best.modality == "audio"
    overlap = min(best.end, 28.0) - max(best.start, 22.0)
    assert overlap >= 3.0, f"window {best.start}–{best.end} misses the excerpt 22–28 s"


def test_the_soundtrack_of_a_video_is_searchable_as_audio(indexed, query_dir):
    engine, corpus = indexed
    clip = write_audio(query_dir / "beep.wav", sound([("sine", 440.0, 8.0)], AUDIO_RATE), AUDIO_RATE)
    results = engine.search(Query(examples=(clip,), kinds=frozenset({"video"})))
    assert results[0].path == corpus.video and results[0].modality == "audio"
    assert results[0].start < 8.0


def test_text_query_reaches_every_space_and_filters_apply(indexed):
    engine, corpus = indexed
    results = engine.search(Query(text="a red circle", limit=50, per_file=50, show_all=True))
    assert {r.space for r in results} == {"image", "audio"}
    scores = [r.score for r in results]
    assert scores == sorted(scores, reverse=True)
    photos = engine.search(Query(text="a red circle", kinds=frozenset({"photo"}), show_all=True))
    assert photos and {r.kind for r in photos} == {"photo"}
    in_audio = engine.search(Query(text="a tone", folder=corpus.root / "audio", show_all=True))
    assert in_audio and {r.path for r in in_audio} == {corpus.recording}


def test_one_video_contributes_few_non_overlapping_hits(indexed):
    engine, corpus = indexed
    results = engine.search(Query(text="anything", limit=50, per_file=3, show_all=True))
    video_hits = [r for r in results if r.path == corpus.video and r.modality == "image"]
    assert 0 < len(video_hits) <= 3
    spans = sorted((r.start, r.end) for r in video_hits)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))


def test_second_run_over_unchanged_files_embeds_nothing(engine, corpus, monkeypatch):
    first = engine.index([corpus.root])
    assert first.new == len(corpus.files) and first.segments > 0
    calls = []
    for space in engine.spaces:
        original = space.embedder.encode_segments
        monkeypatch.setattr(
            space.embedder, "encode_segments", lambda s, o=original, **k: calls.append(s) or o(s, **k)
        )
    second = engine.index([corpus.root])
    assert (second.new, second.changed, second.segments, second.unchanged) == (0, 0, 0, len(corpus.files))
    assert calls == []
    assert second.summary().startswith("Nothing to do")


def test_touching_a_file_without_changing_it_embeds_nothing(engine, corpus):
    engine.index([corpus.root])
    photo = next(iter(corpus.photos))
    photo.write_bytes(photo.read_bytes())  # new mtime, same content
    report = engine.index([corpus.root])
    assert report.segments == 0 and report.unchanged == len(corpus.files)


def test_editing_a_file_replaces_its_vectors(engine, corpus, query_dir):
    engine.index([corpus.root])
    photo = corpus.root / "photos" / "b.png"
    old_ids = {sid for sid in engine.catalog.segments.ids_of_files([engine.catalog.files.get(photo).id])}
    write_photo(photo, 33)
    report = engine.index([corpus.root])
    assert report.changed == 1 and report.new == 0
    new_ids = set(engine.catalog.segments.ids_of_files([engine.catalog.files.get(photo).id]))
    assert new_ids and not (new_ids & old_ids)
    for space in engine.spaces:
        assert not (set(space.snapshot().ids().tolist()) & old_ids)
    best = engine.search(Query(examples=(scene_query(query_dir, 33),)))[0]
    assert best.path == photo and best.cosine == pytest.approx(1.0, abs=1e-3)
    assert_consistent(engine)


def test_a_deleted_file_leaves_the_index(engine, corpus):
    engine.index([corpus.root])
    corpus.video.unlink()
    report = engine.index([corpus.root])
    assert report.removed == 1
    results = engine.search(Query(text="anything", limit=100, per_file=100))
    assert corpus.video not in {r.path for r in results}
    assert_consistent(engine)


def test_remove_forgets_a_folder_but_keeps_the_files(engine, corpus):
    engine.index([corpus.root])
    assert engine.remove([corpus.root / "photos"]) == len(corpus.photos)
    assert all(p.exists() for p in corpus.photos)
    results = engine.search(Query(text="anything", limit=100, per_file=100))
    assert not {r.path for r in results} & set(corpus.photos)
    assert engine.status().indexed.get("photo", 0) == 0
    assert_consistent(engine)
    with build_engine(engine.settings, writer=False) as reader:  # what is on disk agrees too
        assert_consistent(reader)


def test_the_index_survives_a_restart(settings, corpus):
    with build_engine(settings) as first:
        first.index([corpus.root])
        before = [(r.path, r.t) for r in first.search(Query(examples=(corpus.video.parent / "trip.mp4",)))]
    with build_engine(settings) as second:
        assert second.index([corpus.root]).segments == 0
        after = [(r.path, r.t) for r in second.search(Query(examples=(corpus.video,)))]
        assert after == before
        assert_consistent(second)


def test_vectors_are_unit_length_float32(indexed):
    engine, _ = indexed
    for space in engine.spaces:
        store = space.snapshot()
        vectors = store.vectors(store.ids())
        assert vectors.dtype == np.float32
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_indexing_photos_alone_does_not_touch_other_folders(tmp_path, tiny_clip, tiny_clap, corpus):
    with build_engine(make_settings(tmp_path / "d2", tiny_clip, tiny_clap)) as eng:
        eng.index([corpus.root])
        report = eng.index([corpus.root / "photos"])
        assert report.removed == 0
        assert eng.status().indexed["video"] == 2


def test_a_missing_folder_is_skipped_and_keeps_its_entries(engine, corpus, tmp_path):
    engine.index([corpus.root / "photos", corpus.root / "videos"])
    moved = tmp_path / "unplugged"
    (corpus.root / "videos").rename(moved)
    report = engine.index([corpus.root / "photos", corpus.root / "videos"])
    assert report.removed == 0
    assert engine.status().indexed["video"] == 2


def test_photos_and_videos_get_thumbnails_from_their_decode(indexed):
    from PIL import Image

    from indexer.ingest.thumbs import thumbnail_path

    engine, corpus = indexed
    for path in [*corpus.photos, corpus.video, corpus.long_gop_video]:
        thumb = thumbnail_path(engine.settings.data_dir, engine.catalog.files.get(path).fingerprint)
        with Image.open(thumb) as image:
            assert image.format == "JPEG" and max(image.size) <= 256
    recording = engine.catalog.files.get(corpus.recording).fingerprint
    assert not thumbnail_path(engine.settings.data_dir, recording).exists()


def test_results_past_the_limit_are_in_the_hidden_list_not_lost(indexed):
    engine, _ = indexed
    everything = engine.search(Query(text="x", limit=1000, show_all=True)).results
    limited = engine.search(Query(text="x", limit=2, show_all=True))  # the cutoff is not what hides them
    assert len(limited.results) == 2 and len(everything) > 2
    shown = [r.segment_id for r in [*limited.results, *limited.hidden]]
    assert shown == [r.segment_id for r in everything]  # same order, nothing dropped
