"""Changing a space's model: the new space builds while search keeps the old one, then replaces it."""

from __future__ import annotations

from dataclasses import replace

from indexer import Query, SpaceSpec, build_engine
from indexer.control import Control
from tests.engine.test_index_search import assert_consistent
from tests.support.models import build_tiny_clip


def test_search_uses_the_old_model_until_the_new_space_is_complete(settings, corpus, tmp_path):
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
        assert next(s.identity for s in reader.searchable_spaces()) == old_identity
        best = reader.search(Query(examples=(photo,)))[0]
        assert best.path == photo and best.score > 0.999  # every photo is still found

    with build_engine(switched) as engine:
        engine.index([corpus.root])
        assert engine.status().spaces[0].state == "active"
        assert next(s.identity for s in engine.searchable_spaces()) == engine.spaces[0].identity
        assert engine.catalog.space(old_identity) is None and not old_folder.exists()
        assert engine.search(Query(examples=(photo,)))[0].path == photo
        assert_consistent(engine)
