"""Framefind's desktop app (PySide6). It holds no search logic: everything goes through the
engine's public API in `indexer`, and engine work runs off the UI thread."""
