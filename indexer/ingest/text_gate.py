"""Which photos the text detector looks at: learnt from the detector, on this library.

The detector's quick look (TextReader.look) costs about half of what indexing a photo
does, and most photos hold no text. Every photo already has a picture vector (CLIP's), and
whether a picture shows writing is something such a vector carries. So the gate learns, from
the photos the detector has looked at, which vectors went with text: a linear discriminant
(class means and a shrunk shared covariance: stable with a handful of photos with text, and
solved in milliseconds), refitted as verdicts come in. A photo whose score falls clearly below
every photo with text seen so far is skipped; one whose score is clearly above every photo
without goes straight to the recogniser, whose own detector then says whether it held any.

It skips nothing until the detector has judged MIN_EACH photos of each kind, and it still shows
the detector one in EXPLORE of the photos it would skip: what that finds is counted as missed
(the report's estimate of what the gate misses) and learnt from. Nothing here depends on which
model made the vectors: the detector's verdicts are the teacher.
"""

from __future__ import annotations

import enum

import numpy as np

MIN_EACH = 8  # photos with text, and without, the detector must have judged first
EXPLORE = 20  # one in this many photos the gate would skip is looked at all the same
# past the least-scored photo with text (or the most-scored without) by this many standard
# deviations of a kind's scores
MARGIN = 1.0
REFIT_GROWTH = 1.2  # refit once this many times the verdicts of the last fit are in
MOST = 2000  # verdicts kept: the most recent
FOLDS = 5
SHRINK = 0.1  # of the covariance's mean variance, added to each


class Decision(enum.Enum):
    READ = "read"  # surely text: the recogniser reads it at once
    LOOK = "look"  # the detector looks
    EXPLORE = "explore"  # the gate would skip it; the detector looks, to count what it misses
    SKIP = "skip"


class TextGate:
    """Decides per photo vector; learns from each verdict of the detector."""

    def __init__(self) -> None:
        self._vectors: list[np.ndarray] = []
        self._labels: list[bool] = []
        self._direction: np.ndarray | None = None
        self._floor = 0.0
        self._ceiling = 0.0
        self._seen = 0  # verdicts learnt, all told
        self._fitted = 0  # of them, when it was last fitted
        self._would_skip = 0

    @property
    def ready(self) -> bool:
        """Whether it skips anything yet."""
        return self._direction is not None

    def decide(self, vector: np.ndarray | None) -> Decision:
        """What to do with a photo of this vector (None: it has none, the detector looks)."""
        if vector is None or self._direction is None:
            return Decision.LOOK
        score = float(vector @ self._direction)
        if score > max(self._ceiling, self._floor):  # above every kind of photo without text
            return Decision.READ
        if score >= min(self._floor, self._ceiling):  # where either kind may be
            return Decision.LOOK
        self._would_skip += 1
        return Decision.EXPLORE if self._would_skip % EXPLORE == 0 else Decision.SKIP

    def learn(self, vector: np.ndarray | None, has_text: bool) -> None:
        """The detector's verdict on a photo of this vector."""
        if vector is None:
            return
        self._vectors.append(np.asarray(vector, np.float32))
        self._labels.append(has_text)
        self._seen += 1
        if len(self._labels) > MOST:
            del self._vectors[0], self._labels[0]
        texts = sum(self._labels)
        if min(texts, len(self._labels) - texts) < MIN_EACH:
            return
        if self._direction is None or self._seen >= self._fitted * REFIT_GROWTH:
            self._fit()

    def _fit(self) -> None:
        self._fitted = self._seen
        labels = np.asarray(self._labels)
        vectors = np.stack(self._vectors)
        # The bounds come from scores each photo got from a fit without it (5 folds): a fit
        # scores the photos it was made from too well, and would skip new photos with text.
        folds = np.arange(len(labels)) % FOLDS
        held_out = np.empty(len(labels))
        for fold in range(FOLDS):
            out = folds == fold
            held_out[out] = vectors[out] @ _direction(vectors[~out], labels[~out])
        text, plain = held_out[labels], held_out[~labels]
        spread = float(
            np.sqrt(np.mean(np.concatenate([(text - text.mean()) ** 2, (plain - plain.mean()) ** 2])))
        )
        self._direction = _direction(vectors, labels).astype(np.float32)
        self._floor = float(text.min()) - MARGIN * spread
        self._ceiling = float(plain.max()) + MARGIN * spread


def _direction(vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The linear discriminant: class means, a shared covariance shrunk towards a sphere, unit length."""
    text, plain = vectors[labels], vectors[~labels]
    centred = np.concatenate([text - text.mean(0), plain - plain.mean(0)])
    covariance = centred.T @ centred / len(centred)
    shrunk = covariance + (SHRINK * np.trace(covariance) / len(covariance) + 1e-6) * np.eye(len(covariance))
    direction = np.linalg.solve(shrunk, text.mean(0) - plain.mean(0))
    return direction / max(float(np.linalg.norm(direction)), 1e-12)
