"""The engine: one object, built in one place, that indexes, removes, searches and reports."""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from indexer.catalog import Catalog, FileRecord, FileState
from indexer.embed import Embedder
from indexer.errors import FramefindError
from indexer.fingerprint import fingerprint
from indexer.media import ExtractOptions
from indexer.pipeline import FileJob, Pipeline
from indexer.progress import IndexReport, ProgressEvent
from indexer.scan import Found, scan
from indexer.search import Query, Searcher, SearchResult
from indexer.settings import Settings
from indexer.space import Space

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SpaceStatus:
    name: str
    model: str
    built: bool
    dim: int | None
    vectors: int
    bytes: int


@dataclass(frozen=True)
class Status:
    data_dir: Path
    indexed: dict[str, int]  # kind → files
    pending: int
    failures: list[FileRecord]
    spaces: list[SpaceStatus]
    catalog_bytes: int

    @property
    def index_bytes(self) -> int:
        return self.catalog_bytes + sum(s.bytes for s in self.spaces)


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


class Engine:
    """Framefind's public engine API; the CLI and the desktop app use only this."""

    def __init__(self, settings: Settings, catalog: Catalog, spaces: Sequence[Space]) -> None:
        self.settings = settings
        self.catalog = catalog
        self.spaces = list(spaces)

    def close(self) -> None:
        self.catalog.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @cached_property
    def extract_options(self) -> ExtractOptions:
        """Decoding options; the audio rate is the audio model's, so this loads models."""
        s = self.settings
        rates = [sp.embedder.sampling_rate for sp in self.spaces if sp.takes("audio")]
        return ExtractOptions(
            video_interval_s=s.video_interval_s,
            audio_window_s=s.audio_window_s,
            audio_hop_s=s.audio_hop_s,
            max_image_pixels=s.max_image_pixels,
            decode_side=s.decode_side,
            images=any(sp.takes("image") for sp in self.spaces),
            audio_rate=next((r for r in rates if r), None),
        )

    # indexing ------------------------------------------------------------------------------

    def index(
        self, paths: Iterable[Path], on_progress: Callable[[ProgressEvent], None] | None = None
    ) -> IndexReport:
        """Bring the index up to date for these files and folders: new and changed files are
        embedded, vanished ones removed, unchanged ones (same size and mtime) skipped."""
        roots = self._existing_roots(paths)
        started = time.monotonic()
        report = IndexReport()
        for space in self.spaces:
            space.reconcile()
        jobs = self._plan(roots, report)
        if jobs:  # models load only when there is something to embed
            Pipeline(
                self.catalog,
                self.spaces,
                self.extract_options,
                workers=self.settings.workers,
                batch_size=self.settings.batch_size,
                checkpoint_every_s=self.settings.checkpoint_every_s,
                on_progress=on_progress,
            ).run(jobs, report)
        report.seconds = time.monotonic() - started
        log.info(report.summary())
        return report

    @staticmethod
    def _existing_roots(paths: Iterable[Path]) -> list[Path]:
        """The given paths that exist. A missing one is skipped and its index entries kept:
        an unplugged drive must not empty the index."""
        given = [Path(p).expanduser() for p in paths]
        roots = [p.resolve() for p in given if p.exists()]
        for path in given:
            if not path.exists():
                log.warning("skipping %s: no such file or folder (what was indexed there is kept)", path)
        if not roots:
            raise FramefindError(f"No such file or folder: {', '.join(map(str, given))}")
        return roots

    def _plan(self, roots: list[Path], report: IndexReport) -> list[FileJob]:
        found: dict[Path, Found] = {
            f.path: f for root in roots for f in scan(root, self.settings.skip_hidden)
        }
        known: dict[Path, FileRecord] = {r.path: r for root in roots for r in self.catalog.files_under(root)}
        vanished = [r for path, r in known.items() if path not in found]
        self._delete(vanished)
        report.removed = len(vanished)
        jobs = []
        for f in found.values():
            previous = known.get(f.path)
            if (
                previous
                and previous.status != "pending"
                and (previous.size, previous.mtime_ns) == (f.size, f.mtime_ns)
            ):
                report.unchanged += 1
                continue
            try:
                digest = fingerprint(f.path)
            except OSError:
                digest = ""  # extraction will record why the file cannot be read
            if previous and previous.status == "indexed" and previous.fingerprint == digest:
                self.catalog.touch_file(previous.id, f.size, f.mtime_ns)
                report.unchanged += 1
                continue
            jobs.append(FileJob(FileState(f.path, f.size, f.mtime_ns, digest), previous))
        return jobs

    def _delete(self, records: Sequence[FileRecord]) -> None:
        if not records:
            return
        gone = np.asarray(self.catalog.delete_files(r.id for r in records), dtype=np.int64)
        for space in self.spaces:
            if space.registered and len(gone):
                space.store.remove(gone)
                space.dirty = True
                space.save()

    def remove(self, paths: Iterable[Path]) -> int:
        """Forget these files (or every file below these folders); files on disk stay."""
        records = [
            r for p in paths for r in self.catalog.files_under(Path(os.path.abspath(Path(p).expanduser())))
        ]
        self._delete(records)
        return len(records)

    # searching and reporting ---------------------------------------------------------------

    def search(self, query: Query) -> list[SearchResult]:
        spaces = [s for s in self.spaces if s.registered]
        if not spaces:
            return []
        return Searcher(self.catalog, spaces, self.extract_options).search(query)

    def status(self) -> Status:
        counts = self.catalog.counts()
        spaces = []
        for space in self.spaces:
            record = self.catalog.space(space.spec.identity)
            vectors = len(self.catalog.expected_ids(record.modalities)) if record else 0
            spaces.append(
                SpaceStatus(
                    space.name,
                    space.spec.model,
                    record is not None,
                    record.dim if record else None,
                    vectors,
                    _size(space.index_path),
                )
            )
        catalog_bytes = sum(_size(Path(f"{self.catalog.path}{suffix}")) for suffix in ("", "-wal"))
        return Status(
            data_dir=self.settings.data_dir,
            indexed={kind: n for (kind, status), n in counts.items() if status == "indexed"},
            pending=sum(n for (_, status), n in counts.items() if status == "pending"),
            failures=self.catalog.files("failed"),
            spaces=spaces,
            catalog_bytes=catalog_bytes,
        )

    def discrepancies(self) -> dict[str, tuple[set[int], set[int]]]:
        """Per built space: (segment ids without a vector, vectors without a segment)."""
        return {s.name: s.discrepancies() for s in self.spaces if s.registered}


def build_engine(settings: Settings) -> Engine:
    """Construct the catalog, embedders and spaces, and wire them together (no model loads)."""
    try:
        catalog = Catalog(settings.catalog_path)
    except (OSError, sqlite3.Error) as exc:
        raise FramefindError(
            f"Cannot open the data folder {settings.data_dir}: {exc}. "
            "Fix its permissions, or choose another with --data-dir or FRAMEFIND_DATA_DIR."
        ) from exc
    spaces = [
        Space(spec, Embedder(spec, settings.device, settings.batch_size), catalog, settings.data_dir)
        for spec in settings.spaces
    ]
    return Engine(settings, catalog, spaces)
