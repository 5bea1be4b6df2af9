"""Sound queries in other languages: CLAP reads English only, so a query that is not English
goes to the sound space through the query translator (indexer/models/translator.py: here the
tiny Marian model of tests/models/train_translator.py, converted to CTranslate2 by the app's
own child process), and is judged against its own language's cohort, translated the same way.

The phrases asked for were never given to the translator outside English (HELD_OUT there)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from indexer import Query, build_engine
from indexer.engine import Engine
from tests.models.train_translator import LANGUAGES, QUALITIES, SOUNDS, phrase
from tests.ranking.conftest import trained_settings
from tests.support.eval_folder import SOUND_EVERY_S, SOUND_S
from tests.support.models import SOUNDS_TRANSLATOR

AUDIO = frozenset({"audio"})
# The eval folder's sounds (tests/support/synthetic.py), asked for by the translator's held-out phrases.
ASKED = {
    "rising": ("rising", "chirp"),
    "noise": ("white", "noise"),
    "beeps": ("short", "beep"),
    "low": ("deep", "hum"),
}


def _phrases(kind: str) -> list[str]:
    quality, sound = ASKED[kind]
    q = next(i for i, row in enumerate(QUALITIES) if row[0] == quality)
    s = next(i for i, row in enumerate(SOUNDS) if row[0] == sound)
    return [phrase(lang, q, s) for lang in LANGUAGES]


def _engine(tmp_path_factory, eval_folder, translator: str) -> Iterator[Engine]:
    settings = trained_settings(tmp_path_factory.mktemp("sound-languages") / "data")
    with build_engine(replace(settings, query_translator=translator)) as engine:
        engine.index([eval_folder.root])
        engine.queries_ready(wait_s=300)  # waits for the translator's conversion too
        yield engine


@pytest.fixture(scope="module")
def translating(tmp_path_factory, eval_folder) -> Iterator[Engine]:
    yield from _engine(tmp_path_factory, eval_folder, str(SOUNDS_TRANSLATOR))


@pytest.fixture(scope="module")
def untranslated(tmp_path_factory, eval_folder) -> Iterator[Engine]:
    yield from _engine(tmp_path_factory, eval_folder, "none")


def _top(engine: Engine, text: str) -> tuple | None:
    response = engine.search(Query(text=text, kinds=AUDIO))
    return (response[0].path, response[0].t) if response.good_match else None


def _at_its_time(engine: Engine, eval_folder, text: str, kind: str) -> bool:
    top, i = _top(engine, text), eval_folder.sounds.index(kind)
    return (
        top is not None
        and top[0] == eval_folder.recording
        and i * SOUND_EVERY_S <= top[1] <= i * SOUND_EVERY_S + SOUND_S
    )


def test_a_sound_query_in_another_language_finds_what_its_english_finds(translating, eval_folder):
    """The tiny translator writes 14 of these 16 phrases right (train_translator.py prints
    them; 短促的哔声 comes out "a high beep", طنين عميق "a deep beep")."""
    same = [t for k in ASKED for t in _phrases(k) if _top(translating, t) == _top(translating, _english(k))]
    assert len(same) >= 13, same


def test_a_sound_query_in_each_language_finds_the_sound_at_its_time(translating, eval_folder):
    """The phrases the tiny CLAP was taught in English ("a rising chirp", "a deep hum")."""
    for kind in ("rising", "low"):
        assert _at_its_time(translating, eval_folder, _english(kind), kind)
        found = [t for t in _phrases(kind) if _at_its_time(translating, eval_folder, t, kind)]
        assert len(found) >= 3, (kind, found)


def test_without_the_translator_they_are_no_good_match_not_noise(untranslated, eval_folder):
    for kind in ASKED:
        for text in _phrases(kind):
            assert not untranslated.search(Query(text=text, kinds=AUDIO)).good_match, text


def test_english_is_not_translated(translating, untranslated, eval_folder):
    for kind in ASKED:
        english = _english(kind)
        ours = translating.search(Query(text=english, kinds=AUDIO, show_all=True))
        theirs = untranslated.search(Query(text=english, kinds=AUDIO, show_all=True))
        # The same query vector; the last float32 digit may differ with the order in which
        # each engine's calibration sample was summed (a translation moves scores by far more).
        assert [r.score for r in ours] == pytest.approx([r.score for r in theirs], rel=1e-6)


def _english(kind: str) -> str:
    return f"a {' '.join(ASKED[kind])}"


def test_a_translator_that_is_no_translator_is_logged_and_queries_go_as_typed(tmp_path, eval_folder):
    from tests.support.models import SHAPES_CLIP

    settings = replace(trained_settings(tmp_path / "data"), query_translator=str(SHAPES_CLIP))
    with build_engine(settings) as engine:
        engine.index([eval_folder.root])
        engine.queries_ready(wait_s=300)
        german = _phrases("rising")[0]
        assert not engine.search(Query(text=german, kinds=AUDIO)).good_match  # as typed: noise to CLAP
        assert _at_its_time(engine, eval_folder, _english("rising"), "rising")  # English goes on
    log = (settings.translators.parent / "export.log").read_text(encoding="utf-8")
    assert f"No translator from {SHAPES_CLIP}" in log
