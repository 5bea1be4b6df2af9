"""An embedding space at run time: its model, its vector store and its catalog row."""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
from pathlib import Path

import numpy as np

from indexer.catalog import Catalog, SpaceRecord
from indexer.embed import Embedder
from indexer.settings import SpaceSpec
from indexer.store import VectorStore, open_store

log = logging.getLogger(__name__)

STORE_KIND = "faiss"
MEDIA_MODALITIES = ("image", "audio")


def space_folder(data_dir: Path, name: str, model: str, identity: str) -> Path:
    """A readable, collision-free folder name for the space's files."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", Path(model).name or model).strip("-")[:40]
    digest = hashlib.sha1(identity.encode()).hexdigest()[:10]
    return data_dir / "spaces" / f"{name}-{slug}-{digest}"


class Space:
    def __init__(
        self,
        spec: SpaceSpec,
        embedder: Embedder,
        catalog: Catalog,
        data_dir: Path,
        identity: str | None = None,
    ) -> None:
        self.spec = spec
        self.embedder = embedder
        self.identity = identity or spec.identity
        self._catalog = catalog
        self.folder = space_folder(data_dir, spec.name, spec.model, self.identity)
        self.index_path = self.folder / "index.faiss"
        self._record: SpaceRecord | None = None
        self._store: VectorStore | None = None
        self._loaded_mtime: int | None = None
        self.dirty = False

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def registered(self) -> bool:
        """Whether this space was ever built (its catalog row exists); loads no model."""
        return self._record is not None or self._catalog.space(self.identity) is not None

    @property
    def record(self) -> SpaceRecord:
        """The catalog row; registering it loads the model (for its dimension)."""
        if self._record is None:
            self._record = self._catalog.space(self.identity) or self._catalog.add_space(
                self.spec.name,
                self.identity,
                self.spec.model,
                self.spec.revision,
                self.embedder.dim,
                sorted(self.embedder.modalities),
            )
        return self._record

    @property
    def active(self) -> bool:
        found = self._catalog.space(self.identity)
        return found is not None and found.state == "active"

    def activate(self) -> None:
        self._catalog.set_space_state(self.record.id, "active")
        self._record = self._catalog.space(self.identity)

    @property
    def store(self) -> VectorStore:
        if self._store is None:
            self._store = open_store(STORE_KIND, self.index_path, self.record.dim)
            self._loaded_mtime = self._mtime()
        return self._store

    def _mtime(self) -> int | None:
        try:
            return self.index_path.stat().st_mtime_ns
        except FileNotFoundError:
            return None

    def refresh(self) -> None:
        """Reload the store if another process (the indexer) saved a newer one."""
        if self._store is not None and not self.dirty and self._mtime() != self._loaded_mtime:
            self._store = None

    def takes(self, modality: str) -> bool:
        return modality in self.record.modalities

    def discrepancies(self) -> tuple[set[int], set[int]]:
        """(ids the catalog expects but the store lacks, ids the store holds but should not)."""
        expected = self._catalog.expected_ids(self.record.modalities)
        held = set(self.store.ids().tolist())
        return expected - held, held - expected

    def repair(self) -> set[int]:
        """Make the store agree with the catalog; returns the files whose vectors it lacks.

        Vectors the catalog does not know (a crash after a checkpoint but before the catalog
        committed, or a file changed since) are dropped. A new space (another model) lacks
        every vector, so all indexed files come back to be embedded into it.
        """
        if not self.registered and not self._catalog.expected_ids(MEDIA_MODALITIES):
            return set()  # a new space over an empty catalog: nothing to build, no model to load
        missing, extra = self.discrepancies()
        if extra:
            self.store.remove(np.fromiter(extra, dtype=np.int64))
            self.dirty = True
        files = self._catalog.files_of_segments(missing)
        if extra or files:
            log.info(
                "space %s: dropped %d stray vectors; %d files lack vectors", self.name, len(extra), len(files)
            )
        return files

    def compress_if_large(self, threshold: int) -> bool:
        """Rebuild an exact store past `threshold` vectors as a compressed one. Searches in
        other processes use the saved exact file until the new one replaces it."""
        if self._store is None or self.store.compressed or len(self.store) < threshold:
            return False
        log.info("space %s: compressing %d vectors for fast search (one-off)…", self.name, len(self.store))
        self._store = self.store.compressed_copy()
        self.dirty = True
        self.save()
        return True

    def save(self) -> None:
        if self.dirty and self._store is not None:
            self._store.save(self.index_path)
            self._loaded_mtime = self._mtime()
            self.dirty = False

    def destroy(self) -> None:
        """Forget this space entirely: catalog row first, then its files."""
        if self.registered:
            self._catalog.delete_space(self.record.id)
        shutil.rmtree(self.folder, ignore_errors=True)
        self._store, self._record = None, None
