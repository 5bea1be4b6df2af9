"""Progress events and the final report of an indexing run (plain data, no UI)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ProgressEvent:
    total: int  # files to process in this run
    done: int  # processed so far, failures included
    failed: int
    current: Path | None
    rate: float  # files per second
    eta_s: float | None
    paused: bool = False

    @property
    def queued(self) -> int:
        return self.total - self.done


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

    def summary(self) -> str:
        extra = [
            (self.moved, "moved"),
            (self.copied, "copied"),
            (self.backfilled, "re-embedded into a new space"),
            (self.deferred, "changed while read (next pass)"),
        ]
        if not (self.new or self.changed or self.removed or self.failed or any(n for n, _ in extra)):
            return f"Nothing to do: {self.unchanged} files unchanged, nothing embedded."
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.indexed_by_kind.items())) or "none"
        more = "".join(f", {n} {label}" for n, label in extra if n)
        return (
            f"Indexed {self.new} new and {self.changed} changed files ({kinds}; "
            f"{self.segments} segments) in {self.seconds:.1f} s; {self.unchanged} unchanged, "
            f"{self.removed} removed, {self.failed} failed{more}."
        )
