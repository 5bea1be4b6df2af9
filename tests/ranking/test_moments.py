"""Grouping hits into results is a pure function of the hits, whatever order a backend
returned them in."""

from __future__ import annotations

from pathlib import Path

from indexer.search.moments import Hit, group_moments


def photo(segment_id: int, name: str, score: float) -> Hit:
    return Hit(segment_id, Path(name), "photo", "image", None, None, None, score, score, "img")


def test_equal_scores_rank_by_path_in_any_backend_order():
    hits = [
        photo(1, "b.png", 0.9),
        photo(2, "copy.png", 1.0),
        photo(3, "a.png", 1.0 - 6e-8),
        photo(4, "c.png", 0.5),
    ]
    orders = {
        tuple(m.best.path.name for m in group_moments(shuffled, gap=2.0, drop=0.1, per_file=3))
        for shuffled in (hits, hits[::-1], hits[1:] + hits[:1])
    }
    assert orders == {("a.png", "copy.png", "b.png", "c.png")}
