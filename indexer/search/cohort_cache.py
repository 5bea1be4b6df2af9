"""The cohort's vectors, kept beside a space's index: embedding 120 queries took 2.2 s of the
first search after every launch (840 now, in eight languages), for vectors that change only
with the model or the list.

The file is named for the list's own digest and for what embeds the space's queries (its model
or a query model of its own), so a changed list or query model is embedded again; the space's
folder is named for its model, so a changed model is too. Best effort: a folder that cannot
be written costs the embedding, as before.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

import numpy as np

from indexer.search.cohort_languages import COHORT_TEXTS

log = logging.getLogger(__name__)

_DIGEST = hashlib.sha1("\n".join(COHORT_TEXTS).encode()).hexdigest()[:12]


def cohort_file(space_folder: Path, queries: str) -> Path:
    """`queries`: the identity of what embeds the space's text queries."""
    return space_folder / f"cohort-{_DIGEST}-{hashlib.sha1(queries.encode()).hexdigest()[:12]}.npy"


def stored_cohort(space_folder: Path, queries: str) -> np.ndarray | None:
    """The cohort's vectors saved for this space, or None (none yet, or cut short)."""
    try:
        vectors = np.load(cohort_file(space_folder, queries), allow_pickle=False)
    except (OSError, ValueError):
        return None
    if vectors.ndim != 2 or len(vectors) != len(COHORT_TEXTS) or not np.isfinite(vectors).all():
        return None
    return vectors.astype(np.float32, copy=False)


def store_cohort(space_folder: Path, vectors: np.ndarray, queries: str) -> None:
    try:
        space_folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".tmp", dir=space_folder)  # a kill leaves what the writer sweeps
        with os.fdopen(fd, "wb") as fh:
            np.save(fh, vectors, allow_pickle=False)
        os.replace(tmp, cohort_file(space_folder, queries))
    except OSError as exc:
        log.debug("cohort of %s not kept: %s", space_folder, exc)
