"""Errors in the user's terms, with what to do; never a traceback."""

from __future__ import annotations

from pathlib import Path

from indexer import ModelLoadError


def model_message(exc: ModelLoadError) -> str:
    return (
        f"The {exc.space} model “{exc.model}” could not be loaded: {exc.reason}. "
        "Check the network connection (models download on first use), or choose another "
        "model, a hub id or a local folder, in Settings."
    )


def unexpected_message(what: str, exc: Exception, data_dir: Path) -> str:
    return (
        f"{what} stopped unexpectedly ({type(exc).__name__}: {exc}). The details are in "
        f"{data_dir / 'logs' / 'framefind.log'}; please report them."
    )
