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


def _peak_hz(samples, rate=16_000) -> float:
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.argmax(spectrum) * rate / len(samples))


def test_after_a_dropout_moments_keep_their_true_time(tmp_path):
    """300 Hz from 0 to 5 s, nothing until 8 s, 3 kHz from 8 to 13 s: the 3 kHz is at 8 s,
    not pulled back to 5 s by the missing stretch."""
    from tests.support.media import tone
    from tests.support.oddities import write_timed_audio

    path = write_timed_audio(
        tmp_path / "gap.mka", [(0.0, tone(300, 5, 16_000)), (8.0, tone(3000, 5, 16_000))]
    )
    out = list(audio_windows(path, 16_000, 2.0, 1.0))
    high = [w for w in out if _peak_hz(w.data) > 2000]
    assert high and min(w.start for w in high) == pytest.approx(8.0, abs=0.1)
    assert all(w.end <= 5.1 for w in out if _peak_hz(w.data) < 1000)


def test_a_soundtrack_that_starts_late_starts_its_windows_late(tmp_path):
    from tests.support.media import tone
    from tests.support.oddities import write_timed_audio

    path = write_timed_audio(
        tmp_path / "late.mkv", [(5.0, tone(300, 4, 16_000))], codec="aac", video_from_0=True
    )
    out = list(audio_windows(path, 16_000, 2.0, 1.0))
    assert out[0].start == pytest.approx(5.0, abs=0.1) and out[-1].end == pytest.approx(9.0, abs=0.1)


@pytest.mark.parametrize("codec", ["flac", "aac", "libmp3lame"])
def test_one_bad_packet_costs_that_packet_not_the_file(tmp_path, codec):
    from indexer.media.audio import Damage
    from tests.support.media import tone
    from tests.support.oddities import write_timed_audio

    path = write_timed_audio(
        tmp_path / "d.mka", [(0.0, tone(300, 6, 16_000))], codec=codec, damaged=frozenset({20})
    )
    damage = Damage()
    out = list(audio_windows(path, 16_000, 2.0, 1.0, damage))
    assert out[-1].end == pytest.approx(6.0, abs=0.1)
    assert "1 of" in (damage.note("audio") or "") and "packets could not be decoded" in damage.note("audio")


def test_a_clip_too_short_to_resample_says_so(tmp_path):
    path = write_audio(tmp_path / "click.wav", np.ones(6, dtype=np.float32) * 0.3, 8_000)
    with pytest.raises(MediaError, match=r"too short to index: 6 samples \(0\.8 ms\)"):
        list(audio_windows(path, 16_000, 10.0, 5.0))
