from __future__ import annotations

import threading
import time

from indexer.ingest.control import Control


def test_pause_holds_the_indexer_and_resume_finishes_it(engine, corpus):
    engine.load_models()  # so that what holds the run is the pause, not a model loading
    control = Control()
    events, first = [], threading.Event()

    def on_progress(event) -> None:
        events.append(event)
        if event.done == 1 and not first.is_set():  # not again on a later event saying the same
            control.pause()  # mid-run, with files decoded and waiting
            first.set()

    worker = threading.Thread(target=lambda: events.append(engine.index([corpus.root], on_progress, control)))
    worker.start()
    try:
        assert first.wait(120)
        time.sleep(2.0)
        assert len(events) == 1  # nothing more committed while paused
        assert sum(engine.status().indexed.values()) == 1
    finally:
        control.resume()
        worker.join(timeout=120)
    report = events[-1]
    assert report.new == len(corpus.files)
    done = [e.done for e in events[:-1]]  # one a file, and one a second while none finishes
    assert done == sorted(done) and set(done) == set(range(1, len(corpus.files) + 1))
