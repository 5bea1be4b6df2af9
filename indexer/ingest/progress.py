"""Progress events and the final report of an indexing run (plain data, no UI)."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from indexer.media.kinds import AUDIO_EXTENSIONS, VIDEO_EXTENSIONS

# What a file costs to index, in photos: a video or a recording by its size. A photo is one
# embedding; a phone video's 4 MB is about two seconds, one sampled frame; a recording's
# 1 MB is a compromise between MP3 (a minute) and FLAC (six seconds), a window or more.
BYTES_PER_UNIT = {"video": 4_000_000, "audio": 1_000_000}


@dataclass(frozen=True)
class ProgressEvent:
    total: int  # files to process in this run
    done: int  # processed so far, failures included
    failed: int
    current: Path | None
    rate: float  # files per second, pauses not counted
    eta_s: float | None  # by the work left (a long video counts for many photos), not by files
    paused: bool = False
    stage: str = "indexing"  # or after pictures and sounds, "transcribing" speech, "reading" text
    audio_left_s: float | None = None  # transcribing: seconds of recordings and videos left

    @property
    def queued(self) -> int:
        return self.total - self.done

    @property
    def title(self) -> str:
        return _STAGES[self.stage][0]

    @property
    def unit(self) -> str:
        """What `done` and `total` count, in the plural."""
        return _STAGES[self.stage][1]


_STAGES = {
    "indexing": ("Indexing", "files"),
    "transcribing": ("Transcribing", "recordings"),
    "reading": ("Reading text in pictures", "files"),
}


def file_work(path: Path, size: int) -> float:
    """The work of indexing one file, in photos (see BYTES_PER_UNIT)."""
    suffix = path.suffix.lower()
    kind = "video" if suffix in VIDEO_EXTENSIONS else "audio" if suffix in AUDIO_EXTENSIONS else None
    return 1.0 + (size / BYTES_PER_UNIT[kind] if kind else 0.0)


class WorkClock:
    """Rate and time left for one run, measured by work done (not files) over the time spent
    working (not paused)."""

    def __init__(self, work: list[float]) -> None:
        self._left = sum(work)
        self._done = 0.0
        self._started = time.monotonic()
        self._paused_s = 0.0
        self._paused_at: float | None = None

    def pause(self) -> None:
        if self._paused_at is None:
            self._paused_at = time.monotonic()

    def resume(self) -> None:
        if self._paused_at is not None:
            self._paused_s += time.monotonic() - self._paused_at
            self._paused_at = None

    def finished(self, work: float) -> None:
        self._done += work
        self._left = max(0.0, self._left - work)

    def working_s(self) -> float:
        now = self._paused_at if self._paused_at is not None else time.monotonic()
        return max(now - self._started - self._paused_s, 1e-9)

    def eta_s(self) -> float | None:
        """Seconds left at the rate so far; None before anything is done."""
        return self._left / (self._done / self.working_s()) if self._done else None


@dataclass(frozen=True)
class ModelLoading:
    """A model about to load: `downloading` when it is not on this machine yet (first use)."""

    space: str
    model: str
    downloading: bool


@dataclass
class IndexReport:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    moved: int = 0  # renamed or moved: vectors kept
    copied: int = 0  # a copy of an indexed file: vectors copied
    backfilled: int = 0  # vectors added to a space that lacked them (new model, crash)
    deferred: int = 0  # changed while being read: left for the next pass
    failed: int = 0
    segments: int = 0
    seconds: float = 0.0
    indexed_by_kind: Counter[str] = field(default_factory=Counter)

    @property
    def embedded_anything(self) -> bool:
        return self.segments > 0 or self.backfilled > 0

    @property
    def changed_results(self) -> bool:
        """Whether a search may now answer differently: something embedded, or files gone,
        renamed, moved or copied."""
        return self.embedded_anything or bool(self.removed or self.moved or self.copied)

    def summary(self) -> str:
        """What the pass did, naming only what happened, in words a person uses ("Indexed 3
        new files (2 photos, 1 video; 45 searchable moments) in 1.2 s; 1 removed, 40
        unchanged.")."""
        counts = [
            (self.removed, "removed"),
            (self.moved, "moved"),
            (self.copied, "copied"),
            (self.backfilled, "read again for a new model"),
            (self.deferred, "changed while read (next pass)"),
            (self.failed, "failed"),
        ]
        if not (self.new or self.changed or any(n for n, _ in counts)):
            if not self.unchanged:
                return "Nothing to index yet: no photos, videos or recordings found."
            return f"Nothing to do: all {self.unchanged} file{'s' * (self.unchanged != 1)} up to date."
        done = [f"{n} {label}" for n, label in counts if n] + [f"{self.unchanged} unchanged"] * bool(
            self.unchanged
        )
        if not (self.new or self.changed):
            return f"{', '.join(done).capitalize()}."
        files = " and ".join(
            f"{n} {label}" for n, label in ((self.new, "new"), (self.changed, "changed")) if n
        )
        kinds = ", ".join(f"{n} {_plural(k, n)}" for k, n in sorted(self.indexed_by_kind.items()) if n)
        pieces = f"{self.segments} searchable moment{'s' * (self.segments != 1)}"  # frames, sound windows
        what = f" ({kinds}; {pieces})" if kinds else ""
        return f"Indexed {files} file{'s' * (self.new + self.changed != 1)}{what} in {self.seconds:.1f} s" + (
            f"; {', '.join(done)}." if done else "."
        )


def _plural(kind: str, n: int) -> str:
    """photo → photos, audio stays audio."""
    return kind if n == 1 or kind == "audio" else kind + "s"
