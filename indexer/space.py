"""An embedding space at run time: its model, its vector store and its catalog row."""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

import numpy as np

from indexer.catalog import Catalog, SpaceRecord
from indexer.embed import Embedder
from indexer.settings import SpaceSpec
from indexer.store import VectorStore, open_store

log = logging.getLogger(__name__)

STORE_KIND = "faiss-flat"


def space_folder(data_dir: Path, spec: SpaceSpec) -> Path:
    """A readable, collision-free folder name for the space's files."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", Path(spec.model).name or spec.model).strip("-")[:40]
    digest = hashlib.sha1(spec.identity.encode()).hexdigest()[:10]
    return data_dir / "spaces" / f"{spec.name}-{slug}-{digest}"


class Space:
    def __init__(self, spec: SpaceSpec, embedder: Embedder, catalog: Catalog, data_dir: Path) -> None:
        self.spec = spec
        self.embedder = embedder
        self._catalog = catalog
        self.index_path = space_folder(data_dir, spec) / "index.faiss"
        self._record: SpaceRecord | None = None
        self._store: VectorStore | None = None
        self.dirty = False

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def registered(self) -> bool:
        """Whether this space was ever built (its catalog row exists); loads no model."""
        return self._record is not None or self._catalog.space(self.spec.identity) is not None

    @property
    def record(self) -> SpaceRecord:
        """The catalog row; registering it loads the model (for its dimension)."""
        if self._record is None:
            self._record = self._catalog.space(self.spec.identity) or self._catalog.add_space(
                self.spec.name,
                self.spec.identity,
                self.spec.model,
                self.spec.revision,
                self.embedder.dim,
                sorted(self.embedder.modalities),
            )
        return self._record

    @property
    def store(self) -> VectorStore:
        if self._store is None:
            self._store = open_store(STORE_KIND, self.index_path, self.record.dim)
        return self._store

    def takes(self, modality: str) -> bool:
        return modality in self.record.modalities

    def discrepancies(self) -> tuple[set[int], set[int]]:
        """(ids the catalog expects but the store lacks, ids the store holds but should not)."""
        expected = self._catalog.expected_ids(self.record.modalities)
        held = set(self.store.ids().tolist())
        return expected - held, held - expected

    def reconcile(self) -> int:
        """Make the store agree with the catalog after a crash; returns files to redo.

        Vectors the catalog does not know go; files whose vectors are missing are marked
        pending, so the next run embeds them again. A new space (another model) finds all
        of its vectors missing, and so is built from every indexed file.
        """
        if not self.registered and not self._catalog.expected_ids(("image", "audio")):
            return 0  # a new space over an empty catalog: nothing to build, no model to load
        missing, extra = self.discrepancies()
        if extra:
            self.store.remove(np.fromiter(extra, dtype=np.int64))
            self.dirty = True
        files = self._catalog.files_of_segments(missing)
        if files:
            self._catalog.mark_pending(files)
        if extra or files:
            log.info(
                "space %s: dropped %d stray vectors, %d files to re-embed", self.name, len(extra), len(files)
            )
        return len(files)

    def save(self) -> None:
        if self.dirty and self._store is not None:
            self._store.save(self.index_path)
            self.dirty = False
