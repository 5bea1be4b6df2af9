"""A file's lines as people read them: plain text with times, or an SRT subtitle file."""

from __future__ import annotations

from collections.abc import Sequence

from indexer.catalog import LineRow


def clock(seconds: float, separator: str = ".") -> str:
    """H:MM:SS.mmm (SRT writes the milliseconds after a comma)."""
    ms = round(max(seconds, 0.0) * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{separator}{ms:03d}"


def as_text(lines: Sequence[LineRow]) -> str:
    return "".join(f"[{clock(x.start)} → {clock(x.end)}]{_lang(x)} {x.text}\n" for x in lines)


def as_srt(lines: Sequence[LineRow]) -> str:
    blocks = [
        f"{n}\n{clock(x.start, ',')} --> {clock(x.end, ',')}\n{x.text}\n" for n, x in enumerate(lines, 1)
    ]
    return "\n".join(blocks)


def _lang(line: LineRow) -> str:
    return f" ({line.lang})" if line.lang else ""
