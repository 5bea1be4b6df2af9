"""Framefind's headless engine: catalog, media extraction, embedding, vector store, search.

The public API is what this module exports; the desktop app and the CLI use nothing else.
Heavy libraries (torch, sentence-transformers, faiss) load only when first needed.
"""

from __future__ import annotations

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
