"""All of an engine's model work on one thread, queries first.

torch's CPU kernels run on an OpenMP team that belongs to the thread calling them. When two
threads call torch (the indexer embedding photos, a search encoding its text), each has its
own team, the process holds more OpenMP threads than cores, and libgomp stops its workers
from waiting actively: every one of the hundreds of parallel regions in a forward pass then
wakes a sleeping thread. Measured on two cores, a CLAP text query took 35 ms on a second
thread against 23–25 ms when one thread does all the model work (and 23 ms on a second
thread in a process where no other thread ever ran torch). So every model call of an
engine — loading, embedding media, encoding queries, reranking — runs here, a query's before
any waiting indexer work. A query that comes while the indexer's work runs does not wait
for it (a piece of four photos takes 250 ms on two cores): it runs beside it on a thread
that ends with it, whose OpenMP team ends too, so the model thread is fast again after.
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
    """One engine's model thread (started on first use); see the module's docstring."""

    def __init__(self, name: str = "framefind-models") -> None:
        self._name = name
        self._queue: queue.PriorityQueue[tuple[int, int, Any, Future | None]] = queue.PriorityQueue()
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._busy_with_normal = False  # the model thread runs the indexer's work now
        self._working = False  # the model thread runs something now

    def run(self, work: Callable[[], T], urgent: bool = False) -> T:
        """Run `work` on the model thread and return its result (or raise its error). Called
        from that thread itself (work that needs more work) it runs at once. Urgent work
        never waits for the indexer's: while that runs, it runs beside it on a thread of its
        own, which ends with it (and its OpenMP team with it)."""
        if threading.current_thread() is self._thread:
            return work()
        future: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise EngineClosed("the engine is closed")
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name=self._name, daemon=True)
                self._thread.start()
            beside = urgent and self._busy_with_normal
            if not beside:
                self._queue.put((URGENT if urgent else NORMAL, next(self._order), work, future))
        if beside:
            helper = threading.Thread(target=_settle, args=(future, work), name=f"{self._name}-urgent")
            helper.start()
            helper.join()
        return future.result()

    def close(self) -> None:
        """Stop after the work in hand; work still queued fails with EngineClosed. Waits for
        the thread to end when it is idle (torch torn down at exit under a running thread
        aborts the process), not while it works: a model load cannot be cut short, and the
        app that closes then ends its process without it."""
        with self._lock:
            self._closed = True
            thread, working = self._thread, self._working
            if thread is not None:
                self._queue.put((-1, next(self._order), None, None))
        if thread is not None and not working and thread is not threading.current_thread():
            thread.join()

    def _serve(self) -> None:
        while True:
            priority, _, work, future = self._queue.get()
            if future is None:
                break
            with self._lock:
                if self._closed:  # closed since get(): `close` may be joining, so nothing new starts
                    future.set_exception(EngineClosed("the engine closed before this ran"))
                    continue
                self._busy_with_normal, self._working = priority == NORMAL, True
            _settle(future, work)
            with self._lock:
                self._busy_with_normal = self._working = False
        while not self._queue.empty():
            _, _, _, future = self._queue.get_nowait()
            if future is not None:
                future.set_exception(EngineClosed("the engine closed before this ran"))


def _settle(future: Future, work: Callable[[], Any]) -> None:
    if future.set_running_or_notify_cancel():
        try:
            future.set_result(work())
        except BaseException as exc:  # handed to the caller, who raises it
            future.set_exception(exc)
