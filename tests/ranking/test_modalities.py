"""A sound wins only when the query is about sound (the app issue's defect 4): "a red", on
the way to "a red circle", gave a recording as the only good result, and a pasted picture
plus words listed sound files first. Both held on the tiny models trained the plain way
(captions only) as much as on the pair trained with unrelated texts, so each claim here is
checked on both.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from indexer import Query, build_engine
from indexer.engine import Engine
from indexer.search.looks import about_looks
from tests.ranking.conftest import plain_settings, trained_settings

COLOURS = ("red", "a red", "blue", "a blue", "green", "a yellow", "white", "a black")


@pytest.fixture(scope="module", params=["trained", "plain"])
def engine(request, tmp_path_factory, eval_folder) -> Iterator[Engine]:
    settings = trained_settings if request.param == "trained" else plain_settings
    with build_engine(settings(tmp_path_factory.mktemp(request.param) / "data")) as engine:
        engine.index([eval_folder.root])
        yield engine


@pytest.mark.parametrize("text", COLOURS)
def test_a_colour_typed_alone_finds_pictures_and_no_sound(engine, text):
    response = engine.search(Query(text=text, show_all=True))
    assert response.results and response.results[0].modality == "image"
    assert not [r for r in response.results + response.hidden if r.modality == "audio"]


def test_a_sound_named_with_a_colour_is_still_a_sound(engine):
    assert engine.search(Query(text="white noise"))[0].modality == "audio"


def test_a_pasted_picture_plus_words_lists_pictures_before_sounds(engine, eval_folder):
    """A recording that matches the words but cannot look like the picture answers half the
    query, not all of it."""
    for path, scene in list(eval_folder.photos.items())[:22]:
        first = engine.search(Query(text=scene.shape, examples=(path,)))[0]
        assert first.modality == "image", (scene.shape, path.name, first.path.name)


@pytest.mark.parametrize(
    "text, looks",
    [
        ("a red", True),
        ("Dark Green", True),
        ("ein rotes", True),
        ("красная", True),
        ("赤い", True),
        ("빨간색", True),
        ("الأحمر", True),
        ("white noise", False),
        ("a red fox barking", False),
        ("红色的狗", False),
        ("rotation", False),
        ("синус", False),
        ("a", False),
    ],
)
def test_what_counts_as_a_query_about_looks(text, looks):
    assert about_looks(text) is looks
