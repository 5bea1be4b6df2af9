"""The engine: one object, built in one place, that indexes, removes, searches and reports."""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from indexer import jsonfile
from indexer.calibrate import Calibrator
from indexer.catalog import Catalog, FileRecord, FileState
from indexer.control import Control
from indexer.embed import Embedder, default_batch_size
from indexer.errors import FramefindError
from indexer.lock import WriterLock
from indexer.media import ExtractOptions
from indexer.models import is_on_disk, resolve_device
from indexer.pipeline import FileJob, Pipeline
from indexer.plan import Plan, make_plan
from indexer.previews import CardPictures, Previews
from indexer.progress import IndexReport, ModelLoading, ProgressEvent
from indexer.query import Query
from indexer.rerank import Reranker
from indexer.scan import Found, ScanOptions, Unlistable, scan
from indexer.search import Searcher, SearchResponse, SearchResult
from indexer.settings import Settings, SpaceSpec
from indexer.space import Space

log = logging.getLogger(__name__)

ProgressCallback = Callable[[ProgressEvent], None]


@dataclass(frozen=True)
class SpaceStatus:
    name: str
    model: str
    state: str  # "active", "building", or "not built"
    dim: int | None
    vectors: int
    bytes: int


@dataclass(frozen=True)
class Status:
    data_dir: Path
    folders: tuple[Path, ...]
    indexed: dict[str, int]  # kind → files
    failures: list[FileRecord]
    spaces: list[SpaceStatus]
    catalog_bytes: int
    watcher: dict | None  # what a running watcher reports about itself

    @property
    def index_bytes(self) -> int:
        return self.catalog_bytes + sum(s.bytes for s in self.spaces)


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(Path(path).expanduser()))


class Engine:
    """Framefind's public engine API; the CLI and the desktop app use only this.

    A writer engine holds the data folder's lock and may index; a reader only searches and
    reports, and sees the writer's work as it is checkpointed.
    """

    def __init__(
        self, settings: Settings, catalog: Catalog, spaces: Sequence[Space], lock: WriterLock | None = None
    ) -> None:
        self.settings = settings
        self.catalog = catalog
        self.spaces = list(spaces)
        self._lock = lock
        self._fallbacks: dict[str, Space] = {}

    @property
    def writer(self) -> bool:
        return self._lock is not None

    def close(self) -> None:
        self.catalog.close()
        if self._lock is not None:
            self._lock.release()

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

    @property
    def scan_options(self) -> ScanOptions:
        return ScanOptions(self.settings.exclude, self.settings.follow_symlinks)

    # indexing ------------------------------------------------------------------------------

    def index(
        self,
        paths: Iterable[Path] = (),
        on_progress: ProgressCallback | None = None,
        control: Control | None = None,
    ) -> IndexReport:
        """Bring the index up to date for these files and folders (default: the configured
        folders). New and changed files are embedded, moved ones keep their vectors,
        vanished ones leave; a space that lacks vectors (a new model, a crash) is filled."""
        roots = self._existing_roots(list(paths) or list(self.settings.folders))
        started = time.monotonic()
        report = IndexReport()
        with self._writing():
            repairs = self._repair_jobs()
            self._sync(roots, report, repairs, on_progress, control)
            if not (control and control.stopped):
                self._run(self._repair_jobs(), report, on_progress, control)  # what the first pass could not
                self._promote_built_spaces()
                self._compress_large_spaces()
        report.seconds = time.monotonic() - started
        log.info(report.summary())
        return report

    def update(
        self,
        paths: Iterable[Path],
        on_progress: ProgressCallback | None = None,
        control: Control | None = None,
    ) -> IndexReport:
        """Bring these paths up to date, where a path that no longer exists was deleted
        (the watcher's entry point). A configured folder that vanished is kept: it may be
        a drive that is not plugged in."""
        started = time.monotonic()
        report = IndexReport()
        keep = [p for p in map(_absolute, paths) if p.exists() or not self._holds_a_root(p)]
        with self._writing():
            self._sync(keep, report, [], on_progress, control)
            self._compress_large_spaces()
        report.seconds = time.monotonic() - started
        return report

    def retry(
        self, on_progress: ProgressCallback | None = None, control: Control | None = None
    ) -> IndexReport:
        """Try every failed file again, changed or not."""
        started = time.monotonic()
        report = IndexReport()
        with self._writing():
            failed = [r for r in self.catalog.files("failed") if r.kind != "folder"]
            gone = [r for r in failed if not r.path.exists()]
            self._delete(gone)
            report.removed = len(gone)
            jobs = [FileJob(self._state_now(r), r) for r in failed if r.path.exists()]
            self._run(jobs, report, on_progress, control)
        report.seconds = time.monotonic() - started
        return report

    def remove(self, paths: Iterable[Path]) -> int:
        """Forget these files (or every file below these folders); files on disk stay."""
        records = [r for p in paths for r in self.catalog.files_under(_absolute(p))]
        with self._writing():
            self._delete(records)
        return len(records)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Write access: what changed is saved at the end, and storage failures become a
        message that says what to do."""
        if not self.writer:
            raise FramefindError("This engine was opened read-only; indexing needs the writer.")
        try:
            yield
            self._save()
        except (OSError, sqlite3.OperationalError) as exc:
            raise FramefindError(
                f"Cannot write the index in {self.settings.data_dir}: {exc}. Free disk space or make "
                "the folder writable (or choose another with --data-dir). Nothing finished was lost: "
                "the last saved state is intact and the next run carries on from it."
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
        roots = [_absolute(p) for p in given if p.exists()]
        if not roots:
            raise FramefindError(f"No such file or folder: {', '.join(map(str, given))}")
        return roots

    def _holds_a_root(self, path: Path) -> bool:
        return any(path == r or path in r.parents for r in map(_absolute, self.settings.folders))

    def _sync(
        self,
        paths: list[Path],
        report: IndexReport,
        extra: list[FileJob],
        on_progress: ProgressCallback | None,
        control: Control | None,
    ) -> None:
        found: dict[Path, Found] = {}
        unlistable: list[Unlistable] = []
        known: dict[Path, FileRecord] = {}
        for path in paths:
            for item in scan(path, self.scan_options) if path.exists() else ():
                if isinstance(item, Found):
                    found[item.path] = item
                else:
                    unlistable.append(item)
            known.update((r.path, r) for r in self.catalog.files_under(path))
        plan = make_plan(self.catalog, found, known, unlistable)
        self._apply(plan, report)
        embedding = {state.path for state, _ in plan.embed}
        jobs = [FileJob(state, previous) for state, previous in plan.embed]
        jobs += [j for j in extra if j.state.path not in embedding]
        self._run(jobs, report, on_progress, control)

    def _apply(self, plan: Plan, report: IndexReport) -> None:
        """Everything a plan settles without decoding anything."""
        for record, found in plan.touched:
            self.catalog.touch_file(record.id, found.size, found.mtime_ns)
        for record, state in plan.moved:
            self.catalog.move_file(record.id, state)
        if plan.copied:
            held = {space.name: set(space.store.ids().tolist()) for space in self._built()}  # listed once
            for source, state in plan.copied:
                self._copy(source, state, held)
        for problem in plan.unlistable:
            self.catalog.save_file(
                FileState(problem.path, 0, 0, ""), kind="folder", status="failed", error=problem.reason
            )
        self._delete(plan.vanished)
        self._save()  # once, for every copy and removal above
        report.unchanged += plan.unchanged
        report.moved += len(plan.moved)
        report.copied += len(plan.copied)
        report.removed += len(plan.vanished)

    def _copy(self, source: FileRecord, state: FileState, held: dict[str, set[int]]) -> None:
        """Copy a file's rows and vectors; `held` is each space's ids (the copy's are added)."""
        with self.catalog.transaction():
            old, new = self.catalog.copy_file(source, state)
            for space in self._built():
                pairs = [(o, n) for o, n in zip(old, new, strict=True) if o in held[space.name]]
                if pairs:
                    vectors = space.store.vectors(np.asarray([o for o, _ in pairs], dtype=np.int64))
                    space.store.add(np.asarray([n for _, n in pairs], dtype=np.int64), vectors)
                    held[space.name].update(n for _, n in pairs)
                    space.dirty = True

    def _delete(self, records: Sequence[FileRecord]) -> None:
        if not records:
            return
        gone = np.asarray(self.catalog.delete_files(r.id for r in records), dtype=np.int64)
        for space in self._built():
            if len(gone):
                space.store.remove(gone)
                space.dirty = True

    def _built(self) -> list[Space]:
        return [s for s in self.spaces if s.registered]

    def _save(self) -> None:
        for space in self.spaces:
            space.save()

    @staticmethod
    def _state_now(record: FileRecord) -> FileState:
        st = record.path.stat()
        return FileState(record.path, st.st_size, st.st_mtime_ns, record.fingerprint)

    def _repair_jobs(self) -> list[FileJob]:
        """Backfill jobs for files some space lacks vectors for (new model, crash)."""
        wanted: dict[int, set[str]] = {}
        for space in self.spaces:
            for file_id in space.repair():
                wanted.setdefault(file_id, set()).add(space.name)
        jobs = []
        for record in self.catalog.files_by_ids(wanted):
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
        Pipeline(
            self.catalog,
            self.spaces,
            self.extract_options,
            workers=self.settings.workers,
            batch_size=self.settings.batch_size or default_batch_size(resolve_device(self.settings.device)),
            checkpoint_every_s=self.settings.checkpoint_every_s,
            on_progress=on_progress,
            control=control,
            thumbs_in=self.settings.data_dir,
        ).run(jobs, report)

    def _promote_built_spaces(self) -> None:
        """A building space with every vector becomes the active one; the space it replaces
        (the same name, another model) is deleted only then."""
        for space in self._built():
            if space.active or space.discrepancies()[0]:
                continue
            space.activate()
            for record in self.catalog.spaces():
                if record.name == space.name and record.identity != space.identity:
                    self._space_for(record).destroy()
                    log.info("space %s now uses %s; %s removed", space.name, space.spec.model, record.model)

    def _compress_large_spaces(self) -> None:
        for space in self._built():
            space.compress_if_large(self.settings.compress_above)

    def _space_for(self, record) -> Space:
        if record.identity not in self._fallbacks:
            spec = SpaceSpec(record.name, record.model, record.revision)
            embedder = Embedder(spec, self.settings.device, self.settings.batch_size)
            self._fallbacks[record.identity] = Space(
                spec, embedder, self.catalog, self.settings.data_dir, identity=record.identity
            )
        return self._fallbacks[record.identity]

    # searching and reporting ---------------------------------------------------------------

    def searchable_spaces(self) -> list[Space]:
        """Per configured space, the one to search: itself once active; while it is still
        being built, the active space it will replace (an older model), if any."""
        chosen = []
        for space in self._built():
            if not space.active:
                older = [r for r in self.catalog.spaces() if r.name == space.name and r.state == "active"]
                if older:
                    space = self._space_for(older[-1])
            chosen.append(space)
        return chosen

    @cached_property
    def calibrator(self) -> Calibrator:
        return Calibrator(self.catalog)

    @cached_property
    def reranker(self) -> Reranker:
        s = self.settings
        return Reranker(s.reranker, s.device, s.rerank_budget_s, s.rerank_top)

    @cached_property
    def previews(self) -> Previews:
        return Previews(self.catalog, self.settings.data_dir)

    def card_pictures(self, result: SearchResult) -> CardPictures:
        """A result's thumbnail (and filmstrip or waveform), made once and cached on disk."""
        return self.previews.for_result(result)

    def load_models(self, on_model: Callable[[ModelLoading], None] | None = None) -> None:
        """Load every space's model now rather than at the first search or batch, saying
        which one loads and whether it downloads first; raises ModelLoadError with the fix."""
        for space in self.spaces:
            if on_model is not None:
                spec = space.spec
                on_model(ModelLoading(spec.name, spec.model, not is_on_disk(spec.model, spec.revision)))
            space.embedder.model  # noqa: B018 - loading is the point

    def search(self, query: Query) -> SearchResponse:
        spaces = self.searchable_spaces()
        if not spaces:
            return SearchResponse([], [], query.calibrate)
        if not self.writer:
            for space in spaces:
                space.refresh()  # pick up what the indexer saved since
        searcher = Searcher(self.catalog, spaces, self.extract_options, self.calibrator, self.reranker)
        return searcher.search(query)

    def status(self) -> Status:
        counts = self.catalog.counts()
        spaces = []
        for space in self.spaces:
            record = self.catalog.space(space.identity)
            vectors = len(self.catalog.expected_ids(record.modalities)) if record else 0
            spaces.append(
                SpaceStatus(
                    space.name,
                    space.spec.model,
                    record.state if record else "not built",
                    record.dim if record else None,
                    vectors,
                    _size(space.index_path),
                )
            )
        catalog_bytes = sum(_size(Path(f"{self.catalog.path}{suffix}")) for suffix in ("", "-wal"))
        return Status(
            data_dir=self.settings.data_dir,
            folders=self.settings.folders,
            indexed={kind: n for (kind, status), n in counts.items() if status == "indexed"},
            failures=self.catalog.files("failed"),
            spaces=spaces,
            catalog_bytes=catalog_bytes,
            watcher=watcher_state(self.settings.data_dir),
        )

    def discrepancies(self) -> dict[str, tuple[set[int], set[int]]]:
        """Per built space: (segment ids without a vector, vectors without a segment)."""
        return {s.name: s.discrepancies() for s in self._built()}


WATCHER_STATE = "watcher.json"


def watcher_state(data_dir: Path) -> dict | None:
    """What the running watcher last wrote about itself, if it is still alive."""
    try:
        state = jsonfile.read(data_dir / WATCHER_STATE)
        os.kill(int(state["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return state


def build_engine(settings: Settings, writer: bool = True) -> Engine:
    """Construct the catalog, embedders and spaces, and wire them together (no model loads).

    A writer takes the data folder's lock: a second writer is refused with a clear message.
    """
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        lock = WriterLock(settings.data_dir).acquire() if writer else None
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
    return Engine(settings, catalog, spaces, lock)
