"""How results and progress read in the window: times, moments, scores, rates."""

from __future__ import annotations

from indexer import ProgressEvent, SearchResult


def clock(seconds: float) -> str:
    """12:34, or 1:02:03 past an hour."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def moment(result: SearchResult) -> str:
    """`12:34–12:51` for a moment; empty for a photo."""
    if result.start is None:
        return ""
    end = result.end if result.end is not None else result.start
    return f"{clock(result.start)}–{clock(end)}" if end - result.start >= 1 else clock(result.start)


def detail(result: SearchResult) -> str:
    """A card's second line: what is special about the result, else its kind (its moment is
    on the picture and its kind in the icon, so the counts get the room)."""
    return extras(result) or result.kind


QUOTE_LEAD = 24  # characters of a quote shown before its first matched word


def quote_pieces(result: SearchResult) -> list[tuple[str, bool]]:
    """A card's quote as (text, matched) pieces: from a little before the first matched word,
    so the match shows however narrow the card; empty when not found by what is said."""
    quote = result.quote
    if quote is None:
        return []
    begin = max(0, (quote.marks[0][0] if quote.marks else 0) - QUOTE_LEAD)
    begin = quote.text.rfind(" ", 0, begin) + 1 if begin else 0  # at a word's start
    pieces, at = [("“" + ("…" if begin else ""), False)], begin
    for start, end in quote.marks:
        if end <= begin:
            continue
        pieces += [(quote.text[at:start], False), (quote.text[start:end], True)]
        at = end
    return [p for p in [*pieces, (quote.text[at:] + "”", False)] if p[0]]


def extras(result: SearchResult) -> str:
    parts = []
    if result.by_sound:
        parts.append("♪ by sound")
    if result.similar:
        parts.append(f"+{len(result.similar)} similar")
    if result.other_moments:
        parts.append(f"+{result.other_moments} moment{'s' * (result.other_moments != 1)}")
    return " · ".join(parts)


STRONG_SCORE = 6.0  # a calibrated score that fills the bar: a clear match from both sides


def strength(result: SearchResult, calibrated: bool = True) -> float:
    """0–1 for the score bar, on a fixed scale (not relative to the best result, or "zzzz"
    would show full bars for its closest guesses)."""
    value = result.score / STRONG_SCORE if calibrated else result.cosine
    return max(0.05, min(1.0, value))


MATCH_WORDS = ((6.0, "Very strong match"), (4.5, "Strong match"), (3.0, "Good match"))


def match(result: SearchResult, calibrated: bool = True) -> str:
    """How good a match is, in words (the numbers are in `describe`)."""
    if not calibrated:
        return "Too few files indexed yet to say how good a match this is"
    for floor, words in MATCH_WORDS:
        if result.score >= floor:
            return words
    return "Weak match: among the closest there are, not a clear one"


def describe(result: SearchResult) -> str:
    """The tooltip: where, when and how well."""
    lines = [str(result.path)]
    if result.start is not None:
        lines.append(f"{result.kind} moment {moment(result)}, best at {clock(result.t or result.start)}")
    lines.append(f"score {result.score:.2f} (cosine {result.cosine:.3f}, {result.space} model)")
    if result.rerank_score is not None:
        lines.append(f"reranked: {result.rerank_score:.3f}")
    if extras(result):
        lines.append(extras(result))
    if result.quote is not None:
        sources = {"speech": "transcribed", "written": "read in the picture"}
        how = sources.get(result.quote.source, "subtitles")
        by = {"meaning": ", by its meaning", "both": ", by its words and meaning"}
        how += by.get(result.quote.found_by, "")
        what = "written" if result.quote.written else "said"
        lines.append(f"Found by what is {what} ({how}): “{result.quote.text}”")
    return "\n".join(lines)


def size(n: int) -> str:
    """1.2 GB, 3.4 MB, 56 KB, 7 bytes."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}" if unit != "KB" else f"{n / scale:.0f} KB"
    return f"{n} bytes"


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def progress(event: ProgressEvent) -> str:
    """`120 / 4,000 files · 9.4 files/s · about 7 min left · holiday.jpg`; while speech is
    recognised, `3 / 40 recordings · 1.3 h of audio left · about 6 min left · talk.mp3`."""
    parts = [f"{event.done:,} / {event.total:,} {event.unit}"]
    if event.audio_left_s:
        parts.append(f"{duration(event.audio_left_s)} of audio left")
    if event.paused:  # no rate or time left: neither means anything while nothing moves
        return " · ".join([*parts, "paused"])
    if event.rate > 0 and event.stage == "indexing":
        parts.append(f"{event.rate:.1f} files/s")
    if event.eta_s is not None and event.done < event.total:
        parts.append(f"about {duration(event.eta_s)} left" if event.eta_s >= 5 else "almost done")
    if event.current is not None:
        parts.append(event.current.name)
    return " · ".join(parts)
