"""The guarantees of docs/concurrency.md that concern checkpoints and the vector log, each
checked on both stores (FAISS files and Milvus Lite): a store that breaks one fails by name."""

from __future__ import annotations

import logging
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from indexer import Query, build_engine
from indexer.settings import Settings, SpaceSpec
from tests.conftest import AUDIO_RATE
from tests.engine.test_index_search import assert_consistent
from tests.support.media import sound, write_audio, write_photo

STORES = ["faiss", "milvus:vectors.db"]


@pytest.fixture(params=STORES, ids=["faiss", "milvus"])
def photo_settings(request, tmp_path: Path, tiny_clip: Path, tiny_clap: Path) -> Settings:
    """Photos only in the image space; the audio space is registered but never changes."""
    return Settings(
        data_dir=tmp_path / "data",
        spaces=(SpaceSpec("image", str(tiny_clip)), SpaceSpec("audio", str(tiny_clap))),
        device="cpu",
        batch_size=8,
        decode_workers=1,
        reranker="none",
        checkpoint_every_s=0,
        store=request.param,
    )


def _photos(folder: Path, scenes: range) -> list[Path]:
    return [write_photo(folder / f"p{s:03d}.png", s) for s in scenes]


def _finds_itself(engine, photo: Path) -> bool:
    query = Query(examples=(photo,), calibrate=False, limit=1, show_all=True)
    return engine.search(query).results[0].path == photo


def test_a_checkpoint_newer_than_the_catalog_is_not_trusted(photo_settings, tmp_path):
    """Guarantee 5: a power cut that loses the catalog's last commits (or a restored older
    copy of it) while the checkpoint kept them must not hand the lost files' vectors to the
    files that reuse their ids."""
    media, data = tmp_path / "media", photo_settings.data_dir
    _photos(media / "a", range(0, 6))
    with build_engine(photo_settings) as engine:
        engine.index([media])
    shutil.copy(data / "catalog.sqlite3", tmp_path / "catalog-before")
    _photos(media / "b", range(20, 26))
    with build_engine(photo_settings) as engine:
        engine.index([media])
    shutil.copy(tmp_path / "catalog-before", data / "catalog.sqlite3")  # the last commits are lost
    shutil.rmtree(media / "b")
    fresh = _photos(media / "c", range(40, 46))  # the same ids are handed out again
    with build_engine(photo_settings) as engine:
        engine.index([media])
        assert all(_finds_itself(engine, photo) for photo in fresh)
        assert_consistent(engine)


def test_a_space_whose_vectors_do_not_change_lets_the_log_go(photo_settings, tmp_path):
    """Guarantee 6: the audio space of a photo library never changes, yet each removal of a
    photo leaves the log once every space in use has checkpointed past it; a space turned off
    does not hold it either, and is checked id by id should it come back."""
    media = tmp_path / "media"
    photos = _photos(media, range(10))
    with build_engine(photo_settings) as engine:
        engine.index([media])
        for round_ in (1, 2):
            for i, photo in enumerate(photos):
                write_photo(photo, 100 * round_ + i)
            engine.index([media])
            assert engine.catalog.log.size() == 0
            records = {r.name: r for r in engine.catalog.spaces.all()}
            assert records["audio"].checkpoint_seq == engine.catalog.log.last_seq()
    photos_only = replace(photo_settings, spaces=photo_settings.spaces[:1])
    with build_engine(photos_only) as engine:
        for photo in photos[:4]:
            photo.unlink()
        engine.index([media])
        assert engine.catalog.log.size() == 0
        assert {r.name: r.needs_check for r in engine.catalog.spaces.all()}["audio"]
    with build_engine(photo_settings) as engine:  # audio back on: nothing stale, nothing missing
        engine.index([media])
        assert_consistent(engine)


def test_an_empty_space_reopens_without_looking_lost(photo_settings, tmp_path, caplog):
    """Guarantee 4: a checkpoint of a store emptied by removals keeps its seq, so the next
    open trusts it instead of treating it as lost."""
    media = tmp_path / "media"
    _photos(media, range(3))
    recording = write_audio(media / "tone.wav", sound([("sine", 440.0, 3.0)], AUDIO_RATE), AUDIO_RATE)
    with build_engine(photo_settings) as engine:
        engine.index([media])
        recording.unlink()
        engine.index([media])
        assert engine.status().spaces[1].vectors == 0
    caplog.set_level(logging.WARNING, logger="indexer.vectors.space")
    with build_engine(photo_settings) as engine:
        engine.index([media])
        assert not any(space.doubted for space in engine.spaces)
    assert not [r for r in caplog.records if "older than the change log" in r.getMessage()]


def test_a_save_killed_half_way_leaves_no_copy_behind(tmp_path, tiny_clip, tiny_clap):
    """A temporary file of a checkpoint that never finished is removed at the next open."""
    settings = Settings(
        data_dir=tmp_path / "data",
        spaces=(SpaceSpec("image", str(tiny_clip)),),
        device="cpu",
        batch_size=8,
        reranker="none",
        checkpoint_every_s=0,
    )
    media = tmp_path / "media"
    _photos(media, range(3))
    with build_engine(settings) as engine:
        engine.index([media])
        folder = engine.spaces[0].folder
    leftovers = [folder / "index.faiss.tmp", folder / "index-000000000003.faissab12cd.tmp"]
    for path in leftovers:
        path.write_bytes(b"\0" * 4096)
    with build_engine(settings) as engine:
        engine.index([media])
        assert not any(p.exists() for p in leftovers)
        assert [p.name for p in folder.iterdir()] == ["index-000000000003.faiss"]


def test_a_search_never_waits_for_a_checkpoint(photo_settings, tmp_path, monkeypatch):
    """Guarantee 3: merging, compressing and saving happen beside the published snapshot; a
    search (and status) on another thread goes on while a checkpoint is held up."""
    media = tmp_path / "media"
    photos = _photos(media, range(8))
    with build_engine(photo_settings) as engine:
        engine.index([media])
        space = engine.spaces[0]
        store = space.store
        merging, release = threading.Event(), threading.Event()
        merge = store.merge

        def slow_merge(compress_above: int):
            merging.set()
            release.wait(60)
            return merge(compress_above)

        monkeypatch.setattr(store, "merge", slow_merge)
        write_photo(photos[0], 50)
        checkpoint = threading.Thread(target=lambda: engine.index([media]))
        checkpoint.start()
        try:
            assert merging.wait(60)
            searched = threading.Thread(target=lambda: engine.search(Query(examples=(photos[1],))))
            searched.start()
            searched.join(30)
            assert not searched.is_alive(), "the search waited for the checkpoint"
            assert engine.status().spaces[0].vectors == len(photos)
        finally:
            release.set()
            checkpoint.join()


def test_the_catalog_is_on_disk_before_a_checkpoint_that_holds_its_changes(
    photo_settings, tmp_path, monkeypatch
):
    """Guarantee 5, first half: every checkpoint written is preceded by forcing the catalog's
    commits onto the disk, so a power cut cannot keep the checkpoint and lose the commits."""
    events: list[str] = []
    media = tmp_path / "media"
    _photos(media, range(4))
    with build_engine(photo_settings) as engine:
        engine.index([media])
        durable, store = engine.catalog.make_durable, engine.spaces[0].store
        monkeypatch.setattr(engine.catalog, "make_durable", lambda: events.append("durable") or durable())
        save = store.save
        monkeypatch.setattr(store, "save", lambda folder: events.append("save") or save(folder))
        _photos(media, range(10, 14))
        engine.index([media])
    saves = [i for i, event in enumerate(events) if event == "save"]
    assert saves and all(i > 0 and events[i - 1] == "durable" for i in saves)
