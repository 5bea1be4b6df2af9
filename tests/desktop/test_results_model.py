"""The result model: Qt's model checks, grouping of moments under their file, score bars."""

from __future__ import annotations

from pathlib import Path

from desktop.results_model import ResultsModel, arrange
from desktop.thumbnails import ThumbnailLoader
from indexer import SearchResult


def result(name: str, score: float, start: float | None = None, kind: str = "video") -> SearchResult:
    end = None if start is None else start + 4
    return SearchResult(
        Path(f"/m/{name}"),
        kind if start is not None else "photo",
        "image",
        score,
        0.3,
        "image",
        start,
        end,
        start,
        segment_id=int(score * 100),
    )


def test_moments_of_one_file_are_grouped_under_its_best_one():
    results = [
        result("a.mp4", 5.0, 10),
        result("b.jpg", 4.0),
        result("a.mp4", 3.0, 40),
        result("c.mp4", 2.5, 0),
    ]
    rows = arrange(results)
    assert [(r.result.path.name, r.moment, r.moments) for r in rows] == [
        ("a.mp4", 0, 2),
        ("a.mp4", 1, 2),
        ("b.jpg", 0, 1),
        ("c.mp4", 0, 1),
    ]
    assert rows[0].strength == 1.0
    assert rows[0].strength > rows[2].strength > rows[3].strength > 0


def test_the_model_passes_qts_model_checks(qtmodeltester, indexed):
    engine, _ = indexed
    model = ResultsModel(ThumbnailLoader(engine))
    model.set_results([result(f"{i}.mp4", 10 - i * 0.1, i) for i in range(30)])
    qtmodeltester.check(model)
    assert model.rowCount() == 30
