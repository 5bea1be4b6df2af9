"""What is said in a file, when the file says it itself: its subtitle streams and the subtitle
files beside it (film.srt, film.en.vtt, film.ass). Exact and free, so they are used instead of
speech recognition. FFmpeg demuxes every one of these formats, embedded or not, so one reader
serves both."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import av

from indexer.media.access import decoder_reason

log = logging.getLogger(__name__)

SIDECAR_EXTENSIONS = (".srt", ".vtt", ".ass", ".ssa")
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
    source: str = "subtitles"  # "subtitles" (embedded), "sidecar" or "speech"


def sidecars(path: Path) -> list[tuple[Path, str | None]]:
    """Subtitle files named after a media file, with the language their name gives."""
    try:
        siblings = list(path.parent.iterdir())
    except OSError:
        return []
    found = []
    for other in sorted(siblings):
        if other.suffix.lower() not in SIDECAR_EXTENSIONS or not other.name.startswith(path.stem + "."):
            continue
        middle = other.name[len(path.stem) + 1 : -len(other.suffix)]
        if middle and not _LANGUAGE_SUFFIX.match(middle):
            continue  # film.director-commentary.srt is another film's name, not a language
        found.append((other, middle.lower().replace("_", "-") or None))
    return found


def read_lines(path: Path, embedded: bool) -> list[Line]:
    """The file's subtitle lines: its text subtitle streams (when `embedded`) and its sidecar
    files. A damaged subtitle costs its own lines, never the media file."""
    lines: list[Line] = []
    if embedded:
        lines += _demuxed(path, None, "subtitles")
    for sidecar, lang in sidecars(path):
        lines += _demuxed(sidecar, lang, "sidecar")
    return lines


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
