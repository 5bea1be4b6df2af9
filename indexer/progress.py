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


@dataclass
class IndexReport:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: int = 0
    segments: int = 0
    seconds: float = 0.0
    indexed_by_kind: Counter[str] = field(default_factory=Counter)

    @property
    def embedded_anything(self) -> bool:
        return self.segments > 0

    def summary(self) -> str:
        if not (self.new or self.changed or self.removed or self.failed):
            return f"Nothing to do: {self.unchanged} files unchanged, nothing embedded."
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.indexed_by_kind.items())) or "none"
        return (
            f"Indexed {self.new} new and {self.changed} changed files ({kinds}; "
            f"{self.segments} segments) in {self.seconds:.1f} s; {self.unchanged} unchanged, "
            f"{self.removed} removed, {self.failed} failed."
        )
