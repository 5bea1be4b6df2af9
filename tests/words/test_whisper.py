"""faster-whisper itself, through the production Recogniser: an untrained tiny Whisper in the
hub's CTranslate2 format (tests/support/models.py) loads from a folder without the network,
hears a window of real speech and names a language; its words are nonsense, so what is
recognised is tested with the PocketSphinx stand-in (test_speech.py). CTranslate2 takes this
small model for an English-only one, so language detection itself is not exercised here. The voice detector is
Silero's, from the faster-whisper package, on espeak-ng's speech."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from indexer.errors import FramefindError
from indexer.models.speech import WINDOW_S, Heard, Recogniser
from tests.support.models import build_tiny_whisper
from tests.support.speech import RATE, recording


@pytest.fixture(scope="module")
def tiny_whisper(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_whisper(tmp_path_factory.mktemp("whisper") / "tiny-whisper")


def test_a_whisper_folder_loads_offline_and_hears_a_window(tiny_whisper: Path, espeak: None) -> None:
    samples, _ = recording([("good morning team", 0.5)], 4)
    heard = Recogniser(str(tiny_whisper), "cpu").recognise(samples)
    assert isinstance(heard, Heard)
    assert heard.language == "en"  # what an English-only model reports when none is given
    for word in heard.words:  # an untrained model may write nothing; what it writes is timed
        assert 0 <= word.start <= word.end <= WINDOW_S


def test_voice_detection_finds_the_speech_and_not_the_silence(espeak: None) -> None:
    samples, said = recording([("we need more time for the camera demo", 3.0), ("ship it", 11.0)], 16)
    found = Recogniser("unused", "cpu").voice(samples)
    assert len(found) == 2
    for (start, end), sentence in zip(found, said, strict=True):
        assert abs(start - sentence.start) < 0.3 and abs(end - sentence.end) < 0.3
    assert Recogniser("unused", "cpu").voice(np.zeros(10 * RATE, np.float32)) == []


def test_a_folder_is_known_by_its_content(tiny_whisper: Path, tmp_path: Path) -> None:
    """A copy transcribes nothing again; a new conversion in the same place does."""
    copy = tmp_path / "copy"
    shutil.copytree(tiny_whisper, copy)
    assert Recogniser(str(copy), "cpu").identity == Recogniser(str(tiny_whisper), "cpu").identity
    build_tiny_whisper(copy, seed=1)
    assert Recogniser(str(copy), "cpu").identity != Recogniser(str(tiny_whisper), "cpu").identity
    assert Recogniser("auto", "cpu").identity == "base"


def test_a_missing_model_says_how_to_choose_another(tmp_path: Path) -> None:
    with pytest.raises(FramefindError, match="--speech-model"):
        Recogniser(str(tmp_path / "nowhere"), "cpu").recognise(np.zeros(RATE, np.float32))
