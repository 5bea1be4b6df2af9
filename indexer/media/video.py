"""Video frames: every keyframe (scene cuts), and a frame at least every `interval` seconds.

Keyframe times come from the packets alone (no decoding). Each wanted frame is reached by
seeking to the keyframe before it and decoding forward, so a long video never has all of
its frames decoded.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import av.container
import av.stream
import av.video

from indexer.errors import MediaError
from indexer.media.access import decoder_reason
from indexer.media.segment import MediaSegment


def is_real_video(stream: av.stream.Stream) -> bool:
    """A video stream that is not an album cover attached to an audio file."""
    return not (stream.disposition & av.stream.Disposition.attached_pic)


def _seconds(pts: int, stream: av.video.VideoStream) -> float:
    return float((pts - (stream.start_time or 0)) * (stream.time_base or Fraction(1)))


def keyframe_times(
    container: av.container.InputContainer, stream: av.video.VideoStream
) -> tuple[list[float], float]:
    """Keyframe times and the real end of the stream, read from packets, not the header."""
    keyframes: list[float] = []
    end = 0.0
    for packet in container.demux(stream):
        if packet.pts is None:
            continue
        t = _seconds(packet.pts, stream)
        end = max(end, t + float((packet.duration or 0) * (stream.time_base or 0)))
        if packet.is_keyframe:
            keyframes.append(t)
    return sorted(keyframes), end


def sample_times(keyframes: list[float], end: float, interval: float) -> list[float]:
    """Keyframes at least interval/2 apart, plus evenly spaced fillers so that no gap
    between consecutive samples exceeds `interval`."""
    chosen: list[float] = [0.0]
    for k in keyframes:
        if k - chosen[-1] >= interval / 2:
            chosen.append(k)
    times: list[float] = []
    for a, b in zip(chosen, [*chosen[1:], end], strict=True):
        times.append(a)
        fillers = max(0, math.ceil((b - a) / interval) - 1)
        times.extend(a + i * (b - a) / (fillers + 1) for i in range(1, fillers + 1))
    return times


class FrameReader:
    """Decodes forward from the nearest keyframe, seeking only when that skips work."""

    def __init__(
        self, container: av.container.InputContainer, stream: av.video.VideoStream, keyframes: list[float]
    ) -> None:
        self._container = container
        self._stream = stream
        self._keyframes = keyframes or [0.0]
        self._frames: Iterator[av.VideoFrame] | None = None
        self._position = -math.inf
        rate = stream.average_rate
        self._tolerance = 0.5 / float(rate) if rate else 0.02

    def frame_at(self, t: float) -> av.VideoFrame | None:
        keyframe = self._keyframes[max(0, bisect.bisect_right(self._keyframes, t) - 1)]
        if self._frames is None or t < self._position or keyframe > self._position:
            base = self._stream.time_base or Fraction(1)
            pts = round(keyframe / base) + (self._stream.start_time or 0)
            self._container.seek(pts, stream=self._stream, backward=True)
            self._frames = self._container.decode(self._stream)
        for frame in self._frames:
            if frame.pts is None:
                continue
            self._position = _seconds(frame.pts, self._stream)
            if self._position >= t - self._tolerance:
                return frame
        return None


def frame_image(frame: av.VideoFrame, side: int):  # -> PIL.Image.Image
    scale = min(1.0, side / max(frame.width, frame.height))
    width = max(2, round(frame.width * scale))
    height = max(2, round(frame.height * scale))
    return frame.reformat(width=width, height=height, format="rgb24").to_image()


def video_frames(path: Path, interval: float, side: int) -> Iterator[MediaSegment]:
    """Yield sampled frames as image segments with their exact timestamps."""
    t = 0.0
    count = 0
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            keyframes, end = keyframe_times(container, stream)
            times = sample_times(keyframes, end, interval)
            reader = FrameReader(container, stream, keyframes)
            for i, t in enumerate(times):
                frame = reader.frame_at(t)
                if frame is None:
                    break
                shown = _seconds(frame.pts or 0, stream)
                nxt = times[i + 1] if i + 1 < len(times) else end
                count += 1
                yield MediaSegment("image", frame_image(frame, side), start=t, end=max(nxt, shown), t=shown)
    except av.FFmpegError as exc:
        raise MediaError(path, f"corrupt video stream near {t:.1f} s: {decoder_reason(exc)}") from exc
    if count == 0:
        raise MediaError(path, "no video frame could be decoded")
