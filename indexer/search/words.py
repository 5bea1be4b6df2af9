"""What is said, in the one list: lines whose words match a text query, and lines a words
space finds by meaning, become hits beside the frames and sound windows, scored on the same
calibrated scale, and quoted with the matched words marked.

A line's score is how much of the query it says: the share of the query's words it holds,
each word weighted by its rarity among all lines (IDF, as BM25 weighs it), so "the" counts
for little and "budget" for much. Half the query's weight is the floor of a good match
(`Calibrator.floor`), all of it three σ above; the words said in the query's order (a
phrase) add one more. A moment said and shown at once is fused in moments.fuse_words.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import replace

from indexer.catalog import Catalog, LineRow, SegmentFilter
from indexer.catalog.lines import CJK_CHAR, match_expression, spaced
from indexer.search.moments import Hit
from indexer.search.quote import Quote

FULL_MATCH = 3.0  # σ above the floor for a line holding every word of the query
PHRASE_BONUS = 1.0  # …and the query's words in its order
WORD_DEPTH = 200  # lines read from the full-text index per query
MEANING_DEPTH = 100  # lines a words space found that are quoted (the rest are far down the list)
LEAST_SHARE = 1 / 3  # a line saying less of the query is not a match, even a weak one ("the")
_TERM = re.compile(r"\w+\*?")
_TOKEN = re.compile(f"{CJK_CHAR}|(?:(?!{CJK_CHAR})\\w)+")  # a word as the index reads it


def word_hits(
    catalog: Catalog,
    text: str,
    floor: float | None,
    filters: SegmentFilter | None = None,
    lang: str | None = None,
    written: bool | None = None,
) -> list[Hit]:
    """Hits for the lines that say `text`'s words, best first; scored on the calibrated
    scale above `floor`, or by the share of the query said when scores are not calibrated
    (`floor` None: then cosines rank the rest, which that share compares with roughly).
    `written`: only text in pictures (True), only what is said (False)."""
    terms = _terms(text)
    if not terms or match_expression(text) is None:
        return []
    lines = catalog.lines.matching(text, WORD_DEPTH, lang, filters, written)
    if not lines:
        return []
    weights = _rarity(catalog, terms)
    total = sum(weights.values())
    hits = []
    for line in lines:
        marks, found = _marks(line.text, terms)
        share = sum(weights[t] for t in found) / total
        if share < LEAST_SHARE:
            continue
        phrase = _in_order(line.text, terms, marks)
        score = share if floor is None else floor + FULL_MATCH * (2 * share - 1) + PHRASE_BONUS * phrase
        hits.append(_hit(line, score, share, marks))
    return sorted(hits, key=lambda h: -h.score)


def lines_in(
    catalog: Catalog,
    hits: list[Hit],
    text: str,
    floor: float | None,
    filters: SegmentFilter | None = None,
    lang: str | None = None,
    written: bool | None = None,
) -> list[Hit]:
    """The hits with lines in place of line segments: the lines that say `text`'s words
    (`word_hits`) and those a words space found by meaning, one hit per line."""
    by_letters = word_hits(catalog, text, floor, filters, lang, written)
    found = sorted((h for h in hits if h.modality == "text"), key=lambda h: -h.score)[:MEANING_DEPTH]
    by_meaning = meaning_hits(catalog, text, found, lang, written)
    return [h for h in hits if h.modality != "text"] + joined(by_letters, by_meaning)


def meaning_hits(
    catalog: Catalog, text: str, found: list[Hit], lang: str | None = None, written: bool | None = None
) -> list[Hit]:
    """A words space's hits (line segments found by meaning) as quoted lines, the query's
    words marked where the line happens to say them; of `lang` only, when given, and only
    written or said ones when `written` says so."""
    lines = catalog.lines.of_segments([h.segment_id for h in found])
    terms = _terms(text)
    hits = []
    for hit in found:
        line = lines.get(hit.segment_id)
        if line is None or (lang and not _of_language(line.lang, lang)):
            continue
        if written is not None and line.written != written:
            continue
        hits.append(_hit(line, hit.score, hit.cosine, _marks(line.text, terms)[0], "meaning"))
    return hits


def joined(by_letters: list[Hit], by_meaning: list[Hit]) -> list[Hit]:
    """One hit per line: a line found both ways keeps the better score (the two are evidence
    of one thing, not two) and says it was found by both; best first."""
    best = {h.segment_id: h for h in by_meaning}
    for hit in by_letters:
        other = best.get(hit.segment_id)
        if other is None:
            best[hit.segment_id] = hit
            continue
        assert other.quote is not None and hit.quote is not None
        top = hit if hit.score >= other.score else other
        best[hit.segment_id] = replace(top, quote=replace(hit.quote, found_by="both"), t=hit.t)
    return sorted(best.values(), key=lambda h: -h.score)


def _of_language(line_lang: str | None, lang: str) -> bool:
    said, asked = (line_lang or "").lower(), lang.lower()
    return said == asked or said.startswith(asked + "-")


def _hit(
    line: LineRow, score: float, cosine: float, marks: tuple[tuple[int, int], ...], found_by: str = "words"
) -> Hit:
    quote = Quote(line.id, line.text, line.lang, line.source, marks, line.words, found_by, line.box)
    # Written text is there from its first frame on: the moment opens where it appears.
    at: float | None = line.time_of(marks[0][0]) if marks and not line.written else line.start
    span: tuple[float | None, float | None] = (line.start, line.end)
    if line.kind == "photo":  # a photo's text has no time: the hit is the photo's, as its picture's is
        span, at = (None, None), None
    return Hit(line.segment_id, line.path, line.kind, "words", *span, at, score, cosine, "words", quote)


def _terms(text: str) -> list[str]:
    """The query's words, folded as the index folds them (case, accents), CJK characters apart."""
    return list(dict.fromkeys(_fold(t) for t in _TERM.findall(spaced(text.replace('"', " ")))))


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def _rarity(catalog: Catalog, terms: list[str]) -> dict[str, float]:
    """IDF of each term over all lines."""
    count = max(catalog.lines.count(), 1)
    return {t: math.log(1 + count / (1 + catalog.lines.holding(t))) for t in terms}


def _marks(text: str, terms: list[str]) -> tuple[tuple[tuple[int, int], ...], set[str]]:
    """Where the terms occur in `text` (as whole words, or as prefixes for `word*`)."""
    # One folded piece per character: offsets stay the text's (ASCII folds by lowering, at a
    # fraction of the cost; most quotes are ASCII and a search marks hundreds of them).
    if text.isascii():
        plain = text.lower()
        pieces = None
    else:
        pieces = [_fold(c) or c for c in text]
        plain = "".join(c[:1] for c in pieces)
    whole = set(terms)
    prefixes = [t for t in terms if t.endswith("*")]
    spans, found = set(), set()
    for match in _TOKEN.finditer(plain):
        a, b = match.span()
        word = plain[a:b] if pieces is None else "".join(pieces[a:b])
        hit = {word} & whole | {t for t in prefixes if word.startswith(t[:-1])}
        if hit:
            spans.add((a, b))
            found |= hit
    return tuple(sorted(spans)), found


def _in_order(text: str, terms: list[str], marks: tuple[tuple[int, int], ...]) -> bool:
    """The query's words said one after another, in its order."""
    said = [_fold(text[a:b]) for a, b in marks]
    plain = [t.rstrip("*") for t in terms]
    return len(plain) > 1 and any(said[i : i + len(plain)] == plain for i in range(len(said)))
