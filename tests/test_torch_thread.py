"""Every model call of an engine runs on one thread, a query's before the indexer's."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from indexer import Query
from indexer.models.model_thread import EngineClosed, TorchThread


def _until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Wait for `condition`, failing (not hanging) when it does not come: a loaded two-core
    machine gets 30 s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the model thread never got there")
        time.sleep(0.001)


def test_work_from_any_thread_runs_on_the_one_model_thread_and_returns_or_raises():
    models = TorchThread()
    seen: list[str] = []
    callers = [
        threading.Thread(target=lambda: seen.append(models.run(lambda: threading.current_thread().name)))
        for _ in range(4)
    ]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    assert seen == ["framefind-models"] * 4
    with pytest.raises(ZeroDivisionError):
        models.run(lambda: 1 / 0)
    assert models.run(lambda: models.run(lambda: 7)) == 7  # work that asks for more runs at once
    models.close()


def test_a_query_never_waits_for_the_indexers_work_it_runs_beside_it():
    models, busy = TorchThread(), threading.Event()
    blocker = threading.Thread(target=lambda: models.run(busy.wait))  # a batch of photos, embedding
    blocker.start()
    _until(lambda: models._busy_with_normal)
    where = models.run(lambda: threading.current_thread().name, urgent=True)
    assert where == "framefind-models-urgent" and blocker.is_alive()  # the batch is still running
    busy.set()
    blocker.join()
    assert models.run(lambda: threading.current_thread().name, urgent=True) == "framefind-models"  # idle
    models.close()


def test_after_close_model_work_fails_clearly_instead_of_hanging():
    models, busy = TorchThread(), threading.Event()
    blocker = threading.Thread(target=lambda: models.run(busy.wait))
    blocker.start()
    _until(lambda: models._working)  # (waiting for an empty queue raced the blocker's put)
    failed: list[BaseException] = []

    def queued() -> None:
        try:
            models.run(lambda: None)
        except EngineClosed as exc:
            failed.append(exc)

    late = threading.Thread(target=queued)
    late.start()
    _until(lambda: models._queue.qsize() >= 1)
    models.close()
    busy.set()
    blocker.join()
    late.join(timeout=10)
    assert failed and not late.is_alive()
    with pytest.raises(EngineClosed):
        models.run(lambda: None)


def test_an_engine_indexes_and_searches_with_its_models_on_one_thread(engine, corpus, monkeypatch):
    from sentence_transformers import SentenceTransformer

    threads: set[str] = set()
    for name in ("encode_query", "encode_document"):
        real = getattr(SentenceTransformer, name)

        def spy(self, *args, real=real, **kwargs):
            threads.add(threading.current_thread().name)
            return real(self, *args, **kwargs)

        monkeypatch.setattr(SentenceTransformer, name, spy)
    engine.index([corpus.root])
    searches = [threading.Thread(target=lambda: engine.search(Query(text="a red circle"))) for _ in range(3)]
    for search in searches:
        search.start()
    for search in searches:
        search.join()
    assert threads == {"framefind-models"}
