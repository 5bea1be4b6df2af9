"""Video as video, for a video-language space: consecutive windows of a few seconds, each a
clip of frames at about one a second (Qwen3-VL-Embedding was trained on 1 fps and at most 64
frames), so the model sees what moves ("a man falls off a bike"), which one frame cannot show.

The frames are read as `video.py` reads them (upright, square pixels, the timeline from the
packets); a window ends early where the film does. Each clip holds an even number of frames:
the model takes frames in pairs, and the last is repeated where a window has an odd count.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import av
import numpy as np

from indexer.errors import MediaError
from indexer.media.access import decoder_reason
from indexer.media.audio import Damage
from indexer.media.segment import CLIP, MediaSegment
from indexer.media.video import FrameReader, frame_image, open_video, pixel_aspect, timeline
from indexer.wording import Message

CLIP_S = 8.0  # seconds a clip covers: several seconds of motion, a moment's length
CLIP_FPS = 1.0  # frames a second, as the model was trained
CLIP_SIDE = 448  # pixels, the longest side of a frame (8 frames: about 1,600 visual tokens)
MAX_FRAMES = 64


def clip_frame_times(
    start: float, end: float, fps: float = CLIP_FPS, max_frames: int = MAX_FRAMES
) -> list[float]:
    """When a clip's frames are taken: every 1/fps seconds from `start` to before `end`,
    at most `max_frames`, and an even count (the last repeated)."""
    count = max(1, min(max_frames, math.ceil((end - start) * fps - 1e-9)))
    times = [start + i / fps for i in range(count)]
    return times + times[-1:] if count % 2 else times


def clip_segment(frames: Sequence[Any], start: float, end: float, t: float) -> MediaSegment:
    """A clip of these frames (pictures or arrays, at least one), in pairs: where damage or
    the film's end left an odd count, the last is shown twice."""
    shown = [np.asarray(f) for f in frames]
    shown += shown[-1:] * (len(shown) % 2)
    return MediaSegment("video", np.stack(shown), start, end, t, int(CLIP_FPS), CLIP)


def video_clips(
    path: Path,
    side: int = CLIP_SIDE,
    window_s: float = CLIP_S,
    max_pixels: int = 150_000_000,
    damage: Damage | None = None,
) -> Iterator[MediaSegment]:
    """Yield the file's clips, one a window, each with its start, end and middle."""
    count, start = 0, 0.0
    try:
        with open_video(path, max_pixels) as (container, stream):
            line = timeline(container, stream)
            reader = FrameReader(container, stream, line, damage)
            aspect = pixel_aspect(stream)
            while start < max(line.end, 1e-3):
                end = min(start + window_s, line.end) if line.end > start else start + 1 / CLIP_FPS
                frames = [reader.frame_at(t) for t in clip_frame_times(start, end)]
                shown = [frame_image(f, side, aspect) for f in frames if f is not None]
                if not shown:
                    break
                count += 1
                yield clip_segment(shown, start, end, (start + end) / 2)
                start += window_s
    except av.FFmpegError as exc:
        reason = Message(
            "corrupt video stream near {t} s: {error}", t=f"{start:.1f}", error=decoder_reason(exc)
        )
        raise MediaError(path, reason) from exc
    if count == 0:
        raise MediaError(path, Message("no video frame could be decoded"))
