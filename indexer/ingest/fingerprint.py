"""Two content hashes: a sampled one that costs the same for a 40 GB video as for a 40 KB
photo (to find candidates), and a whole-file one (to confirm them).

The sampled hash misses an edit that keeps the size and falls between its samples (a few
seconds of a WAV replaced, a retouched BMP or TIFF), so it only ever *suggests* that a file
is unchanged, moved or copied; the whole-file hash decides. Reading a file is far cheaper
than decoding and embedding it, and the whole hash is taken while the file is decoded anyway.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK = 64 * 1024
READ = 1 << 20


def fingerprint(path: Path) -> str:
    """blake2b of the size and three 64 KiB samples (start, middle, end); files up to
    192 KiB are hashed whole."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        size = fh.seek(0, 2)
        digest.update(size.to_bytes(8, "little"))
        for offset in sorted({0, max(0, size // 2 - CHUNK // 2), max(0, size - CHUNK)}):
            fh.seek(offset)
            digest.update(fh.read(CHUNK))
    return digest.hexdigest()


def content_hash(path: Path) -> str:
    """blake2b of the whole file."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        while block := fh.read(READ):
            digest.update(block)
    return digest.hexdigest()


def content_hash_or_none(path: Path) -> str | None:
    """The whole-file hash, or None when the file cannot be read (decoding says why)."""
    try:
        return content_hash(path)
    except OSError:
        return None
