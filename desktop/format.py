"""How results and progress read in the window: times, moments, scores, rates."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale

from desktop.phrases import Phrases
from indexer import ProgressEvent, Quote, SearchResult


def number(n: int) -> str:
    """4,000 in English, 4.000 in German: the locale's digit groups."""
    return QLocale().toString(n)


def decimal(x: float, places: int = 1) -> str:
    return QLocale().toString(float(x), "f", places)


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
    return extras(result) or kind_name(result.kind)


KINDS = {
    "photo": QT_TRANSLATE_NOOP("Phrases", "photo"),
    "video": QT_TRANSLATE_NOOP("Phrases", "video"),
    "audio": QT_TRANSLATE_NOOP("Phrases", "audio"),
}
SPACES = {  # the engine's space names, as the window says them
    "image": QT_TRANSLATE_NOOP("Phrases", "image"),
    "audio": QT_TRANSLATE_NOOP("Phrases", "audio"),
    "words": QT_TRANSLATE_NOOP("Phrases", "words"),
    "vlm": QT_TRANSLATE_NOOP("Phrases", "video"),
}


def kind_name(kind: str) -> str:
    """photo, video, audio in the window's language (another kind as the engine says it)."""
    return Phrases.tr(KINDS[kind]) if kind in KINDS else kind


def space_name(space: str) -> str:
    return Phrases.tr(SPACES[space]) if space in SPACES else space


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
        parts.append(Phrases.tr("♪ by sound"))
    if result.similar:
        parts.append(Phrases.tr("+%n similar", None, len(result.similar)))
    if result.other_moments:
        parts.append(Phrases.tr("+%n moment(s)", None, result.other_moments))
    return " · ".join(parts)


STRONG_SCORE = 6.0  # a calibrated score that fills the bar: a clear match from both sides


def strength(result: SearchResult, calibrated: bool = True) -> float:
    """0–1 for the score bar, on a fixed scale (not relative to the best result, or "zzzz"
    would show full bars for its closest guesses)."""
    value = result.score / STRONG_SCORE if calibrated else result.cosine
    return max(0.05, min(1.0, value))


MATCH_WORDS = (
    (6.0, QT_TRANSLATE_NOOP("Phrases", "Very strong match")),
    (4.5, QT_TRANSLATE_NOOP("Phrases", "Strong match")),
    (3.0, QT_TRANSLATE_NOOP("Phrases", "Good match")),
)


def match(result: SearchResult, calibrated: bool = True) -> str:
    """How good a match is, in words (the numbers are in `describe`)."""
    if not calibrated:
        return Phrases.tr("Too few files indexed yet to say how good a match this is")
    for floor, words in MATCH_WORDS:
        if result.score >= floor:
            return Phrases.tr(words)
    return Phrases.tr("Weak match: among the closest there are, not a clear one")


def describe(result: SearchResult) -> str:
    """The tooltip: where, when and how well."""
    lines = [str(result.path)]
    if result.start is not None:
        lines.append(
            Phrases.tr("{kind} moment {moment}, best at {time}").format(
                kind=kind_name(result.kind), moment=moment(result), time=clock(result.t or result.start)
            )
        )
    lines.append(
        Phrases.tr("score {score} (cosine {cosine}, {space} model)").format(
            score=decimal(result.score, 2), cosine=decimal(result.cosine, 3), space=space_name(result.space)
        )
    )
    if result.rerank_score is not None:
        lines.append(Phrases.tr("reranked: {score}").format(score=decimal(result.rerank_score, 3)))
    if extras(result):
        lines.append(extras(result))
    if result.quote is not None:
        lines.append(_found_by(result.quote).format(text=result.quote.text))
    return "\n".join(lines)


FOUND_BY = {  # (source, found by) → how the tooltip says it
    ("speech", "words"): QT_TRANSLATE_NOOP("Phrases", "Found by what is said (transcribed): “{text}”"),
    ("speech", "meaning"): QT_TRANSLATE_NOOP(
        "Phrases", "Found by what is said (transcribed, by its meaning): “{text}”"
    ),
    ("speech", "both"): QT_TRANSLATE_NOOP(
        "Phrases", "Found by what is said (transcribed, by its words and meaning): “{text}”"
    ),
    ("subtitles", "words"): QT_TRANSLATE_NOOP("Phrases", "Found by what is said (subtitles): “{text}”"),
    ("subtitles", "meaning"): QT_TRANSLATE_NOOP(
        "Phrases", "Found by what is said (subtitles, by its meaning): “{text}”"
    ),
    ("subtitles", "both"): QT_TRANSLATE_NOOP(
        "Phrases", "Found by what is said (subtitles, by its words and meaning): “{text}”"
    ),
    ("written", "words"): QT_TRANSLATE_NOOP(
        "Phrases", "Found by what is written (read in the picture): “{text}”"
    ),
    ("written", "meaning"): QT_TRANSLATE_NOOP(
        "Phrases", "Found by what is written (read in the picture, by its meaning): “{text}”"
    ),
    ("written", "both"): QT_TRANSLATE_NOOP(
        "Phrases", "Found by what is written (read in the picture, by its words and meaning): “{text}”"
    ),
}


def _found_by(quote: Quote) -> str:
    """Whole sentences, one per case, so a translation can order them as its language does."""
    source = quote.source if quote.source in ("speech", "written") else "subtitles"
    how = quote.found_by if quote.found_by in ("meaning", "both") else "words"
    return Phrases.tr(FOUND_BY[(source, how)])


def size(n: int) -> str:
    """1.2 GB, 3.4 MB, 56 KB, 7 bytes."""
    for unit, scale, places in (("GB", 1e9, 1), ("MB", 1e6, 1), ("KB", 1e3, 0)):
        if n >= scale:
            return f"{decimal(n / scale, places)} {unit}"
    return Phrases.tr("%n byte(s)", None, n)


def duration(seconds: float) -> str:
    if seconds < 60:
        return Phrases.tr("{n} s").format(n=decimal(seconds, 0))
    if seconds < 3600:
        return Phrases.tr("{n} min").format(n=decimal(seconds / 60, 0))
    return Phrases.tr("{n} h").format(n=decimal(seconds / 3600, 1))


STAGES = {  # the indexer's stages: (title, what it counts)
    "indexing": (
        QT_TRANSLATE_NOOP("Phrases", "Indexing"),
        QT_TRANSLATE_NOOP("Phrases", "{done} / {total} files"),
    ),
    "transcribing": (
        QT_TRANSLATE_NOOP("Phrases", "Transcribing"),
        QT_TRANSLATE_NOOP("Phrases", "{done} / {total} recordings"),
    ),
    "reading": (
        QT_TRANSLATE_NOOP("Phrases", "Reading text in pictures"),
        QT_TRANSLATE_NOOP("Phrases", "{done} / {total} files"),
    ),
}


def stage_title(event: ProgressEvent) -> str:
    return Phrases.tr(STAGES.get(event.stage, STAGES["indexing"])[0])


def progress(event: ProgressEvent) -> str:
    """`120 / 4,000 files · 9.4 files/s · about 7 min left · holiday.jpg`; while speech is
    recognised, `3 / 40 recordings · 1.3 h of audio left · about 6 min left · talk.mp3`."""
    counted = STAGES.get(event.stage, STAGES["indexing"])[1]
    parts = [Phrases.tr(counted).format(done=number(event.done), total=number(event.total))]
    if event.audio_left_s:
        parts.append(Phrases.tr("{time} of audio left").format(time=duration(event.audio_left_s)))
    if event.paused:  # no rate or time left: neither means anything while nothing moves
        return " · ".join([*parts, Phrases.tr("paused")])
    if event.rate > 0 and event.stage == "indexing":
        parts.append(Phrases.tr("{rate} files/s").format(rate=decimal(event.rate)))
    if event.eta_s is not None and event.done < event.total:
        left = Phrases.tr("about {time} left").format(time=duration(event.eta_s))
        parts.append(left if event.eta_s >= 5 else Phrases.tr("almost done"))
    if event.current is not None:
        parts.append(event.current.name)
    return " · ".join(parts)
