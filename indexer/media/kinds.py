"""Which files are media, and what their first bytes say they really are."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from indexer.wording import Message

Kind = Literal["photo", "video", "audio"]
KINDS: tuple[Kind, ...] = ("photo", "video", "audio")

PHOTO_EXTENSIONS = frozenset(
    {
        *(".jpg", ".jpeg", ".jpe", ".png", ".webp", ".bmp", ".tif", ".tiff", ".gif"),
        *(".heic", ".heif", ".hif", ".avif"),  # iPhones' default, and its AV1 cousin
        *(".jp2", ".j2k", ".jpf", ".jpx"),  # JPEG 2000 (archives, cinema, medical)
        *(".mpo", ".apng", ".tga", ".psd"),  # camera 3D/multi-picture, animated PNG, Targa, Photoshop
        *(".ico", ".cur", ".icns", ".ppm", ".pgm", ".pbm", ".pnm", ".qoi"),  # icons, Netpbm, QOI
        *(".pcx", ".sgi", ".rgb", ".ras", ".dib", ".xbm"),  # older formats Pillow still reads
    }
)
# Media people keep that Framefind does not read (yet): counted and named in `status`, so a
# photographer with a folder of RAW files knows why they are not found.
UNSUPPORTED_EXTENSIONS = frozenset(
    {
        *(".cr2", ".cr3", ".crw", ".nef", ".nrw", ".arw", ".srf", ".sr2", ".dng", ".orf", ".rw2"),
        *(".raf", ".srw", ".pef", ".x3f", ".3fr", ".iiq", ".erf", ".kdc", ".mrw"),  # camera RAW
        *(".jxl", ".svg", ".svgz", ".eps", ".ai", ".xcf", ".kra", ".exr", ".hdr", ".dds"),
        *(".mid", ".midi", ".dsf", ".dff", ".mod", ".xm", ".it", ".s3m"),  # scores, DSD, trackers
        *(".swf", ".rm", ".rmvb", ".vob", ".ifo", ".bik", ".mxf", ".r3d", ".braw"),
    }
)

# Formats with no signature in their first bytes: their name is all there is to go by.
UNSIGNED_PHOTO_EXTENSIONS = frozenset({".tga", ".pcx", ".dib", ".xbm"})
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
        ".3g2",
        ".ogv",
        ".asf",
        ".f4v",
        ".dv",
    }
)
AUDIO_EXTENSIONS = frozenset(
    {
        *(".wav", ".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".wma", ".aiff", ".aif"),
        *(".m4b", ".mka", ".weba", ".wv", ".ape", ".caf"),  # audiobooks, Matroska, WavPack, Monkey's
        *(".ac3", ".eac3", ".dts", ".mp2", ".mpc", ".tta", ".tak", ".spx", ".amr", ".au", ".w64"),
    }
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
    b"\x00\x00\x00\x0cjP  \r\n\x87\n",  # JPEG 2000 (JP2)
    b"\xffO\xffQ",  # JPEG 2000 codestream (J2K)
    b"8BPS",  # Photoshop
    b"\x00\x00\x01\x00",  # Windows icon
    b"\x00\x00\x02\x00",  # Windows cursor
    b"icns",  # macOS icon
    b"qoif",  # QOI
    b"\x01\xda",  # SGI
    b"\x59\xa6\x6a\x95",  # Sun raster
    *(b"P" + bytes([digit]) for digit in b"123456"),  # Netpbm: PBM, PGM, PPM, ASCII or binary
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


# ISO media files whose brand says "still image" (HEIF/HEIC, AVIF), not "movie" (mp4, mov).
IMAGE_BRANDS = frozenset(
    {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}
)


def looks_like_image(head: bytes) -> bool:
    """True when the first bytes are those of an image format Pillow decodes."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return True
    if head[4:8] == b"ftyp":
        return head[8:12] in IMAGE_BRANDS
    return head.startswith(_IMAGE_MAGIC)


def example_refusal(path: Path) -> Message | None:
    """Why `path` cannot be a search example, said for the user; None when it may be (a
    folder, or a file whose name or first bytes say photo, video or audio; decoding it
    decides the rest). Checked before a dropped file replaces the example in hand."""
    if path.is_dir():
        return None
    try:
        with open(path, "rb") as fh:
            head = fh.read(32)
    except OSError as exc:
        return Message("{name} cannot be read ({error})", name=path.name, error=exc.strerror or exc)
    if extension_kind(path) is None and not looks_like_image(head):
        return Message("{name} is not a photo, video or recording: it cannot be searched by", name=path.name)
    return None
