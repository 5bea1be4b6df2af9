"""Richer queries on the trained index: negatives, text + example, examples of every kind,
near-duplicates, filters, the relevance cutoff, and the eval command."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
from PIL import Image

from indexer import Query, build_engine, parse_query
from indexer.errors import FramefindError
from indexer.search.evaluate import evaluate
from tests.ranking.conftest import trained_settings
from tests.support.media import write_video
from tests.support.synthetic import Scene, all_scenes, draw_scene


@pytest.fixture(scope="module")
def shapes(tmp_path_factory):
    """Red circles on several grounds, a burst of near-duplicates, and other shapes."""
    root = tmp_path_factory.mktemp("shapes") / "media"
    root.mkdir()
    scenes = {
        "red-on-blue.png": Scene("red", "circle", "blue"),
        "red-on-green.png": Scene("red", "circle", "green"),
        "red-on-white.png": Scene("red", "circle", "white"),
        "blue-square.png": Scene("blue", "square", "yellow"),
        "green-triangle.png": Scene("green", "triangle", "black"),
        "yellow-square.png": Scene("yellow", "square", "blue"),
    }
    for name, scene in scenes.items():
        draw_scene(scene, None, size=160).save(root / name)
    burst = root / "burst"
    burst.mkdir()
    draw_scene(Scene("white", "triangle", "red"), None, size=160).save(burst / "1.png")
    shutil.copy(burst / "1.png", burst / "2-copy.png")
    Image.open(burst / "1.png").resize((90, 90)).save(burst / "3-small.jpg", quality=95)
    old = root / "red-on-white.png"
    os.utime(old, (1_500_000_000, 1_500_000_000))  # 2017
    with build_engine(trained_settings(tmp_path_factory.mktemp("shapes-data") / "data")) as engine:
        engine.index([root])
        yield engine, root


def test_negative_terms_push_matches_down(shapes):
    engine, _ = shapes
    plain = [r.path.name for r in engine.search(Query(text="a red circle", show_all=True))]
    minus = [
        r.path.name for r in engine.search(parse_query('a red circle -"a circle on blue"', show_all=True))
    ]
    assert minus.index("red-on-blue.png") > plain.index("red-on-blue.png")
    assert minus.index("red-on-blue.png") > max(
        minus.index("red-on-white.png"), minus.index("red-on-green.png")
    )


def test_text_and_example_combine(shapes):
    engine, root = shapes
    # like this red circle on green, but "on white": the red circle on white wins
    both = engine.search(Query(text="a circle on white", examples=(root / "red-on-green.png",)))
    assert both[0].path.name == "red-on-white.png"


def test_near_duplicates_fold_into_one_result(shapes):
    engine, _ = shapes
    results = engine.search(Query(text="a white triangle on red"))
    burst = [r for r in results if r.path.parent.name == "burst"]
    assert len(burst) == 1 and len(burst[0].similar) == 2


def test_examples_of_every_kind_and_more_like_this(shapes, tmp_path):
    engine, root = shapes
    clip = tmp_path / "clip.mp4"
    from tests.support.media import write_video

    write_video(clip, [draw_scene(Scene("blue", "square", "yellow"), None, 120)] * 3, size=(120, 120))
    assert engine.search(Query(examples=(clip,)))[0].path.name == "blue-square.png"
    assert engine.search(Query(examples=(root / "burst",)))[0].path.parent.name == "burst"
    first = engine.search(Query(text="a green triangle on black"))[0]
    assert first.path not in [r.path for r in engine.search(Query(like=(first.segment_id,), show_all=True))]


@pytest.fixture(scope="module")
def every_scene(tmp_path_factory):
    """One photo of each of the 90 scenes (colour × shape × ground)."""
    root = tmp_path_factory.mktemp("scenes") / "media"
    root.mkdir()
    rng = np.random.default_rng(3)
    for scene in all_scenes():
        draw_scene(scene, rng, size=160).save(
            root / f"{scene.colour}-{scene.shape}-on-{scene.background}.png"
        )
    with build_engine(trained_settings(tmp_path_factory.mktemp("scenes-data") / "data")) as engine:
        engine.index([root])
        yield engine


def test_more_like_this_lists_similar_photos_as_good_matches_not_the_example(every_scene):
    """It listed the example itself as the only good result, every similar photo behind
    "Show weaker" (the example's own cosine of 1 was the list's cliff): the example is the
    reference, not a result."""
    engine = every_scene
    text = engine.search(Query(text="a red circle on blue", show_all=True))
    example = next(r for r in text if r.path.stem == "red-circle-on-blue")
    response = engine.search(Query(like=(example.segment_id,), limit=50))
    assert response.good_match
    good = [r.path.stem.replace("-on-", "-").split("-") for r in response.results[: response.cleared]]
    everything = [
        p.stem for r in response.results + response.hidden for p in (r.path, *(s.path for s in r.similar))
    ]
    assert "red-circle-on-blue" not in everything and len(everything) == 89
    assert len(good) >= 3  # similar photos, not one
    for colour, shape, ground in good[:3]:  # each shares two of red, circle, on blue
        assert (colour == "red") + (shape == "circle") + (ground == "blue") >= 2, good[:3]


def test_sorting_by_date_or_name_reorders_the_good_matches_and_keeps_the_weaker_after(shapes):
    engine, root = shapes
    for i, name in enumerate(("red-on-blue.png", "red-on-green.png")):  # 2020, 2021; red-on-white is 2017
        os.utime(root / name, (1_580_000_000 + i * 3e7, 1_580_000_000 + i * 3e7))
    engine.index([root])  # the new times are read
    relevance = engine.search(Query(text="a red circle", show_all=True))
    good = {r.path.name for r in relevance.results[: relevance.cleared]}
    assert {"red-on-blue.png", "red-on-green.png", "red-on-white.png"} <= good
    for sort, expected in (
        ("date", ["red-on-green.png", "red-on-blue.png", "red-on-white.png"]),
        ("oldest", ["red-on-white.png", "red-on-blue.png", "red-on-green.png"]),
        ("name", ["red-on-blue.png", "red-on-green.png", "red-on-white.png"]),
    ):
        response = engine.search(parse_query(f"a red circle sort:{sort}", show_all=True))
        names = [r.path.name for r in response.results]
        assert [n for n in names if n.startswith("red-on")] == expected, sort
        assert set(names[: response.cleared]) == good  # the same good matches, reordered
        if sort == "name":  # and the weaker ones after them, in the same order among themselves
            weaker = names[response.cleared :]
            assert weaker and weaker == sorted(weaker, key=str.casefold)
    with pytest.raises(FramefindError, match="Unknown sort"):
        Query(text="x", sort="size")


def test_filters_by_date_and_duration(shapes):
    engine, _ = shapes
    old = engine.search(parse_query("a red circle before:2018", show_all=True))
    assert [r.path.name for r in old] == ["red-on-white.png"]
    assert engine.search(Query(text="a red circle", min_duration=1.0)).results == []


def test_the_cutoff_hides_the_weak_tail_until_asked(shapes):
    engine, _ = shapes
    response = engine.search(Query(text="a green triangle on black"))
    assert response[0].path.name == "green-triangle.png"
    assert response.hidden and len(response.results) < len(response.results) + len(response.hidden)
    everything = engine.search(Query(text="a green triangle on black", show_all=True))
    assert len(everything) == len(response.results) + len(response.hidden)


def test_parse_query_reads_filters_and_negatives():
    q = parse_query('beach -people -"crowd of people" kind:photo,video longer:2m in:/tmp after:2021-06')
    assert q.text == "beach" and q.negatives == ("people", "crowd of people")
    assert q.kinds == {"photo", "video"} and q.min_duration == 120 and str(q.folder) == "/tmp"
    with pytest.raises(FramefindError, match="Cannot read the date"):
        parse_query("x after:yesterday")


def test_eval_meets_the_targets_that_the_query_side_alone_misses(eval_folder, tmp_path):
    """Pictures, sounds and gibberish over one folder of photos, videos with soundtracks
    and recordings: the right kind first, nothing shown for gibberish, recall kept."""
    metrics = {m.name: m for m in evaluate(trained_settings(tmp_path / "unused"), eval_folder.root)}
    raw, brute = metrics["indexed (raw cosine)"], metrics["brute force (raw)"]
    used, query_side = metrics["query + cohort (used)"], metrics["z-norm (query side)"]
    assert raw.recall == brute.recall and raw.mrr == pytest.approx(brute.mrr)
    assert used.right_kind >= 0.95 and used.nothing_shown >= 0.9
    assert used.recall[1] >= max(query_side.recall[1], 0.85) and used.recall[10] >= 0.95
    assert query_side.right_kind < 0.95 and query_side.nothing_shown < 0.9
    assert raw.nothing_shown == 0  # raw cosines have no notion of chance: everything is shown


def test_date_filters_use_when_a_photo_or_video_was_taken_not_when_it_was_copied(tmp_path):
    """A photo whose EXIF says 2012 and a video whose container says 2012, both copied today:
    'before:2013' finds them, 'after:2020' does not (their files' times say today)."""
    media = tmp_path / "media"
    media.mkdir()
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = "2012:05:01 10:00:00"  # DateTimeOriginal
    draw_scene(Scene("red", "circle", "blue"), None, size=160).save(media / "scan.jpg", exif=exif)
    draw_scene(Scene("green", "triangle", "black"), None, size=160).save(media / "today.png")
    red = draw_scene(Scene("red", "circle", "green"), None, size=160)
    write_video(media / "clip.mp4", [red, red], metadata={"creation_time": "2012-06-01T10:00:00Z"})
    with build_engine(trained_settings(tmp_path / "data")) as engine:
        engine.index([media])
        old = {r.path.name for r in engine.search(parse_query("a red circle before:2013", show_all=True))}
        new = {r.path.name for r in engine.search(parse_query("a red circle after:2020", show_all=True))}
    assert old == {"scan.jpg", "clip.mp4"}
    assert "scan.jpg" not in new and "clip.mp4" not in new
