"""A space is declared by what it embeds and answers: a third, test-only space (a second picture
model, for photos only) is added by settings alone, and is filled, searched and merged with the
other two without any change to the engine, the searcher or the calibrator.

The `image` space here uses the plain-trained CLIP and the third the better-trained one, so
photos are found through the third space when it is searched and merged (through `image` when
it is not: the test below fails then)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

import pytest

from indexer import Query, build_engine
from indexer.engine import Engine
from indexer.settings import SpaceSpec
from tests.ranking.conftest import trained_settings
from tests.support.models import SHAPES_CLIP, SHAPES_CLIP_PLAIN, SOUNDS_CLAP
from tests.support.synthetic import SOUNDS

THIRD = SpaceSpec("photos-too", str(SHAPES_CLIP), embeds=("photo",), answers=("text", "image"))


@pytest.fixture(scope="module")
def three(tmp_path_factory, eval_folder) -> Iterator[Engine]:
    settings = trained_settings(tmp_path_factory.mktemp("three") / "data")
    spaces = (SpaceSpec("image", str(SHAPES_CLIP_PLAIN)), SpaceSpec("audio", str(SOUNDS_CLAP)), THIRD)
    with build_engine(replace(settings, spaces=spaces)) as engine:
        engine.index([eval_folder.root])
        yield engine


def _space(engine: Engine, name: str):
    return next(s for s in engine.spaces if s.name == name)


def test_the_third_space_holds_the_photos_and_nothing_else(three, eval_folder):
    held = set(_space(three, "photos-too").snapshot().ids().tolist())
    photos = three.catalog.segments.expected_ids(["photo"])
    assert held == photos and len(held) == len(eval_folder.photos)
    frames_and_sounds = three.catalog.segments.expected_ids(["frame", "audio_window"])
    assert frames_and_sounds and not held & frames_and_sounds
    assert set(_space(three, "image").snapshot().ids().tolist()) == three.catalog.segments.expected_ids(
        ["photo", "frame"]
    )


def test_searches_merge_all_three_spaces(three, eval_folder):
    photos = list(eval_folder.photos.items())[:22]
    found_by = Counter()
    right = 0
    for path, scene in photos:
        results = three.search(Query(text=scene.caption))
        right += results[0].path == path
        found_by.update(r.space for r in results[:5])
    for scene in eval_folder.video_scenes[:3]:  # frames: only in `image`
        found_by.update(
            r.space for r in three.search(Query(text=scene.caption, kinds=frozenset({"video"})))[:1]
        )
    sound = three.search(Query(text=SOUNDS[eval_folder.sounds[0]][0], kinds=frozenset({"audio"})))
    found_by.update(r.space for r in sound[:1])
    assert set(found_by) == {"image", "audio", "photos-too"}, found_by
    assert right >= 21  # the plain model alone ranks 19 of 22 first: the third space's votes count


def test_an_example_photo_is_searched_in_every_space_that_answers_pictures(three, eval_folder):
    path = next(iter(eval_folder.photos))
    results = three.search(Query(examples=(path,)))
    assert results[0].path == path
    assert {r.space for r in results.results + results.hidden} >= {"image", "photos-too"}
