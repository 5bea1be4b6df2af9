"""The write side of the engine: index, update, retry, remove and prune, and when the stores
checkpoint. One writer per data folder, on one thread (docs/concurrency.md): every change
reaches the catalog first, in one transaction per file with its vector changes in the log,
and only then the stores (`registry.loaded()` catch up after each commit).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from indexer.catalog import Catalog, FileRecord, FileState
from indexer.errors import FramefindError, is_storage_error
from indexer.ingest.companions import SPOKEN_KINDS, is_sidecar, owners, read_unread, refresh_lines
from indexer.ingest.control import Control
from indexer.ingest.line_vectors import LineVectors
from indexer.ingest.pipeline import FileJob, Pipeline
from indexer.ingest.plan import Plan, make_plan
from indexer.ingest.progress import IndexReport, ProgressEvent
from indexer.ingest.reading import ReadingStage
from indexer.ingest.roots import settle_vanished
from indexer.ingest.scan import Found, ScanOptions, Unlistable, Unsupported, scan
from indexer.ingest.speech import SpeechReport, SpeechStage
from indexer.ingest.words_stage import WordsStage
from indexer.media.extract import ExtractOptions
from indexer.media.kinds import extension_kind
from indexer.models.embed import default_batch_size
from indexer.models.loading import resolve_device
from indexer.models.reader import TextReader
from indexer.models.speech import Recogniser
from indexer.search.previews import Previews
from indexer.settings import Settings
from indexer.vectors.registry import SpaceRegistry

log = logging.getLogger(__name__)

CPU_EMBED_PIECE = 4  # photos or windows embedded at a time on a CPU, between searches

ProgressCallback = Callable[[ProgressEvent], None]


def absolute(path: Path) -> Path:
    return Path(os.path.abspath(Path(path).expanduser()))


class Writer:
    """What only the data folder's writer does. `settings` may be replaced between runs (the
    first run's folders are chosen while the models load)."""

    def __init__(
        self,
        settings: Settings,
        catalog: Catalog,
        registry: SpaceRegistry,
        previews: Previews,
        options: Callable[[], ExtractOptions],
        recogniser: Recogniser | None = None,
        reader: TextReader | None = None,
    ) -> None:
        self.settings = settings
        self.catalog = catalog
        self.registry = registry
        self._previews = previews
        self._options = options
        sampling = (settings.max_image_pixels, settings.video_interval_s)
        self._words = WordsStage(
            SpeechStage(catalog, recogniser) if recogniser else None,
            ReadingStage(catalog, reader, *sampling, registry.configured) if reader else None,
            LineVectors(catalog, registry.configured, self._caught_up),
        )

    @property
    def scan_options(self) -> ScanOptions:
        return ScanOptions(self.settings.exclude, self.settings.follow_symlinks)

    def index(
        self,
        paths: Iterable[Path] = (),
        on_progress: ProgressCallback | None = None,
        control: Control | None = None,
    ) -> IndexReport:
        """Engine.index: a whole pass, then the spaces settle and the picture cache is trimmed."""
        roots = self._existing_roots(list(paths) or list(self.settings.folders))
        started = time.monotonic()
        report = IndexReport()
        with self._writing(0, control):  # a whole pass: the next open replays nothing
            self.registry.settle()
            repairs = self._repair_jobs()
            self._sync(roots, report, repairs, on_progress, control)
            if not (control and control.stopped):
                self._run(self._repair_jobs(), report, on_progress, control)  # what the first pass could not
                self.registry.promote_checked()
                self._previews.trim(self.settings.picture_cache_bytes)
        report.seconds = time.monotonic() - started
        log.info(report.summary())
        return report

    def update(
        self,
        paths: Iterable[Path],
        on_progress: ProgressCallback | None = None,
        control: Control | None = None,
        roots: Sequence[Path] = (),
    ) -> IndexReport:
        """Engine.update: the watcher's entry point."""
        started = time.monotonic()
        report = IndexReport()
        watched = {*map(absolute, roots), *map(absolute, self.settings.folders)}
        # A root not there is synced so that it is held; a missing folder above one is not.
        keep = [p for p in map(absolute, paths) if p.exists() or p in watched or not self._holds_a_root(p)]
        with self._writing():
            self._sync(keep, report, [], on_progress, control, roots=watched)
            for record in {r.id: r for p in keep if is_sidecar(p) for r in owners(self.catalog, p)}.values():
                refresh_lines(self.catalog, record)
        report.seconds = time.monotonic() - started
        return report

    def retry(
        self, on_progress: ProgressCallback | None = None, control: Control | None = None
    ) -> IndexReport:
        """Try every failed file again, changed or not."""
        started = time.monotonic()
        report = IndexReport()
        with self._writing():
            failed = [r for r in self.catalog.files.all("failed") if r.kind != "folder"]
            gone = [r for r in failed if not r.path.exists()]
            self._delete(gone)
            report.removed = len(gone)
            jobs = [FileJob(self._state_now(r), r) for r in failed if r.path.exists()]
            self._run(jobs, report, on_progress, control)
        report.seconds = time.monotonic() - started
        return report

    def transcribe(
        self,
        on_progress: ProgressCallback | None = None,
        control: Control | None = None,
        pieces: int | None = None,
    ) -> SpeechReport:
        """Engine.transcribe: the words stage (words_stage.py), searches first."""
        if not self._words.waiting:
            return SpeechReport(drained=True)

        def go_on() -> bool:
            if control is None:
                return True
            control.yield_to_searches()
            return control.wait()

        with self._writing(control=control):
            return self._words.run(go_on, on_progress, pieces)

    def remove(self, paths: Iterable[Path]) -> int:
        """Forget these files (or every file below these folders); files on disk stay."""
        records = [r for p in paths for r in self.catalog.files.under(absolute(p))]
        with self._writing():
            self._delete(records)
            for path in paths:
                self.catalog.roots.forget(absolute(path))
        return len(records)

    def prune(self, roots: Iterable[Path] = ()) -> IndexReport:
        """Confirm that the files which vanished from these held roots (default: every held
        root) are gone for good: they leave the index."""
        chosen = [absolute(p) for p in roots] or [h.path for h in self.catalog.roots.held()]
        report = IndexReport()
        with self._writing():
            self._sync(chosen, report, [], None, None, confirmed=set(chosen))
        return report

    @contextmanager
    def _writing(
        self, checkpoint_every_s: float | None = None, control: Control | None = None
    ) -> Iterator[None]:
        """Write access, then a checkpoint if one is due (by default, as the settings say;
        a run that was stopped, the app closing, keeps the regular interval: the vector log
        holds all a checkpoint would, and a merge of a large store takes seconds); storage
        failures become a message that says what to do."""
        self._words.waiting = True  # a write may bring speech to recognise or lines to embed
        try:
            self._caught_up()  # an apply that failed last time is made good first
            yield
            self._checkpoint(None if control is not None and control.stopped else checkpoint_every_s)
        except (OSError, sqlite3.OperationalError) as exc:
            kept = "Nothing finished was lost: the last saved state is intact, the next run goes on from it."
            if is_storage_error(exc):
                raise FramefindError(
                    f"Cannot write the index in {self.settings.data_dir}: {exc}. Free disk space or make "
                    f"the folder writable (or choose another with --data-dir). {kept}"
                ) from exc
            raise FramefindError(
                f"Indexing stopped: {type(exc).__name__}: {exc}. {kept} If it happens again, the log "
                f"({self.settings.data_dir / 'logs'}) has the details to report."
            ) from exc

    def _existing_roots(self, paths: Sequence[Path]) -> list[Path]:
        """The given paths that exist. A missing one is skipped and its index entries kept:
        an unplugged drive must not empty the index."""
        if not paths:
            raise FramefindError(
                "No folder to index: give one (framefind index PATH) or add one "
                "with `framefind folders add PATH`."
            )
        given = [Path(p).expanduser() for p in paths]
        for path in given:
            if not path.exists():
                log.warning("skipping %s: no such file or folder (what was indexed there is kept)", path)
        roots = [absolute(p) for p in given if p.exists()]
        if not roots:
            raise FramefindError(f"No such file or folder: {', '.join(map(str, given))}")
        for path in roots:
            if path.is_file() and extension_kind(path) is None:
                raise FramefindError(
                    f"{path} is not a photo, video or audio file that Framefind indexes (by its "
                    "name); the README lists the formats. Give a media file or a folder."
                )
        return roots

    def _holds_a_root(self, path: Path) -> bool:
        return any(path == r or path in r.parents for r in map(absolute, self.settings.folders))

    def _sync(
        self,
        paths: list[Path],
        report: IndexReport,
        extra: list[FileJob],
        on_progress: ProgressCallback | None,
        control: Control | None,
        confirmed: Collection[Path] = (),
        roots: Collection[Path] = (),
    ) -> None:
        """`roots`: folders besides the configured ones whose vanished files may be held."""
        found: dict[Path, Found] = {}
        unlistable: list[Unlistable] = []
        known: dict[Path, FileRecord] = {}
        for path in paths:
            skipped: Counter[str] = Counter()
            for item in scan(path, self.scan_options) if path.exists() else ():
                if isinstance(item, Found):
                    found[item.path] = item
                elif isinstance(item, Unsupported):
                    skipped[item.path.suffix.lower()] += 1
                else:
                    unlistable.append(item)
            if path.is_dir() and (
                path in map(absolute, self.settings.folders) or not self._holds_a_root(path)
            ):
                self.catalog.roots.set_unsupported(path, dict(skipped))  # a whole root was walked
            known.update((r.path, r) for r in self.catalog.files.under(path))
        plan = make_plan(self.catalog, found, known, unlistable, self.settings.video_interval_s)
        candidates = {*map(absolute, self.settings.folders), *roots, *(p for p in paths if p.is_dir())}
        chosen = sorted(r for r in candidates if any(p == r or r in p.parents for p in paths))
        plan.vanished, held = settle_vanished(self.catalog, chosen, plan.vanished, confirmed)
        for hold in held:
            log.warning(
                "keeping %d files: %s (framefind prune confirms they are gone)", hold.files, hold.reason
            )
        self._apply(plan, report)
        embedding = {state.path for state, _ in plan.embed}
        jobs = [FileJob(state, previous) for state, previous in plan.embed]
        jobs += [j for j in extra if j.state.path not in embedding]
        self._run(jobs, report, on_progress, control)
        # After the pictures and sounds: an older catalog's videos get their words read once.
        read_unread(self.catalog, lambda: control is None or not (control.stopped or control.paused))

    def _apply(self, plan: Plan, report: IndexReport) -> None:
        """Everything a plan settles without decoding anything."""
        for record, found in plan.touched:
            self.catalog.files.touch(record.id, found.size, found.mtime_ns)
        for record, state in plan.moved:
            self.catalog.files.move(record.id, state)
        for source, state in plan.copied:
            self._copy(source, state)
        for source, state in (*plan.moved, *plan.copied):  # the subtitles beside it may differ there
            if source.kind in SPOKEN_KINDS and (arrived := self.catalog.files.get(state.path)):
                refresh_lines(self.catalog, arrived)
        for problem in plan.unlistable:
            self.catalog.files.save(
                FileState(problem.path, 0, 0, ""), kind="folder", status="failed", error=problem.reason
            )
        self._delete(plan.vanished)
        report.unchanged += plan.unchanged
        report.moved += len(plan.moved)
        report.copied += len(plan.copied)
        report.removed += len(plan.vanished)

    def _copy(self, source: FileRecord, state: FileState) -> None:
        """Copy a file's rows, and its vectors in every space that holds them."""
        snapshots = [(s, s.store.snapshot) for s in self.registry.built()]
        with self.catalog.transaction():
            old, new = (np.asarray(ids, dtype=np.int64) for ids in self.catalog.files.copy(source, state))
            if copied := self.catalog.files.get(state.path):
                self.catalog.speech.copy(source.id, copied.id)
                self.catalog.written.copy(source.id, copied.id)
            for space, snap in snapshots:
                held = snap.has(old)
                if held.any():
                    self.catalog.log.add(space.record.id, new[held].tolist(), snap.vectors(old[held]))
        self._caught_up()

    def _delete(self, records: Sequence[FileRecord]) -> None:
        if records:
            self.catalog.files.delete(r.id for r in records)  # the log records their segments
            self._caught_up()
            self._previews.forget({r.fingerprint for r in records})

    def _caught_up(self) -> None:
        """(After a commit) every store applies what the catalog now holds."""
        for space in self.registry.loaded():
            space.catch_up()

    def _checkpoint(self, every_s: float | None = None) -> None:
        every = self.settings.checkpoint_every_s if every_s is None else every_s
        in_use = [space for space in self.registry.loaded() if space.registered]
        if any([space.checkpoint(self.settings.compress_above, every) for space in in_use]):
            self.catalog.log.truncate([space.record.id for space in in_use])

    @staticmethod
    def _state_now(record: FileRecord) -> FileState:
        st = record.path.stat()
        return FileState(record.path, st.st_size, st.st_mtime_ns, record.fingerprint)

    def _repair_jobs(self) -> list[FileJob]:
        """Backfill jobs for files some space lacks vectors for (new model, lost checkpoint)."""
        wanted: dict[int, set[str]] = {}
        for space in self.registry.from_media():  # a words space fills itself from the lines
            for file_id in space.repair():
                wanted.setdefault(file_id, set()).add(space.name)
        jobs = []
        for record in self.catalog.files.by_ids(wanted):
            try:
                st = record.path.stat()
            except OSError:
                continue  # vanished: the scan removes it
            state = FileState(record.path, st.st_size, st.st_mtime_ns, record.fingerprint)
            unchanged = (st.st_size, st.st_mtime_ns) == (record.size, record.mtime_ns)
            jobs.append(FileJob(state, record, frozenset(wanted[record.id]) if unchanged else None))
        return jobs

    def _run(
        self,
        jobs: list[FileJob],
        report: IndexReport,
        on_progress: ProgressCallback | None,
        control: Control | None,
    ) -> None:
        if not jobs:
            return  # models load only when there is something to embed
        spaces = self.registry.from_media()
        for space in spaces:
            space.register()
        device = resolve_device(self.settings.device)
        common: dict[str, Any] = {
            "workers": self.settings.workers,
            "after_commit": self._caught_up,
            "checkpoint": self._checkpoint,
            "on_progress": on_progress,
            "control": control,
            "thumbs_in": self.settings.data_dir,
        }
        if self.settings.cluster != "none":  # the workers pick their batch size for their device
            from indexer.ingest.ray_pipeline import RayPipeline

            specs = [s.spec for s in spaces]
            RayPipeline(
                self.catalog,
                spaces,
                self._options(),
                batch_size=self.settings.batch_size,
                cluster=self.settings.cluster,
                specs=specs,
                device=self.settings.device,
                **common,
            ).run_all(jobs, report)
            return
        Pipeline(
            self.catalog,
            spaces,
            self._options(),
            batch_size=self.settings.batch_size or default_batch_size(device),
            # On a CPU a search waits for the embedding in flight: keep those pieces small.
            yield_every=CPU_EMBED_PIECE if device == "cpu" else 0,
            **common,
        ).run_all(jobs, report)
