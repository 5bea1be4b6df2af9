"""What is said in a file, when the file says it itself: its subtitle streams and the subtitle
files beside it (film.srt, film.en.vtt, film.ass). Exact and free, so they are used instead of
speech recognition. FFmpeg demuxes every one of these formats, embedded or not, so one reader
serves both."""

from __future__ import annotations

import functools
import logging
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import av

from indexer.media.access import decoder_reason

log = logging.getLogger(__name__)

SIDECAR_EXTENSIONS = (".srt", ".vtt", ".ass", ".ssa")
RACY_NS = 2_000_000_000
# A subtitle file is a few hundred kilobytes; a bigger one is something else named .srt.
MAX_SIDECAR_BYTES = 20 << 20
# Subtitle codecs that carry text; bitmap ones (DVD, Blu-ray PGS) would need OCR.
TEXT_CODECS = frozenset({"subrip", "srt", "webvtt", "ass", "ssa", "mov_text", "text", "microdvd"})
_LANGUAGE_SUFFIX = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")
_MARKUP = re.compile(r"<[^>]*>|\{\\[^}]*\}")  # WebVTT/SRT tags, ASS override blocks
_HARD_BREAK = re.compile(r"\\[Nn]")


@dataclass(frozen=True, slots=True)
class Line:
    """A stretch of what is said, with when it is said and in which language."""

    start: float
    end: float
    text: str
    lang: str | None = None  # ISO 639 code where the source names one
    source: str = "subtitles"  # "subtitles" (embedded), "sidecar", "speech" or "written" (in pictures)
    words: tuple[tuple[int, float, float], ...] = ()  # recognised speech: (offset in text, start, end)
    box: tuple[float, float, float, float] | None = None  # written: (left, top, right, bottom) shares


def sidecars(path: Path) -> list[tuple[Path, str | None]]:
    """Subtitle files named after a media file, with the language their name gives."""
    try:
        changed = path.parent.stat().st_mtime_ns
    except OSError:
        return []
    # A folder changed within the clock's tick may change again unseen by its mtime ("racily
    # clean", as git calls it): list it afresh until it has been still for a while.
    recent = time.time_ns() - changed < RACY_NS
    listing = _subtitle_files.__wrapped__ if recent else _subtitle_files
    found = []
    for other in listing(path.parent, changed):
        if not other.name.startswith(path.stem + "."):
            continue
        middle = other.name[len(path.stem) + 1 : -len(other.suffix)]
        if middle and not _LANGUAGE_SUFFIX.match(middle):
            continue  # film.director-commentary.srt is another film's name, not a language
        found.append((other, middle.lower().replace("_", "-") or None))
    return found


@functools.lru_cache(maxsize=256)
def _subtitle_files(folder: Path, listed: int) -> list[Path]:
    """The subtitle files of a folder as it was at its mtime `listed`: listed once, not once
    per media file in it (a folder of 10,000 recordings would be read 10,000 times)."""
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in entries if os.path.splitext(e.name)[1].lower() in SIDECAR_EXTENSIONS]
    except OSError:
        return []
    return [folder / name for name in sorted(names)]


def read_lines(path: Path, embedded: bool) -> list[Line]:
    """The file's subtitle lines: its text subtitle streams (when `embedded`) and its sidecar
    files. A damaged subtitle costs its own lines, never the media file."""
    lines: list[Line] = []
    if embedded:
        lines += _demuxed(path, None, "subtitles")
    for sidecar, lang in sidecars(path):
        if _plausible(sidecar):
            lines += _demuxed(sidecar, lang, "sidecar")
    return lines


def _plausible(sidecar: Path) -> bool:
    try:
        size = sidecar.stat().st_size
    except OSError:
        return False  # gone since the listing
    if size > MAX_SIDECAR_BYTES:
        log.warning("%s is %d MB, too big for subtitles; it is left out", sidecar, size >> 20)
        return False
    return True


def _demuxed(path: Path, lang: str | None, source: str) -> list[Line]:
    try:
        with av.open(str(path)) as container:
            streams = [s for s in container.streams.subtitles if s.codec_context.name in TEXT_CODECS]
            lines = []
            for stream in streams:
                language = lang or _stream_language(stream)
                for packet in container.demux(stream):
                    lines += _packet_lines(packet, stream, language, source)
            return lines
    except (av.FFmpegError, OSError, UnicodeDecodeError) as exc:
        log.warning("the subtitles of %s cannot be read (%s); they are left out", path, decoder_reason(exc))
        return []


def _stream_language(stream: av.stream.Stream) -> str | None:
    language = (stream.metadata or {}).get("language")
    return None if not language or language == "und" else language.lower()


def _packet_lines(packet: av.Packet, stream: av.stream.Stream, lang: str | None, source: str) -> list[Line]:
    if packet.pts is None or stream.time_base is None:
        return []
    start = float(packet.pts * stream.time_base)
    end = start + float((packet.duration or 0) * stream.time_base)
    lines = []
    for subtitle in packet.decode():
        raw = getattr(subtitle, "dialogue", b"") or b""
        text = clean_text(raw.decode("utf-8", errors="replace"))
        if text:
            lines.append(Line(start, max(end, start), text, lang, source))
    return lines


def clean_text(text: str) -> str:
    """Subtitle markup out (italics tags, ASS overrides, hard breaks), whitespace folded."""
    return " ".join(_MARKUP.sub("", _HARD_BREAK.sub(" ", text)).split())
