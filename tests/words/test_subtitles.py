"""What a video says in its own subtitles (embedded streams and files beside it) is found by
its words: exact phrases, prefixes, accents folded, Chinese and Japanese words, in the file's
language, and it goes with the file."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from indexer import build_engine
from indexer.catalog.lines import match_expression
from indexer.cli import main
from tests.support.media import write_video
from tests.support.subtitles import with_subtitle_stream, write_srt, write_vtt

SAID = [
    (0.5, 2.0, "Welcome to the <i>budget</i> meeting"),
    (2.5, 4.0, "We should ship it on Friday"),
    (4.2, 5.8, "Le café est prêt"),
]


@pytest.fixture
def film(tmp_path: Path) -> Path:
    media = tmp_path / "media"
    plain = write_video(tmp_path / "plain.mp4", [0, 1, 2])
    srt = write_srt(tmp_path / "said.srt", SAID)
    film = with_subtitle_stream(plain, srt, media / "film.mkv", language="eng")
    write_vtt(media / "film.ja.vtt", [(1.0, 3.0, "明日、東京に行きます")])
    write_video(media / "silent.mp4", [3, 4])
    return film


def test_a_videos_subtitles_are_found_by_their_words(settings, film):
    with build_engine(settings) as engine:
        engine.index([film.parent])
        ship = engine.said('"ship it"')
        assert [(x.path.name, x.start, x.text) for x in ship] == [
            ("film.mkv", 2.5, "We should ship it on Friday")
        ]
        assert [x.text for x in engine.said("cafe")] == ["Le café est prêt"]  # accents folded
        assert [x.text for x in engine.said("budg*")] == ["Welcome to the budget meeting"]  # markup gone
        tokyo = engine.said("東京")
        assert [(x.text, x.lang, x.source) for x in tokyo] == [("明日、東京に行きます", "ja", "sidecar")]
        assert engine.said("京東") == []  # the characters in their order, not each on its own
        assert engine.said("zebra crossing") == []
        assert [x.text for x in engine.said("budget", lang="ja")] == []
        assert [x.lang for x in engine.said("budget", lang="en")] == []  # "eng" is not "en"…
        assert [x.lang for x in engine.said("budget", lang="eng")] == ["eng"]  # …as the stream says
        lines = engine.transcript(film)
        assert [x.start for x in lines] == [0.5, 1.0, 2.5, 4.2]


def test_plain_words_rank_lines_with_more_of_them_first(settings, film):
    with build_engine(settings) as engine:
        engine.index([film.parent])
        found = engine.said("when do we ship on Friday")
        assert found[0].text == "We should ship it on Friday"
        assert found[0].score > 0


def test_lines_go_with_their_file_and_change_with_it(settings, film, tmp_path):
    with build_engine(settings) as engine:
        engine.index([film.parent])
        write_vtt(film.parent / "film.ja.vtt", [(1.0, 2.0, "大阪に行きます")])
        write_video(tmp_path / "plain2.mp4", [2, 1, 0])
        with_subtitle_stream(
            tmp_path / "plain2.mp4", write_srt(tmp_path / "b.srt", [(1, 2, "new words")]), film
        )
        engine.index([film.parent])
        assert engine.said("ship") == [] and engine.said("東京") == []
        assert [x.text for x in engine.transcript(film)] == ["new words", "大阪に行きます"]
        engine.remove([film])
        assert engine.said("new words") == [] and engine.catalog.lines.count() == 0


def test_a_damaged_subtitle_file_costs_only_its_own_lines(settings, film, caplog):
    (film.parent / "film.srt").write_bytes(b"\x00\xff" * 5000)
    (film.parent / "film.en.vtt").write_bytes(b"WEBVTT\n\n00:00:01.000 --> garbage\n\xff\xfe")
    with open(film.parent / "film.de.srt", "wb") as huge:  # a 21 MiB file named .srt (sparse)
        huge.truncate(21 << 20)
    with build_engine(settings) as engine:
        report = engine.index([film.parent])
        assert report.failed == 0
        assert [x.text for x in engine.said('"ship it"')] == ["We should ship it on Friday"]
        assert engine.status().indexed["video"] == 2
    assert "film.de.srt is 21 MB, too big for subtitles" in caplog.text


def test_what_a_user_types_becomes_a_safe_full_text_query():
    assert match_expression('"ship it" friday') == '"ship it"'
    assert match_expression("budg* meeting") == '"budg"* OR "meeting"'
    assert match_expression('say "it" AND NOT) (') == '"it"'  # FTS5 syntax in the text is only text
    assert match_expression("?! …") is None


def test_the_transcript_command_prints_srt(settings, film, monkeypatch, capsys):
    with build_engine(settings) as engine:
        engine.index([film.parent])
    monkeypatch.setenv("FRAMEFIND_DATA_DIR", str(settings.data_dir))
    assert main(["transcript", str(film), "--srt"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1\n00:00:00,500 --> 00:00:02,000\nWelcome to the budget meeting\n\n2\n")
    assert "00:00:04,200 --> 00:00:05,800\nLe café est prêt" in out
    assert main(["transcript", str(film.parent / "nothing.mp4")]) == 2
    assert "is not indexed" in capsys.readouterr().err


def test_a_subtitle_file_added_changed_or_removed_later_is_followed(settings, film):
    """What the watcher hands over when only a subtitle file changes: the video's lines follow,
    nothing is embedded again."""
    with build_engine(settings) as engine:
        engine.index([film.parent])
        later = write_srt(film.parent / "film.de.srt", [(2.0, 3.0, "Wir liefern am Freitag")])
        report = engine.update([later])
        assert [(x.text, x.lang) for x in engine.said("liefern")] == [("Wir liefern am Freitag", "de")]
        assert report.segments == 0
        write_srt(later, [(2.0, 3.0, "Wir liefern am Montag")])
        engine.update([later])
        assert engine.said("Freitag") == [] and len(engine.said("Montag")) == 1
        later.unlink()
        (film.parent / "film.ja.vtt").unlink()
        engine.update([later, film.parent / "film.ja.vtt"])
        assert engine.said("Montag") == [] and engine.said("東京") == []
        assert len(engine.said('"ship it"')) == 1  # the video's own stream stays


def test_a_copied_or_moved_video_reads_the_subtitles_beside_it_there(settings, film, tmp_path):
    with build_engine(settings) as engine:
        engine.index([film.parent])
        elsewhere = film.parent / "elsewhere"
        elsewhere.mkdir()
        (elsewhere / "film.mkv").write_bytes(film.read_bytes())  # a copy, without the Japanese file
        engine.update([elsewhere / "film.mkv"])
        copies = {x.path for x in engine.said('"ship it"')}
        assert copies == {film, elsewhere / "film.mkv"}
        assert {x.path for x in engine.said("東京")} == {film}
        moved = film.parent / "moved.mkv"
        film.rename(moved)
        engine.update([film, moved])
        assert {x.path for x in engine.said('"ship it"')} == {moved, elsewhere / "film.mkv"}
        assert engine.said("東京") == []  # film.ja.vtt names the old name


def test_a_folder_is_listed_once_for_all_its_files_not_once_per_file(tmp_path, monkeypatch):
    """A folder of 5,000 recordings took 114 s to look for their subtitle files (a listing per
    file); one listing serves them all until the folder changes."""
    import indexer.media.subtitles as subtitles

    for i in range(50):
        (tmp_path / f"r{i:02d}.wav").touch()
    write_srt(tmp_path / "r07.en.srt", [(0, 1, "hello")])
    os.utime(tmp_path, ns=(time.time_ns() - 60 * 10**9,) * 2)  # a folder not touched for a minute
    listings = []
    real = subtitles.os.scandir
    monkeypatch.setattr(subtitles.os, "scandir", lambda p: listings.append(p) or real(p))
    found = [subtitles.sidecars(tmp_path / f"r{i:02d}.wav") for i in range(50)]
    assert sum(map(len, found)) == 1 and found[7] == [(tmp_path / "r07.en.srt", "en")]
    assert len(listings) == 1
    write_srt(tmp_path / "r08.srt", [(0, 1, "later")])  # the folder changes: seen at once
    assert subtitles.sidecars(tmp_path / "r08.wav") == [(tmp_path / "r08.srt", None)]
    # A change within the clock's tick leaves the folder's mtime as it was: a folder changed
    # moments ago is listed afresh each time, so the cache never holds such a listing.
    now = time.time_ns()
    os.utime(tmp_path, ns=(now, now))
    assert subtitles.sidecars(tmp_path / "r09.wav") == []
    write_srt(tmp_path / "r09.srt", [(0, 1, "same tick")])
    os.utime(tmp_path, ns=(now, now))
    assert subtitles.sidecars(tmp_path / "r09.wav") == [(tmp_path / "r09.srt", None)]


def test_videos_indexed_before_words_were_kept_get_them_at_the_next_index(settings, film, tmp_path):
    from tests.support.legacy import downgrade_to_schema_6

    with build_engine(settings) as engine:
        engine.index([film.parent])
    downgrade_to_schema_6(settings.data_dir / "catalog.sqlite3")  # as the previous release left it
    with build_engine(settings) as engine:
        assert engine.said('"ship it"') == []
        report = engine.index([film.parent])
        assert report.segments == 0 and report.unchanged == 2  # nothing decoded or embedded again
        assert [x.start for x in engine.transcript(film)] == [0.5, 1.0, 2.5, 4.2]


def test_words_are_found_across_width_forms_and_compounds_by_their_whole_word(settings, tmp_path):
    media = tmp_path / "media"
    write_video(media / "clip.mp4", [0, 1])
    write_vtt(
        media / "clip.de.vtt",
        [(0.5, 1.5, "Der Geburtstagskuchen für ＦＲＡＭＥＦＩＮＤ"), (1.5, 2.5, "ｶﾀｶﾅの説明")],
    )
    with build_engine(settings) as engine:
        engine.index([media])
        assert [x.start for x in engine.said("Geburtstagskuchen")] == [0.5]
        assert [x.start for x in engine.said("framefind")] == [0.5]  # full-width letters as typed ones
        assert [x.start for x in engine.said("ｆｒａｍｅｆｉｎｄ")] == [0.5]  # and the other way round
        assert [x.start for x in engine.said("カタカナ")] == [1.5]  # half-width kana as full-width
