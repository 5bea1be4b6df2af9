"""A text query searches pictures, sounds and what is said together, in one list: a moment
said and shown at once ranks above one only shown or only said, a moment found by words is
quoted with its matched words marked and starts at the first of them, and `said:` and
`lang:` keep to words. (Subtitles say the words here; tests/words/test_speech.py has them
recognised. Pictures are scored by the trained tiny CLIP of the shapes world.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer import Query, build_engine, parse_query
from indexer.cli import main
from tests.ranking.conftest import trained_settings
from tests.support.media import write_video
from tests.support.subtitles import write_srt
from tests.support.synthetic import Scene, all_scenes, draw_scene

RED_CIRCLE = Scene("red", "circle", "blue")
ELSEWHERE = Scene("yellow", "triangle", "black")


Said = list[tuple[float, float, str]]


def _video(path: Path, scenes: list[Scene], said: Said | None = None, lang: str = "") -> Path:
    write_video(path, [draw_scene(s, None, 120) for s in scenes], scene_s=4.0, size=(120, 120))
    if said:
        write_srt(path.with_suffix(f".{lang}.srt" if lang else ".srt"), said)
    return path


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory):
    media = tmp_path_factory.mktemp("words") / "media"
    # Named so that, were the two kinds of evidence not joined, a tie would put another first.
    _video(media / "z-both.mp4", [ELSEWHERE, RED_CIRCLE], [(4.5, 7.5, "Look, a red circle on blue")])
    _video(media / "a-shown.mp4", [ELSEWHERE, RED_CIRCLE])
    _video(media / "a-said.mp4", [ELSEWHERE, ELSEWHERE], [(1.0, 3.5, "Look, a red circle on blue")])
    _video(media / "a-other.mp4", [ELSEWHERE], [(0.5, 2.0, "Guten Morgen, der Kreis ist rot")], "de")
    for scene in [s for s in all_scenes() if s.colour != "red"][:12]:  # the calibration's sample
        draw_scene(scene).save(media / f"{scene.colour}-{scene.shape}-{scene.background}.png")
    settings = trained_settings(tmp_path_factory.mktemp("data"))
    with build_engine(settings) as engine:
        engine.index([media])
    return settings, media


def test_a_moment_said_and_shown_ranks_above_one_that_is_only_either(library):
    settings, _ = library
    with build_engine(settings) as engine:
        found = engine.search(Query(text="a red circle on blue", limit=30, show_all=True))
    order = [r.path.name for r in found.results]
    assert order[0] == "z-both.mp4", order
    both = found.results[0]
    assert both.quote is not None and both.quote.text == "Look, a red circle on blue"
    assert 4.0 <= both.start <= 4.5 and both.end >= 7.5  # the frames and the line, one moment
    for alone in ("a-shown.mp4", "a-said.mp4"):
        assert alone in order and both.score > found.results[order.index(alone)].score


def test_a_moment_found_by_words_quotes_them_and_starts_at_the_first(library):
    settings, _ = library
    with build_engine(settings) as engine:
        found = engine.search(parse_query('said:"red circle"'))
    assert sorted(r.path.name for r in found.results) == ["a-said.mp4", "z-both.mp4"]
    said = next(r for r in found.results if r.path.name == "a-said.mp4")
    quote = said.quote
    assert quote is not None and quote.source == "sidecar"
    assert [quote.text[a:b] for a, b in quote.marks] == ["red", "circle"]
    # no word times in subtitles: "red" is 8 of the line's 26 characters in, of 2.5 s
    assert said.t == pytest.approx(1.0 + 2.5 * 8 / 26, abs=0.01)
    assert all(r.modality == "words" for r in found.results)  # said: keeps to words


def test_language_and_nonsense(library):
    settings, _ = library
    with build_engine(settings) as engine:
        german = engine.search(parse_query("kreis rot lang:de"))
        assert [r.path.name for r in german.results] == ["a-other.mp4"]
        assert engine.search(parse_query("red circle lang:de")).results == []
        assert not engine.search(Query(text="qwpzx vrrtk")).good_match  # still "no good match"
        # "look" alone, among words nobody said, is not a match
        assert all(r.quote is None for r in engine.search(Query(text="look zebra crossing tomorrow")))


def test_the_command_line_prints_the_quote_and_json_gives_the_line(library, capsys, monkeypatch):
    settings, _ = library
    monkeypatch.setenv("FRAMEFIND_SPEECH_MODEL", "none")
    args = ["--data-dir", str(settings.data_dir), "--image-model", settings.spaces[0].model]
    args += ["--audio-model", settings.spaces[1].model]
    assert main([*args, "search", 'said:"red circle"']) == 0
    out = capsys.readouterr().out
    assert "“Look, a *red circle* on blue”" in out
    assert main([*args, "search", "--json", 'said:"red circle"']) == 0
    data = json.loads(capsys.readouterr().out)
    quote = data["results"][0]["quote"]
    assert quote["found_by"] == "words" and quote["text"] == "Look, a red circle on blue"
    assert [quote["text"][a:b] for a, b in quote["marks"]] == ["red", "circle"]
