"""Where a result list stops being relevant, judged from calibrated scores alone.

Two rules, both in units of σ above the query's typical document (see calibrate.py):
a floor (a result must stand out from the collection at all), and the largest gap in the
top of the list (when a query clearly matches a few things, the rest falls off a cliff).
Peer apps that list everything make users scroll past noise; hidden results stay one
"show more" away.
"""

from __future__ import annotations

from collections.abc import Sequence

FLOOR = 2.0  # σ above the query's mean over the collection (≈ the top 2% of a normal spread)
MIN_GAP = 1.0  # a drop smaller than this many σ is not a cliff
GAP_SHARE = 0.4  # …nor one smaller than this share of the shown scores' range
WINDOW = 50  # gaps are looked for among the top results only


def relevance_cutoff(scores: Sequence[float]) -> int:
    """How many of these scores (best first) to show; at least one when there are any."""
    if not scores:
        return 0
    above = sum(1 for s in scores if s >= FLOOR) or 1
    top = list(scores[: min(above, WINDOW)])
    if len(top) < 3:
        return above
    drops = [top[i] - top[i + 1] for i in range(len(top) - 1)]
    at = max(range(len(drops)), key=drops.__getitem__)
    if drops[at] >= max(MIN_GAP, GAP_SHARE * (top[0] - top[-1])):
        return at + 1
    return above
