"""An embedding space at run time: its model, its vector store and its catalog row.

The store follows the catalog's vector log (docs/concurrency.md has the whole model). A
space opened by the writer applies the log right after each of its own commits
(`catch_up`), and its loaded store is read without a lock: only the writer thread changes
it, and searches read the immutable snapshot they were given, so a checkpoint (merge,
compression, save) never makes a search wait. A space opened by a reader applies the log
before each snapshot it hands out, under the space's lock.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from pathlib import Path

import numpy as np

from indexer.catalog import Catalog, SpaceRecord
from indexer.errors import FramefindError, ModelLoadError
from indexer.media.segment import LINE
from indexer.models.embed import Embedder
from indexer.models.loading import model_digest
from indexer.settings import SpaceSpec
from indexer.vectors.faiss_store import FaissStore, Snapshot
from indexer.vectors.milvus_store import MilvusSnapshot, MilvusStore
from indexer.vectors.stores import FaissStores, Stores

log = logging.getLogger(__name__)


def space_folder(data_dir: Path, name: str, identity: str) -> Path:
    """A readable, collision-free folder name for the space's files, from its identity alone:
    however the model is spelled (a symlink, a relative path), one space has one folder."""
    return legacy_space_folder(data_dir, name, identity.rpartition("@")[0] or identity, identity)


def legacy_space_folder(data_dir: Path, name: str, model: str, identity: str) -> Path:
    """The folder as earlier versions named it, after the model as spelled at registration."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", Path(model).name or model).strip("-")[:40]
    digest = hashlib.sha1(identity.encode()).hexdigest()[:10]
    return data_dir / "spaces" / f"{name}-{slug}-{digest}"


class ModelMismatch(FramefindError):
    """The model gives vectors of another dimension than the space holds."""


class SpaceGone(LookupError):
    """The space's catalog row is not there (never built, or removed by a model switch)."""


class Space:
    def __init__(
        self,
        spec: SpaceSpec,
        embedder: Embedder,
        catalog: Catalog,
        data_dir: Path,
        identity: str | None = None,
        *,
        writer: bool = True,
        stores: Stores | None = None,
    ) -> None:
        self.spec = spec
        self.embedder = embedder
        self.identity = identity or spec.identity
        self.writer = writer
        self._catalog = catalog
        self.folder = space_folder(data_dir, spec.name, self.identity)
        self._record: SpaceRecord | None = None
        self._stores = stores or FaissStores()
        self._store: FaissStore | MilvusStore | None = None
        self._lock = threading.RLock()
        self._lost = False  # the checkpoint file predates the log's start: compare id by id
        self._saved_at = time.monotonic()

    @property
    def stored_bytes(self) -> int:
        """What the store takes on this machine's disk."""
        return self._stores.size(self.folder)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def from_media(self) -> bool:
        """Whether its vectors come from decoding files (pictures, sounds); a words space's
        come from the catalog's lines, and its model is optional (ingest/line_vectors.py)."""
        return self.spec.reads("image") or self.spec.reads("audio")

    def load_model(self) -> bool:
        """Load its model now; False for a words space whose model does not load (its lines
        are still found by their letters), ModelLoadError for any other space."""
        try:
            self.embedder.model  # noqa: B018 - loading is the point
        except ModelLoadError as exc:
            if self.from_media:
                raise
            log.warning("%s\nWords are still found by their letters.", exc)
            return False
        return True

    @property
    def embeds_lines(self) -> bool:
        return LINE in self.spec.embeds

    @property
    def registered(self) -> bool:
        """Whether this space was ever built (its catalog row exists); loads no model."""
        return self._catalog.spaces.get(self.identity) is not None

    def register(self) -> SpaceRecord:
        """(Writer) the catalog row, created on first use; that loads the model for its dimension."""
        with self._lock:
            # An existing row loads no model here (a run with nothing to embed loads none): a
            # model replaced in place is caught by its digest (registry.py), and by its
            # dimension at the first search (check_model).
            self._record = self._catalog.spaces.get(self.identity) or self._catalog.spaces.add(
                self.spec.name,
                self.identity,
                self.spec.model,
                self.spec.revision,
                self.embedder.model_dim,
                self.spec.answers,
                self.spec.embeds,
                model_digest(self.spec.model, self.spec.revision),
            )
            return self._record

    def check_model(self) -> None:
        """ModelMismatch when the model gives vectors of another size than the space holds
        (its folder was replaced by another model); loads the model."""
        record, dim = self.record, self.embedder.model_dim
        if dim != record.dim:
            raise ModelMismatch(
                f"The {self.name} model {self.spec.model} now gives {dim}-dimensional vectors, "
                f"but its index holds {record.dim}-dimensional ones: it was replaced by another model. "
                "Run `framefind index` (or open the app) to embed the library with it again."
            )

    @property
    def record(self) -> SpaceRecord:
        """The catalog row; SpaceGone when the space is not (or no longer) registered.
        Reading never registers: only `register` does."""
        if self._record is None:
            found = self._catalog.spaces.get(self.identity)
            if found is None:
                raise SpaceGone(f"the {self.name} space of {self.spec.model} is not built")
            self._record = found
        return self._record

    @property
    def active(self) -> bool:
        found = self._catalog.spaces.get(self.identity)
        return found is not None and found.state == "active"

    def activate(self) -> None:
        self._catalog.spaces.set_state(self.record.id, "active")
        self._record = None

    @property
    def doubted(self) -> bool:
        """Whether the store must be compared with the catalog id by id before it is trusted."""
        record = self.record
        return record.needs_check or record.state == "building" or self._lost

    def answers(self, query_kind: str) -> bool:
        """Whether it can be searched with a query of this kind ("text", "image", "audio")."""
        return query_kind in self.record.answers

    def embeds(self, segment_kind: str) -> bool:
        """Whether it holds vectors of segments of this kind (media.segment: photo, frame…)."""
        return segment_kind in self.record.embeds

    # the store -----------------------------------------------------------------------------

    @property
    def store(self) -> FaissStore | MilvusStore:
        """The store, loaded on first use; a reader's is caught up with the last commit."""
        store = self._store
        if store is not None and self.writer:  # only the writer thread changes it: no lock, no wait
            return store
        with self._lock:
            if self._store is None:
                self._store = self._load(self.record)
                self._catch_up()
            elif not self.writer:
                self._catch_up()
            return self._store

    def snapshot(self) -> Snapshot | MilvusSnapshot | None:
        """The state one query reads from start to end; None once the space is gone."""
        try:
            return self.store.snapshot
        except SpaceGone:
            return None

    def catch_up(self) -> None:
        """(Writer, after a commit) apply what the catalog committed since the last apply."""
        with self._lock:
            if self._store is not None:
                self._catch_up()

    def _catch_up(self) -> None:
        assert self._store is not None
        record = self._catalog.spaces.get(self.identity)
        if record is None:
            raise SpaceGone(f"the {self.name} space of {self.spec.model} was removed")
        if record.checkpoint_seq > self._store.seq:  # the writer saved and cut the log past us
            self._store = self._load(record)
        changes = self._catalog.log.changes(record.id, self._store.seq, record.dim)
        self._store.apply(changes)

    def _load(self, record: SpaceRecord) -> FaissStore | MilvusStore:
        if self.writer:
            self._stores.clean(self.folder)
        if record.needs_check and not self._stores.exists(self.folder):  # new: it starts where the log is
            return self._stores.empty(self.folder, record.dim, record.checkpoint_seq)
        for _ in range(3):  # the writer may replace the newest checkpoint while we look
            store = self._stores.load(self.folder, record.dim)
            if store.seq > self._catalog.log.last_seq():
                return self._ahead_of_catalog(store, record)
            if store.seq >= record.checkpoint_seq:
                return store
            record = self._catalog.spaces.get(self.identity) or record
        log.warning(
            "space %s: the saved vectors are older than the change log (a lost or damaged "
            "checkpoint); what is missing is embedded again",
            self.name,
        )
        self._lost = True
        return store

    def _ahead_of_catalog(
        self, store: FaissStore | MilvusStore, record: SpaceRecord
    ) -> FaissStore | MilvusStore:
        """The saved vectors hold changes the catalog does not (its last commits were lost to
        a power cut, or an older copy of it was restored). The catalog may hand those ids out
        again for other files, so no vector of that checkpoint can be trusted: the writer
        drops it and embeds what the space lacks again; a reader keeps it until then."""
        log.warning(
            "space %s: the saved vectors are newer than the catalog (change %d, the catalog ends "
            "at %d: its last commits were lost or an older copy was restored); %s",
            self.name,
            store.seq,
            self._catalog.log.last_seq(),
            "the space is embedded again" if self.writer else "results may be wrong until it is rebuilt",
        )
        self._lost = True
        if not self.writer:
            return store
        self._stores.drop(self.folder)
        return self._stores.empty(self.folder, record.dim, record.checkpoint_seq)

    def checkpoint(self, compress_above: int, every_s: float | None) -> bool:
        """(Writer) fold the changes into a new base and save it, when there are many, when
        the store should be compressed, or (with changes) every `every_s` seconds; None:
        whenever anything changed. Returns whether it saved."""
        with self._lock:
            if self._store is None:
                return False
            store, record = self._store, self.record
            snap = store.snapshot
            compress = not snap.compressed and len(snap) >= compress_above
            behind = snap.seq > record.checkpoint_seq
            changed = behind and bool(snap.delta_rows or len(snap.hidden))
            timely = every_s is None or time.monotonic() - self._saved_at >= every_s
            if store.needs_merge or compress or (changed and timely):
                if compress:
                    log.info("space %s: compressing %d vectors for fast search…", self.name, len(snap))
                store.merge(compress_above)
                self._catalog.make_durable()  # never a checkpoint that holds what the catalog may lose
                store.save(self.folder)
            elif behind and timely:  # the log moved on, the vectors did not: no rewrite
                self._catalog.make_durable()
                store.advance(self.folder)
            else:
                return False
            self._catalog.log.set_checkpoint(record.id, store.seq)
            self._record, self._saved_at = None, time.monotonic()
            return True

    # consistency ---------------------------------------------------------------------------

    def discrepancies(self) -> tuple[set[int], set[int]]:
        """(ids the catalog expects but the store lacks, ids the store holds but should not
        or holds twice), compared id by id."""
        ids = self.store.snapshot.ids()
        unique, counts = np.unique(ids, return_counts=True)
        expected = self._catalog.segments.expected_ids(self.record.embeds)
        held = set(unique.tolist())
        doubled = set(unique[counts > 1].tolist())
        return expected - held, (held - expected) | doubled

    def repair(self) -> set[int]:
        """(Writer) make the store agree with the catalog when there is reason to doubt it (a
        new space, a lost checkpoint, an upgraded data folder); returns the files whose
        vectors it lacks. Stray and doubled vectors are dropped through the log, so a
        doubled id's file is embedded again rather than trusting either copy."""
        if not self.registered and not self._catalog.segments.expected_count(self.spec.embeds):
            return set()  # a new space over an empty catalog: nothing to build, no model to load
        record = self.register()
        self.store  # noqa: B018 - loading is what tells whether the checkpoint was lost
        if not (record.needs_check or self._lost or record.state == "building"):
            return set()
        missing, extra = self.discrepancies()
        if extra:
            self._catalog.log.remove(record.id, sorted(extra))
            self.catch_up()
            missing |= extra & self._catalog.segments.expected_ids(record.embeds)
        files = self._catalog.segments.files_of(missing)
        if extra or files:
            log.info(
                "space %s: dropped %d stray vectors; %d files lack vectors", self.name, len(extra), len(files)
            )
        return files

    def mark_checked(self) -> None:
        """(Writer) the store was found to agree with the catalog id by id."""
        with self._lock:
            if self.record.needs_check:
                self._catalog.spaces.set_needs_check(self.record.id, False)
                self._record = None
            self._lost = False

    def destroy(self) -> None:
        """(Writer) forget this space entirely: catalog row first, then its files. A search
        holding one of its snapshots finishes with it; later ones no longer see the space."""
        with self._lock:
            found = self._catalog.spaces.get(self.identity)
            if found is not None:
                self._catalog.spaces.delete(found.id)
            self._stores.drop(self.folder)
            self._store, self._record = None, None
