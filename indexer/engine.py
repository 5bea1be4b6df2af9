"""The engine: one object, built in one place, that indexes, removes, searches and reports.

Concurrency model (one writer, consistent snapshots):

1. One writer per data folder: the process holding the writer lock, and in it the one
   thread that indexes (the CLI's main thread, the app's indexer thread). Only it writes
   the catalog and only it changes the vector stores. Searches, status and card pictures
   may run on any number of other threads, in this process or in reader processes.
2. A write reaches SQLite first, then the vectors. Each file's change is one catalog
   transaction, and the vector changes it implies are rows of the catalog's `vector_log`
   in that same transaction (deleted segments are logged by a trigger). After COMMIT the
   writer applies the new log rows to each store (`Space.catch_up`). A failed or
   interrupted transaction therefore changes no store, and a crash after COMMIT loses
   nothing: the next open replays the log from the store's last checkpoint.
3. Readers get snapshots. A search opens a read transaction on the catalog (its own
   connection: one SQLite snapshot) and takes each store's current immutable `Snapshot`
   (a reader process first applies the log up to that commit); it reads only those two
   until it returns, so nothing the writer does meanwhile can tear it.
4. Checkpoints are cheap and rare: when a store's delta is large, when it should be
   compressed, or every `checkpoint_every_s` with changes, the writer builds a new base
   beside the published one, saves it as `index-<seq>.faiss`, records `seq` in the
   catalog and drops the log up to it. Recovery replays; an id-by-id comparison with the
   catalog runs only when there is a reason (a new space, a lost checkpoint, an upgrade).

Objects and owners: the catalog's write connection and every `FaissStore` belong to the
writer thread (each space's lock serialises loading, applying and checkpointing, which a
reader process also does for its own copy); snapshots and `Settings` are immutable and
shared freely; each model is loaded once under its embedder's lock and used by any thread.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from indexer import jsonfile
from indexer.calibrate import Calibrator
from indexer.catalog import Catalog, FileRecord, FileState, HeldRoot, SpaceRecord
from indexer.control import Control
from indexer.embed import Embedder, default_batch_size
from indexer.errors import FramefindError
from indexer.lock import WriterLock
from indexer.media.extract import ExtractOptions
from indexer.media.kinds import extension_kind
from indexer.models import is_on_disk, resolve_device
from indexer.pipeline import FileJob, Pipeline
from indexer.plan import Plan, make_plan
from indexer.previews import CardPictures, Previews
from indexer.progress import IndexReport, ModelLoading, ProgressEvent
from indexer.query import Query
from indexer.rerank import Reranker
from indexer.roots import settle_vanished
from indexer.scan import Found, ScanOptions, Unlistable, Unsupported, scan
from indexer.search import Searcher, SearchResponse, SearchResult
from indexer.settings import Settings, SpaceSpec
from indexer.space import Space, space_folder
from indexer.stores import Stores, stores_for
from indexer.torch_thread import TorchThread

log = logging.getLogger(__name__)

CPU_EMBED_PIECE = 4  # photos or windows embedded at a time on a CPU, between searches

ProgressCallback = Callable[[ProgressEvent], None]


@dataclass(frozen=True)
class SpaceStatus:
    name: str
    model: str
    state: str  # "active", "building", or "not built"
    dim: int | None
    vectors: int  # what the store holds
    expected: int | None  # while a space builds: how many it will hold (None once active)
    bytes: int


@dataclass(frozen=True)
class Status:
    data_dir: Path
    folders: tuple[Path, ...]
    indexed: dict[str, int]  # kind → files
    failed: int  # files that could not be indexed (Engine.failures() lists them)
    spaces: list[SpaceStatus]
    catalog_bytes: int
    watcher: dict | None  # what a running watcher reports about itself
    held: list[HeldRoot] = field(default_factory=list)  # roots whose vanished files are kept
    unsupported: dict[str, int] = field(default_factory=dict)  # extension → files not read

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
    reports, and sees each of the writer's commits at its next search.
    """

    def __init__(
        self,
        settings: Settings,
        catalog: Catalog,
        spaces: Sequence[Space],
        lock: WriterLock | None = None,
        models: TorchThread | None = None,
    ) -> None:
        """`models`: the thread every model call of this engine runs on (see torch_thread.py)."""
        self.settings = settings
        self.catalog = catalog
        self.spaces = list(spaces)
        self._lock = lock
        self._models = models
        self._fallbacks: dict[str, Space] = {}  # older spaces, searched while a new model builds
        self._stores: Stores = stores_for(settings.store, settings.data_dir)

    @property
    def writer(self) -> bool:
        return self._lock is not None

    def close(self) -> None:
        if self._models is not None:
            self._models.close()
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
        rates = [sp.embedder.sampling_rate for sp in self.spaces if sp.embedder.supports("audio")]
        return ExtractOptions(
            video_interval_s=s.video_interval_s,
            audio_window_s=s.audio_window_s,
            audio_hop_s=s.audio_hop_s,
            max_image_pixels=s.max_image_pixels,
            decode_side=s.decode_side,
            images=any(sp.embedder.supports("image") for sp in self.spaces),
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
        with self._writing(0, control):  # a whole pass: the next open replays nothing
            self._settle_spaces()
            repairs = self._repair_jobs()
            self._sync(roots, report, repairs, on_progress, control)
            if not (control and control.stopped):
                self._run(self._repair_jobs(), report, on_progress, control)  # what the first pass could not
                self._promote_checked_spaces()
                self.previews.trim(self.settings.picture_cache_bytes)
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
            for path in paths:
                self.catalog.forget_root(_absolute(path))
        return len(records)

    def prune(self, roots: Iterable[Path] = ()) -> IndexReport:
        """Confirm that the files which vanished from these held roots (default: every held
        root) are gone for good: they leave the index."""
        chosen = [_absolute(p) for p in roots] or [h.path for h in self.catalog.held_roots()]
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
        if not self.writer:
            raise FramefindError("This engine was opened read-only; indexing needs the writer.")
        try:
            self._caught_up()  # an apply that failed last time is made good first
            yield
            self._checkpoint(None if control is not None and control.stopped else checkpoint_every_s)
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
        for path in roots:
            if path.is_file() and extension_kind(path) is None:
                raise FramefindError(
                    f"{path} is not a photo, video or audio file that Framefind indexes (by its "
                    "name); the README lists the formats. Give a media file or a folder."
                )
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
        confirmed: Collection[Path] = (),
    ) -> None:
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
                path in map(_absolute, self.settings.folders) or not self._holds_a_root(path)
            ):
                self.catalog.set_unsupported(path, dict(skipped))  # a whole root was walked
            known.update((r.path, r) for r in self.catalog.files_under(path))
        plan = make_plan(self.catalog, found, known, unlistable)
        candidates = {*map(_absolute, self.settings.folders), *(p for p in paths if p.is_dir())}
        roots = sorted(r for r in candidates if any(p == r or r in p.parents for p in paths))
        plan.vanished, held = settle_vanished(self.catalog, roots, plan.vanished, confirmed)
        for hold in held:
            log.warning(
                "keeping %d files: %s (framefind prune confirms they are gone)", hold.files, hold.reason
            )
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
        for source, state in plan.copied:
            self._copy(source, state)
        for problem in plan.unlistable:
            self.catalog.save_file(
                FileState(problem.path, 0, 0, ""), kind="folder", status="failed", error=problem.reason
            )
        self._delete(plan.vanished)
        report.unchanged += plan.unchanged
        report.moved += len(plan.moved)
        report.copied += len(plan.copied)
        report.removed += len(plan.vanished)

    def _copy(self, source: FileRecord, state: FileState) -> None:
        """Copy a file's rows, and its vectors in every space that holds them."""
        snapshots = [(s, s.store.snapshot) for s in self._built()]
        with self.catalog.transaction():
            old, new = (np.asarray(ids, dtype=np.int64) for ids in self.catalog.copy_file(source, state))
            for space, snap in snapshots:
                held = snap.has(old)
                if held.any():
                    self.catalog.log_vectors(space.record.id, new[held].tolist(), snap.vectors(old[held]))
        self._caught_up()

    def _delete(self, records: Sequence[FileRecord]) -> None:
        if records:
            self.catalog.delete_files(r.id for r in records)  # the log records their segments
            self._caught_up()
            self.previews.forget({r.fingerprint for r in records})

    def _built(self) -> list[Space]:
        return [s for s in self.spaces if s.registered]

    def _loaded(self) -> list[Space]:
        return [*self.spaces, *self._fallbacks.values()]

    def _caught_up(self) -> None:
        """(After a commit) every store applies what the catalog now holds."""
        for space in self._loaded():
            space.catch_up()

    def _checkpoint(self, every_s: float | None = None) -> None:
        every = self.settings.checkpoint_every_s if every_s is None else every_s
        in_use = [space for space in self._loaded() if space.registered]
        if any([space.checkpoint(self.settings.compress_above, every) for space in in_use]):
            self.catalog.truncate_log([space.record.id for space in in_use])

    @staticmethod
    def _state_now(record: FileRecord) -> FileState:
        st = record.path.stat()
        return FileState(record.path, st.st_size, st.st_mtime_ns, record.fingerprint)

    def _repair_jobs(self) -> list[FileJob]:
        """Backfill jobs for files some space lacks vectors for (new model, lost checkpoint)."""
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
        for space in self.spaces:
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
            from indexer.ray_pipeline import RayPipeline

            specs = [s.spec for s in self.spaces]
            RayPipeline(
                self.catalog,
                self.spaces,
                self.extract_options,
                batch_size=self.settings.batch_size,
                cluster=self.settings.cluster,
                specs=specs,
                device=self.settings.device,
                **common,
            ).run_all(jobs, report)
            return
        Pipeline(
            self.catalog,
            self.spaces,
            self.extract_options,
            batch_size=self.settings.batch_size or default_batch_size(device),
            # On a CPU a search waits for the embedding in flight: keep those pieces small.
            yield_every=CPU_EMBED_PIECE if device == "cpu" else 0,
            **common,
        ).run_all(jobs, report)

    # spaces --------------------------------------------------------------------------------

    def _promote_checked_spaces(self) -> None:
        """A space that was in doubt (new, lost, upgraded) and now agrees with the catalog id
        by id is trusted again; a new one becomes active, and only then is the space it
        replaces (the same name, another model) deleted."""
        for space in self._built():
            if not space.doubted or any(space.discrepancies()):
                continue
            space.mark_checked()
            if not space.active:
                space.activate()
                log.info("space %s now uses %s", space.name, space.spec.model)
        self._settle_spaces()

    def _settle_spaces(self) -> None:
        """Forget the spaces no setting needs: per configured space, every other space of its
        name except — while the configured one is not active yet — the newest active one,
        which searches use meanwhile. (Switching back to a model before its replacement was
        built, or a crash between activating a space and deleting its predecessor, leaves
        such spaces.) Then delete the folders of spaces that are gone."""
        records = self.catalog.spaces()
        for space in self.spaces:
            mine = next((r for r in records if r.identity == space.identity), None)
            others = [r for r in records if r.name == space.name and r.identity != space.identity]
            actives = [r for r in others if r.state == "active"]
            keep = actives[-1].identity if actives and (mine is None or mine.state != "active") else None
            for record in others:
                if record.identity != keep:
                    self._space_for(record).destroy()
                    self._fallbacks.pop(record.identity, None)
                    log.info("space %s: %s removed", record.name, record.model)
        wanted = {
            space_folder(self.settings.data_dir, r.name, r.model, r.identity) for r in self.catalog.spaces()
        }
        for folder in (self.settings.data_dir / "spaces").glob("*"):
            if folder.is_dir() and folder not in wanted:
                shutil.rmtree(folder, ignore_errors=True)

    def _space_for(self, record: SpaceRecord) -> Space:
        if record.identity not in self._fallbacks:
            spec = SpaceSpec(record.name, record.model, record.revision)
            embedder = Embedder(spec, self.settings.device, self.settings.batch_size, self._models)
            self._fallbacks[record.identity] = Space(
                spec,
                embedder,
                self.catalog,
                self.settings.data_dir,
                identity=record.identity,
                writer=self.writer,
                stores=self._stores,
            )
        return self._fallbacks[record.identity]

    def searchable_spaces(self) -> list[Space]:
        """Per configured space: itself once it has vectors; while it is still being built,
        also the active space it will replace (an older model). Files indexed before the
        switch are found through the old model, files added or changed since through the
        new one."""
        records = self.catalog.spaces()
        chosen = []
        for space in self.spaces:
            mine = next((r for r in records if r.identity == space.identity), None)
            if mine is not None:
                chosen.append(space)
            older = [r for r in records if r.name == space.name and r.identity != space.identity]
            if (mine is None or mine.state != "active") and any(r.state == "active" for r in older):
                chosen.append(self._space_for([r for r in older if r.state == "active"][-1]))
        return chosen

    # searching and reporting ---------------------------------------------------------------

    @cached_property
    def calibrator(self) -> Calibrator:
        return Calibrator(self.catalog)

    @cached_property
    def reranker(self) -> Reranker:
        s = self.settings
        return Reranker(s.reranker, s.device, s.rerank_budget_s, s.rerank_top, self._models)

    @cached_property
    def previews(self) -> Previews:
        return Previews(self.catalog, self.settings.data_dir)

    def card_pictures(self, result: SearchResult) -> CardPictures:
        """A result's thumbnail (and filmstrip or waveform), made once and cached on disk."""
        return self.previews.for_result(result)

    def cover(self, folders: Sequence[Path]) -> None:
        """The folders this engine indexes by default, chosen after it opened (the first run's
        models load while the user picks them). Call before indexing starts."""
        self.settings = replace(self.settings, folders=tuple(folders))

    def load_models(
        self,
        on_model: Callable[[ModelLoading], None] | None = None,
        stopped: Callable[[], bool] = lambda: False,
    ) -> None:
        """Load every space's model (and embed its generic queries, see calibrate.py) now
        rather than at the first search or batch, saying which one loads and whether it
        downloads first; raises ModelLoadError with the fix. Returns early once `stopped`
        (checked between models: one model's load cannot be interrupted)."""
        for space in self.spaces:
            if stopped():
                return
            if on_model is not None:
                spec = space.spec
                on_model(ModelLoading(spec.name, spec.model, not is_on_disk(spec.model, spec.revision)))
            space.embedder.model  # noqa: B018 - loading is the point
            if space.embedder.supports("text") and not stopped():
                self.calibrator.cohort(space)  # the generic queries, embedded before the first search

    def search(
        self,
        query: Query,
        calibrator: Calibrator | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> SearchResponse:
        """Search one consistent state: a catalog snapshot and each store's snapshot.
        `calibrator` replaces the engine's own scoring (to compare methods); `cancelled`,
        asked between stages, gives the search up (SearchCancelled) when a newer one waits."""
        with self.catalog.reading():
            views = [(s, v) for s in self.searchable_spaces() if (v := s.snapshot()) is not None]
            if not views:
                return SearchResponse([], [], query.calibrate)
            searcher = Searcher(
                self.catalog,
                views,
                self.extract_options,
                calibrator or self.calibrator,
                self.reranker,
                cancelled,
            )
            return searcher.search(query)

    def status(self) -> Status:
        """Counts from SQL and sizes from the stores; cheap enough to call often, but it
        reads the database: call it off the UI thread."""
        counts = self.catalog.counts()
        spaces = []
        for space in self.spaces:
            record = self.catalog.space(space.identity)
            snap = space.snapshot() if record else None
            spaces.append(
                SpaceStatus(
                    space.name,
                    space.spec.model,
                    record.state if record else "not built",
                    record.dim if record else None,
                    len(snap) if snap is not None else 0,
                    self.catalog.expected_count(record.modalities)
                    if record and record.state != "active"
                    else None,
                    space.stored_bytes,
                )
            )
        catalog_bytes = sum(_size(Path(f"{self.catalog.path}{suffix}")) for suffix in ("", "-wal"))
        return Status(
            data_dir=self.settings.data_dir,
            folders=self.settings.folders,
            indexed={kind: n for (kind, status), n in counts.items() if status == "indexed"},
            failed=sum(n for (_, status), n in counts.items() if status == "failed"),
            spaces=spaces,
            catalog_bytes=catalog_bytes,
            watcher=watcher_state(self.settings.data_dir),
            held=self.catalog.held_roots(),
            unsupported=self.catalog.unsupported(),
        )

    def failures(self) -> list[FileRecord]:
        """Every file (or folder) that could not be indexed, with its reason."""
        return self.catalog.files("failed")

    def damaged(self) -> list[FileRecord]:
        """Files indexed in part: what decoded is searchable; `error` says what was lost."""
        return self.catalog.damaged()

    def discrepancies(self) -> dict[str, tuple[set[int], set[int]]]:
        """Per built space: (segment ids without a vector, vectors without a segment or doubled)."""
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
    models = TorchThread()
    stores = stores_for(settings.store, settings.data_dir)
    spaces = [
        Space(
            spec,
            Embedder(spec, settings.device, settings.batch_size, models),
            catalog,
            settings.data_dir,
            writer=writer,
            stores=stores,
        )
        for spec in settings.spaces
    ]
    return Engine(settings, catalog, spaces, lock, models)
