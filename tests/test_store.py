from __future__ import annotations

import numpy as np
import pytest

from indexer.store import FaissStore, open_store


def _unit(n: int, dim: int, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_add_search_remove_and_filter():
    store = FaissStore(8)
    vectors = _unit(20, 8)
    store.add(np.arange(100, 120), vectors)
    scores, ids = store.search(vectors[3:4], 1)
    assert ids[0, 0] == 103 and scores[0, 0] == pytest.approx(1.0, abs=1e-5)
    assert store.remove(np.array([103])) == 1
    assert store.search(vectors[3:4], 1)[1][0, 0] != 103
    _, ids = store.search(vectors[3:4], 5, allowed=np.array([110, 111]))
    assert set(ids[0].tolist()) - {-1} == {110, 111}


def test_save_and_load_round_trip_atomically(tmp_path):
    path = tmp_path / "space" / "index.faiss"
    store = FaissStore(8)
    store.add(np.arange(5), _unit(5, 8))
    store.save(path)
    assert sorted(p.name for p in path.parent.iterdir()) == ["index.faiss"]  # no temp file left
    again = open_store("faiss-flat", path, 8)
    assert sorted(again.ids().tolist()) == [0, 1, 2, 3, 4]


def test_wrong_dimension_and_unknown_kind_are_explained(tmp_path):
    with pytest.raises(ValueError, match="dimension 8"):
        FaissStore(8).add(np.arange(2), _unit(2, 4))
    with pytest.raises(ValueError, match="choose one of"):
        open_store("annoy", tmp_path / "x", 8)
