"""Framefind's headless engine: catalog, media extraction, embedding, vector store, search.

The public API is what this module exports; the desktop app and the CLI use nothing else.
Heavy libraries (torch, sentence-transformers, faiss) load only when first needed.
"""

from __future__ import annotations

from indexer.engine import Engine, build_engine
from indexer.errors import FramefindError, MediaError, ModelLoadError
from indexer.progress import IndexReport, ProgressEvent
from indexer.query import Query, parse_query
from indexer.search import SearchResponse, SearchResult
from indexer.settings import Settings, SpaceSpec, load_settings

__all__ = [
    "Engine",
    "FramefindError",
    "IndexReport",
    "MediaError",
    "ModelLoadError",
    "ProgressEvent",
    "Query",
    "SearchResponse",
    "SearchResult",
    "Settings",
    "SpaceSpec",
    "build_engine",
    "load_settings",
    "parse_query",
]
