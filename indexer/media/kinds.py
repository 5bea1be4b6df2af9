"""Which files are media, and what their first bytes say they really are."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

Kind = Literal["photo", "video", "audio"]
KINDS: tuple[Kind, ...] = ("photo", "video", "audio")

PHOTO_EXTENSIONS = frozenset({".jpg", ".jpeg", ".jpe", ".png", ".webp", ".bmp", ".tif", ".tiff", ".gif"})
VIDEO_EXTENSIONS = frozenset(
    {
        ".mp4",
        ".m4v",
        ".mov",
        ".mkv",
        ".webm",
        ".avi",
        ".mpg",
        ".mpeg",
        ".ts",
        ".mts",
        ".m2ts",
        ".wmv",
        ".flv",
        ".3gp",
        ".ogv",
    }
)
AUDIO_EXTENSIONS = frozenset(
    {".wav", ".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".wma", ".aiff", ".aif"}
)

_IMAGE_MAGIC = (
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"BM",
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
    b"II+\x00",  # BigTIFF (scans and microscopy over 4 GB), little-endian
    b"MM\x00+",  # BigTIFF, big-endian
)

# Extensions other programs use for something else: `.ts` is TypeScript as often as MPEG
# transport stream. Such a file is media only when its first bytes say so.
TS_SNIFF_BYTES = 2 * 192 + 5


def looks_like_mpeg_ts(head: bytes) -> bool:
    """Sync bytes (0x47) every 188 bytes (MPEG-TS), or every 192 after a 4-byte time (M2TS)."""
    return any(
        len(head) > offset + 2 * size and all(head[offset + k * size] == 0x47 for k in range(3))
        for size, offset in ((188, 0), (192, 4))
    )


def _read(path: Path, size: int) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError:
        return b""


def extension_kind(path: Path) -> Kind | None:
    """The kind the file name claims, or None for a file that is not media."""
    ext = path.suffix.lower()
    if ext in PHOTO_EXTENSIONS:
        return "photo"
    if ext in VIDEO_EXTENSIONS:
        return "video"
    if ext in AUDIO_EXTENSIONS:
        return "audio"
    return None


def is_candidate(path: Path) -> bool:
    """Whether a file may be media: by its name, and for `.ts` by its first bytes too (an
    unreadable one stays a candidate, so that extraction says why it cannot be read)."""
    if path.suffix.lower() == ".ts":
        head = _read(path, TS_SNIFF_BYTES)
        return not head or looks_like_mpeg_ts(head)
    return extension_kind(path) is not None


def looks_like_image(head: bytes) -> bool:
    """True when the first bytes are those of an image format Pillow decodes."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return True
    return head.startswith(_IMAGE_MAGIC)
