"""The line a moment was found by: what the card and the command line quote."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Quote:
    """The line a moment was found by, for the card and the command line."""

    line_id: int
    text: str
    lang: str | None
    source: str  # "speech", "subtitles", "sidecar" or "written" (text in a picture)
    marks: tuple[tuple[int, int], ...]  # [start, end) of each matched word in `text`
    words: tuple[tuple[int, float, float], ...]  # (offset, start, end) of each word, where timed
    found_by: str = "words"
    box: tuple[float, float, float, float] | None = None  # written: where on the picture (shares)

    @property
    def written(self) -> bool:
        return self.source == "written"
