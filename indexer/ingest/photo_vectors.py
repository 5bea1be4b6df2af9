"""The picture vectors of photos, as the text gate reads them (text_gate.py): from the first
space that embeds photos from their pixels (CLIP's), none where a photo has none yet or there
is no such space."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from indexer.catalog import Catalog
from indexer.media.segment import PHOTO
from indexer.vectors.space import Space


class PhotoVectors:
    def __init__(self, catalog: Catalog, spaces: Sequence[Space]) -> None:
        self._catalog = catalog
        self._space = next((s for s in spaces if PHOTO in s.spec.embeds and s.from_media), None)

    def of(self, file_ids: Sequence[int]) -> dict[int, np.ndarray]:
        """file id → its photo's vector, for those that have one."""
        view = self._space.snapshot() if self._space is not None and file_ids else None
        if view is None:
            return {}
        segments = self._catalog.segments.photo_ids(file_ids)
        ids = np.fromiter(segments.values(), np.int64, len(segments))
        held = ids[view.has(ids)]
        found = dict(zip(held.tolist(), view.vectors(held), strict=True))
        return {file_id: found[s] for file_id, s in segments.items() if s in found}
