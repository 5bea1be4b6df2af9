from __future__ import annotations

import itertools

import numpy as np
import pytest
from PIL import Image

from indexer.errors import MediaError
from indexer.media.video import sample_times, video_frames
from tests.support.media import scene_image, write_video
from tests.support.oddities import write_anamorphic_video, write_phone_video, write_timed_video


def test_keyframes_are_kept_and_gaps_filled():
    frames = [i / 6 for i in range(6 * 14)]
    times = sample_times(frames, [0.0, 1.0, 10.0], interval=2.0)
    assert 0.0 in times and 1.0 in times and 10.0 in times
    gaps = [b - a for a, b in zip(times, [*times[1:], 14.0], strict=True)]
    assert max(gaps) <= 2.0 + 1e-9


@pytest.mark.parametrize("fps", [1 / 0.6, 1 / 0.7, 0.9, 2.5])
def test_sparse_frames_are_never_sampled_further_apart_than_the_interval(fps):
    """Frames 0.6 s apart (tree.avi) were sampled 2.4 s apart against "a frame every 2 s"."""
    frames = [i / fps for i in range(int(30 * fps))]
    times = sample_times(frames, [0.0], interval=2.0)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert max(gaps) <= max(2.0, 1 / fps) + 1e-9 and times[0] == 0.0
    assert len(times) <= len(frames) and times[-1] >= frames[-1] - 2.0


def test_dense_keyframes_are_thinned():
    every_frame = [i / 30 for i in range(300)]  # an all-intra 10 s clip
    times = sample_times(every_frame, every_frame, interval=2.0)
    assert len(times) <= 11


def test_only_frames_that_exist_are_sampled():
    """Two frames 10⁶ s apart (a crafted 1 KB file) are two samples, not half a million."""
    assert sample_times([0.0, 1e6], [0.0], interval=2.0) == [0.0, 1e6]


def _frames(path, interval=2.0, side=64, max_pixels=10**9, damage=None):
    return list(video_frames(path, interval=interval, side=side, max_pixels=max_pixels, damage=damage))


def test_frames_carry_exact_timestamps_and_cover_the_video(tmp_path):
    path = write_video(tmp_path / "v.mp4", list(range(6)), scene_s=2.0, fps=6, gop=60)
    segments = _frames(path)
    times = [s.t for s in segments]
    assert times == sorted(times) and times[0] == 0.0
    assert max(b - a for a, b in itertools.pairwise(times)) <= 2.0 + 1e-6
    assert segments[-1].end == pytest.approx(12.0, abs=0.2)
    assert all(max(s.data.size) <= 64 for s in segments)


def test_a_damaged_stretch_costs_its_own_frames_not_the_film(tmp_path):
    from indexer.media.audio import Damage
    from tests.support.oddities import write_damaged_video

    path = write_damaged_video(tmp_path / "film.mp4", list(range(10)))
    damage = Damage()
    segments = _frames(path, damage=damage)
    times = [s.t for s in segments]
    assert times == sorted(set(times))  # no frame twice, however many samples fell in the damage
    assert times[0] == 0.0 and times[-1] == pytest.approx(18.0, abs=0.2)  # both sides of it kept
    note = damage.note("video")
    assert note is not None and "of 120 video packets could not be decoded" in note


def test_a_file_that_is_not_a_video_at_all_is_still_refused(tmp_path):
    path = tmp_path / "header-only.mp4"
    path.write_bytes(write_video(tmp_path / "v.mp4", [1, 2]).read_bytes()[:48])
    with pytest.raises(MediaError):
        _frames(path)


def _difference(image, expected) -> float:
    """Mean absolute pixel difference, after bringing `expected` to the image's size."""
    a = np.asarray(image.convert("RGB"), dtype=np.float32)
    b = np.asarray(expected.convert("RGB").resize(image.size), dtype=np.float32)
    return float(np.abs(a - b).mean())


@pytest.mark.parametrize("rotation", [-90, 90, 180])
def test_a_phone_video_is_embedded_upright(tmp_path, rotation):
    scenes = [3, 7]
    path = write_phone_video(tmp_path / "phone.mp4", scenes, rotation=rotation)
    segments = _frames(path)
    for segment in segments:
        scene = scenes[min(int(segment.t // 2.0), 1)]
        upright = scene_image(scene, (120, 160))
        assert segment.data.width < segment.data.height  # portrait, as the phone was held
        assert _difference(segment.data, upright) < 25
        assert _difference(segment.data, upright.transpose(Image.Transpose.ROTATE_180)) > 40


def test_non_square_pixels_are_shown_square(tmp_path):
    path = write_anamorphic_video(tmp_path / "dv.mkv", [5])
    [first, *_] = _frames(path)
    assert first.data.size == (64, 48)  # 80×120 stored, 2:1 pixels: 160×120 on screen
    assert _difference(first.data, scene_image(5)) < 25


def test_a_still_in_a_screen_recording_is_one_frame(tmp_path):
    """10 fps for 2 s, then nothing until 13 s (an 11 s still), then 10 fps again."""
    frames = [(i / 10, 1) for i in range(20)] + [(13 + i / 10, 2) for i in range(20)]
    segments = _frames(write_timed_video(tmp_path / "screen.mkv", frames))
    times = [s.t for s in segments]
    assert times == [0.0, 13.0]  # each burst is shorter than the interval; the still is no frame
    [at_13] = [s for s in segments if abs(s.t - 13.0) < 0.01]
    assert _difference(at_13.data, scene_image(2)) < 25


def test_two_frames_a_million_seconds_apart_give_two_segments(tmp_path):
    path = write_timed_video(tmp_path / "sparse.mkv", [(0.0, 1), (1_000_000.0, 2)])
    assert [s.t for s in _frames(path)] == [0.0, 1_000_000.0]


def test_times_count_from_the_start_of_the_file_not_of_the_video_stream(tmp_path):
    """The soundtrack starts at 0 s, the picture at 4 s: players put scene 8 at 8 s."""
    frames = [(4 + i / 5, 4 + int(i / 10) * 2) for i in range(40)]  # scenes 4, 6, 8, 10 at 4, 6, 8, 10 s
    path = write_timed_video(tmp_path / "late.mp4", frames, audio_s=12)
    segments = _frames(path)
    assert segments[0].t == pytest.approx(4.0, abs=0.01)
    [at_8] = [s for s in segments if abs(s.t - 8.0) < 2.0 and _difference(s.data, scene_image(8)) < 25]
    assert at_8.start <= 8.0 <= at_8.end


def test_video_frames_over_the_pixel_cap_are_refused(tmp_path):
    path = write_video(tmp_path / "big.mp4", [1], size=(320, 240))
    with pytest.raises(MediaError, match="video frames too large: 320×240"):
        _frames(path, max_pixels=50_000)
