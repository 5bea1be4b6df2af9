"""After a crash the catalog wins: missing vectors are re-embedded, stray ones dropped."""

from __future__ import annotations

import numpy as np
import pytest

from indexer import Query, build_engine
from indexer.vectors.faiss_store import checkpoints
from tests.engine.test_index_search import assert_consistent


def test_a_lost_vector_file_is_rebuilt_from_the_catalog(settings, corpus):
    with build_engine(settings) as engine:
        engine.index([corpus.root])
        folder = engine.spaces[0].folder
        segments_before = engine.catalog.segments.count()
    [(_, image_index)] = checkpoints(folder)
    image_index.unlink()  # the log it replaced is gone: only the catalog knows what it held
    with build_engine(settings) as engine:
        report = engine.index([corpus.root])
        # photos and videos (the image space's files) are embedded again under their old ids
        assert report.backfilled == len(corpus.photos) + 2 and report.changed == 0
        assert engine.catalog.segments.count() == segments_before
        assert_consistent(engine)
        photo = next(iter(corpus.photos))
        assert engine.search(Query(examples=(photo,)))[0].path == photo


def test_stray_and_doubled_vectors_in_an_old_index_file_are_dropped_and_embedded_again(settings, corpus):
    """An index written by an earlier version may hold a vector the catalog never committed,
    and an id twice (the rolled-back AUTOINCREMENT bug): the upgrade compares id by id."""
    import faiss

    from tests.support.legacy import downgrade_to_schema_3

    with build_engine(settings) as engine:
        engine.index([corpus.root])
        space = engine.spaces[0]
        snap = space.snapshot()
        ids = snap.ids()
        doubled = int(ids[0])
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(snap.dim))
        index.add_with_ids(snap.vectors(ids), ids)
        junk = np.ones((2, snap.dim), dtype=np.float32) / np.sqrt(snap.dim)
        index.add_with_ids(junk, np.array([10_000_000, doubled]))  # a stray id, and a doubled one
        folder = space.folder
        others = [s.folder for s in engine.spaces[1:]]
    downgrade_to_schema_3(settings.catalog_path)
    for other in others:  # an earlier version wrote each space's file without a seq
        ((_, newest),) = checkpoints(other)
        newest.rename(other / "index.faiss")
    for _, path in checkpoints(folder):
        path.unlink()
    faiss.write_index(index, str(folder / "index.faiss"))
    with build_engine(settings) as engine:
        _, extra = engine.discrepancies()["image"]
        assert extra == {10_000_000, doubled}  # detected…
        report = engine.index([corpus.root])
        assert report.backfilled == 1 and report.changed == 0  # …and the doubled id's file re-embedded
        assert_consistent(engine)
        snap = engine.spaces[0].snapshot()
        assert sorted(snap.ids().tolist()) == sorted(set(snap.ids().tolist()))
        photo = next(iter(corpus.photos))
        assert engine.search(Query(examples=(photo,)))[0].path == photo


def test_progress_events_count_up_to_the_total(engine, corpus):
    events = []
    engine.index([corpus.root], on_progress=events.append)
    done = [e.done for e in events]  # one a file, and one a second while none finishes
    assert done == sorted(done) and set(done) == set(range(1, len(corpus.files) + 1))
    assert all(e.total == len(corpus.files) and e.failed == 0 for e in events)
    assert {e.current for e in events} <= set(corpus.files)
    assert events[-1].eta_s == 0 and events[-1].rate > 0


def test_a_long_video_is_named_while_it_is_worked_on(engine, tmp_path, monkeypatch):
    """A 10-minute video decoding beside photos was never named, and after the photos the
    status said "almost done" with the last photo's name for as long as the video took."""
    from indexer.ingest import run_progress
    from tests.support.media import write_photo, write_video

    monkeypatch.setattr(run_progress, "HEARTBEAT_S", 0.05)
    folder = tmp_path / "mixed"
    video = write_video(folder / "a-long.mp4", list(range(60)), scene_s=2.0, fps=2, size=(96, 72))
    for i in range(8):
        write_photo(folder / f"b-{i}.jpg", i)
    events = []
    engine.index([folder], on_progress=events.append)
    naming = [e for e in events if e.current == video]
    # Named while it is worked on, not only once when it is done (a file's own event).
    assert len(naming) >= 2 and naming[0].done < naming[0].total
    assert {e.current for e in events} <= {video, *folder.glob("b-*.jpg")}


@pytest.mark.parametrize("store", ["faiss", "milvus:vectors.db"])
def test_a_new_model_builds_its_space_from_files_already_indexed(settings, store, corpus, tmp_path):
    from dataclasses import replace

    from indexer import SpaceSpec
    from tests.support.models import build_tiny_clip

    settings = replace(settings, store=store)
    with build_engine(settings) as engine:
        engine.index([corpus.root])
    other = build_tiny_clip(tmp_path / "other-clip", seed=1)
    switched = replace(settings, spaces=(SpaceSpec("image", str(other)), settings.spaces[1]))
    with build_engine(switched) as engine:
        report = engine.index([corpus.root])
        assert report.backfilled == len(corpus.photos) + 2 and report.changed == 0
        assert_consistent(engine)
        photo = next(iter(corpus.photos))
        assert engine.search(Query(examples=(photo,)))[0].path == photo
