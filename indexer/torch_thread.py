"""All of an engine's model work on one thread, queries first.

torch's CPU kernels run on an OpenMP team that belongs to the thread calling them. When two
threads call torch (the indexer embedding photos, a search encoding its text), each has its
own team, the process holds more OpenMP threads than cores, and libgomp stops its workers
from waiting actively: every one of the hundreds of parallel regions in a forward pass then
wakes a sleeping thread. Measured on two cores, a CLAP text query took 35 ms on a second
thread against 23–25 ms when one thread does all the model work (and 23 ms on a second
thread in a process where no other thread ever ran torch). So every model call of an
engine — loading, embedding media, encoding queries, reranking — runs here, one at a time,
a query's before the indexer's (the indexer embeds in small pieces, so a query waits at most
one piece, as it would for the cores anyway).
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")
URGENT, NORMAL = 0, 1


class EngineClosed(RuntimeError):
    """Model work asked for after the engine closed."""


class TorchThread:
    def __init__(self, name: str = "framefind-models") -> None:
        self._name = name
        self._queue: queue.PriorityQueue[tuple[int, int, Any, Future | None]] = queue.PriorityQueue()
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._closed = False

    def run(self, work: Callable[[], T], urgent: bool = False) -> T:
        """Run `work` on the model thread and return its result (or raise its error). Called
        from that thread itself (work that needs more work) it runs at once."""
        if threading.current_thread() is self._thread:
            return work()
        future: Future[T] = Future()
        with self._start_lock:
            if self._closed:
                raise EngineClosed("the engine is closed")
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name=self._name, daemon=True)
                self._thread.start()
            self._queue.put((URGENT if urgent else NORMAL, next(self._order), work, future))
        return future.result()

    def close(self) -> None:
        """Stop after the work in hand (a model load cannot be cut short); work still queued
        fails with EngineClosed. Does not wait."""
        with self._start_lock:
            self._closed = True
            if self._thread is not None:
                self._queue.put((-1, next(self._order), None, None))

    def _serve(self) -> None:
        while True:
            _, _, work, future = self._queue.get()
            if future is None:
                break
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(work())
                except BaseException as exc:  # handed to the caller, who raises it
                    future.set_exception(exc)
        while not self._queue.empty():
            _, _, _, future = self._queue.get_nowait()
            if future is not None:
                future.set_exception(EngineClosed("the engine closed before this ran"))
