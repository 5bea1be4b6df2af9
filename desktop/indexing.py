"""The indexer on its own thread: load the models, index the folders, then follow changes.

The engine reports through plain callbacks; this worker re-emits them as Qt signals, which
Qt delivers on the UI thread. Pause, resume and stop go through the engine's Control, which
is safe to call from any thread.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from desktop.messages import engine_message, model_message, unexpected_message
from indexer import Control, Engine, FramefindError, IndexReport, ModelLoadError, Watcher

log = logging.getLogger(__name__)

SEARCH_FIRST_S = 0.5  # for the window's first search to begin (80 ms of debounce after a key)
MODEL_LOAD_WAIT_MS = 300  # how long closing waits for a model load to end before leaving it


class IndexerWorker(QObject):
    model_loading = Signal(object)  # ModelLoading
    queries_ready = Signal()  # text searches answer now, while the models load (query towers)
    models_ready = Signal()
    progress = Signal(object)  # ProgressEvent
    updated = Signal(object)  # IndexReport, after each pass
    status = Signal(object)  # Status: at start and after each pass (made here, off the UI thread)
    failed = Signal(str)  # a message for the user, with the fix
    finished = Signal()

    def __init__(self, engine: Engine, folders: list[Path] | None, control: Control) -> None:
        """`folders` None: not chosen yet (the first run); the models load meanwhile and
        indexing waits for `set_folders`."""
        super().__init__()
        self._engine = engine
        self._folders = folders or []
        self._control = control
        self._folders_known = threading.Event()
        if folders is not None:
            self._folders_known.set()
        self.watcher: Watcher | None = None
        self.loading_models = False  # nothing to save meanwhile: closing need not wait

    def set_folders(self, folders: list[Path]) -> None:
        """Called from the UI thread once the user has chosen."""
        self._folders = folders
        self._folders_known.set()

    def _updated(self, report: IndexReport) -> None:
        self.updated.emit(report)
        self.status.emit(self._engine.status())

    @Slot()
    def run(self) -> None:
        try:
            queries_ready = self._engine.queries_ready()
            if queries_ready:  # first: the window may search at once
                self.queries_ready.emit()
            self.status.emit(self._engine.status())
            if queries_ready:  # importing torch holds the GIL for seconds: a search typed at launch first
                self._control.sleep(SEARCH_FIRST_S)
                self._control.yield_to_searches()
            self.loading_models = True
            try:
                self._engine.load_models(self.model_loading.emit, lambda: self._control.stopped)
            finally:
                self.loading_models = False
            if self._control.stopped:
                return  # closed while a model loaded: the engine may be closed by now
            log.info("models ready")
            self.models_ready.emit()
            while not self._folders_known.wait(0.1):
                if self._control.stopped:
                    return
            if self._engine.writer and self._folders and not self._control.stopped:
                self.watcher = Watcher(
                    self._engine,
                    self._folders,
                    control=self._control,
                    on_progress=self.progress.emit,
                    on_update=self._updated,
                )
                self.watcher.run()
        except ModelLoadError as exc:
            log.warning("%s", exc)  # the banner says it; the log keeps it for a bug report
            self.failed.emit(model_message(exc))
        except FramefindError as exc:
            log.warning("%s", exc)
            self.failed.emit(engine_message(exc))
        except Exception as exc:  # a bug: say so plainly, keep the window alive, log the details
            log.exception("the indexer stopped")
            self.failed.emit(unexpected_message(self.tr("Indexing"), exc, self._engine.settings.data_dir))
        finally:
            self.finished.emit()


class Indexer(QObject):
    """Owns the worker's thread; `stop` returns once the engine has saved its work."""

    def __init__(self, engine: Engine, folders: list[Path] | None) -> None:
        super().__init__()
        self.control = Control()
        self._engine = engine
        self.worker = IndexerWorker(engine, folders, self.control)
        self._thread = QThread(self)  # owned with the indexer (see stop)
        self._thread.setObjectName("framefind-indexer")
        self.worker.moveToThread(self._thread)
        self._thread.started.connect(self.worker.run)
        self.worker.finished.connect(self._thread.quit)

    def start(self) -> None:
        self._thread.start(QThread.Priority.LowPriority)  # searches come first

    @property
    def paused(self) -> bool:
        return self.control.paused

    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    def set_folders(self, folders: list[Path]) -> None:
        self.worker.set_folders(folders)

    def retry(self) -> bool:
        """Try every failed file again (on the indexer's thread); False when this app does
        not index (another one does)."""
        watcher = self.worker.watcher
        if watcher is None:
            return False
        engine, worker, control = self._engine, self.worker, self.control
        watcher.submit(lambda: engine.retry(worker.progress.emit, control))
        return True

    def prune(self, roots: list[Path]) -> bool:
        """Confirm that the files of these held folders are gone (on the indexer's thread,
        the one writer); False when the indexer is not running."""
        watcher = self.worker.watcher
        if watcher is None:
            return False
        engine = self._engine
        watcher.submit(lambda: engine.prune(roots))
        return True

    def stop(self) -> None:
        """Stop, waiting for the engine to save its work. A model still loading has nothing
        to save and cannot be interrupted (10–30 s): the thread is left to end by itself,
        kept alive by the application, and the window closes at once."""
        self.control.stop()
        self._thread.quit()
        while not self._thread.wait(MODEL_LOAD_WAIT_MS):
            if self.worker.loading_models:
                log.info("closing while a model loads: not waiting for it")
                self.setParent(QCoreApplication.instance())
                return
