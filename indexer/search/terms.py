"""A query's terms: its text and its examples, each embedded in every space that takes it.

A result is scored on the whole query. The query has two parts, its text and its examples
(weighted by `text_weight` and `example_weight`); a space scores a document on the terms
it holds, and a part it holds no term of (a dropped photo, for a sound in the sound space)
counts as answered at chance, zero, not as absent: otherwise a recording that merely
matches the words outranks every photo that matches the words and looks like the
example. Likewise a term may skip a kind of document it cannot speak for (a colour, for
sounds: looks.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from indexer.search.query import Query
from indexer.vectors.space import Space


@dataclass(frozen=True)
class Term:
    space: Space
    vector: np.ndarray
    weight: float  # negative for negative terms
    modality: str  # of the query: "text", or the example's "image" or "audio"
    language: str | None = None  # a text's, for its cohort (cohort_languages.query_language)
    skips: frozenset[str] = frozenset()  # document modalities this term does not score

    @property
    def part(self) -> str:
        return "text" if self.modality == "text" else "examples"


def unanswered_weight(query: Query, terms: Sequence[Term], held: Sequence[Term]) -> float:
    """The weight of the query's parts that have terms somewhere but none among `held` (one
    space's)."""
    weights = {"text": query.text_weight, "examples": query.example_weight}
    wanted = {t.part for t in terms if t.weight > 0}
    here = {t.part for t in held if t.weight > 0}
    return sum(weights[part] for part in wanted - here)
