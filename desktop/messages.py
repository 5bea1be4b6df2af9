"""Errors in the user's terms and language, with what to do; never a traceback."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from desktop.format import space_name
from desktop.phrases import Phrases
from indexer import FramefindError, HeldRoot, ModelLoadError


def said(text: str) -> str:
    """The engine's text in the window's language: a `Message` by its template (the engine
    collects them into the catalogue's empty context); other text as the engine wrote it."""
    template, fields = getattr(text, "template", None), getattr(text, "fields", None)
    if template is None:
        return text
    shown = QCoreApplication.translate("", template)
    return shown.format(**{name: said(value) for name, value in fields.items()}) if fields else shown


def engine_message(exc: FramefindError) -> str:
    return said(exc.args[0]) if exc.args and isinstance(exc.args[0], str) else str(exc)


def held_message(hold: HeldRoot) -> str:
    return Phrases.tr(
        "{reason} (unplugged, unmounted or moved?). Its %n indexed file(s) are kept and stay "
        "searchable. If they are gone for good, forget them.",
        None,
        hold.files,
    ).format(reason=said(hold.reason))


def model_message(exc: ModelLoadError) -> str:
    return Phrases.tr(
        "The {space} model “{model}” could not be loaded: {reason}. Check the network connection "
        "(models download on first use), or choose another model, a hub id or a local folder, in Settings.",
    ).format(space=space_name(exc.space), model=exc.model, reason=exc.reason)


def unexpected_message(what: str, exc: Exception, data_dir: Path) -> str:
    """`what` in the window's language: "Indexing", "The search"."""
    return Phrases.tr(
        "{what} stopped unexpectedly ({error}: {details}). The details are in {log}; please report them.",
    ).format(what=what, error=type(exc).__name__, details=exc, log=data_dir / "logs" / "framefind.log")
