"""Card pictures loaded off the UI thread and kept in memory (the engine caches them on disk).

Only what a view paints is asked for; a fast scroll leaves many requests behind, so a job
whose card was not asked for recently is dropped before it decodes anything.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from indexer import Engine, SearchResult

log = logging.getLogger(__name__)

Key = tuple[str, float | None, float | None]


def card_key(result: SearchResult) -> Key:
    return (str(result.path), result.start, result.t)


@dataclass(frozen=True)
class Card:
    picture: QImage  # null when the media could not be decoded
    strip: QImage  # filmstrip of a video moment; null for photos and audio


class ThumbnailLoader(QObject):
    loaded = Signal(object, object)  # key, Card (queued to the UI thread)

    def __init__(self, engine: Engine, capacity: int = 2000, wanted: int = 256, threads: int = 2) -> None:
        super().__init__()
        self.engine = engine
        self._cards: OrderedDict[Key, Card] = OrderedDict()
        self._capacity = capacity
        self._wanted: OrderedDict[Key, None] = OrderedDict()  # most recent requests
        self._wanted_size = wanted
        self._pending: set[Key] = set()
        # Python threads, not QThreadPool: PySide's QRunnable wrappers are freed off the GIL.
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="framefind-thumbs")
        self.loaded.connect(self._store)

    def card(self, result: SearchResult) -> Card | None:
        """The card's pictures if loaded; otherwise None, and they are loaded in the background."""
        key = card_key(result)
        if key in self._cards:
            self._cards.move_to_end(key)
            return self._cards[key]
        self._wanted[key] = None
        self._wanted.move_to_end(key)
        while len(self._wanted) > self._wanted_size:
            self._wanted.popitem(last=False)
        if key not in self._pending:
            self._pending.add(key)
            self._pool.submit(self._load, key, result)
        return None

    def _load(self, key: Key, result: SearchResult) -> None:
        """On a pool thread. QImage (unlike QPixmap) may be made off the UI thread."""
        if key not in self._wanted:  # scrolled past before its turn came
            self._pending.discard(key)
            return
        try:
            pictures = self.engine.card_pictures(result)
        except Exception:  # a picture is never worth a crash: the card shows its kind instead
            log.exception("no card picture for %s", result.path)
            self.loaded.emit(key, Card(QImage(), QImage()))
            return
        picture = QImage(str(pictures.picture)) if pictures.picture else QImage()
        strip = QImage(str(pictures.strip)) if pictures.strip else QImage()
        self.loaded.emit(key, Card(picture, strip))

    def _store(self, key: Key, card: Card) -> None:
        self._pending.discard(key)
        self._cards[key] = card
        while len(self._cards) > self._capacity:
            self._cards.popitem(last=False)

    def close(self) -> None:
        """Drop what waits, and finish what runs (before the engine closes)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
