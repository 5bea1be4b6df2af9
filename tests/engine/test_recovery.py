"""After a crash the catalog wins: missing vectors are re-embedded, stray ones dropped."""

from __future__ import annotations

import numpy as np

from indexer import Query, build_engine
from tests.engine.test_index_search import assert_consistent


def test_a_lost_vector_file_is_rebuilt_from_the_catalog(settings, corpus):
    with build_engine(settings) as engine:
        engine.index([corpus.root])
        image_index = engine.spaces[0].index_path
        segments_before = engine.catalog.segment_count()
    image_index.unlink()  # as if the process died before its first checkpoint
    with build_engine(settings) as engine:
        report = engine.index([corpus.root])
        # photos and videos (the image space's files) are embedded again under their old ids
        assert report.backfilled == len(corpus.photos) + 2 and report.changed == 0
        assert engine.catalog.segment_count() == segments_before
        assert_consistent(engine)
        photo = next(iter(corpus.photos))
        assert engine.search(Query(examples=(photo,)))[0].path == photo


def test_stray_vectors_are_dropped(settings, corpus):
    with build_engine(settings) as engine:
        engine.index([corpus.root])
        space = engine.spaces[0]
        space.store.add(np.array([10_000_000]), np.ones((1, space.record.dim), dtype=np.float32) / 4)
        space.dirty = True
        space.save()  # a vector whose segment the catalog never committed
    with build_engine(settings) as engine:
        assert engine.index([corpus.root]).segments == 0
        assert 10_000_000 not in engine.spaces[0].store.ids()
        assert_consistent(engine)


def test_progress_events_count_up_to_the_total(engine, corpus):
    events = []
    engine.index([corpus.root], on_progress=events.append)
    assert [e.done for e in events] == list(range(1, len(corpus.files) + 1))
    assert all(e.total == len(corpus.files) and e.failed == 0 for e in events)
    assert {e.current for e in events} == set(corpus.files)
    assert events[-1].eta_s == 0 and events[-1].rate > 0


def test_a_new_model_builds_its_space_from_files_already_indexed(settings, corpus, tmp_path):
    from dataclasses import replace

    from indexer import SpaceSpec
    from tests.support.models import build_tiny_clip

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
