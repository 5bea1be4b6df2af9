"""The catalog's rows as the rest of Framefind sees them (frozen dataclasses)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from indexer.wording import Message


@dataclass(frozen=True)
class FileRecord:
    id: int
    path: Path
    size: int
    mtime_ns: int
    fingerprint: str
    kind: str | None
    status: str
    error: str | None
    duration: float | None
    taken: float | None = None  # capture time from metadata (EXIF, container tags)
    content: str | None = None  # hash of the whole file (fingerprint.content_hash)
    sampled_s: float | None = None  # a video: the frame interval it was sampled at


@dataclass(frozen=True)
class SegmentRow:
    """A segment joined with its file: what a search hit needs to be shown."""

    id: int
    file_id: int
    path: Path
    kind: str
    modality: str
    start: float | None
    end: float | None
    t: float | None


class NewSegment(Protocol):
    """What the catalog keeps of a decoded segment (media.segment.MediaSegment is one)."""

    @property
    def modality(self) -> str: ...
    @property
    def segment_kind(self) -> str: ...
    @property
    def start(self) -> float | None: ...
    @property
    def end(self) -> float | None: ...
    @property
    def t(self) -> float | None: ...


@dataclass(frozen=True)
class SegmentFilter:
    """Which files a search may return (None and empty: no limit)."""

    kinds: frozenset[str] = frozenset()
    folder: Path | None = None
    after: float | None = None  # capture time (else modification time), epoch seconds
    before: float | None = None
    min_duration: float | None = None
    max_duration: float | None = None


@dataclass(frozen=True)
class SpaceRecord:
    id: int
    name: str
    identity: str
    model: str
    revision: str | None
    dim: int
    answers: tuple[str, ...]  # the query kinds its model embeds ("text", "image", "audio")
    state: str  # "building" until every indexed segment has its vector, then "active"
    checkpoint_seq: int = 0  # the last vector_log entry the checkpoint file holds
    needs_check: bool = False  # compare the store with the catalog id by id on next open
    model_digest: str | None = None  # what the model was when its vectors were made (None: not known)
    embeds: tuple[str, ...] = ()  # the segment kinds it holds vectors of (media.segment)


@dataclass(frozen=True)
class HeldRoot:
    """A folder whose files vanished all at once (unmounted, unplugged, emptied share):
    they are kept in the index until the user confirms or the folder comes back."""

    path: Path
    reason: Message  # "/media/disk is not there"
    files: int


@dataclass(frozen=True)
class FileState:
    """What a scan saw of a file on disk."""

    path: Path
    size: int
    mtime_ns: int
    fingerprint: str
    content: str | None = None  # the whole file's hash, once read


def path_key(path: Path) -> bytes:
    """How a path is stored: bytes (os.fsencode), so any name the OS allows round-trips."""
    return os.fsencode(path)


def under(folder: Path) -> tuple[bytes, bytes]:
    """Bounds of the byte range holding every path strictly below `folder`."""
    base = path_key(folder).rstrip(b"/")
    return base + b"/", base + b"0"  # "0" is the byte right after "/"
