"""The lines table: what is said in each file, with a full-text index (SQLite FTS5, BM25).

Lines are replaced with their file's segments, in the same transaction, and go with the
file when it is deleted (a cascade; the trigger keeps the full-text index in step)."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from indexer.catalog.db import Database
from indexer.catalog.records import SegmentFilter
from indexer.catalog.segments import file_conditions

# Kana, Han and Hangul: Chinese and Japanese have no spaces between words, and a Korean word
# carries its particles; each character is a token, and a typed run is searched as a phrase.
CJK_CHAR = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
_CJK = re.compile(f"({CJK_CHAR})")
_CJK_RUN = re.compile(f"{CJK_CHAR}+")
_PHRASE = re.compile(r'"([^"]*)"')
_WORD = re.compile(r"\w+\*?")
WRITTEN = "written"  # a line's source when it was read in a picture (the rest are said)
SAID_BY_THE_FILE = ("subtitles", "sidecar")  # sources a file gives itself


class NewLine(Protocol):
    """What the catalog keeps of a line (media.subtitles.Line is one)."""

    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def text(self) -> str: ...
    @property
    def lang(self) -> str | None: ...
    @property
    def source(self) -> str: ...
    @property
    def words(self) -> Sequence[tuple[int, float, float]]: ...  # (offset in text, start, end)
    @property
    def box(self) -> tuple[float, float, float, float] | None: ...  # written text: where on the picture


@dataclass(frozen=True, slots=True)
class LineRow:
    id: int
    file_id: int
    path: Path
    start: float
    end: float
    text: str
    lang: str | None
    source: str
    score: float = 0.0  # BM25 as FTS5 gives it, negated: higher is better
    words: tuple[tuple[int, float, float], ...] = ()  # (offset in text, start, end), where known
    kind: str = ""  # the file's: video or audio
    segment_id: int = 0  # the line as a segment: its vector's id in a words space
    box: tuple[float, float, float, float] | None = None  # written: (left, top, right, bottom) shares

    @property
    def written(self) -> bool:
        return self.source == WRITTEN

    def time_of(self, offset: int) -> float:
        """Where the character at `offset` is said: its word's start where the recogniser
        timed the words, else spread evenly over the line (subtitles give no word times)."""
        if self.words:
            before = [start for at, start, _ in self.words if at <= offset]
            return before[-1] if before else self.words[0][1]
        share = min(max(offset, 0), len(self.text)) / max(len(self.text), 1)
        return self.start + share * (self.end - self.start)


def spaced(text: str) -> str:
    """Text as the index reads it: width forms folded (ＡＢＣ is ABC, ｶﾅ is カナ: unicode61 folds
    case and accents, not width), and CJK characters apart, so each is a word."""
    return _CJK.sub(r" \1 ", unicodedata.normalize("NFKC", text))


def match_expression(query: str) -> str | None:
    """An FTS5 query for what a user typed. With "quoted phrases", lines holding all of them;
    otherwise lines holding any of the words, BM25 ranking those with more and rarer ones
    first (a question in plain words rarely appears whole). `word*` is a prefix. None when
    nothing in it can be searched."""
    phrases = [_quoted(p) for p in _PHRASE.findall(query) if _WORD.search(p)]
    rest = _PHRASE.sub(" ", query)
    words = [_quoted(w.rstrip("*")) + ("*" if w.endswith("*") else "") for w in _WORD.findall(spaced(rest))]
    words = _cjk_runs_as_phrases(rest, words)
    if phrases:
        return " AND ".join(phrases)
    return " OR ".join(words) or None


def _cjk_runs_as_phrases(text: str, words: list[str]) -> list[str]:
    """A CJK run typed together ("東京") is one word to its reader: search its characters
    as a phrase, not each character on its own."""
    runs = _CJK_RUN.findall(text)
    if not runs:
        return words
    singles = {_quoted(ch) for run in runs for ch in run}
    return [w for w in words if w not in singles] + [_quoted(spaced(run)) for run in runs]


def _quoted(text: str) -> str:
    return '"' + " ".join(spaced(text).split()).replace('"', '""') + '"'


class LineTable:
    def __init__(self, db: Database) -> None:
        self._db = db

    def replace(self, file_id: int, lines: Sequence[NewLine], same_content: bool = False) -> None:
        """A file's subtitle lines, all at once (call inside the transaction that saves the
        file); its words count as read. What was recognised stays only when the content is
        the same (`same_content`: a move, a new image model, a new subtitle file): its written
        text always, its speech when no subtitles came, which are used instead."""
        keep = (WRITTEN, "speech") if same_content and not lines else (WRITTEN,) if same_content else ()
        marks = ", ".join("?" * len(keep))
        self._db.execute(
            "DELETE FROM lines WHERE file_id = ?" + (f" AND source NOT IN ({marks})" if keep else ""),
            (file_id, *keep),
        )
        if "speech" not in keep:
            self._db.execute("DELETE FROM speech WHERE file_id = ?", (file_id,))
        if WRITTEN not in keep:
            self._db.execute("DELETE FROM reading WHERE file_id = ?", (file_id,))
        self._db.execute("UPDATE files SET words_read = 1 WHERE id = ?", (file_id,))
        insert_lines(self._db, file_id, lines)

    def unread(self, kinds: Sequence[str], limit: int = 500) -> list[tuple[int, Path]]:
        """(id, path) of indexed files of these kinds whose words were never looked for."""
        marks = ", ".join("?" * len(kinds))
        rows = self._db.rows(
            f"SELECT id, path FROM files WHERE words_read = 0 AND status = 'indexed' AND kind IN ({marks}) "
            "ORDER BY id LIMIT ?",
            (*kinds, limit),
        )
        return [(r[0], _path(r[1])) for r in rows]

    def of_file(self, file_id: int) -> list[LineRow]:
        return self._select("WHERE l.file_id = ? ORDER BY l.start, l.id", (file_id,))

    def count(self) -> int:
        return int(self._db.rows("SELECT COUNT(*) FROM lines")[0][0])

    def matching(
        self,
        query: str,
        limit: int = 100,
        lang: str | None = None,
        filters: SegmentFilter | None = None,
        written: bool | None = None,
    ) -> list[LineRow]:
        """Lines of indexed files that hold the query's words, best first (BM25), of files
        that pass `filters`; `written` True: only text read in pictures, False: only speech."""
        expression = match_expression(query)
        if expression is None:
            return []
        where = "JOIN lines_fts ON lines_fts.rowid = l.id WHERE lines_fts MATCH ? AND f.status = 'indexed'"
        params: tuple = (expression,)
        if written is not None:
            where += " AND l.source " + ("=" if written else "!=") + " ?"
            params += (WRITTEN,)
        if lang:
            where += " AND (l.lang = ? OR l.lang LIKE ?)"
            params += (lang.lower(), lang.lower() + "-%")
        if filters is not None:
            conditions, values = file_conditions(filters)
            where += "".join(f" AND {c}" for c in conditions)
            params += tuple(values)
        return self._select(f"{where} ORDER BY bm25(lines_fts) LIMIT ?", (*params, limit), "-bm25(lines_fts)")

    def of_segments(self, segment_ids: Iterable[int]) -> dict[int, LineRow]:
        """Lines of indexed files by their segment ids (a words space's hits)."""
        where = "WHERE l.segment_id IN ({}) AND f.status = 'indexed'"
        rows = self._db.rows_in(f"{_select()} {where}", segment_ids)
        return {r[11]: _row(r) for r in rows}

    def holding(self, word: str) -> int:
        """How many lines hold this word (`word*`: a word it begins)."""
        expression = _quoted(word.rstrip("*")) + ("*" if word.endswith("*") else "")
        rows = self._db.rows("SELECT COUNT(*) FROM lines_fts WHERE lines_fts MATCH ?", (expression,))
        return int(rows[0][0])

    def _select(self, where: str, params: tuple, score: str = "0.0") -> list[LineRow]:
        return [_row(r) for r in self._db.rows(f"{_select(score)} {where}", params)]


def _select(score: str = "0.0") -> str:
    return (
        f"SELECT l.id, l.file_id, f.path, l.start, l.end, l.text, l.lang, l.source, {score}, l.words, "
        "f.kind, l.segment_id, l.box FROM lines l JOIN files f ON f.id = l.file_id"
    )


def _row(r: Sequence) -> LineRow:
    box = tuple(json.loads(r[12])) if r[12] else None
    words = _words(r[9])
    return LineRow(r[0], r[1], _path(r[2]), r[3], r[4], r[5], r[6], r[7], r[8], words, r[10], r[11], box)


def insert_lines(db: Database, file_id: int, lines: Sequence[NewLine]) -> None:
    db.executemany(
        'INSERT INTO lines (file_id, start, "end", text, lang, source, tokens, words, box) '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                file_id,
                x.start,
                x.end,
                x.text,
                x.lang,
                x.source,
                spaced(x.text),
                _words_json(x.words),
                json.dumps(list(x.box)) if x.box else None,
            )
            for x in lines
        ],
    )


def copy_lines(db: Database, source_id: int, file_id: int, source: str) -> None:
    """A copy of a file holds what its original's `source` lines hold."""
    db.execute(
        'INSERT INTO lines (file_id, start, "end", text, lang, source, tokens, words, box) '
        'SELECT ?, start, "end", text, lang, source, tokens, words, box FROM lines '
        "WHERE file_id = ? AND source = ?",
        (file_id, source_id, source),
    )


def _words_json(words: Sequence[tuple[int, float, float]]) -> str | None:
    return json.dumps([[at, round(start, 3), round(end, 3)] for at, start, end in words]) if words else None


def _words(raw: str | None) -> tuple[tuple[int, float, float], ...]:
    return tuple((int(w[0]), float(w[1]), float(w[2])) for w in json.loads(raw)) if raw else ()


def _path(raw: bytes) -> Path:
    return Path(os.fsdecode(raw))
