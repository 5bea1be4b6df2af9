"""Searches on their own thread. Typing sends a query per pause; only the newest waiting query
runs, and the window ignores answers to queries it has since replaced."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, Signal, Slot

from desktop.messages import engine_message, model_message, unexpected_message
from indexer import Control, Engine, FramefindError, ModelLoadError, Query
from indexer.errors import SearchCancelled

log = logging.getLogger(__name__)


class SearchWorker(QObject):
    answered = Signal(int, object)  # request id, SearchResponse
    failed = Signal(int, str, bool)  # request id, message for the user, whether Settings holds the fix

    def __init__(self, engine: Engine, control: Control) -> None:
        super().__init__()
        self._engine = engine
        self._control = control  # the indexer's: it waits while a search runs
        self._lock = threading.Lock()
        self._pending: tuple[int, Query] | None = None

    def submit(self, request: int, query: Query) -> None:
        """Called on the UI thread: replaces any query still waiting."""
        with self._lock:
            self._pending = (request, query)
        QMetaObject.invokeMethod(self, "run_pending", Qt.ConnectionType.QueuedConnection)

    @Slot()
    def run_pending(self) -> None:
        with self._lock:
            job, self._pending = self._pending, None
        if job is None:
            return  # a newer submit already ran it
        request, query = job
        try:
            with self._control.search():
                response = self._engine.search(query, cancelled=lambda: self._pending is not None)
            self.answered.emit(request, response)
        except SearchCancelled:
            pass  # the user typed on: the newer query runs next
        except ModelLoadError as exc:
            self.failed.emit(request, model_message(exc), True)
        except FramefindError as exc:
            self.failed.emit(request, engine_message(exc), False)
        except Exception as exc:
            log.exception("search failed: %s", query)
            message = unexpected_message(self.tr("The search"), exc, self._engine.settings.data_dir)
            self.failed.emit(request, message, False)


class SearchThread(QObject):
    """Owns the search thread."""

    def __init__(self, engine: Engine, control: Control) -> None:
        super().__init__()
        self.worker = SearchWorker(engine, control)
        self._thread = QThread()
        self._thread.setObjectName("framefind-search")
        self.worker.moveToThread(self._thread)
        self._thread.start()

    def submit(self, request: int, query: Query) -> None:
        self.worker.submit(request, query)

    def stop(self) -> None:
        self._thread.quit()
        self._thread.wait()
