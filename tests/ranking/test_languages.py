"""Picture queries in other languages: the picture space's text queries are embedded by a
multilingual query model (tests/models/shapes-multilingual, distilled from the trained CLIP's
English text tower as clip-ViT-B-32-multilingual-v1 was from OpenAI's), while the pictures
keep the CLIP vectors they were indexed with.

The queries name colours with shapes the student never saw together outside English
(train_multilingual.HELD_OUT), in the forms of its parallel captions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from indexer import Query, build_engine
from indexer.engine import Engine
from indexer.search.cohort_languages import COHORTS, query_language
from indexer.settings import SpaceSpec
from tests.models.train_multilingual import HELD_OUT, LANGUAGES, said
from tests.ranking.conftest import trained_settings
from tests.support.models import SHAPES_CLIP, SHAPES_MULTILINGUAL, SOUNDS_CLAP
from tests.support.synthetic import Scene, all_scenes, draw_scene

PHOTOS = frozenset({"photo"})


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A photo of every scene of the synthetic world: five of each colour and shape."""
    root = tmp_path_factory.mktemp("every-scene")
    for n, scene in enumerate(all_scenes()):
        draw_scene(scene, None, size=96).save(root / f"{n:02d}.png")
    return root


@pytest.fixture(scope="module")
def photos(folder) -> dict[str, Scene]:
    return {f"{n:02d}.png": scene for n, scene in enumerate(all_scenes())}


def _engine(tmp_path_factory, folder: Path, query_model: str | None) -> Iterator[Engine]:
    settings = trained_settings(tmp_path_factory.mktemp("languages") / "data")
    image = SpaceSpec("image", str(SHAPES_CLIP), query_model=query_model)
    with build_engine(replace(settings, spaces=(image, SpaceSpec("audio", str(SOUNDS_CLAP))))) as engine:
        engine.index([folder])
        yield engine


@pytest.fixture(scope="module")
def multilingual(tmp_path_factory, folder) -> Iterator[Engine]:
    yield from _engine(tmp_path_factory, folder, str(SHAPES_MULTILINGUAL))


@pytest.fixture(scope="module")
def english_only(tmp_path_factory, folder) -> Iterator[Engine]:
    yield from _engine(tmp_path_factory, folder, None)


def _queries(languages=LANGUAGES) -> list[tuple[str, str, str]]:
    return [
        (said(lang, colour, shape, None), colour, shape) for colour, shape in HELD_OUT for lang in languages
    ]


def _finds(engine: Engine, photos, text: str, colour: str, shape: str) -> bool:
    response = engine.search(Query(text=text, kinds=PHOTOS))
    top = [photos[r.path.name] for r in response.results[:3]]
    return response.good_match and len(top) == 3 and all(s.colour == colour and s.shape == shape for s in top)


def test_a_query_in_each_language_finds_its_photos(multilingual, photos):
    missed = [
        text for text, colour, shape in _queries() if not _finds(multilingual, photos, text, colour, shape)
    ]
    assert not missed


def test_the_pictures_keep_the_vectors_they_were_indexed_with(multilingual, english_only):
    ours = next(s for s in multilingual.spaces if s.name == "image")
    theirs = next(s for s in english_only.spaces if s.name == "image")
    assert ours.identity == theirs.identity  # one space: a query model embeds nothing again


def test_english_is_found_as_well_as_by_clips_own_text_tower(multilingual, english_only, photos):
    english = _queries(("en",))
    assert all(_finds(multilingual, photos, *q) for q in english)
    assert all(_finds(english_only, photos, *q) for q in english)


# No model here was taught these: Russian, Korean and Greek have a cohort, Hebrew none (the
# cohort its vector lies nearest judges it).
UNTAUGHT = (
    "жёлтый треугольник",
    "зелёный круг",
    "노란 삼각형",
    "초록색 원",
    "ένα κίτρινο τρίγωνο",
    "ένας πράσινος κύκλος",
    "משולש צהוב",
    "עיגול ירוק",
)


def test_a_language_the_space_does_not_read_is_no_good_match_not_noise(english_only, multilingual):
    """CLIP's own English tower reads Chinese, Arabic and Russian as strings of unknown bytes
    (judged against the English cohort, 黄色三角形 was a good match for a photo); so does
    the multilingual model Russian, Korean, Greek and Hebrew, which it was not taught."""
    for text, _, _ in _queries(("zh", "ar")):
        assert not english_only.search(Query(text=text, kinds=PHOTOS)).good_match, text
    for text in UNTAUGHT:
        assert not english_only.search(Query(text=text, kinds=PHOTOS)).good_match, text
        assert not multilingual.search(Query(text=text, kinds=PHOTOS)).good_match, text


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("a red circle", "en"),
        ("zzzz", "en"),
        ("ein gelbes Dreieck", "de"),
        ("une photo de la plage", "fr"),
        ("黄色三角形", "zh"),
        ("犬の鳴き声", "ja"),
        ("مثلث أصفر", "ar"),
        ("белый шум", "ru"),
        ("강아지", "ko"),
        ("ένα κίτρινο τρίγωνο", "el"),
        ("משולש צהוב", None),  # no Hebrew cohort: the space's vectors tell
    ],
)
def test_a_query_is_judged_against_the_cohort_of_its_language(text, language):
    assert query_language(text) == language


def test_every_cohort_says_the_english_generic_queries_line_for_line():
    assert {"de", "es", "fr", "zh", "ja", "ko", "ar", "ru", "el"} <= set(COHORTS)
    for language, texts in COHORTS.items():
        assert len(texts) == len(COHORTS["en"]) and len(set(texts)) == len(texts), language
        assert all(t.strip() == t and t for t in texts), language
