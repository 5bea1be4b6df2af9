"""The query translator (indexer/models/translator.py) on the tiny Marian model, converted by
the app's own child process: what is not English is translated, English is left alone, and a
damaged conversion leaves queries as typed, said once in the log."""

from __future__ import annotations

import pytest

from indexer.models.query_tower_child import start_export
from indexer.models.translator import Translator
from indexer.models.translator_convert import conversion_folder
from indexer.search.cohort_languages import query_language
from tests.support.models import SOUNDS_TRANSLATOR


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    root = tmp_path_factory.mktemp("translators")
    assert start_export(str(SOUNDS_TRANSLATOR), None, root, job="translator").wait(timeout=300) == 0
    return root


def _english(text: str) -> bool:
    return query_language(text) == "en"  # as the app tells (indexer/search/translation.py)


def test_what_is_not_english_is_translated_and_english_is_not(converted):
    translator = Translator(str(SOUNDS_TRANSLATOR), None, converted, _english)
    assert translator.ready()
    said = translator.to_english(["ein steigendes Zwitschern", "a rising chirp", "上升的啁啾声"])
    assert said == ["a rising chirp", "a rising chirp", "a rising chirp"]


def test_without_a_conversion_queries_go_as_typed(tmp_path):
    translator = Translator(str(SOUNDS_TRANSLATOR), None, tmp_path, _english)
    assert not translator.ready()
    assert translator.to_english(["ein steigendes Zwitschern"]) == ["ein steigendes Zwitschern"]


def test_a_damaged_conversion_leaves_queries_as_typed_and_says_so(converted, tmp_path, caplog):
    import shutil

    damaged = tmp_path / "translators"
    shutil.copytree(converted, damaged)
    folder = conversion_folder(damaged, str(SOUNDS_TRANSLATOR), None)
    assert folder is not None
    (folder / "model.bin").write_bytes((folder / "model.bin").read_bytes()[:100])
    translator = Translator(str(SOUNDS_TRANSLATOR), None, damaged, _english)
    assert translator.to_english(["ein weißes Rauschen"]) == ["ein weißes Rauschen"]
    assert translator.to_english(["un ruido blanco"]) == ["un ruido blanco"]
    assert caplog.text.count("does not load") == 1 and "delete it to convert again" in caplog.text


def test_a_query_typed_before_the_translator_was_ready_is_translated_once_it_is(converted, tmp_path):
    """A German sound query typed while the translator was still being converted stayed
    untranslated (noise) for the rest of the session: its vector was remembered by its text."""
    import shutil

    import numpy as np

    from indexer.models.embed import Embedder
    from indexer.settings import SpaceSpec
    from tests.support.models import SOUNDS_CLAP

    later = tmp_path / "translators"
    translator = Translator(str(SOUNDS_TRANSLATOR), None, later, _english)
    embedder = Embedder(SpaceSpec("audio", str(SOUNDS_CLAP)), device="cpu", translator=translator)
    german, english = "ein steigendes Zwitschern", "a rising chirp"
    before = embedder.encode_text([german])[0]
    shutil.copytree(converted, later)  # the conversion has finished meanwhile
    assert translator.ready()
    after, wanted = embedder.encode_text([german])[0], embedder.encode_text([english])[0]
    assert np.allclose(after, wanted, atol=1e-5) and not np.allclose(before, wanted, atol=1e-3)
