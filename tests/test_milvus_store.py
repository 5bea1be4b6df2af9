"""The Milvus store (on Milvus Lite) behaves as the FAISS store does: the same ids, vectors,
searches, filters and removals after any series of changes, checkpoints and reopenings."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.catalog import Changes
from indexer.errors import FramefindError
from indexer.vectors.faiss_store import FaissStore
from indexer.vectors.milvus_base import connect, milvus_uri
from indexer.vectors.milvus_store import MilvusStore

DIM = 16


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def assert_same(milvus: MilvusStore, faiss: FaissStore, queries: np.ndarray, allowed: np.ndarray) -> None:
    m, f = milvus.snapshot, faiss.snapshot
    assert m.seq == f.seq and len(m) == len(f)
    held = f.ids()
    assert np.array_equal(m.ids(), held)
    probe = np.concatenate([held[:20], [10_000, 10_001]])
    assert np.array_equal(m.has(probe), f.has(probe))
    assert np.allclose(m.vectors(held[:20]), f.vectors(held[:20]), atol=1e-6)
    for only in (None, allowed):
        m_scores, m_ids = m.search(queries, 7, only)
        f_scores, f_ids = f.search(queries, 7, only)
        assert np.array_equal(m_ids, f_ids)
        assert np.allclose(m_scores[m_ids >= 0], f_scores[f_ids >= 0], atol=1e-5)


def test_any_series_of_changes_checkpoints_and_reopenings_matches_faiss(tmp_path):
    rng = np.random.default_rng(7)
    uri = milvus_uri("milvus:vectors.db", tmp_path)
    milvus, faiss = MilvusStore.load(connect(uri), "space", DIM, lite=True), FaissStore(DIM)
    log: list[Changes] = []  # the catalog's vector log
    queries = unit(rng.standard_normal((4, DIM)))
    for seq in range(1, 13):
        ids = np.sort(rng.choice(np.arange(400), 40, replace=False))  # new ids and replaced vectors
        held = faiss.snapshot.ids()
        removed = (
            np.setdiff1d(rng.choice(held, min(len(held), 8), replace=False), ids) if len(held) else ids[:0]
        )
        log.append(Changes(seq, ids, unit(rng.standard_normal((40, DIM))), removed))
        milvus.apply(log[-1])
        faiss.apply(log[-1])
        if seq % 4 == 0:  # a checkpoint: Milvus holds everything so far, the log could be cut
            milvus.merge(10**9)
            milvus.save(tmp_path)
        if seq % 6 == 0:  # the process ends; the next one opens what Milvus kept and replays
            milvus = MilvusStore.load(connect(uri), "space", DIM, lite=True)
            assert milvus.seq == seq // 4 * 4
            for changes in log[milvus.seq :]:
                milvus.apply(changes)
        assert_same(milvus, faiss, queries, rng.choice(np.arange(400), 60, replace=False))


def test_replaying_changes_milvus_already_holds_changes_nothing(tmp_path):
    """A crash between pushing to Milvus and recording the checkpoint replays the same log."""
    rng = np.random.default_rng(1)
    uri = milvus_uri("milvus:vectors.db", tmp_path)
    store = MilvusStore.load(connect(uri), "space", DIM, lite=True)
    changes = Changes(1, np.arange(50), unit(rng.standard_normal((50, DIM))), np.empty(0, np.int64))
    store.apply(changes)
    store.merge(10**9)  # pushed, but the process dies before save()
    again = MilvusStore.load(connect(uri), "space", DIM, lite=True)
    assert again.seq == 0
    again.apply(changes)
    assert len(again) == 50 and np.array_equal(again.snapshot.ids(), np.arange(50))
    top = again.snapshot.search(changes.vectors[:3], 1)[1][:, 0]
    assert top.tolist() == [0, 1, 2]


def test_a_store_setting_that_is_not_milvus_is_refused_with_the_forms_it_takes(tmp_path):
    with pytest.raises(FramefindError, match=r"milvus://HOST:PORT.*milvus:FILE\.db"):
        milvus_uri("milvus:vectors.sqlite", tmp_path)
    assert milvus_uri("milvus://db.example:19530", tmp_path) == "http://db.example:19530"
    assert milvus_uri("milvus:v.db", tmp_path) == str(tmp_path / "v.db")


def test_a_snapshot_taken_before_a_merge_reads_what_it_read_before(tmp_path):
    """A search holding a snapshot while the writer deletes, replaces and adds vectors and
    checkpoints still finds, reads and counts exactly what it began with, as on FAISS."""
    rng = np.random.default_rng(3)
    milvus = MilvusStore.load(connect(milvus_uri("milvus:vectors.db", tmp_path)), "space", DIM, lite=True)
    faiss = FaissStore(DIM)
    first = Changes(1, np.arange(100), unit(rng.standard_normal((100, DIM))))
    later = Changes(2, np.arange(90, 140), unit(rng.standard_normal((50, DIM))), np.arange(0, 30))
    for store in (milvus, faiss):
        store.apply(first)
        store.merge(10**9)
    old_m, old_f = milvus.snapshot, faiss.snapshot
    queries = unit(rng.standard_normal((3, DIM)))
    for store in (milvus, faiss):
        store.apply(later)
        store.merge(10**9)
    milvus.save(tmp_path)
    assert_same_snapshots(old_m, old_f, queries, np.arange(0, 140, 3))
    assert_same_snapshots(milvus.snapshot, faiss.snapshot, queries, np.arange(0, 140, 3))


def assert_same_snapshots(m, f, queries: np.ndarray, allowed: np.ndarray) -> None:
    assert len(m) == len(f) and np.array_equal(m.ids(), f.ids())
    held = f.ids()
    assert np.allclose(m.vectors(held[::-1]), f.vectors(held[::-1]), atol=1e-6)
    for only in (None, allowed):
        assert np.array_equal(m.search(queries, 7, only)[1], f.search(queries, 7, only)[1])


def test_more_hidden_ids_than_milvus_returns_at_once_still_leave_the_rest_found(tmp_path, monkeypatch):
    """Milvus caps a search's limit (16,384; 40 here): ids removed since the checkpoint must not
    use that room up, or a search finds nothing where matches remain."""
    import indexer.vectors.milvus_base
    import indexer.vectors.milvus_store

    monkeypatch.setattr(indexer.vectors.milvus_store, "MILVUS_MAX_TOPK", 40)
    monkeypatch.setattr(indexer.vectors.milvus_base, "MILVUS_MAX_TOPK", 40)
    rng = np.random.default_rng(5)
    milvus = MilvusStore.load(connect(milvus_uri("milvus:vectors.db", tmp_path)), "space", DIM, lite=True)
    faiss = FaissStore(DIM)
    query = unit(rng.standard_normal((1, DIM)))
    vectors = unit(rng.standard_normal((300, DIM)))
    vectors[:100] = unit(query + 0.05 * rng.standard_normal((100, DIM)))  # a folder very like the query
    for store in (milvus, faiss):
        store.apply(Changes(1, np.arange(300), vectors))
        store.merge(10**9)
        store.apply(Changes(2, removed=np.arange(100)))  # that folder is deleted; no checkpoint yet
    found = milvus.snapshot.search(query, 10)[1]
    assert (found >= 0).all() and np.array_equal(found, faiss.snapshot.search(query, 10)[1])


@pytest.mark.parametrize("share", [0.05, 0.6, 0.97])
def test_a_filtered_search_is_one_round_trip_and_finds_what_faiss_finds(tmp_path, share):
    """A filter allowing most of the library is applied to an unfiltered search; one allowing
    a few goes to Milvus as one list: one search either way (it was one per 4,096 ids)."""
    import indexer.vectors.milvus_base

    rng = np.random.default_rng(9)
    client = connect(milvus_uri("milvus:vectors.db", tmp_path))
    milvus, faiss = MilvusStore.load(client, "space", DIM, lite=True), FaissStore(DIM)
    vectors = unit(rng.standard_normal((12_000, DIM)))
    for store in (milvus, faiss):
        store.apply(Changes(1, np.arange(12_000), vectors))
        store.merge(10**9)
    allowed = np.sort(rng.choice(np.arange(12_000), int(share * 12_000), replace=False))
    queries = unit(rng.standard_normal((2, DIM)))
    calls = []
    search = client.search
    client.search = lambda *a, **kw: calls.append(1) or search(*a, **kw)
    assert len(allowed) > indexer.vectors.milvus_base.CHUNK or share < 0.5
    found = milvus.snapshot.search(queries, 10, allowed)[1]
    assert len(calls) == 1
    assert np.array_equal(found, faiss.snapshot.search(queries, 10, allowed)[1])
