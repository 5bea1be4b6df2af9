"""Where the shown results end: the floor, and the cliff after a few clear matches."""

from __future__ import annotations

from indexer.search.cutoff import relevance_cutoff


def test_a_clear_gap_after_the_matches_ends_the_list_there():
    """Three results far above the rest: the rest, though above the floor, falls off a cliff."""
    scores = [9.0, 8.6, 8.2, 3.6, 3.5, 3.4, 3.3, 3.2]
    assert relevance_cutoff(scores, floor=3.0) == 3


def test_without_a_cliff_everything_above_the_floor_is_shown():
    scores = [5.0, 4.8, 4.6, 4.4, 4.2, 2.0]
    assert relevance_cutoff(scores, floor=3.0) == 5


def test_a_small_step_is_no_cliff():
    """A drop under MIN_GAP σ, even the largest in the list, does not cut it."""
    scores = [4.0, 3.9, 3.3, 3.25, 3.2]
    assert relevance_cutoff(scores, floor=3.0) == 5


def test_nothing_above_the_floor_shows_nothing():
    assert relevance_cutoff([2.9, 2.5, 1.0], floor=3.0) == 0
