"""What is said in recordings and videos is recognised (after pictures and sounds are indexed)
and found by its words at the second it is said; subtitles are used instead where a file
has them, music and silence cost the voice detector only, and a stopped transcription goes
on where it stopped with the same result.

Speech is espeak-ng's; the recogniser is PocketSphinx's English model (inside its wheel)
listening for the test vocabulary, behind the recogniser's interface (tests/support/speech.py);
voice detection is the production one. test_whisper.py runs faster-whisper itself."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from indexer import build_engine
from tests.support.media import sound, write_audio, write_video
from tests.support.speech import RATE, Said, SphinxRecogniser, recording
from tests.support.subtitles import write_srt


@pytest.fixture(scope="module", autouse=True)
def sphinx() -> Iterator[None]:
    """Engines built in this module recognise speech with PocketSphinx."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("indexer.engine.Recogniser", SphinxRecogniser)
        yield


MEETING = [
    ("we need more time for the camera demo", 2.0),
    ("the revenue fell this quarter", 12.0),
    ("ship it before the launch next week", 40.0),
    ("thank you everyone", 55.0),
]
TALK = [("please start recording the meeting", 1.0), ("good morning team", 6.0)]


def music(seconds: float) -> np.ndarray:
    return sound([("chirp", 440, seconds / 3), ("sine", 660, seconds / 3), ("chirp", 220, seconds / 3)], RATE)


@dataclass
class Library:
    root: Path
    said: dict[str, list[Said]]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, espeak: None) -> Library:
    root = tmp_path_factory.mktemp("speech") / "media"
    background = np.zeros(70 * RATE, np.float32)
    background[20 * RATE : 35 * RATE] = 0.3 * music(15)  # a song between the words: no voice
    samples, meeting = recording(MEETING, 70, voice="en+f3", background=background)
    write_audio(root / "meeting.m4a", samples, RATE)
    samples, talk = recording(TALK, 10, voice="en-us")
    write_video(root / "talk.mp4", [0, 1, 2, 3, 4], scene_s=2.0, audio=samples)
    return Library(root, {"meeting.m4a": meeting, "talk.mp4": talk})


@pytest.fixture(scope="module")
def transcribed(library, tmp_path_factory: pytest.TempPathFactory, tiny_clip: Path, tiny_clap: Path):
    from tests.conftest import make_settings

    settings = replace(
        make_settings(tmp_path_factory.mktemp("data"), tiny_clip, tiny_clap), speech_model="sphinx"
    )
    with build_engine(settings) as engine:
        engine.index([library.root])
        assert engine.said("camera") == []  # pictures and sounds first, words after
        report = engine.transcribe()
    return settings, report


def test_a_spoken_phrase_is_found_within_a_second_of_where_it_is_said(library, transcribed):
    settings, report = transcribed
    with build_engine(settings) as engine:
        for query, file, sentence in [
            ('"camera demo"', "meeting.m4a", 0),
            ("revenue", "meeting.m4a", 1),
            ('"next week"', "meeting.m4a", 2),
            ("everyone", "meeting.m4a", 3),
            ("recording", "talk.mp4", 0),
            ("morning", "talk.mp4", 1),
        ]:
            line = engine.said(query)[0]
            first = query.strip('"').split()[0]
            at = line.time_of(line.text.lower().find(first))
            said = library.said[file][sentence]
            assert line.path.name == file, (query, line)
            assert abs(at - said.word_time(first)) <= 1.0, (query, at, said)
            assert line.source == "speech" and line.lang == "en"
    assert report.files == 2 and report.lines >= 6


def test_voice_detection_spares_the_recogniser_music_and_silence(transcribed):
    _settings, report = transcribed
    # 80 s of audio, about 12 s of it speech (a 15 s song and long pauses in the meeting)
    assert report.heard_s == pytest.approx(80, abs=1)
    assert 8 < report.speech_s < 25
    assert report.windows == 2  # one window per file: the speech of each fits one


def test_transcripts_keep_the_words_times_and_order(library, transcribed):
    settings, _ = transcribed
    with build_engine(settings) as engine:
        lines = engine.transcript(library.root / "meeting.m4a")
    assert [x.start for x in lines] == sorted(x.start for x in lines)
    words = [w for x in lines for w in x.words]
    assert len(words) >= 15 and all(a <= b for (_, a, _), (_, b, _) in itertools.pairwise(words))
    text = " ".join(x.text for x in lines).lower()
    for sentence, _ in MEETING:  # most of each sentence's words are recognised
        heard = sum(word in text.split() for word in sentence.split())
        assert heard >= len(sentence.split()) / 2, (sentence, text)


class Counting(SphinxRecogniser):
    calls: ClassVar[list[float]] = []  # seconds of speech per call, for every instance

    def recognise(self, samples, language=None):
        Counting.calls.append(len(samples) / RATE)
        return super().recognise(samples, language)


def _engine(settings, monkeypatch):
    monkeypatch.setattr("indexer.engine.Recogniser", Counting)
    Counting.calls = []
    return build_engine(replace(settings, speech_model="sphinx"))


def test_subtitles_are_used_instead_and_music_costs_no_recognition(settings, tmp_path, espeak, monkeypatch):
    media = tmp_path / "media"
    samples, _ = recording([("thank you everyone", 1.0)], 5)
    write_video(media / "film.mp4", [0, 1], scene_s=2.5, audio=samples)
    write_srt(media / "film.srt", [(1.0, 2.5, "Thank you, everyone")])
    write_audio(media / "song.ogg", music(12), RATE)
    with _engine(settings, monkeypatch) as engine:
        engine.index([media])
        report = engine.transcribe()
        assert Counting.calls == []  # the subtitles say it; the song has no voice
        assert report.files == 1 and report.speech_s == 0 and report.heard_s == pytest.approx(12, abs=0.5)
        assert [(x.path.name, x.source) for x in engine.said("everyone")] == [("film.mp4", "sidecar")]
        (media / "film.srt").unlink()  # without its subtitles the film is recognised
        engine.update([media / "film.srt"])
        engine.transcribe()
        assert len(Counting.calls) == 1
        assert [(x.path.name, x.source) for x in engine.said("everyone")] == [("film.mp4", "speech")]


def test_a_stopped_transcription_goes_on_where_it_stopped_with_the_same_result(
    settings, tmp_path, espeak, monkeypatch
):
    monkeypatch.setattr("indexer.ingest.speech.PIECE_S", 20.0)  # three pieces in a minute
    sentences = [(f"{a} {b} {c}", 4.0 + 9 * i) for i, (a, b, c) in enumerate(_phrases(6))]
    samples, _ = recording(sentences, 60, voice="en+m3")
    write_audio(tmp_path / "media" / "long.flac", samples, RATE)
    whole = replace(settings, data_dir=tmp_path / "whole")
    with _engine(whole, monkeypatch) as engine:
        engine.index([tmp_path / "media"])
        engine.transcribe()
        expected = [(x.start, x.end, x.text) for x in engine.transcript(tmp_path / "media" / "long.flac")]
    everything = len(Counting.calls)
    assert everything >= 3  # several pieces
    with _engine(settings, monkeypatch) as engine:
        engine.index([tmp_path / "media"])
        engine.transcribe(pieces=2)  # stopped there: the app closed
    first = len(Counting.calls)
    with _engine(settings, monkeypatch) as engine:
        engine.transcribe()
        again = [(x.start, x.end, x.text) for x in engine.transcript(tmp_path / "media" / "long.flac")]
    assert first + len(Counting.calls) == everything  # nothing recognised twice
    assert again == expected


def _phrases(n: int) -> list[tuple[str, str, str]]:
    rng = np.random.default_rng(3)
    words = ["budget", "camera", "coffee", "garden", "phone", "battery", "team", "plan", "price", "report"]
    return [tuple(rng.choice(words, 3)) for _ in range(n)]  # type: ignore[misc]


def test_eval_reports_words_beside_pictures_and_sounds(tmp_path, espeak):
    """`framefind eval` on a labelled folder with a talk in it: the queries about words find
    the second each sentence is said, in the fused list as by their words alone, while
    pictures and sounds keep their recall."""
    from indexer.search.evaluate import evaluate
    from tests.ranking.conftest import trained_settings
    from tests.support.eval_folder import write_eval_folder

    folder = write_eval_folder(tmp_path / "labelled", photos=12, video_scenes=3, sound_scenes=1, talk=True)
    settings = replace(trained_settings(tmp_path / "unused"), speech_model="sphinx")
    metrics = {m.name.strip(): m for m in evaluate(settings, folder.root)}
    words, alone = metrics["used, about words"], metrics["words alone (said:)"]
    # PocketSphinx mishears some of espeak's sentences; Whisper on real speech does better. These
    # floors are what the stand-in reaches, and fall to 0 when the words index is switched off.
    assert words.queries == 8 and words.recall[1] >= 0.5 and words.recall[5] >= 0.75
    assert words.right_kind >= 0.75
    assert alone.recall[5] >= 0.75
    assert metrics["used, about picture"].recall[1] >= 0.85
    assert metrics["used, about sound"].recall[10] >= 0.9
    assert metrics["query + cohort (used)"].nothing_shown >= 0.9


def test_an_idle_watcher_asks_the_catalog_for_speech_only_after_a_change(
    settings, tmp_path, espeak, monkeypatch
):
    """The watcher offers a piece of speech four times a second when idle: with nothing left,
    that costs nothing until a write brings new audio."""
    from indexer.catalog.speech import SpeechTable

    looks: list[str] = []
    pending = SpeechTable.pending
    monkeypatch.setattr(
        SpeechTable, "pending", lambda self, *a, **k: looks.append("") or pending(self, *a, **k)
    )
    media = tmp_path / "media"
    write_audio(media / "a.m4a", recording([("good morning team", 0.5)], 3)[0], RATE)
    with _engine(settings, monkeypatch) as engine:
        engine.index([media])
        assert engine.transcribe().files == 1
        looked = len(looks)
        for _ in range(20):
            assert engine.transcribe().pieces == 0
        assert len(looks) == looked
        write_audio(media / "b.m4a", recording([("thank you everyone", 0.5)], 3)[0], RATE)
        engine.update([media / "b.m4a"])
        assert engine.transcribe().files == 1 and len(Counting.calls) == 2
