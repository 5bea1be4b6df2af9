"""The engine: one object, built in one place, that indexes, removes, searches and reports.

It is a thin facade over three parts, each the one home of its rules: the space registry
(registry.py: which spaces exist, and that only the writer creates or drops one), the write
side (writer.py: index, update, retry, remove, prune, and when stores checkpoint), and the
searches and reports here. How they share the catalog and the stores — one writer, catalog
first, immutable snapshots, replay after a crash — is docs/concurrency.md, guarantee by
guarantee, with the code that keeps each and the test that checks it.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from indexer.catalog import Catalog, FileRecord, HeldRoot, LineRow
from indexer.errors import FramefindError
from indexer.ingest.control import Control
from indexer.ingest.progress import IndexReport, ModelLoading
from indexer.ingest.speech import SpeechReport
from indexer.ingest.writer import ProgressCallback, Writer
from indexer.lock import WriterLock
from indexer.media.extract import ExtractOptions
from indexer.models.embed import Embedder
from indexer.models.loading import is_on_disk
from indexer.models.model_thread import TorchThread
from indexer.models.reader import TextReader
from indexer.models.speech import Recogniser
from indexer.search.calibrate import Calibrator
from indexer.search.previews import CardPictures, Previews
from indexer.search.query import Query
from indexer.search.rerank import Reranker
from indexer.search.searcher import Searcher, SearchResponse, SearchResult
from indexer.search.translation import query_translator
from indexer.settings import Settings, SpaceSpec
from indexer.vectors.registry import SpaceRegistry
from indexer.vectors.space import Space
from indexer.vectors.stores import Stores, stores_for
from indexer.watcher_state import watcher_state

__all__ = ["Engine", "ProgressCallback", "Status", "build_engine"]

log = logging.getLogger(__name__)


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
    try:
        return path.stat().st_size
    except FileNotFoundError:  # no WAL file right now, or it went between a look and a stat
        return 0


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
        registry: SpaceRegistry,
        lock: WriterLock | None = None,
        models: TorchThread | None = None,
        stores: Stores | None = None,
        recogniser: Recogniser | None = None,
        reader: TextReader | None = None,
    ) -> None:
        """`models`: the thread every model call of this engine runs on (see torch_thread.py);
        `stores`: where the spaces' vectors live, closed with the engine."""
        self.settings = settings
        self._stores = stores
        self.catalog = catalog
        self.registry = registry
        self.spaces = list(registry.configured)
        self._lock = lock
        self._models = models
        extract = lambda: self.extract_options  # noqa: E731 - read when a run starts
        self._writer = (
            Writer(settings, catalog, registry, self.previews, extract, recogniser, reader) if lock else None
        )

    @property
    def writer(self) -> bool:
        return self._lock is not None

    def close(self) -> None:
        if self._models is not None:
            self._models.close()
        if self._stores is not None:
            self._stores.close()
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
        s, reads = self.settings, lambda modality: any(sp.spec.reads(modality) for sp in self.spaces)
        rates = [sp.embedder.sampling_rate for sp in self.spaces if sp.spec.reads("audio")]
        return ExtractOptions(
            video_interval_s=s.video_interval_s,
            audio_window_s=s.audio_window_s,
            audio_hop_s=s.audio_hop_s,
            max_image_pixels=s.max_image_pixels,
            decode_side=s.decode_side,
            images=reads("image"),
            clips=reads("video"),
            audio_rate=next((r for r in rates if r), None),
        )

    @cached_property
    def _models_load(self) -> bool:
        """Every configured model loads (ModelLoadError names the one that does not): no silent fallback."""
        for space in self.spaces:
            if space.from_media:  # a words model is optional: words are found by their letters too
                space.embedder.ready_for_queries()  # the model loads unless a query tower answers
        return True

    def queries_ready(self, wait_s: float = 0.0) -> bool:
        """Whether a text search can answer without loading any model now: every space a
        search reads embeds queries with its exported tower (see query_tower.py), waiting up
        to `wait_s` for each export under way."""
        spaces = self.searchable_spaces()
        with ThreadPoolExecutor(max(len(spaces), 1)) as opening:  # a third faster than one by one
            return all(opening.map(lambda s: s.embedder.tower_ready(wait_s), spaces))

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
        return self._write.index(paths, on_progress, control)

    def transcribe(
        self,
        on_progress: ProgressCallback | None = None,
        control: Control | None = None,
        pieces: int | None = None,
    ) -> SpeechReport:
        """Recognise the speech of indexed recordings and videos without subtitles, and read
        the text in photos and video frames (after `index`: pictures and sounds are
        searchable first), piece by piece and file by file, each committed; all that is
        left, or `pieces` of each (the watcher's turn between changes)."""
        return self._write.transcribe(on_progress, control, pieces)

    def update(
        self,
        paths: Iterable[Path],
        on_progress: ProgressCallback | None = None,
        control: Control | None = None,
        roots: Sequence[Path] = (),
    ) -> IndexReport:
        """Bring these paths up to date, where a path that no longer exists was deleted
        (the watcher's entry point). A configured or watched folder (`roots`) that vanished
        is held, its files kept: it may be a drive that is not plugged in, or moved away."""
        return self._write.update(paths, on_progress, control, roots)

    def retry(
        self, on_progress: ProgressCallback | None = None, control: Control | None = None
    ) -> IndexReport:
        """Try every failed file again, changed or not."""
        return self._write.retry(on_progress, control)

    def remove(self, paths: Iterable[Path]) -> int:
        """Forget these files (or every file below these folders); files on disk stay."""
        return self._write.remove(paths)

    def prune(self, roots: Iterable[Path] = ()) -> IndexReport:
        """Confirm that the files which vanished from these held roots (default: every held
        root) are gone for good: they leave the index."""
        return self._write.prune(roots)

    @property
    def _write(self) -> Writer:
        if self._writer is None:
            raise FramefindError("This engine was opened read-only; indexing needs the writer.")
        return self._writer

    def searchable_spaces(self) -> list[Space]:
        """The spaces a search reads now (see SpaceRegistry.searchable)."""
        return self.registry.searchable()

    # searching and reporting ---------------------------------------------------------------

    @cached_property
    def calibrator(self) -> Calibrator:
        return Calibrator(self.catalog)

    @cached_property
    def reranker(self) -> Reranker:
        s, vlm = self.settings, next((x.model for x in self.settings.spaces if x.name == "vlm"), None)
        return Reranker(s.reranker, s.device, s.rerank_budget_s, s.rerank_top, self._models, vlm)

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
        if self._writer is not None:
            self._writer.settings = self.settings

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
            if not space.from_media and not space.registered:
                continue  # a words model downloads on the writer, after the pictures and sounds
            if on_model is not None:
                spec = space.spec
                on_model(ModelLoading(spec.name, spec.model, not is_on_disk(spec.model, spec.revision)))
            if space.load_model() and "text" in space.spec.answers and not stopped():
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
        self._models_load  # noqa: B018 - raises ModelLoadError for a model that does not
        with self.catalog.reading():
            # An empty space finds nothing, so its model need not encode the query (a CLAP pass
            # per search in a library of photos only).
            views = [(s, v) for s in self.searchable_spaces() if (v := s.snapshot()) is not None and len(v)]
            if not views:
                return SearchResponse([], [], query.calibrate)
            searcher = Searcher(
                self.catalog,
                views,
                lambda: self.extract_options,
                calibrator or self.calibrator,
                self.reranker,
                cancelled,
            )
            return searcher.search(query)

    def status(self) -> Status:
        """Counts from SQL and sizes from the stores; cheap enough to call often, but it
        reads the database: call it off the UI thread."""
        counts = self.catalog.files.counts()
        spaces = []
        for space in self.spaces:
            record = self.catalog.spaces.get(space.identity)
            snap = space.snapshot() if record else None
            spaces.append(
                SpaceStatus(
                    space.name,
                    space.spec.model,
                    record.state if record else "not built",
                    record.dim if record else None,
                    len(snap) if snap is not None else 0,
                    self.catalog.segments.expected_count(record.embeds)
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
            held=self.catalog.roots.held(),
            unsupported=self.catalog.roots.unsupported(),
        )

    def transcript(self, path: Path, written: bool = False) -> list[LineRow]:
        """What is said in an indexed file, line by line, in time order; `written`: the text
        read in its pictures instead, block by block."""
        record = self.catalog.files.get(Path(os.path.abspath(path)))
        if record is None or record.status != "indexed":
            raise FramefindError(f"{path} is not indexed: index its folder first (framefind index FOLDER)")
        return [line for line in self.catalog.lines.of_file(record.id) if line.written == written]

    def transcript_or_none(self, path: Path) -> list[LineRow]:
        """What is said in a file, or nothing when it is not (or no longer) indexed."""
        try:
            return self.transcript(path)
        except FramefindError:
            return []

    def said(self, text: str, limit: int = 100, lang: str | None = None) -> list[LineRow]:
        """Lines whose words match `text` ("quoted phrases", prefix*), best first."""
        with self.catalog.reading():
            return self.catalog.lines.matching(text, limit, lang)

    def failures(self) -> list[FileRecord]:
        """Every file (or folder) that could not be indexed, with its reason."""
        return self.catalog.files.all("failed")

    def damaged(self) -> list[FileRecord]:
        """Files indexed in part: what decoded is searchable; `error` says what was lost."""
        return self.catalog.files.damaged()

    def discrepancies(self) -> dict[str, tuple[set[int], set[int]]]:
        """Per built space: (segment ids without a vector, vectors without a segment or doubled)."""
        return {s.name: s.discrepancies() for s in self.registry.built()}


def build_engine(settings: Settings, writer: bool = True) -> Engine:
    """Construct the catalog, embedders and spaces, and wire them together (no model loads).
    A writer takes the data folder's lock: a second writer is refused with a clear message."""
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
    speech = settings.speech_model
    recogniser = Recogniser(speech, settings.device, models) if writer and speech.lower() != "none" else None

    def make_space(spec: SpaceSpec, identity: str | None = None) -> Space:
        towers, translator = settings.query_towers, query_translator(settings, spec)
        embedder = Embedder(spec, settings.device, settings.batch_size, models, towers, translator)
        return Space(spec, embedder, catalog, settings.data_dir, identity, writer=writer, stores=stores)

    configured = [make_space(spec) for spec in settings.spaces]
    registry = SpaceRegistry(catalog, settings.data_dir, configured, make_space, writer)
    reader = TextReader(settings.ocr, settings.device) if writer and settings.ocr.lower() != "none" else None
    return Engine(settings, catalog, registry, lock, models, stores, recogniser, reader)
