"""Decode one result again, as a second-stage model needs it: the photo, the video frame at
the moment's best time, the clip around it (a few seconds as video), or the audio of the
moment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import numpy as np

from indexer.errors import MediaError
from indexer.media.access import decoder_reason
from indexer.media.audio import resampled_chunks
from indexer.media.clips import CLIP_S, CLIP_SIDE, clip_frame_times, clip_segment
from indexer.media.extract import ExtractOptions
from indexer.media.image import decode_image
from indexer.media.segment import MediaSegment, model_input
from indexer.media.video import FrameReader, Timeline, container_origin, frame_image, pixel_aspect
from indexer.wording import Message


def video_frame(path: Path, t: float, side: int) -> Any:
    """The frame shown at `t` seconds, as a PIL image."""
    return video_frames_at(path, [t], side)[0]


def video_frames_at(path: Path, times: list[float], side: int) -> list[Any]:
    """The frames shown at these seconds, as PIL images, from one opening of the file."""
    images = []
    for t, image in zip(times, _frames_at(path, times, side), strict=True):
        if image is None:
            raise MediaError(path, Message("no frame at {t} s", t=f"{t:.1f}"))
        images.append(image)
    return images


def clip_around(path: Path, t: float, side: int = CLIP_SIDE) -> MediaSegment:
    """The clip a video-language model would see around second `t`: CLIP_S seconds at
    CLIP_FPS, fewer where the film ends, always in pairs of frames."""
    start = max(0.0, t - CLIP_S / 2)
    frames = [f for f in _frames_at(path, clip_frame_times(start, start + CLIP_S), side) if f is not None]
    if not frames:
        raise MediaError(path, Message("no frame at {t} s", t=f"{t:.1f}"))
    return clip_segment(frames, start, start + CLIP_S, t)


def _frames_at(path: Path, times: list[float], side: int) -> list[Any]:
    """The frames at these seconds (None past the film's end), as PIL images."""
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            # No timeline: reading every packet of an hour-long film to find the keyframe before
            # 50:00 costs more than letting FFmpeg seek there.
            reader = FrameReader(container, stream, Timeline(container_origin(container), [], [], 0.0))
            aspect = pixel_aspect(stream)
            frames = [reader.frame_at(t) for t in times]
    except av.FFmpegError as exc:
        at = ", ".join(f"{t:g}" for t in times)
        reason = Message(
            "cannot decode the frames at {times} s: {error}", times=at, error=decoder_reason(exc)
        )
        raise MediaError(path, reason) from exc
    return [None if frame is None else frame_image(frame, side, aspect) for frame in frames]


def audio_span(path: Path, rate: int, start: float, end: float) -> np.ndarray:
    """Mono samples from `start` to `end` seconds at `rate` Hz, placed by their timestamps
    (a dropout inside stays silent); the file is sought to `start` first, not read from 0."""
    first, last = round(start * rate), round(end * rate)
    out = np.zeros(max(last - first, 0), dtype=np.float32)
    at, found = 0, False
    for t, samples in resampled_chunks(path, rate, from_s=start):
        at = round(t * rate) if t is not None else at
        lo, hi = max(first, at), min(last, at + len(samples))
        if lo < hi:
            out[lo - first : hi - first] = samples[lo - at : hi - at]
            found = True
        at += len(samples)
        if at >= last:
            break
    if not found:
        raise MediaError(
            path, Message("no audio between {start} s and {end} s", start=f"{start:.1f}", end=f"{end:.1f}")
        )
    return out


def excerpt(
    path: Path,
    modality: str,
    t: float | None,
    start: float | None,
    end: float | None,
    options: ExtractOptions,
) -> Any:
    """The media of one result in the form sentence-transformers takes; "video" the clip
    around `t`."""
    if modality == "video":
        return model_input(clip_around(path, t or 0.0))
    if modality == "audio":
        rate = options.audio_rate or 16_000
        begin = start or 0.0
        samples = audio_span(path, rate, begin, end or begin + options.audio_window_s)
        return {"array": samples, "sampling_rate": rate}
    if t is None:
        return decode_image(path, options.max_image_pixels, options.decode_side)
    return video_frame(path, t, options.decode_side)
