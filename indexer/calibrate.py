"""Make cosine scores of different spaces and modality pairs comparable: per-query z-scores.

A text→image cosine of 0.3 may be excellent in a CLIP space where text→image cosines sit
near 0.2, while a text→audio cosine of 0.5 may be ordinary in a CLAP space where they sit
near 0.45 (the "modality gap", plus each model's own temperature). So each score is judged
against how the same query vector scores against a fixed random sample of the user's own
documents of the same modality in the same space:

    z = (cosine − mean of the sample's cosines) / their standard deviation

This is the z-normalisation used to compare speaker-verification scores across conditions.
(Median and MAD were tried: in a recording that is mostly quiet the spread collapses and
z-scores of hundreds follow, so one space drowns the others; mean and deviation do not.)
It is per (space, query, document modality), needs no labelled data, adapts to the user's
collection, and makes "3σ above a typical photo" mean the same for every model. The sample
is drawn once per space and modality (uniformly over the whole library, not its oldest
part) and drawn again when the store has grown or shrunk.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from indexer.catalog import Catalog
from indexer.space import Space
from indexer.store import VectorIndex

log = logging.getLogger(__name__)

SAMPLE_SIZE = 2000
MIN_SAMPLE = 8  # fewer documents than this: no statistics worth the name
MIN_STD = 0.02  # a near-constant sample (silence, blank frames) must not blow z up


@dataclass(frozen=True)
class _Sample:
    vectors: np.ndarray  # (n, dim)
    store_size: int


@dataclass(frozen=True)
class Stats:
    mean: float
    std: float

    def z(self, scores: np.ndarray) -> np.ndarray:
        return (scores - self.mean) / self.std


class Calibrator:
    """Reference samples per (space, document modality), shared by the searches of one engine."""

    def __init__(self, catalog: Catalog, sample_size: int = SAMPLE_SIZE, seed: int = 0) -> None:
        self._catalog = catalog
        self._sample_size = sample_size
        self._seed = seed
        self._samples: dict[tuple[str, str], _Sample] = {}

    def stats(self, space: Space, view: VectorIndex, modality: str, query: np.ndarray) -> Stats:
        """How this query vector scores against typical documents of `modality` in `space`
        (whose store is read through `view`)."""
        sample = self._sample(space, view, modality)
        if len(sample.vectors) < MIN_SAMPLE:
            return Stats(0.0, 1.0 / 3.0)  # too few documents: a fixed scale, cosine 1 ≈ z 3
        scores = sample.vectors @ query
        return Stats(float(scores.mean()), max(float(scores.std()), MIN_STD))

    def _sample(self, space: Space, view: VectorIndex, modality: str) -> _Sample:
        key = (space.identity, modality)
        size = len(view)
        cached = self._samples.get(key)
        if cached is not None and abs(size - cached.store_size) <= 0.1 * max(cached.store_size, MIN_SAMPLE):
            return cached
        ids = self._catalog.sample_segment_ids(modality, self._sample_size * 2, self._seed)
        held = ids[view.has(ids)][: self._sample_size]
        sample = _Sample(view.vectors(held), size)
        log.debug("calibration sample for %s/%s: %d of %d vectors", space.name, modality, len(held), size)
        self._samples[key] = sample
        return sample
