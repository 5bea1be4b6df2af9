"""The generic queries of cohort.py in other languages, line for line (cohorts/LANGUAGE.txt).

A query is judged against the cohort of its own language (calibrate.py): to a model that
reads English only, a query in Chinese is a string of unknown pieces, and so is every
Chinese generic query, so such a query stands no higher above chance than they do and is
"no good match" there; to a multilingual model the Chinese cohort means what the English
one does. A query's language is told by its script, and in Latin script by the words it
shares with each cohort (query_language); a query in a script with no cohort here is judged
against the cohort the space puts nearest it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np

from indexer.search.cohort import GENERIC_QUERIES

NEAREST = 5  # a query's language, as a space reads it: the cohort whose nearest few are nearest

FOLDER = Path(__file__).parent / "cohorts"  # one file a language, a generic query a line


def _translations() -> dict[str, tuple[str, ...]]:
    return {
        path.stem: tuple(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(FOLDER.glob("*.txt"))
    }


COHORTS: dict[str, tuple[str, ...]] = {"en": GENERIC_QUERIES, **_translations()}


def query_language(text: str) -> str | None:
    """The cohort a query's text is judged against: by its script (kana: Japanese, Hangul:
    Korean, Han: Chinese, Arabic, Cyrillic: Russian, Greek); in Latin script, the language
    whose generic queries share most of its words ("ein", "una", "des"…), English on a tie;
    None for a script with no cohort (Hebrew, Thai…), whose language the space's vectors tell."""
    letters = [c for c in text if c.isalpha()]
    for language, pattern in _SCRIPTS:
        if any(pattern.match(c) for c in letters):
            return language
    if letters and not all(_LATIN.match(c) for c in letters):
        return None
    words = set(_WORDS.findall(text.casefold()))
    return max(_LATIN_COHORTS, key=lambda language: len(words & _vocabulary(language)))


def nearest_language(cohorts: dict[str, np.ndarray], query: np.ndarray) -> str:
    """The language whose generic queries the space puts nearest this query vector."""
    return max(cohorts, key=lambda language: float(np.sort(cohorts[language] @ query)[-NEAREST:].mean()))


_SCRIPTS = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")),
    ("zh", re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")),
    ("ar", re.compile(r"[\u0600-\u06ff\u0750-\u077f]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("el", re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")),
)
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")
_LATIN_COHORTS = ("en", "de", "es", "fr")  # in this order: a tie goes to the first
_WORDS = re.compile(r"\w+")


@cache
def _vocabulary(language: str) -> frozenset[str]:
    return frozenset(_WORDS.findall(" ".join(COHORTS[language]).casefold()))
