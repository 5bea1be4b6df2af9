"""Framefind's headless engine: catalog, media extraction, embedding, vector store, search.

The public API is what this module exports; the desktop app and the CLI use nothing else.
Heavy libraries (numpy, FAISS, PyAV, torch) load only when first needed: the exports are
imported on first use, so `framefind search` can hand its query to a running Framefind
without loading any of them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from indexer.catalog import HeldRoot
    from indexer.control import Control
    from indexer.engine import Engine, Status, build_engine
    from indexer.errors import FramefindError, IndexerBusy, MediaError, ModelLoadError
    from indexer.previews import CardPictures
    from indexer.progress import IndexReport, ModelLoading, ProgressEvent
    from indexer.query import Query, parse_query
    from indexer.search import SearchResponse, SearchResult
    from indexer.settings import Settings, SpaceSpec, load_settings, save_settings, stored_settings
    from indexer.watch import Watcher

_HOMES = {
    "HeldRoot": "catalog",
    "Control": "control",
    "Engine": "engine",
    "Status": "engine",
    "build_engine": "engine",
    "FramefindError": "errors",
    "IndexerBusy": "errors",
    "MediaError": "errors",
    "ModelLoadError": "errors",
    "CardPictures": "previews",
    "IndexReport": "progress",
    "ModelLoading": "progress",
    "ProgressEvent": "progress",
    "Query": "query",
    "parse_query": "query",
    "SearchResponse": "search",
    "SearchResult": "search",
    "Settings": "settings",
    "SpaceSpec": "settings",
    "load_settings": "settings",
    "save_settings": "settings",
    "stored_settings": "settings",
    "Watcher": "watch",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'indexer' has no attribute {name!r}")
    return getattr(importlib.import_module(f"indexer.{home}"), name)


__all__ = [
    "CardPictures",
    "Control",
    "Engine",
    "FramefindError",
    "HeldRoot",
    "IndexReport",
    "IndexerBusy",
    "MediaError",
    "ModelLoadError",
    "ModelLoading",
    "ProgressEvent",
    "Query",
    "SearchResponse",
    "SearchResult",
    "Settings",
    "SpaceSpec",
    "Status",
    "Watcher",
    "build_engine",
    "load_settings",
    "parse_query",
    "save_settings",
    "stored_settings",
]
