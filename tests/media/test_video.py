from __future__ import annotations

import itertools

import pytest

from indexer.errors import MediaError
from indexer.media.video import sample_times, video_frames
from tests.support.media import write_video


def test_keyframes_are_kept_and_gaps_filled():
    times = sample_times([0.0, 1.0, 10.0], end=14.0, interval=2.0)
    assert 0.0 in times and 1.0 in times and 10.0 in times
    gaps = [b - a for a, b in zip(times, [*times[1:], 14.0], strict=True)]
    assert max(gaps) <= 2.0 + 1e-9


def test_dense_keyframes_are_thinned():
    every_frame = [i / 30 for i in range(300)]  # an all-intra 10 s clip
    times = sample_times(every_frame, end=10.0, interval=2.0)
    assert len(times) <= 11


def test_frames_carry_exact_timestamps_and_cover_the_video(tmp_path):
    path = write_video(tmp_path / "v.mp4", list(range(6)), scene_s=2.0, fps=6, gop=60)
    segments = list(video_frames(path, interval=2.0, side=64))
    times = [s.t for s in segments]
    assert times == sorted(times) and times[0] == 0.0
    assert max(b - a for a, b in itertools.pairwise(times)) <= 2.0 + 1e-6
    assert segments[-1].end == pytest.approx(12.0, abs=0.2)
    assert all(max(s.data.size) <= 64 for s in segments)


def test_corrupt_stream_names_the_time(tmp_path):
    path = write_video(tmp_path / "v.mp4", list(range(10)), gop=12)
    data = bytearray(path.read_bytes())
    data[len(data) // 4 : len(data) // 2] = bytes(len(data) // 2 - len(data) // 4)
    path.write_bytes(bytes(data))
    with pytest.raises(MediaError, match=r"corrupt video stream near \d+\.\d s"):
        list(video_frames(path, interval=2.0, side=64))
