"""One engine for one set of settings, and the threads that use it: the indexer, the searcher
and the picture loader. Changing settings closes the session and opens a new one."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject

from desktop.indexing import Indexer
from desktop.messages import engine_message
from desktop.searching import SearchThread
from desktop.thumbnails import ThumbnailLoader
from indexer import Engine, IndexerBusy, Settings, build_engine
from indexer.ipc import SearchServer

log = logging.getLogger(__name__)


def open_engine(settings: Settings) -> tuple[Engine, str | None]:
    """The writer engine; a reader when another process indexes this data folder (searching
    still works), with the message that says so. FramefindError when the folder is unusable."""
    try:
        return build_engine(settings, writer=True), None
    except IndexerBusy as exc:
        return build_engine(settings, writer=False), engine_message(exc)


class Session(QObject):
    def __init__(self, settings: Settings, folders_chosen: bool = True) -> None:
        """`folders_chosen` False: the first run, where the models load while the user picks
        folders; `cover` then starts indexing them."""
        super().__init__()
        self.settings = settings
        self.engine, self.busy = open_engine(settings)
        self.thumbnails = ThumbnailLoader(self.engine)
        self.indexer = Indexer(self.engine, list(settings.folders) if folders_chosen else None)
        self.searcher = SearchThread(self.engine, self.indexer.control)  # searches hold indexing back
        self.server = SearchServer(self.engine, self.indexer.control)  # and `framefind search` asks here

    def senders(self) -> tuple[QObject, ...]:
        """The objects whose signals belong to this session."""
        return (self.indexer.worker, self.searcher.worker, self.thumbnails)

    def cover(self, settings: Settings) -> None:
        """The folders the user chose on the first run: index them."""
        self.settings = settings
        self.engine.cover(settings.folders)
        self.indexer.set_folders(list(settings.folders))

    def start(self) -> None:
        self.indexer.start()
        self.server.start()

    def close(self) -> None:
        """Stop the threads (the indexer saves what it has done), then release the data folder."""
        self.server.close()
        self.indexer.stop()
        self.searcher.stop()
        self.thumbnails.close()
        self.engine.close()
