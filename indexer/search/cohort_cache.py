"""The cohort's vectors, kept beside a space's index: embedding 120 queries took 2.2 s of the
first search after every launch, for vectors that change only with the model or the list.

A file per language, named for the list's digest and for what embeds the space's queries (its
model, a query model of its own, a translator), so a changed list or query path is embedded
again; the space's folder is named for its model, so a changed model is too. Best effort: a folder that cannot
be written costs the embedding, as before.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


def cohort_file(space_folder: Path, texts: Sequence[str], queries: str) -> Path:
    """`texts`: one language's cohort; `queries`: the identity of what embeds the space's
    text queries."""
    digest = hashlib.sha1("\n".join([*texts, queries]).encode()).hexdigest()[:16]
    return space_folder / f"cohort-{digest}.npy"


def stored_cohort(space_folder: Path, texts: Sequence[str], queries: str) -> np.ndarray | None:
    """The cohort's vectors saved for this space, or None (none yet, or cut short)."""
    try:
        vectors = np.load(cohort_file(space_folder, texts, queries), allow_pickle=False)
    except (OSError, ValueError):
        return None
    if vectors.ndim != 2 or len(vectors) != len(texts) or not np.isfinite(vectors).all():
        return None
    return vectors.astype(np.float32, copy=False)


def store_cohort(space_folder: Path, texts: Sequence[str], vectors: np.ndarray, queries: str) -> None:
    try:
        space_folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".tmp", dir=space_folder)  # a kill leaves what the writer sweeps
        with os.fdopen(fd, "wb") as fh:
            np.save(fh, vectors, allow_pickle=False)
        os.replace(tmp, cohort_file(space_folder, texts, queries))
    except OSError as exc:
        log.debug("cohort of %s not kept: %s", space_folder, exc)
