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
    from indexer.catalog import HeldRoot, LineRow
    from indexer.engine import Engine, Status, build_engine
    from indexer.errors import FramefindError, IndexerBusy, MediaError, ModelLoadError
    from indexer.ingest.control import Control
    from indexer.ingest.progress import IndexReport, ModelLoading, ProgressEvent
    from indexer.ingest.watch import Watcher
    from indexer.media.kinds import example_refusal
    from indexer.models.hardware import MachineChoice, machine_choice
    from indexer.models.loading import is_on_disk
    from indexer.search.previews import CardPictures
    from indexer.search.query import Query, parse_query
    from indexer.search.quote import Quote
    from indexer.search.searcher import SearchResponse, SearchResult
    from indexer.settings import (
        Settings,
        SpaceSpec,
        download_bytes,
        environment_overrides,
        image_query_choice,
        load_settings,
        save_settings,
        stored_settings,
    )

_HOMES = {
    "HeldRoot": "catalog",
    "LineRow": "catalog",
    "Control": "ingest.control",
    "Engine": "engine",
    "Status": "engine",
    "build_engine": "engine",
    "FramefindError": "errors",
    "IndexerBusy": "errors",
    "MediaError": "errors",
    "ModelLoadError": "errors",
    "CardPictures": "search.previews",
    "IndexReport": "ingest.progress",
    "ModelLoading": "ingest.progress",
    "ProgressEvent": "ingest.progress",
    "Query": "search.query",
    "parse_query": "search.query",
    "Quote": "search.quote",
    "SearchResponse": "search.searcher",
    "SearchResult": "search.searcher",
    "Settings": "settings",
    "SpaceSpec": "settings",
    "load_settings": "settings",
    "save_settings": "settings",
    "stored_settings": "settings",
    "environment_overrides": "settings",
    "image_query_choice": "settings",
    "Watcher": "ingest.watch",
    "is_on_disk": "models.loading",
    "download_bytes": "settings",
    "machine_choice": "models.hardware",
    "MachineChoice": "models.hardware",
    "example_refusal": "media.kinds",
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
    "LineRow",
    "MachineChoice",
    "MediaError",
    "ModelLoadError",
    "ModelLoading",
    "ProgressEvent",
    "Query",
    "Quote",
    "SearchResponse",
    "SearchResult",
    "Settings",
    "SpaceSpec",
    "Status",
    "Watcher",
    "build_engine",
    "download_bytes",
    "environment_overrides",
    "example_refusal",
    "image_query_choice",
    "is_on_disk",
    "load_settings",
    "machine_choice",
    "parse_query",
    "save_settings",
    "stored_settings",
]
