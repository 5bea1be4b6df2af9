"""Where a result list stops being relevant, judged from calibrated scores alone.

Two rules, both in units of the calibrated score (see calibrate.py): a floor (a result
must stand out from chance at all; when nothing does, the search says "no good match"),
and the largest gap in the top of the list (when a query clearly matches a few things, the
rest falls off a cliff). Peer apps that list everything make users scroll past noise;
hidden results stay one "show more" away.
"""

from __future__ import annotations

from collections.abc import Sequence

MIN_GAP = 1.0  # a drop smaller than this many σ is not a cliff
GAP_SHARE = 0.4  # …nor one smaller than this share of the shown scores' range
WINDOW = 50  # gaps are looked for among the top results only


def relevance_cutoff(scores: Sequence[float], floor: float) -> int:
    """How many of these scores (best first) to show; none when nothing reaches `floor`
    (the scoring's own, see Calibrator.floor): nothing is a real match."""
    above = sum(1 for s in scores if s >= floor)
    if not above:
        return 0
    top = list(scores[: min(above, WINDOW)])
    if len(top) < 3:
        return above
    drops = [top[i] - top[i + 1] for i in range(len(top) - 1)]
    at = max(range(len(drops)), key=drops.__getitem__)
    if drops[at] >= max(MIN_GAP, GAP_SHARE * (top[0] - top[-1])):
        return at + 1
    return above
