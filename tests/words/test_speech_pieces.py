"""How the speech stage cuts a recording into pieces and its words into lines (no model)."""

from __future__ import annotations

from indexer.ingest.speech import LINE_MAX_S, TAIL_S, lines_from, plan_cut
from indexer.models.speech import WINDOW_S, Heard, Word


def test_a_piece_ends_in_the_pause_after_the_speech_one_window_holds():
    voice = [(1.0, 9.0), (10.0, 20.0), (22.0, 30.0), (33.0, 40.0)]
    taken, cut = plan_cut(voice, 60.0, last=False)
    assert taken == voice[:3]  # 26 s of speech; the fourth would pass a window
    assert sum(b - a for a, b in taken) <= WINDOW_S
    assert cut == 31.5  # halfway through the pause: no word is split


def test_speech_running_past_the_piece_waits_for_the_next_one():
    taken, cut = plan_cut([(2.0, 5.0), (50.0, 59.9)], 60.0, last=False)
    assert taken == [(2.0, 5.0)] and cut == 27.5
    taken, cut = plan_cut([(2.0, 5.0), (50.0, 59.9)], 60.0, last=True)  # unless the file ends there
    assert taken == [(2.0, 5.0), (50.0, 59.9)] and cut == 60.0


def test_a_piece_without_voice_is_skipped_whole_but_for_its_tail():
    assert plan_cut([], 60.0, last=False) == ([], 60.0 - TAIL_S)
    assert plan_cut([], 42.0, last=True) == ([], 42.0)


def test_words_go_back_to_the_files_clock_and_break_into_lines_at_pauses():
    taken = [(10.0, 14.0), (30.0, 33.0)]  # packed together: 0-4 s and 4-7 s of the window
    words = [
        Word(0.5, 0.9, " Ship"),
        Word(1.0, 1.3, " it"),
        Word(2.9, 3.5, " now."),
        Word(4.5, 5.0, " Thanks"),
    ]
    lines = lines_from(Heard("en", words), taken, offset=100.0)
    assert [(x.start, x.text) for x in lines] == [(110.5, "Ship it"), (112.9, "now."), (130.5, "Thanks")]
    ship = lines[0]
    assert ship.words == ((0, 110.5, 110.9), (5, 111.0, 111.3))  # "it" begins at offset 5
    assert lines[0].lang == "en" and lines[0].source == "speech"


def test_a_long_stretch_of_talk_is_quoted_a_few_seconds_at_a_time():
    words = [Word(i * 0.5, i * 0.5 + 0.4, f" w{i}") for i in range(50)]
    lines = lines_from(Heard("en", words), [(0.0, 25.0)], offset=0.0)
    assert len(lines) >= 3 and all(x.end - x.start <= LINE_MAX_S for x in lines)
    assert " ".join(x.text for x in lines) == " ".join(f"w{i}" for i in range(50))
