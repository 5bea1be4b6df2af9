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
    again = open_store("faiss", path, 8)
    assert sorted(again.ids().tolist()) == [0, 1, 2, 3, 4]


def test_wrong_dimension_and_unknown_kind_are_explained(tmp_path):
    with pytest.raises(ValueError, match="dimension 8"):
        FaissStore(8).add(np.arange(2), _unit(2, 4))
    with pytest.raises(ValueError, match="choose one of"):
        open_store("annoy", tmp_path / "x", 8)


def _clustered(n: int, dim: int, seed: int = 0) -> np.ndarray:
    """Unit vectors around a few hundred centres, like real embeddings (not uniform noise)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((200, dim)).astype(np.float32)
    v = centres[rng.integers(0, 200, n)] + 0.35 * rng.standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_a_compressed_store_keeps_ids_recall_removal_and_round_trips(tmp_path):
    flat = FaissStore(32)
    vectors = _clustered(20_000, 32)
    flat.add(np.arange(5, 20_005), vectors)
    small = flat.compressed_copy()
    assert small.compressed and len(small) == len(flat)
    assert sorted(small.ids().tolist()) == list(range(5, 20_005))
    queries = _clustered(50, 32, seed=1)
    exact = flat.search(queries, 10)[1]
    approx = small.search(queries, 10)[1]
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact, strict=True)])
    assert recall >= 0.9
    assert small.remove(np.array([5, 6])) == 2 and 5 not in small.ids()
    _, only = small.search(queries[:1], 3, allowed=np.array([7, 8, 9]))
    assert set(only[0].tolist()) == {7, 8, 9}  # a narrow filter is exact, whatever the lists probed
    small.save(tmp_path / "i.faiss")
    again = open_store("faiss", tmp_path / "i.faiss", 32)
    assert again.compressed and len(again) == 19_998
    assert np.allclose(again.vectors(np.array([100])), vectors[95], atol=0.02)


def test_the_engine_compresses_a_space_past_its_threshold(settings, corpus):
    from dataclasses import replace

    from indexer import Query, build_engine

    with build_engine(replace(settings, compress_above=12)) as engine:
        engine.index([corpus.root])
        image = engine.spaces[0]
        assert image.store.compressed  # 26 image vectors > 12
        assert not engine.spaces[1].store.compressed  # 10 audio vectors
        photo = next(iter(corpus.photos))
        assert engine.search(Query(examples=(photo,)))[0].path == photo
    with build_engine(replace(settings, compress_above=12), writer=False) as reader:
        assert reader.spaces[0].store.compressed
