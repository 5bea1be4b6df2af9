"""Search while indexing never fails.

Several threads search (text, example, filtered, "more like this") and one asks for the
status, the way the app does, against an engine that watches a folder where files are
added, changed, moved and deleted — and then switches its image model and rebuilds. Every
search must succeed, every result must be a file of the catalog snapshot it came from, and
at the end catalog and stores must agree exactly.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import replace

import pytest

from indexer import Query, SpaceSpec, build_engine
from indexer.engine import watcher_state
from indexer.ingest.control import Control
from indexer.ingest.watch import Watcher
from tests.conftest import scene_query
from tests.engine.test_index_search import assert_consistent
from tests.support.media import write_photo
from tests.support.models import build_tiny_clip

pytestmark = pytest.mark.slow

OPERATIONS = 30  # filesystem changes per phase
SEARCH_THREADS = 3


def _change_something(folder, rng: random.Random, step: int) -> None:
    photos = sorted(folder.glob("*.png"))
    op = rng.choice(("add", "change", "move", "delete")) if len(photos) > 3 else "add"
    if op == "add":
        write_photo(folder / f"new-{step}.png", rng.randrange(60))
    elif op == "change":
        write_photo(rng.choice(photos), rng.randrange(60))
    elif op == "move":
        rng.choice(photos).rename(folder / f"moved-{step}.png")
    else:
        rng.choice(photos).unlink()


class _Load:
    """Searches and status calls on their own threads until stopped; every failure is kept."""

    def __init__(self, engine, queries: list[Query]) -> None:
        self.engine, self.queries = engine, queries
        self.errors: list[str] = []
        self.searches = 0
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._search, args=(i,)) for i in range(SEARCH_THREADS)]
        self._threads.append(threading.Thread(target=self._status))

    def __enter__(self) -> _Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _search(self, offset: int) -> None:
        catalog = self.engine.catalog
        n = offset
        while not self._stop.is_set():
            query = self.queries[n % len(self.queries)]
            n += 1
            try:
                with catalog.reading():  # the search joins this snapshot: check against it
                    response = self.engine.search(query)
                    for r in [*response.results, *response.hidden]:
                        record = catalog.files.get(r.path)
                        assert record is not None and record.status == "indexed", (
                            f"{r.path} not in its snapshot"
                        )
                        assert r.segment_id in catalog.segments.rows([r.segment_id]), (
                            f"{r.segment_id} not in its snapshot"
                        )
                self.searches += 1
            except Exception as exc:
                self.errors.append(f"{query}: {exc!r}")

    def _status(self) -> None:
        while not self._stop.wait(0.05):
            try:
                self.engine.status()
            except Exception as exc:
                self.errors.append(f"status: {exc!r}")


def _queries(engine, corpus, query_dir) -> list[Query]:
    photo = next(iter(corpus.photos))
    [like] = engine.catalog.segments.ids_of_files([engine.catalog.files.get(photo).id])
    return [
        Query(text="a red circle"),
        Query(examples=(scene_query(query_dir, 3),)),
        Query(text="a blue square", kinds=frozenset({"photo"}), folder=corpus.root / "churn"),
        Query(like=(like,)),
        Query(text="noise", examples=(photo,), limit=5, show_all=True),
    ]


def _watch_while_changing(engine, corpus, rng, load_queries) -> tuple[int, list[str]]:
    """Run a watcher over the corpus, change files under it, search all along."""
    watcher = Watcher(engine, [corpus.root], control=Control())
    thread = threading.Thread(target=watcher.run, daemon=True)
    with _Load(engine, load_queries(engine)) as load:
        thread.start()
        deadline = time.monotonic() + 60
        while watcher_state(engine.settings.data_dir) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        for step in range(OPERATIONS):
            _change_something(corpus.root / "churn", rng, step)
            time.sleep(0.1)
        time.sleep(2.0)  # let the watcher settle the last changes, searches still running
        watcher.control.stop()
        thread.join(timeout=120)
    assert not thread.is_alive()
    return load.searches, load.errors


def test_searches_never_fail_while_the_engine_indexes_watches_and_switches_models(
    settings, corpus, query_dir, tmp_path
):
    rng = random.Random(7)
    for i in range(6):
        write_photo(corpus.root / "churn" / f"start-{i}.png", i + 10)
    fast = replace(settings, settle_s=0.2, checkpoint_every_s=0.5)
    with build_engine(fast) as engine:
        engine.index([corpus.root])
        searches, errors = _watch_while_changing(
            engine, corpus, rng, lambda e: _queries(e, corpus, query_dir)
        )
        assert not errors, errors[:5]
        assert searches > 20
        assert_consistent(engine)

    other = build_tiny_clip(tmp_path / "other-clip", seed=1)
    switched = replace(fast, spaces=(SpaceSpec("image", str(other)), fast.spaces[1]))
    with build_engine(switched) as engine:  # the new space builds while searches go on
        searches, errors = _watch_while_changing(
            engine, corpus, rng, lambda e: _queries(e, corpus, query_dir)
        )
        assert not errors, errors[:5]
        assert searches > 20
        engine.index([corpus.root])
        assert [s.state for s in engine.status().spaces] == ["active", "active"]
        assert_consistent(engine)
        on_disk = {p for p in corpus.root.rglob("*") if p.is_file()}
        assert {f.path for f in engine.catalog.files.all()} == on_disk
