from __future__ import annotations

import threading
import time

from indexer.control import Control


def test_pause_holds_the_indexer_and_resume_finishes_it(engine, corpus):
    control = Control()
    control.pause()
    events = []
    worker = threading.Thread(
        target=lambda: events.append(engine.index([corpus.root], events.append, control))
    )
    worker.start()
    time.sleep(1.5)
    assert events == []  # nothing decoded or committed while paused
    control.resume()
    worker.join(timeout=60)
    report = events[-1]
    assert report.new == len(corpus.files)
    assert [e.done for e in events[:-1]] == list(range(1, len(corpus.files) + 1))
