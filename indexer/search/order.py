"""The order of a result list: by relevance (the engine's ranking, a reranker's), or by date
or name.

The relevance cutoff still decides what is a good match; a sort reorders the good matches
among themselves and the weaker ones among themselves, so "newest first" lists the newest
good matches first and never lifts a weak one above them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar


class _Listed(Protocol):
    """What ordering reads of a result (SearchResult; searcher imports this module)."""

    @property
    def path(self) -> Path: ...
    @property
    def start(self) -> float | None: ...


R = TypeVar("R", bound=_Listed)

Sort = Literal["relevance", "date", "oldest", "name"]
SORTS: tuple[Sort, ...] = ("relevance", "date", "oldest", "name")  # date: newest first


def sorted_results(
    results: Sequence[R], good: int, sort: str, dates: Callable[[set[Path]], dict[Path, float]]
) -> list[R]:
    """`results` (best first, the first `good` clearing the cutoff) in the order `sort` asks;
    `dates` gives files' dates (taken, else modified)."""
    if sort == "relevance":
        return list(results)
    key: Callable[[R], Any]
    if sort == "name":
        key = lambda r: (r.path.name.casefold(), str(r.path), r.start or 0.0)  # noqa: E731
    else:
        when, sign = dates({r.path for r in results}), -1 if sort == "date" else 1
        key = lambda r: (sign * when.get(r.path, 0.0), r.start or 0.0)  # noqa: E731
    return sorted(results[:good], key=key) + sorted(results[good:], key=key)


def place_reranked(results: list[R], scores: dict[int, float]) -> list[R]:
    """The results with those the reranker scored (by position) reordered among the places
    they held; a result it could not score (audio for a vision model, a file that no longer
    decodes, the budget spent) keeps its place instead of sinking below every scored one."""
    out = list(results)
    slots = sorted(scores)
    for slot, i in zip(slots, sorted(slots, key=lambda i: -scores[i]), strict=True):
        out[slot] = replace(results[i], rerank_score=scores[i])  # type: ignore[type-var]  # R is a dataclass
    return out
