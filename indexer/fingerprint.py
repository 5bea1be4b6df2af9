"""A content fingerprint that costs the same for a 40 GB video as for a 40 KB photo."""

from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK = 64 * 1024


def fingerprint(path: Path) -> str:
    """blake2b of the size and three 64 KiB samples (start, middle, end).

    Enough to tell edits and copies apart in practice; files up to 192 KiB are hashed whole.
    """
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        size = fh.seek(0, 2)
        digest.update(size.to_bytes(8, "little"))
        for offset in sorted({0, max(0, size // 2 - CHUNK // 2), max(0, size - CHUNK)}):
            fh.seek(offset)
            digest.update(fh.read(CHUNK))
    return digest.hexdigest()
