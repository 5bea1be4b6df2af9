"""The query translator a search uses for spaces that read English only (translator.py):
what is not English, as told by its script and words (cohort_languages.query_language)."""

from __future__ import annotations

from indexer.models.translator import Translator
from indexer.search.cohort_languages import query_language
from indexer.settings import Settings, SpaceSpec


def query_translator(settings: Settings, spec: SpaceSpec) -> Translator | None:
    """For a sound space without a query model of its own (CLAP reads English alone); None
    for other spaces, or when turned off (`query_translator` "none")."""
    if not spec.reads("audio") or spec.query_model is not None or settings.query_translator.lower() == "none":
        return None
    return Translator(settings.query_translator, None, settings.translators, _english)


def _english(text: str) -> bool:
    return query_language(text) == "en"
