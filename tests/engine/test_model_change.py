"""Changing a space's model: the new space builds while search keeps the old one, then replaces it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from indexer import Query, SpaceSpec, build_engine
from indexer.ingest.control import Control
from tests.engine.test_index_search import assert_consistent
from tests.support.models import build_tiny_clip

STORES = ["faiss", "milvus:vectors.db"]  # guarantee 8 holds on both (docs/concurrency.md)


@pytest.mark.parametrize("store", STORES)
def test_search_uses_the_old_model_until_the_new_space_is_complete(settings, store, corpus, tmp_path):
    settings = replace(settings, store=store)
    with build_engine(settings) as engine:
        engine.index([corpus.root])
        old = engine.spaces[0]
        old_identity, old_folder = old.identity, old.folder
    other = build_tiny_clip(tmp_path / "other-clip", seed=1)
    switched = replace(settings, spaces=(SpaceSpec("image", str(other)), settings.spaces[1]))
    photo = next(iter(corpus.photos))

    control = Control()
    with build_engine(switched) as engine:
        engine.index([corpus.root], on_progress=lambda e: e.done >= 2 and control.stop(), control=control)
        assert engine.status().spaces[0].state == "building"
    with build_engine(switched, writer=False) as reader:
        image_spaces = {s.identity for s in reader.searchable_spaces() if s.name == "image"}
        assert image_spaces == {old_identity, reader.spaces[0].identity}  # the old one, and the new so far
        # Every photo is still found, through one model or the other. (Both tiny models have
        # random weights, so the rank says nothing; being found at all is the point.)
        for photo in corpus.photos:
            response = reader.search(Query(examples=(photo,), limit=100, show_all=True))
            assert photo in {p for r in response.results for p in (r.path, *(s.path for s in r.similar))}

    with build_engine(switched) as engine:
        engine.index([corpus.root])
        assert engine.status().spaces[0].state == "active"
        assert next(s.identity for s in engine.searchable_spaces()) == engine.spaces[0].identity
        assert engine.catalog.spaces.get(old_identity) is None and not old_folder.exists()
        assert engine.search(Query(examples=(photo,)))[0].path == photo
        assert_consistent(engine)


def _switched(settings, tmp_path, seed=1):
    other = build_tiny_clip(tmp_path / f"other-clip-{seed}", seed=seed)
    return replace(settings, spaces=(SpaceSpec("image", str(other)), settings.spaces[1]))


def test_files_added_during_a_switch_are_found_before_it_ends(settings, corpus, tmp_path):
    from tests.support.media import write_photo

    with build_engine(settings) as engine:
        engine.index([corpus.root])
    switched = _switched(settings, tmp_path)
    control = Control()
    with build_engine(switched) as engine:
        engine.index([corpus.root], on_progress=lambda e: e.done >= 1 and control.stop(), control=control)
        assert engine.status().spaces[0].state == "building"
        late = write_photo(corpus.root / "photos" / "late.png", 31)
        engine.update([late])
        assert engine.status().spaces[0].state == "building"
        assert engine.search(Query(examples=(late,)))[0].path == late


def test_switching_back_before_the_build_ends_forgets_the_half_built_space(settings, corpus, tmp_path):
    with build_engine(settings) as engine:
        engine.index([corpus.root])
        original = engine.spaces[0].identity
    switched = _switched(settings, tmp_path)
    control = Control()
    with build_engine(switched) as engine:
        engine.index([corpus.root], on_progress=lambda e: e.done >= 1 and control.stop(), control=control)
        half_built = engine.spaces[0].folder
    with build_engine(settings) as engine:  # back to the first model
        engine.index([corpus.root])
        assert [r.identity for r in engine.catalog.spaces.all() if r.name == "image"] == [original]
        assert not half_built.exists()
        assert [s.state for s in engine.status().spaces] == ["active", "active"]


def test_a_crash_between_activating_and_deleting_the_old_space_is_finished_later(settings, corpus, tmp_path):
    with build_engine(settings) as engine:
        engine.index([corpus.root])
        old_identity = engine.spaces[0].identity
    switched = _switched(settings, tmp_path)
    with build_engine(switched) as engine:
        engine.registry.settle = lambda: None  # as if the process died right after activating
        engine.index([corpus.root])
        assert engine.catalog.spaces.get(old_identity) is not None
    with build_engine(switched) as engine:
        engine.index([corpus.root])
        assert engine.catalog.spaces.get(old_identity) is None
        assert [s.identity for s in engine.searchable_spaces()] == [s.identity for s in engine.spaces]
        assert_consistent(engine)


def test_a_file_that_no_longer_decodes_as_it_did_keeps_its_vectors_in_every_space(
    settings, tmp_path, monkeypatch
):
    """A switch backfills only the new space, under the file's segment ids. When the file now
    decodes to other segments (an FFmpeg upgrade here, that samples other frames; a damaged
    file), it is embedded again whole: the sound space keeps its vectors for it."""
    from indexer.media import video as video_module
    from tests.conftest import AUDIO_RATE
    from tests.support.media import sound, write_video

    media = tmp_path / "media"
    audio = sound([("sine", 440.0, 6.0), ("noise", 2.0, 6.0)], AUDIO_RATE)
    video = write_video(media / "trip.mp4", list(range(6)), scene_s=2.0, audio=audio, audio_rate=AUDIO_RATE)
    with build_engine(settings) as engine:
        engine.index([media])
    sampling = video_module.sample_times
    upgraded = lambda frames, keys, interval: sampling(frames, keys, 1.0)  # noqa: E731
    monkeypatch.setattr(video_module, "sample_times", upgraded)
    with build_engine(_switched(settings, tmp_path)) as engine:
        report = engine.index([media])
        assert (report.backfilled, report.changed) == (1, 0)
        assert_consistent(engine)
        sound_space = next(s for s in engine.spaces if s.name == "audio")
        file_id = engine.catalog.files.get(video).id
        audio_ids = [i for i, modality, _ in engine.catalog.segments.of_file(file_id) if modality == "audio"]
        assert audio_ids and sound_space.snapshot().has(np.asarray(audio_ids)).all()


@pytest.mark.parametrize("store", STORES)
def test_a_search_that_began_before_a_switch_ended_cannot_revive_the_old_space(
    settings, store, corpus, tmp_path
):
    """A search whose catalog snapshot still shows the old space, and which asks for the
    searchable spaces only after the writer removed it, skips it: the writer goes on writing."""
    settings = replace(settings, store=store)
    import threading

    from tests.support.media import write_photo

    with build_engine(settings) as engine:
        engine.index([corpus.root])
    switched = _switched(settings, tmp_path)
    control = Control()
    with build_engine(switched) as engine:
        engine.index([corpus.root], on_progress=lambda e: control.stop(), control=control)
    with build_engine(switched) as engine:
        snapshot_open, switch_done, seen = threading.Event(), threading.Event(), []

        def search() -> None:
            with engine.catalog.reading():
                engine.catalog.spaces.all()  # the snapshot starts here, before the switch ends
                snapshot_open.set()
                switch_done.wait()
                seen.extend((s.identity, s.snapshot()) for s in engine.searchable_spaces())

        searcher = threading.Thread(target=search)
        searcher.start()
        snapshot_open.wait()
        engine.index([corpus.root])  # finishes the new space and removes the old one
        switch_done.set()
        searcher.join()
        assert [identity for identity, _ in seen] == [s.identity for s in engine.spaces]
        late = write_photo(corpus.root / "photos" / "late.png", 33)
        assert engine.update([late]).new == 1  # the writer is not stopped by a revived space
        assert engine.search(Query(examples=(late,)))[0].path == late


def _photos_of(folder, scenes):
    from tests.support.media import write_photo

    return [write_photo(folder / f"p{s:03d}.png", s) for s in scenes]


def _each_finds_itself(engine, photos) -> bool:
    return all(
        engine.search(Query(examples=(p,), calibrate=False, limit=1)).results[0].path == p for p in photos
    )


@pytest.mark.parametrize("store", STORES)
def test_a_model_folder_replaced_in_place_is_another_model(settings, store, tmp_path):
    """The same folder, other weights: the vectors of the old model are not kept. Of another
    dimension, a search before the library is embedded again says what happened."""
    settings = replace(settings, store=store)
    import shutil

    from indexer.vectors.space import ModelMismatch

    model = tmp_path / "my-clip"
    build_tiny_clip(model, seed=1)
    only_image = replace(settings, spaces=(SpaceSpec("image", str(model)),))
    photos = _photos_of(tmp_path / "media", range(12))
    with build_engine(only_image) as engine:
        engine.index([tmp_path / "media"])
    shutil.rmtree(model)
    build_tiny_clip(model, seed=3)
    with build_engine(only_image) as engine:
        assert engine.index([tmp_path / "media"]).backfilled == len(photos)
        assert _each_finds_itself(engine, photos)
    shutil.rmtree(model)
    build_tiny_clip(model, seed=3, width=64, dim=32)
    reader = build_engine(only_image, writer=False)
    with reader, pytest.raises(ModelMismatch, match="32-dimensional"):
        reader.search(Query(text="a red circle"))
    with build_engine(only_image) as engine:
        engine.index([tmp_path / "media"])
        assert _each_finds_itself(engine, photos)


def test_a_tower_another_model_left_in_the_new_ones_place_neither_sizes_nor_answers_its_space(
    settings, tmp_path
):
    """An export that raced a model replaced in place once wrote the old model's text tower
    under the new model's digest: the space was registered at the tower's size and indexing
    failed ("cannot reshape array of size 32 into shape (1,16)", repro 5)."""
    from indexer.models.loading import model_digest
    from indexer.models.query_tower_child import start_export

    old, new = tmp_path / "old-clip", tmp_path / "my-clip"
    build_tiny_clip(old, seed=1)  # 16 dimensions
    build_tiny_clip(new, seed=3, width=64, dim=32)
    only_image = replace(settings, spaces=(SpaceSpec("image", str(new)),))
    digest = model_digest(str(new))
    assert (
        digest is not None and start_export(str(old), None, only_image.query_towers / digest).wait(300) == 0
    )
    photos = _photos_of(tmp_path / "media", range(12))
    with build_engine(only_image) as engine:
        engine.index([tmp_path / "media"])
        assert engine.spaces[0].record.dim == 32
        assert _each_finds_itself(engine, photos)
        assert engine.search(Query(text="a red circle")).results  # the model answers, not that tower


def test_a_model_reached_through_a_symlink_keeps_its_one_folder(settings, tmp_path):
    """Two spellings of one model folder are one space, with one folder: nothing is embedded
    again when the next run names the model otherwise."""
    import os

    real = tmp_path / "models" / "clip-v2"
    build_tiny_clip(real, seed=1)
    os.symlink(real, tmp_path / "models" / "current")
    photos = _photos_of(tmp_path / "media", range(6))
    for spelling in (tmp_path / "models" / "current", real, tmp_path / "models" / "current"):
        spelled = replace(settings, spaces=(SpaceSpec("image", str(spelling)),))
        with build_engine(spelled) as engine:
            report = engine.index([tmp_path / "media"])
            assert report.new + report.backfilled in (0, len(photos)) and report.unchanged in (0, len(photos))
            assert len(list((settings.data_dir / "spaces").iterdir())) == 1
            assert not engine.spaces[0].doubted
            assert _each_finds_itself(engine, photos)
    assert report.summary().startswith("Nothing to do")


def test_a_new_frame_interval_samples_indexed_videos_again_and_leaves_photos(settings, corpus):
    """Changing "Video frame every" changed nothing for videos already indexed."""
    videos = (corpus.video, corpus.long_gop_video)
    with build_engine(settings) as engine:
        engine.index([corpus.root])
        before = {v: len(engine.catalog.segments.of_file(engine.catalog.files.get(v).id)) for v in videos}
    denser = replace(settings, video_interval_s=settings.video_interval_s / 2)
    with build_engine(denser) as engine:
        report = engine.index([corpus.root])
        assert report.changed == len(videos) and report.new == 0
        assert report.unchanged == len(corpus.files) - len(videos)  # photos and recordings stay
        for video, count in before.items():
            record = engine.catalog.files.get(video)
            assert record.sampled_s == denser.video_interval_s
            assert len(engine.catalog.segments.of_file(record.id)) > count  # more frames
        assert engine.index([corpus.root]).summary().startswith("Nothing to do")
        assert_consistent(engine)
