"""The result model: Qt's model checks, grouping of moments under their file, score bars."""

from __future__ import annotations

from pathlib import Path

from desktop.results_model import ResultsModel, arrange
from desktop.thumbnails import ThumbnailLoader
from indexer import SearchResult


def result(name: str, score: float, start: float | None = None, kind: str = "video", **more) -> SearchResult:
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
        **more,
    )


def test_a_files_further_moments_are_listed_right_under_it():
    results = [
        result("a.mp4", 5.0, 10, moments=(result("a.mp4", 3.0, 40),)),
        result("b.jpg", 4.0),
        result("c.mp4", 2.5, 0),
    ]
    rows = arrange(results)
    assert [(r.result.path.name, r.result.start, r.moment, r.moments) for r in rows] == [
        ("a.mp4", 10, 0, 2),
        ("a.mp4", 40, 1, 2),
        ("b.jpg", None, 0, 1),
        ("c.mp4", 0, 0, 1),
    ]


def test_score_bars_are_on_a_fixed_scale_so_weak_guesses_look_weak():
    strong = arrange([result("a.jpg", 7.0), result("b.jpg", 3.5)])
    weak = arrange([result("z.jpg", 1.2), result("y.jpg", 0.9)])
    assert strong[0].strength == 1.0 and 0.5 < strong[1].strength < 0.7
    assert weak[0].strength < 0.25  # the best of a "no good match" list is not a full bar
    raw = arrange([result("a.jpg", 0.8)], calibrated=False)
    assert raw[0].strength == 0.3  # the cosine


def test_near_duplicates_open_under_their_photo_and_fold_again(qapp, indexed):
    engine, _ = indexed
    model = ResultsModel(ThumbnailLoader(engine))
    burst = result("1.jpg", 5.0, similar=(result("2.jpg", 4.9), result("3.jpg", 4.8)))
    model.set_results([burst, result("other.jpg", 4.0)])
    assert model.rowCount() == 2
    model.toggle_similar(burst)
    names = [(model.row(i).result.path.name, model.row(i).similar) for i in range(model.rowCount())]
    assert names == [("1.jpg", False), ("2.jpg", True), ("3.jpg", True), ("other.jpg", False)]
    model.toggle_similar(burst)
    assert model.rowCount() == 2


def test_the_model_passes_qts_model_checks(qtmodeltester, indexed):
    engine, _ = indexed
    model = ResultsModel(ThumbnailLoader(engine))
    model.set_results([result(f"{i}.mp4", 10 - i * 0.1, i) for i in range(30)])
    model.toggle_similar(model.row(0).result)  # opening nothing changes nothing
    qtmodeltester.check(model)
    assert model.rowCount() == 30
