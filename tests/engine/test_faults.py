"""Faults at each step of the write path — COMMIT, applying vectors, saving a checkpoint —
raised as exceptions and as SIGKILL: no vector outlives a rolled-back commit, so no segment
id is ever reused for another file's vector, and a restart ends consistent."""

from __future__ import annotations

import os
import sqlite3
import textwrap
from dataclasses import replace

import numpy as np
import pytest

from indexer import FramefindError, build_engine
from indexer.media.extract import extract
from indexer.vectors.faiss_store import FaissStore, checkpoints
from indexer.vectors.milvus_store import MilvusStore
from tests.engine.test_index_search import assert_consistent
from tests.support.killer import DIE_ON_NTH, run_killed


def assert_vectors_are_their_files(engine, corpus) -> None:
    """Every photo's stored vector is what its own pixels embed to: an id handed out again
    after a rollback would show another file's vector here."""
    space = engine.spaces[0]
    snap = space.snapshot()
    for photo in corpus.photos:
        record = engine.catalog.files.get(photo)
        [sid] = engine.catalog.segments.ids_of_files([record.id])
        expected = space.embedder.encode_segments(extract(photo, engine.extract_options).segments)
        np.testing.assert_allclose(snap.vectors(np.array([sid])), expected, atol=1e-4, err_msg=str(photo))


class _FailingCommits:
    """The catalog's connection, whose Nth COMMIT fails as a full disk makes it fail."""

    def __init__(self, db: sqlite3.Connection, fail_at: int) -> None:
        self.db, self.fail_at, self.commits = db, fail_at, 0

    def execute(self, sql: str, *args):
        if sql == "COMMIT":
            self.commits += 1
            if self.commits == self.fail_at:
                raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self.db, name)


STORES = {"faiss": FaissStore, "milvus:vectors.db": MilvusStore}  # guarantee 2 holds on both


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("fail_at", [4, 7, 11])
def test_a_failed_commit_leaves_no_vector_and_reuses_no_id(settings, corpus, fail_at, store):
    with build_engine(replace(settings, store=store)) as engine:
        failing = _FailingCommits(engine.catalog.db._db, fail_at)
        engine.catalog.db._db = failing
        with pytest.raises(FramefindError, match="Cannot write the index"):
            engine.index([corpus.root])
        engine.catalog.db._db = failing.db
        assert_consistent(engine)  # nothing of the rolled-back file reached a store
        engine.index([corpus.root])
        assert sum(engine.status().indexed.values()) == len(corpus.files)
        assert_consistent(engine)
        assert_vectors_are_their_files(engine, corpus)


@pytest.mark.parametrize("store", STORES)
def test_a_store_that_fails_to_apply_catches_up_from_the_log(settings, corpus, monkeypatch, store):
    calls = []
    kind = STORES[store]
    apply = kind.apply

    def flaky(self, changes):
        calls.append(changes.seq)
        if len(calls) == 5:
            raise MemoryError("simulated: no memory for the new snapshot")
        return apply(self, changes)

    with build_engine(replace(settings, store=store)) as engine:
        engine.index([corpus.root / "photos"])  # the stores are loaded: each commit is applied at once
        monkeypatch.setattr(kind, "apply", flaky)
        with pytest.raises(MemoryError):
            engine.index([corpus.root])
        assert len(calls) == 5
        assert any(missing for missing, _ in engine.discrepancies().values())  # committed, not applied
        engine.index([corpus.root])  # the next commit's catch-up applies everything since
        assert_consistent(engine)
        assert_vectors_are_their_files(engine, corpus)


def test_a_failed_checkpoint_keeps_the_last_one_and_the_log(settings, corpus, monkeypatch):
    with build_engine(settings) as engine:
        engine.index([corpus.root / "photos"])
        folder = engine.spaces[0].folder
        saved = checkpoints(folder)

        def full_disk(self, folder):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(FaissStore, "save", full_disk)
        with pytest.raises(FramefindError, match="Free disk space"):
            engine.index([corpus.root])
        assert checkpoints(folder) == saved
    monkeypatch.undo()
    with build_engine(settings) as engine:  # the old checkpoint, plus the log since
        assert engine.index([corpus.root]).segments == 0  # nothing had to be embedded again
        assert_consistent(engine)
        assert_vectors_are_their_files(engine, corpus)


def test_an_error_that_is_not_the_disk_is_not_called_a_storage_problem(settings, corpus, monkeypatch):
    """A bundle whose transformers could not read its own dependencies' metadata was told to
    free disk space: only the disk's and the folder's errors say so."""

    def broken(self, folder):
        raise OSError("Cannot load dependency data, is `kernels` correctly installed?")

    with build_engine(settings) as engine:
        monkeypatch.setattr(FaissStore, "save", broken)
        with pytest.raises(FramefindError) as caught:
            engine.index([corpus.root / "photos"])
    message = str(caught.value)
    assert "kernels" in message and "Indexing stopped" in message
    assert "Free disk space" not in message and "Cannot write" not in message


# Dies by SIGKILL at the Nth call of one step of the write path.
KILLER = DIE_ON_NTH + textwrap.dedent(
    """
    from indexer.catalog import vector_log
    from indexer.vectors import faiss_store

    with build_engine(load_settings()) as engine:
        engine.index([corpus / "photos"])  # the stores are loaded and checkpointed once
        if step == "commit":  # after the log rows are written, before COMMIT
            vector_log.VectorLog.add = die_on_nth(vector_log.VectorLog.add)
        elif step == "apply":  # committed, not yet applied
            faiss_store.FaissStore.apply = die_on_nth(faiss_store.FaissStore.apply)
        elif step == "save":  # the new checkpoint written to a temporary file, not yet renamed
            faiss_store.os.replace = die_on_nth(faiss_store.os.replace)
        engine.index([corpus])
    """
)


@pytest.mark.slow
@pytest.mark.parametrize(("step", "nth"), [("commit", 1), ("commit", 4), ("apply", 3), ("save", 1)])
def test_sigkill_inside_the_write_path_then_restart_is_consistent(settings, corpus, step, nth):
    env = {
        **os.environ,
        "FRAMEFIND_DATA_DIR": str(settings.data_dir),
        "FRAMEFIND_IMAGE_MODEL": settings.spaces[0].model,
        "FRAMEFIND_AUDIO_MODEL": settings.spaces[1].model,
        "FRAMEFIND_WORDS_MODEL": "none",
        "FRAMEFIND_OCR": "none",
        "FRAMEFIND_DEVICE": "cpu",
    }
    run_killed(KILLER, step, nth, corpus.root, env)
    with build_engine(settings) as engine:
        assert_consistent(engine)  # before anything runs: the log replays exactly what was committed
        engine.index([corpus.root])
        assert sum(engine.status().indexed.values()) == len(corpus.files)
        assert_consistent(engine)
        assert_vectors_are_their_files(engine, corpus)
