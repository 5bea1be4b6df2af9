"""Reading a file's first bytes, with reasons a person can act on when that fails."""

from __future__ import annotations

from pathlib import Path

from indexer.errors import MediaError
from indexer.wording import Message


def access_reason(exc: OSError) -> Message:
    if isinstance(exc, FileNotFoundError):
        return Message("file vanished before it could be read")
    if isinstance(exc, PermissionError):
        return Message("permission denied (make it readable, or exclude it)")
    if isinstance(exc, IsADirectoryError):
        return Message("is a directory")
    return Message("cannot read file: {error}", error=exc.strerror or exc)


def read_head(path: Path, size: int = 32) -> bytes:
    """The first bytes of a file; MediaError if it cannot be read or is empty."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(size)
    except OSError as exc:
        raise MediaError(path, access_reason(exc)) from exc
    if not head:
        raise MediaError(path, Message("empty file (0 bytes)"))
    return head


def decoder_reason(exc: Exception) -> str:
    """FFmpeg's own words for what is wrong, without error numbers; its "patches welcome"
    (a codec or variant it does not implement, such as ADPCM in a big-endian WAV) said as
    what it means for the file."""
    import av

    if isinstance(exc, av.error.PatchWelcomeError):
        return Message("its encoding is one FFmpeg cannot decode (convert the file, to FLAC or PCM WAV say)")
    return str(getattr(exc, "strerror", None) or exc)  # FFmpeg's words, as FFmpeg says them
