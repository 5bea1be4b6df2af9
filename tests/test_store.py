from __future__ import annotations

import os
import threading

import numpy as np
import pytest

from indexer.catalog import Changes
from indexer.vectors.delta import MERGE_ROWS
from indexer.vectors.faiss_store import FaissStore, Snapshot, checkpoints


def _unit(n: int, dim: int, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _set(seq: int, ids, vectors) -> Changes:
    return Changes(seq, np.asarray(ids, dtype=np.int64), vectors)


def _removed(seq: int, ids) -> Changes:
    return Changes(seq, removed=np.asarray(ids, dtype=np.int64))


def test_add_search_remove_and_filter():
    store = FaissStore(8)
    vectors = _unit(20, 8)
    store.apply(_set(1, np.arange(100, 120), vectors))
    scores, ids = store.snapshot.search(vectors[3:4], 1)
    assert ids[0, 0] == 103 and scores[0, 0] == pytest.approx(1.0, abs=1e-5)
    store.apply(_removed(2, [103]))
    assert store.snapshot.search(vectors[3:4], 1)[1][0, 0] != 103
    assert len(store.snapshot) == 19 and not store.snapshot.has(np.array([103]))[0]
    _, ids = store.snapshot.search(vectors[3:4], 5, allowed=np.array([110, 111]))
    assert set(ids[0].tolist()) - {-1} == {110, 111}


def test_a_single_query_searches_on_one_thread_and_gives_the_thread_its_count_back(monkeypatch):
    """One query runs on one FAISS thread (twice as fast as on two); the thread's count is
    set back after, so a batch search still uses every core, and both find the same."""
    import faiss

    store = FaissStore(16)
    vectors = _unit(500, 16)
    store.apply(_set(1, np.arange(500), vectors))
    store.merge(compress_above=10_000)
    seen: list[int] = []
    search = faiss.IndexIDMap.search

    def counted(self, *args, **kwargs):
        seen.append(faiss.omp_get_max_threads())
        return search(self, *args, **kwargs)

    monkeypatch.setattr(faiss.IndexIDMap, "search", counted)
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(2)
    try:
        one = store.snapshot.search(vectors[7:8], 5)
        batch = store.snapshot.search(vectors[7:9], 5)
        assert faiss.omp_get_max_threads() == 2
    finally:
        faiss.omp_set_num_threads(before)
    assert seen == [1, 2]
    np.testing.assert_array_equal(one[1][0], batch[1][0])


@pytest.mark.parametrize("merged", [False, True])
def test_a_snapshot_never_changes_once_taken(merged):
    """What a search holds stays as it was, whatever the writer applies or merges meanwhile."""
    store = FaissStore(8)
    vectors = _unit(40, 8)
    store.apply(_set(1, np.arange(20), vectors[:20]))
    if merged:
        store.merge(compress_above=1_000)
    before = store.snapshot
    store.apply(_removed(2, [3, 4]))
    store.apply(_set(3, [5, 30, 31], vectors[30:33]))  # 5 gets a new vector; 30, 31 are new
    store.merge(compress_above=1_000)
    assert sorted(before.ids().tolist()) == list(range(20))
    np.testing.assert_allclose(before.vectors(np.array([5])), vectors[5:6], atol=1e-6)
    assert before.search(vectors[3:4], 1)[1][0, 0] == 3
    after = store.snapshot
    assert sorted(after.ids().tolist()) == [i for i in range(20) if i not in (3, 4)] + [30, 31]
    np.testing.assert_allclose(after.vectors(np.array([5])), vectors[30:31], atol=1e-6)


def test_replaying_changes_is_harmless():
    """The log is replayed from the last checkpoint after a crash: applying twice is one apply."""
    store = FaissStore(8)
    vectors = _unit(10, 8)
    change = _set(5, np.arange(10), vectors)
    store.apply(change)
    store.apply(change)  # an old sequence number: ignored
    store.apply(Changes(6, np.arange(10), vectors))  # the same content again under a new number
    assert sorted(store.snapshot.ids().tolist()) == list(range(10))


def test_the_last_write_of_an_id_wins_across_base_and_delta():
    store = FaissStore(8)
    vectors = _unit(3, 8)
    store.apply(_set(1, [7], vectors[:1]))
    store.merge(compress_above=1_000)  # 7 is in the base now
    store.apply(_set(2, [7], vectors[1:2]))
    store.apply(_set(3, [7], vectors[2:3]))
    snap = store.snapshot
    assert snap.ids().tolist() == [7]
    np.testing.assert_allclose(snap.vectors(np.array([7])), vectors[2:3], atol=1e-6)
    assert snap.search(vectors[2:3], 3)[1][0].tolist()[:1] == [7]


def test_save_and_load_round_trip_atomically(tmp_path):
    folder = tmp_path / "space"
    store = FaissStore(8)
    store.apply(_set(4, np.arange(5), _unit(5, 8)))
    with pytest.raises(ValueError, match="merge before saving"):
        store.save(folder)
    store.merge(compress_above=1_000)
    store.save(folder)
    store.apply(_removed(9, [0]))
    store.merge(compress_above=1_000)
    path = store.save(folder)
    assert sorted(p.name for p in folder.iterdir()) == [path.name] == ["index-000000000009.faiss"]
    again = FaissStore.load(folder, 8)
    assert again.seq == 9 and sorted(again.snapshot.ids().tolist()) == [1, 2, 3, 4]


def test_a_damaged_newest_checkpoint_falls_back_to_the_one_before(tmp_path):
    store = FaissStore(8)
    store.apply(_set(3, np.arange(5), _unit(5, 8)))
    store.merge(compress_above=1_000)
    store.save(tmp_path)
    (tmp_path / "index-000000000007.faiss").write_bytes(b"half a file")
    assert [seq for seq, _ in checkpoints(tmp_path)] == [7, 3]
    again = FaissStore.load(tmp_path, 8)
    assert again.seq == 3 and len(again) == 5


def test_wrong_dimension_is_explained(tmp_path):
    with pytest.raises(ValueError, match="dimension 8"):
        FaissStore(8).apply(_set(1, np.arange(2), _unit(2, 4)))
    store = FaissStore(4)
    store.apply(_set(1, [1], _unit(1, 4)))
    store.merge(compress_above=1_000)
    store.save(tmp_path)
    with pytest.raises(ValueError, match="dimension 4"):
        FaissStore.load(tmp_path, 8)


def _clustered(n: int, dim: int, seed: int = 0) -> np.ndarray:
    """Unit vectors around a few hundred centres, like real embeddings (not uniform noise)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((200, dim)).astype(np.float32)
    v = centres[rng.integers(0, 200, n)] + 0.35 * rng.standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_a_compressed_store_keeps_ids_recall_removal_and_round_trips(tmp_path):
    vectors = _clustered(20_000, 32)
    flat = FaissStore(32)
    flat.apply(_set(1, np.arange(5, 20_005), vectors))
    exact_snapshot = flat.snapshot
    small = FaissStore(32)
    small.apply(_set(1, np.arange(5, 20_005), vectors))
    small.merge(compress_above=10_000)
    assert small.snapshot.compressed and len(small) == 20_000
    assert sorted(small.snapshot.ids().tolist()) == list(range(5, 20_005))
    queries = _clustered(50, 32, seed=1)
    exact = exact_snapshot.search(queries, 10)[1]
    approx = small.snapshot.search(queries, 10)[1]
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact, strict=True)])
    assert recall >= 0.9
    small.apply(_removed(2, [5, 6]))
    assert 5 not in small.snapshot.ids() and 5 not in small.snapshot.search(vectors[:1], 5)[1]
    _, only = small.snapshot.search(queries[:1], 3, allowed=np.array([7, 8, 9]))
    assert set(only[0].tolist()) == {7, 8, 9}  # a narrow filter is exact, whatever the lists probed
    small.merge(compress_above=10_000)
    small.save(tmp_path)
    again = FaissStore.load(tmp_path, 32)
    assert again.snapshot.compressed and len(again) == 19_998
    assert np.allclose(again.snapshot.vectors(np.array([100])), vectors[95], atol=0.02)


@pytest.mark.parametrize("allowed_share", [0.01, 0.1, 0.25, 0.6])
@pytest.mark.parametrize("compressed", [True, False])
def test_a_filtered_search_finds_what_exact_scoring_of_the_allowed_finds(allowed_share, compressed):
    """Whichever way it goes (exact over the allowed vectors, or FAISS with a bitmap and as
    many lists as the filter needs), it returns allowed, live ids and keeps recall."""
    vectors = _clustered(20_000, 32)
    store = FaissStore(32)
    store.apply(_set(1, np.arange(20_000), vectors))
    store.merge(compress_above=10_000 if compressed else 100_000)
    store.apply(_removed(2, np.arange(0, 20_000, 7)))  # hidden in the base, not merged yet
    assert store.snapshot.compressed == compressed
    rng = np.random.default_rng(2)
    allowed = np.sort(rng.choice(20_000, int(20_000 * allowed_share), replace=False))
    live = allowed[allowed % 7 != 0]
    queries = _clustered(20, 32, seed=3)
    _, found = store.snapshot.search(queries, 40, allowed=rng.permutation(allowed))  # any order
    exact = np.argsort(-(queries @ vectors[live].T), axis=1)[:, :40]
    recall = np.mean([len(set(f) & set(live[e])) / 40 for f, e in zip(found, exact, strict=True)])
    assert set(found.ravel().tolist()) <= set(live.tolist())
    assert recall >= 0.9, recall


def test_the_delta_asks_for_a_merge_once_it_is_large():
    store = FaissStore(4)
    store.apply(_set(1, np.arange(MERGE_ROWS - 1), _unit(MERGE_ROWS - 1, 4)))
    assert not store.needs_merge
    store.apply(_set(2, [10**9], _unit(1, 4)))
    assert store.needs_merge
    store.merge(compress_above=10**9)
    assert not store.needs_merge and store.snapshot.delta_rows == 0 and len(store) == MERGE_ROWS


def test_searches_during_applies_and_merges_never_fail_or_see_half_a_change():
    """Each applied change swaps ids 2i ↔ 2i+1 in one step: a snapshot holds exactly one of each pair."""
    store = FaissStore(16)
    vectors = _unit(400, 16)
    store.apply(_set(1, np.arange(0, 400, 2), vectors[::2]))
    errors: list[BaseException] = []
    stop = threading.Event()

    def search() -> None:
        try:
            while not stop.is_set():
                snap = store.snapshot
                ids = snap.ids()
                assert len(ids) == 200 and len(set((ids // 2).tolist())) == 200
                found = snap.search(vectors[:8], 20)[1]
                assert snap.has(found[found >= 0]).all()
                snap.vectors(ids[:50])
        except BaseException as exc:
            errors.append(exc)

    readers = [threading.Thread(target=search) for _ in range(3)]
    for r in readers:
        r.start()
    for seq in range(2, 300):
        odd = seq % 2 == 0
        keep = np.arange(1 if odd else 0, 400, 2)
        store.apply(Changes(seq, keep, vectors[keep], np.arange(0 if odd else 1, 400, 2)))
        if seq % 25 == 0:
            store.merge(compress_above=10**9)
    stop.set()
    for r in readers:
        r.join()
    assert not errors, errors[0]


def test_the_engine_compresses_a_space_past_its_threshold(settings, corpus):
    from dataclasses import replace

    from indexer import Query, build_engine

    with build_engine(replace(settings, compress_above=12)) as engine:
        engine.index([corpus.root])
        image = engine.spaces[0]
        assert image.snapshot().compressed  # 26 image vectors > 12
        assert not engine.spaces[1].snapshot().compressed  # 10 audio vectors
        photo = next(iter(corpus.photos))
        assert engine.search(Query(examples=(photo,)))[0].path == photo
    with build_engine(replace(settings, compress_above=12), writer=False) as reader:
        assert reader.spaces[0].snapshot().compressed


def test_an_empty_store_keeps_the_seq_it_was_made_at():
    """An empty snapshot is falsy: it must still not be swapped for one at seq 0."""
    assert FaissStore(8, Snapshot.empty(8, seq=42)).seq == 42


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="thread priorities are Linux's")
def test_compressing_and_merging_run_at_the_lowest_priority_and_give_their_result():
    """So a search keeps its core during a checkpoint (docs/concurrency.md, guarantee 3)."""
    from indexer.vectors.faiss_indexes import at_low_priority

    def mine() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    before = mine()
    assert at_low_priority(mine) == 19
    assert mine() == before  # the caller's own priority is unchanged
    with pytest.raises(ZeroDivisionError):
        at_low_priority(lambda: 1 / 0)


def test_the_size_of_a_space_survives_a_checkpoint_replaced_while_it_is_counted(tmp_path, monkeypatch):
    """`framefind status` (and the app's status bar) while the writer checkpoints: a file
    listed a moment ago may be gone when it is measured (seen in the concurrency test)."""
    import indexer.vectors.stores as stores

    class Replaced:  # there when looked at, gone when measured
        def exists(self) -> bool:
            return True

        def stat(self) -> os.stat_result:
            raise FileNotFoundError(2, "No such file or directory")

    kept = tmp_path / "index-000000000002.faiss"
    kept.write_bytes(b"x" * 100)
    monkeypatch.setattr(stores, "checkpoints", lambda folder: [(2, kept), (1, Replaced())])
    assert stores.FaissStores().size(tmp_path) == 100
