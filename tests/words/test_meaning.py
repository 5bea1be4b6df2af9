"""What is said, found by its meaning: a paraphrase or another language finds the line that
says none of the query's words, in the one list with the rest, and a words space follows the
catalog's lines as the picture and sound spaces follow their segments.

The meaning rests on tests/models/words-paraphrase, a tiny model trained on paraphrase and
translation pairs of a toy language (tests/models/train_words.py), never on these lines or
queries. Subtitles say the lines (tests/words/test_speech.py has speech recognised).
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from indexer import Query, build_engine, parse_query
from indexer.cli import main
from indexer.settings import SpaceSpec
from tests.ranking.conftest import trained_settings
from tests.support.media import write_video
from tests.support.subtitles import write_srt
from tests.support.synthetic import Scene, all_scenes, draw_scene

WORDS = Path(__file__).parent.parent / "models" / "words-paraphrase"
BUDGET = "next year we must reduce the budget"
SMALL_TALK = [  # the other lines a library holds: the calibration's sample of lines
    "the weather looks good tomorrow",
    "let's buy a new car for the kids",
    "thank you everyone for the coffee",
    "our team will fix the phone battery",
    "the dog runs in the garden",
    "we play music at the school",
    "the city trip was fun",
    "a big meal for the family",
    "the customer wants a fast answer",
    "this week the sales grow",
]


def _settings(data: Path, words: str = str(WORDS)):
    settings = trained_settings(data)
    return replace(settings, spaces=(*settings.spaces, SpaceSpec("words", words)))


def _video(path: Path, said: list[tuple[float, float, str]]) -> Path:
    write_video(
        path, [draw_scene(Scene("yellow", "triangle", "black"), None, 96)] * 2, scene_s=4.0, size=(96, 96)
    )
    write_srt(path.with_suffix(".srt"), said)
    return path


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory):
    media = tmp_path_factory.mktemp("meaning") / "media"
    _video(media / "budget.mp4", [(1.0, 3.0, "good morning"), (4.0, 7.0, BUDGET)])
    _video(media / "small-talk.mp4", [(i * 0.7, i * 0.7 + 0.6, text) for i, text in enumerate(SMALL_TALK)])
    for scene in all_scenes()[:10]:
        draw_scene(scene).save(media / f"{scene.colour}-{scene.shape}-{scene.background}.png")
    settings = _settings(tmp_path_factory.mktemp("data"))
    with build_engine(settings) as engine:
        engine.index([media])
        report = engine.transcribe()
    assert report.lines_embedded == 2 + len(SMALL_TALK)
    return settings, media


def _said(results) -> list[tuple[str, str, str]]:
    return [(r.path.name, r.quote.text, r.quote.found_by) for r in results if r.quote is not None]


def test_a_paraphrase_finds_the_line_that_says_none_of_its_words(library):
    settings, _ = library
    with build_engine(settings) as engine:
        found = engine.search(Query(text="cut spending"))
        assert found.good_match
        assert _said(found.results)[0] == ("budget.mp4", BUDGET, "meaning")
        top = next(r for r in found.results if r.quote is not None)
        assert top.t == pytest.approx(4.0) and top.quote.marks == ()  # no word of it said: the line's start
        said_only = engine.search(parse_query("said: cut spending"))
        assert _said(said_only.results)[0] == ("budget.mp4", BUDGET, "meaning")
        assert all(r.modality == "words" for r in said_only.results)


def test_another_language_finds_it_too(library):
    settings, _ = library
    with build_engine(settings) as engine:
        found = engine.search(Query(text="recortar el presupuesto"))
    assert _said(found.results)[0] == ("budget.mp4", BUDGET, "meaning")


def test_a_line_found_by_its_words_and_its_meaning_is_one_result_saying_both(library):
    settings, _ = library
    with build_engine(settings) as engine:
        found = engine.search(parse_query("said: reduce the budget"))
    said = _said(found.results)
    assert said[0] == ("budget.mp4", BUDGET, "both")
    assert [s for s in said if s[1] == BUDGET] == [said[0]]  # one hit per line
    marked = found.results[0].quote
    assert [marked.text[a:b] for a, b in marked.marks] == ["reduce", "the", "budget"]
    assert found.results[0].t == pytest.approx(4.0 + 3.0 * BUDGET.index("reduce") / len(BUDGET), abs=0.01)


def test_nonsense_finds_no_line_by_meaning(library):
    settings, _ = library
    with build_engine(settings) as engine:
        for text in ("qwertyuiop", "zzzz xkcd"):
            found = engine.search(parse_query(f"said: {text}"))
            assert not found.good_match or not found.results, (text, _said(found.results))


def test_without_a_words_model_the_paraphrase_is_not_found_but_the_words_are(library, tmp_path):
    """The control: the same library, meaning off. What found the paraphrase is the space."""
    _, media = library
    settings = _settings(tmp_path / "data", "none")
    settings = replace(settings, spaces=tuple(s for s in settings.spaces if s.model != "none"))
    with build_engine(settings) as engine:
        engine.index([media])
        engine.transcribe()
        assert _said(engine.search(parse_query("said: cut spending")).results) == []
        assert _said(engine.search(parse_query("said: reduce the budget")).results)[0][2] == "words"


def test_a_words_model_that_cannot_load_leaves_words_found_by_their_letters(library, tmp_path, caplog):
    _, media = library
    settings = _settings(tmp_path / "data", str(tmp_path / "no-such-model"))
    with build_engine(settings) as engine, caplog.at_level(logging.WARNING):
        engine.index([media])
        report = engine.transcribe()
        found = engine.search(parse_query("said: reduce the budget"))
    assert report.lines_embedded == 0
    assert _said(found.results)[0] == ("budget.mp4", BUDGET, "words")
    assert "no-such-model" in caplog.text and "found by their letters" in caplog.text


def test_the_words_space_follows_the_lines_when_subtitles_change(library, tmp_path):
    _, source = library
    media = tmp_path / "media"
    media.mkdir()
    video = _video(media / "budget.mp4", [(4.0, 7.0, BUDGET)])
    for name in ("small-talk.mp4", "small-talk.srt"):
        shutil.copy(source / name, media / name)
    settings = _settings(tmp_path / "data")
    with build_engine(settings) as engine:
        engine.index([media])
        engine.transcribe()
        write_srt(video.with_suffix(".srt"), [(2.0, 5.0, "our funds will grow")])
        engine.update([video.with_suffix(".srt")])
        assert engine.transcribe().lines_embedded == 1
        missing, extra = engine.discrepancies()["words"]
        assert (missing, extra) == (set(), set())  # the old line's vector went with it
        assert (
            engine.catalog.segments.expected_count(["line"]) == engine.catalog.lines.count()
        )  # and its segment
        assert _said(engine.search(parse_query("said: more money")).results)[0][:2] == (
            "budget.mp4",
            "our funds will grow",
        )
        assert all(s[1] != BUDGET for s in _said(engine.search(parse_query("said: cut spending")).results))


def test_the_command_line_says_what_matched(library, capsys, monkeypatch):
    settings, _ = library
    monkeypatch.setenv("FRAMEFIND_SPEECH_MODEL", "none")
    args = ["--data-dir", str(settings.data_dir), "--image-model", settings.spaces[0].model]
    args += ["--audio-model", settings.spaces[1].model, "--words-model", str(WORDS)]
    assert main([*args, "search", "--here", "said: cut spending"]) == 0
    assert f"“{BUDGET}” (by meaning)" in capsys.readouterr().out
    assert main([*args, "search", "--here", "--json", "said: cut spending"]) == 0
    quote = json.loads(capsys.readouterr().out)["results"][0]["quote"]
    assert quote["found_by"] == "meaning" and quote["text"] == BUDGET
