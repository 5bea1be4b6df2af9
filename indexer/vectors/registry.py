"""Every embedding space an engine holds: the configured ones, and the older ones still
searched while a new model builds (a fallback per name).

Only the writer creates or drops a space (`settle`, `promote_checked`), and it publishes the
fallbacks as a new immutable mapping each time; searches read whichever mapping is current
and never create a space of their own. So a search that still sees, in its catalog snapshot,
a space the writer has just removed simply skips it: it cannot bring it back to life under
the writer (docs/concurrency.md, guarantee 8). A reader engine has no writer thread: it
builds the fallbacks its searches need itself, under the registry's lock.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import MappingProxyType

from indexer.catalog import Catalog, SpaceRecord
from indexer.models.loading import model_digest
from indexer.settings import SpaceSpec
from indexer.space_spec import dims_in
from indexer.vectors.space import Space, legacy_space_folder, space_folder

log = logging.getLogger(__name__)

SpaceFactory = Callable[[SpaceSpec, str], Space]  # (spec, identity) → a Space (no model loads)


class SpaceRegistry:
    def __init__(
        self,
        catalog: Catalog,
        data_dir: Path,
        configured: Sequence[Space],
        make_space: SpaceFactory,
        writer: bool,
    ) -> None:
        self.configured: tuple[Space, ...] = tuple(configured)
        self._catalog = catalog
        self._data_dir = data_dir
        self._make_space = make_space
        self._writer = writer
        self._lock = threading.Lock()
        self._fallbacks: MappingProxyType[str, Space] = MappingProxyType({})
        if writer:
            self._publish_fallbacks(self._catalog.spaces.all())

    # what readers see ----------------------------------------------------------------------

    def loaded(self) -> tuple[Space, ...]:
        """The configured spaces and the fallbacks, as published now."""
        return (*self.configured, *self._fallbacks.values())

    def from_media(self) -> list[Space]:
        """The configured spaces whose vectors come from decoding files (not the words spaces)."""
        return [s for s in self.configured if s.from_media]

    def built(self) -> list[Space]:
        return [s for s in self.configured if s.registered]

    def searchable(self) -> list[Space]:
        """Per configured space: itself once it is registered; while it is not active yet,
        also the active space of its name it will replace (an older model), so files indexed
        before the switch are found through the old model and newer ones through the new.
        Reads the catalog as the caller's snapshot sees it."""
        records = self._catalog.spaces.all()
        chosen: list[Space] = []
        for space in self.configured:
            mine = next((r for r in records if r.identity == space.identity), None)
            if mine is not None:
                chosen.append(space)
            older = _older_active(records, space)
            if older is not None and (mine is None or mine.state != "active"):
                fallback = self._fallback(older)
                if fallback is not None:
                    chosen.append(fallback)
        return chosen

    def _fallback(self, record: SpaceRecord) -> Space | None:
        found = self._fallbacks.get(record.identity)
        if found is not None or self._writer:
            return found  # in a writer, a space not published is one being removed: skip it
        with self._lock:
            found = self._fallbacks.get(record.identity)
            if found is None:
                found = self._make_space(_spec(record), record.identity)
                self._fallbacks = MappingProxyType({**self._fallbacks, record.identity: found})
            return found

    # what only the writer does -------------------------------------------------------------

    def settle(self) -> None:
        """(Writer) Forget the spaces no setting needs: per configured space, every other space
        of its name except — while the configured one is not active yet — the newest active
        one, which searches use meanwhile. A configured space whose model changed in place
        (same folder, other content) is removed too: its vectors belong to another model.
        Then delete the folders of spaces that are gone."""
        for space in self.configured:
            self._forget_if_model_changed(space)
        records = self._catalog.spaces.all()
        for space in self.configured:
            mine = next((r for r in records if r.identity == space.identity), None)
            older = _older_active(records, space)
            keep = older.identity if older is not None and (mine is None or mine.state != "active") else None
            for record in records:
                if record.name == space.name and record.identity not in (space.identity, keep):
                    self._remove(record)
        self._publish_fallbacks(self._catalog.spaces.all())
        self._tidy_folders()

    def promote_checked(self) -> None:
        """(Writer) A space that was in doubt (new, lost, upgraded) and now agrees with the
        catalog id by id is trusted again; a new one becomes active, and only then is the
        space it replaces (the same name, another model) deleted."""
        for space in self.built():
            if not space.doubted or any(space.discrepancies()):
                continue
            space.mark_checked()
            if not space.active:
                space.activate()
                log.info("space %s now uses %s", space.name, space.spec.model)
        self.settle()

    def _forget_if_model_changed(self, space: Space) -> None:
        record = self._catalog.spaces.get(space.identity)
        if record is None:
            return
        digest = model_digest(space.spec.model, space.spec.revision)
        if digest is None or digest == record.model_digest:
            return
        if record.model_digest is None:  # made before models had digests: take this one as its model
            self._catalog.spaces.set_model_digest(record.id, digest)
            return
        log.warning(
            "the %s model in %s is not the one its vectors were made with (it was replaced in "
            "place); the library is embedded with it again",
            space.name,
            space.spec.model,
        )
        space.destroy()

    def _remove(self, record: SpaceRecord) -> None:
        """Unpublish first, so that no search picks it up again, then delete it."""
        space = self._fallbacks.get(record.identity) or self._make_space(_spec(record), record.identity)
        self._fallbacks = MappingProxyType({k: v for k, v in self._fallbacks.items() if k != record.identity})
        space.destroy()
        log.info("space %s: %s removed", record.name, record.model)

    def _publish_fallbacks(self, records: list[SpaceRecord]) -> None:
        wanted: dict[str, Space] = {}
        for space in self.configured:
            older = _older_active(records, space)
            mine = next((r for r in records if r.identity == space.identity), None)
            if older is not None and (mine is None or mine.state != "active"):
                wanted[older.identity] = self._fallbacks.get(older.identity) or self._make_space(
                    _spec(older), older.identity
                )
        self._fallbacks = MappingProxyType(wanted)

    def _tidy_folders(self) -> None:
        """Name each space's folder after its identity (earlier versions used the model as
        spelled), and delete the folders of spaces that are gone."""
        wanted = set()
        for record in self._catalog.spaces.all():
            folder = space_folder(self._data_dir, record.name, record.identity)
            legacy = legacy_space_folder(self._data_dir, record.name, record.model, record.identity)
            if legacy != folder and legacy.is_dir() and not folder.exists():
                legacy.rename(folder)
            wanted.add(folder)
        for folder in (self._data_dir / "spaces").glob("*"):
            if folder.is_dir() and folder not in wanted:
                shutil.rmtree(folder, ignore_errors=True)


def _older_active(records: list[SpaceRecord], space: Space) -> SpaceRecord | None:
    """The newest active space of `space`'s name with another model, if any."""
    actives = [
        r for r in records if r.name == space.name and r.identity != space.identity and r.state == "active"
    ]
    return actives[-1] if actives else None


def _spec(record: SpaceRecord) -> SpaceSpec:
    return SpaceSpec(record.name, record.model, record.revision, dims=dims_in(record.identity))
