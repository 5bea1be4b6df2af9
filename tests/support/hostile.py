"""Broken and hostile files, each paired with words its recorded reason must contain."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from tests.support.media import write_photo, write_video


def png_bomb(path: Path, width: int = 40_000, height: int = 40_000) -> Path:
    """A valid PNG header that claims 1.6 gigapixels, in a few hundred bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * (1 + 3 * width))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )
    return path


def write_hostile_folder(folder: Path) -> dict[Path, str]:
    """Write the bad files; returns each path with a phrase its failure reason must contain."""
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[Path, str] = {}

    truncated = write_photo(folder / "truncated.jpg", 5, size=(640, 480), quality=95)
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    expected[truncated] = "truncated"

    empty = folder / "empty.mp4"
    empty.write_bytes(b"")
    expected[empty] = "empty file"

    text = folder / "notes.jpg"
    text.write_text("shopping list: milk, eggs\n" * 20)
    expected[text] = "not a readable image"

    expected[png_bomb(folder / "bomb.png")] = "too large"

    header_only = write_video(folder / "header-only.mov", [1, 2], gop=12)
    header_only.write_bytes(header_only.read_bytes()[:48])
    expected[header_only] = "not a readable video file"

    return expected


def lie_about_duration(path: Path, seconds: float = 36_000.0) -> Path:
    """Rewrite a Matroska file's Duration element (which FFmpeg believes) to `seconds`."""
    data = bytearray(path.read_bytes())
    at = data.index(b"\x44\x89")  # the Duration element's id; a float in milliseconds follows
    size = data[at + 2] & 0x7F
    data[at + 3 : at + 3 + size] = struct.pack(">d" if size == 8 else ">f", seconds * 1000)
    path.write_bytes(bytes(data))
    return path


def wav_without_samples(path: Path) -> Path:
    """A WAV header whose data chunk is empty: an audio stream with no audio in it."""
    header = struct.pack(
        "<4sI4s4sIHHIIHH4sI", b"RIFF", 36, b"WAVE", b"fmt ", 16, 1, 1, 16_000, 32_000, 2, 16, b"data", 0
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header)
    return path


def m4a_without_streams(path: Path) -> Path:
    """A well-formed M4A whose movie has no track at all: an audio file with no audio stream."""

    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + kind + payload

    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = struct.pack(">IIIII", 0, 0, 0, 1000, 0) + struct.pack(">IH", 0x10000, 0x100) + bytes(10)
    mvhd += matrix + bytes(24) + struct.pack(">I", 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(box(b"ftyp", b"M4A " + bytes(4) + b"M4A isom") + box(b"moov", box(b"mvhd", mvhd)))
    return path
