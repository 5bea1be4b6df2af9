"""Subtitle files beside a video or recording (film.srt, film.en.vtt) belong to it: when one
appears, changes or goes, and when the media file is copied or moved, the file's lines are
read again. Only the words change; nothing is decoded or embedded again."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from indexer.catalog import Catalog, FileRecord
from indexer.media.subtitles import SIDECAR_EXTENSIONS, read_lines, sidecars

log = logging.getLogger(__name__)

SPOKEN_KINDS = frozenset({"video", "audio"})


def is_sidecar(path: Path) -> bool:
    return path.suffix.lower() in SIDECAR_EXTENSIONS


def owners(catalog: Catalog, sidecar: Path) -> list[FileRecord]:
    """The indexed media files in the sidecar's folder whose subtitles it is (film.en.srt:
    film.* or film.en.*), found from the folder's listing, not the whole library's rows."""
    try:
        names = os.listdir(sidecar.parent)
    except OSError:
        return []
    parts = sidecar.name.split(".")
    stems = {".".join(parts[:n]) for n in range(1, len(parts))}
    found = [catalog.files.get(sidecar.parent / n) for n in names if Path(n).stem in stems]
    return [
        record
        for record in found
        if record is not None
        and record.kind in SPOKEN_KINDS
        and record.status == "indexed"
        and (sidecar in {p for p, _ in sidecars(record.path)} or _named_for(sidecar, record.path))
    ]


def _named_for(sidecar: Path, media: Path) -> bool:
    """A sidecar that is gone can no longer be listed: its name decides."""
    return not sidecar.exists() and sidecar.name.startswith(media.stem + ".")


def refresh_lines(catalog: Catalog, record: FileRecord) -> None:
    """Read a media file's subtitles again and replace its lines."""
    if record.kind in SPOKEN_KINDS:
        _read(catalog, record.id, record.path)


def read_unread(catalog: Catalog, go_on: Callable[[], bool]) -> int:
    """Read the words of files indexed before words were kept (an older catalog), a batch at
    a time, while `go_on()`; how many were read."""
    done = 0
    while go_on() and (batch := catalog.lines.unread(sorted(SPOKEN_KINDS))):
        for file_id, path in batch:
            if not go_on():
                break
            _read(catalog, file_id, path)
            done += 1
    return done


def _read(catalog: Catalog, file_id: int, path: Path) -> None:
    lines = read_lines(path, embedded=True) if path.exists() else []
    with catalog.transaction():
        catalog.lines.replace(file_id, lines, same_content=True)
    if lines:
        log.info("%s: %d lines of subtitles", path, len(lines))
