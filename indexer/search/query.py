"""What a user asks for: text, examples, negative terms, weights and filters.

`Query` is the object the desktop app fills; `parse_query` reads the same thing from one
line of text, as typed in the CLI or the search field:

    beach -people kind:photo after:2021-06 before:2021-09 in:~/Pictures/Trips
    applause kind:video,audio longer:30s
    said:"ship it" lang:en
    shown:roadmap
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from indexer.errors import FramefindError
from indexer.media.kinds import KINDS
from indexer.search.order import SORTS
from indexer.wording import Message


@dataclass(frozen=True)
class Query:
    text: str | None = None
    examples: tuple[Path, ...] = ()  # files (photo, audio, video clip) or folders of indexed files
    like: tuple[int, ...] = ()  # segment ids of results: "more like this"
    negatives: tuple[str, ...] = ()  # "beach -people": results like these are pushed down
    text_weight: float = 1.0
    example_weight: float = 1.0
    negative_weight: float = 0.5
    # filters
    kinds: frozenset[str] = field(default_factory=frozenset)  # empty: every kind
    folder: Path | None = None
    after: float | None = None  # epoch seconds; capture date (EXIF, tags), else file time
    before: float | None = None
    min_duration: float | None = None  # seconds; photos have none and drop out
    max_duration: float | None = None
    said: bool = False  # only what is said (transcripts, subtitles), not pictures or sounds
    shown: bool = False  # only text written in pictures (both: every word, said or written)
    lang: str | None = None  # what is said in this language (ISO 639 code); implies `said`
    # presentation
    limit: int = 20
    per_file: int = 3  # moments shown per video or recording
    show_all: bool = False  # include what falls below the relevance cutoff
    calibrate: bool = True
    rerank: bool = True
    sort: str = "relevance"  # or date (newest first), oldest, name: see order.py

    def __post_init__(self) -> None:
        if not (self.text or self.examples or self.like):
            raise FramefindError(Message("Give a text query, an example file or a result to search like."))
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise FramefindError(
                Message(
                    "Unknown kind {kind}; choose from {kinds}.",
                    kind=", ".join(sorted(unknown)),
                    kinds=", ".join(KINDS),
                )
            )
        if not all(0 <= w <= 100 for w in (self.text_weight, self.example_weight, self.negative_weight)):
            raise FramefindError("Query weights must be between 0 and 100.")
        if self.sort not in SORTS:
            raise FramefindError(
                Message("Unknown sort {sort!r}; choose from {sorts}.", sort=self.sort, sorts=", ".join(SORTS))
            )
        if self.limit < 1 or self.per_file < 1:
            raise FramefindError(
                f"limit and per_file must be 1 or more, not {self.limit} and {self.per_file}."
            )

    @property
    def words_only(self) -> bool:
        return self.said or self.shown or self.lang is not None

    @property
    def written(self) -> bool | None:
        """Which lines: written ones only (True), said ones only (False), or both (None)."""
        said = self.said or self.lang is not None
        return None if said == self.shown else self.shown

    @property
    def filtered(self) -> bool:
        return bool(self.kinds) or any(
            v is not None
            for v in (self.folder, self.after, self.before, self.min_duration, self.max_duration)
        )


_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(s|m|h)?$")
_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m", "%Y")


def parse_duration(text: str) -> float:
    """'90', '90s', '2m', '1.5h' → seconds."""
    found = _DURATION.match(text.strip().lower())
    if not found:
        raise FramefindError(
            Message("Cannot read the duration {text!r}; write e.g. 30s, 2m or 1h.", text=text)
        )
    return float(found[1]) * {"s": 1, "m": 60, "h": 3600}[found[2] or "s"]


def parse_date(text: str, end: bool = False) -> float:
    """'2021', '2021-06' or '2021-06-30' (local time) → its first second in epoch seconds;
    with `end`, the first second after it (so `until:2021-06` includes all of June)."""
    for fmt in _DATE_FORMATS:
        try:
            start = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if not end:
            return start.timestamp()
        if fmt == "%Y":
            return start.replace(year=start.year + 1).timestamp()
        if fmt == "%Y-%m":
            nxt = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
            return nxt.timestamp()
        return start.timestamp() + 86_400
    raise FramefindError(
        Message("Cannot read the date {text!r}; write 2021, 2021-06 or 2021-06-30.", text=text)
    )


def _apply_token(name: str, value: str, fields: dict[str, Any]) -> None:
    if name == "kind":
        fields["kinds"] = frozenset(fields.get("kinds", frozenset()) | set(value.split(",")))
    elif name == "in":
        fields["folder"] = Path(value).expanduser()
    elif name in ("after", "since"):
        fields["after"] = parse_date(value)
    elif name in ("before", "until"):
        fields["before"] = parse_date(value, end=name == "until")
    elif name == "longer":
        fields["min_duration"] = parse_duration(value)
    elif name == "shorter":
        fields["max_duration"] = parse_duration(value)
    elif name == "lang":
        fields["lang"] = value.lower()
    elif name == "sort":
        fields["sort"] = value.lower()
    else:
        raise FramefindError(
            Message(
                "Unknown filter {name}:; use kind:, in:, after:, before:, until:, longer:, shorter:, "
                "said:, shown: or lang:.",
                name=name,
            )
        )


TOKEN_NAMES = ("kind", "in", "after", "since", "before", "until", "longer", "shorter", "lang", "sort")


def parse_query(line: str, **fields: Any) -> Query:
    """A Query from words, -negative words, "quoted phrases" and name:value filters.

    `fields` are any other Query fields (examples, limit, filters set in controls); a filter
    typed in the line wins over the same one given here, negative terms add up.
    """
    try:
        words = shlex.split(line)
    except ValueError:
        words = line.split()  # an unbalanced quote: take the words as they are
    text: list[str] = []
    negatives: list[str] = []
    typed: dict[str, Any] = {}
    for word in words:
        name, colon, value = word.partition(":")
        if colon and name.lower() in ("said", "shown"):  # said:budget, said:"ship it", or said: alone
            typed[name.lower()] = True
            text += [f'"{value}"' if " " in value else value] if value else []
        elif colon and name.lower() in TOKEN_NAMES and value:
            _apply_token(name.lower(), value, typed)
        elif word.startswith("-") and len(word) > 1:
            negatives.append(word[1:])
        else:
            text.append(word)
    negatives = [*fields.pop("negatives", ()), *negatives]
    return Query(text=" ".join(text) or None, negatives=tuple(negatives), **{**fields, **typed})
