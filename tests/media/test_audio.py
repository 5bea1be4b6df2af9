from __future__ import annotations

import numpy as np
import pytest

from indexer.errors import MediaError
from indexer.media.audio import audio_windows, windows
from tests.support.media import sound, write_audio, write_video


def _chunks(samples, size=997):
    return (samples[i : i + size] for i in range(0, len(samples), size))


def test_windows_overlap_and_cover_the_end():
    rate = 100
    samples = np.arange(2350, dtype=np.float32)  # 23.5 s
    out = list(windows(_chunks(samples), rate, window_s=10, hop_s=5))
    assert [(w.start, w.end) for w in out] == [(0, 10), (5, 15), (10, 20), (13.5, 23.5)]
    assert np.array_equal(out[-1].data, samples[1350:2350])  # the real samples of that span
    assert all(len(w.data) == 1000 for w in out)


def test_a_short_clip_is_one_window():
    out = list(windows(_chunks(np.ones(250, dtype=np.float32)), 100, 10, 5))
    assert [(w.start, w.end) for w in out] == [(0, 2.5)]


@pytest.mark.parametrize("name", ["a.wav", "a.mp3", "a.flac", "a.ogg", "a.m4a"])
def test_every_audio_format_decodes_and_resamples(tmp_path, name):
    path = write_audio(tmp_path / name, sound([("sine", 440.0, 12.0)], 22_050), 22_050)
    out = list(audio_windows(path, 16_000, 10.0, 5.0))
    assert out[0].sampling_rate == 16_000 and len(out[0].data) == 160_000
    assert out[-1].end == pytest.approx(12.0, abs=0.1)
    spectrum = np.abs(np.fft.rfft(out[0].data))
    assert np.argmax(spectrum) * 16_000 / len(out[0].data) == pytest.approx(440, abs=5)


def test_a_video_without_sound_has_no_audio(tmp_path):
    path = write_video(tmp_path / "silent.mp4", [1, 2])
    with pytest.raises(MediaError, match="no audio stream"):
        list(audio_windows(path, 16_000, 10.0, 5.0))
