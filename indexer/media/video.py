"""Video frames: every keyframe (scene cuts), and a frame at least every `interval` seconds.

Frame times come from the packets alone (no decoding), and only frames that exist are
sampled: a screen recording that holds a still for a minute gives one frame, not thirty
copies of it, and a file whose two frames are 10⁶ s apart cannot ask for half a million.
Each wanted frame is reached by seeking to the keyframe before it and decoding forward; a
packet that does not decode is skipped and counted, and the frames around it are kept.

Times are seconds from the container's start, which is where players count from (a video
stream may start later than the file). Frames are shown as players show them: turned
upright by the display matrix phones write, and stretched to square pixels.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.container
import av.stream
import av.video
from PIL import Image

from indexer.errors import MediaError
from indexer.media.access import decoder_reason
from indexer.media.audio import Damage, decoded_packets, unsupported_codec
from indexer.media.segment import MediaSegment
from indexer.wording import Message

_TURNS = {1: Image.Transpose.ROTATE_90, 2: Image.Transpose.ROTATE_180, 3: Image.Transpose.ROTATE_270}
_SAME_TIME = 1e-6


def is_real_video(stream: av.stream.Stream) -> bool:
    """A video stream that is not an album cover attached to an audio file."""
    return not (stream.disposition & av.stream.Disposition.attached_pic)


def container_origin(container: av.container.InputContainer) -> float:
    """The container's start in seconds: what players call 0."""
    return (container.start_time or 0) / av.time_base


@dataclass(frozen=True)
class Timeline:
    """Where a video stream's frames are, read from its packets (seconds, players' clock)."""

    origin: float
    frames: list[float]  # every frame, sorted
    keyframes: list[float]
    end: float


def timeline(container: av.container.InputContainer, stream: av.video.VideoStream) -> Timeline:
    origin = container_origin(container)
    base = stream.time_base or Fraction(1)
    frames: list[float] = []
    keyframes: list[float] = []
    end = 0.0
    for packet in container.demux(stream):
        if packet.pts is None:
            continue
        t = float(packet.pts * base) - origin
        frames.append(t)
        end = max(end, t + float((packet.duration or 0) * base))
        if packet.is_keyframe:
            keyframes.append(t)
    return Timeline(origin, sorted(frames), sorted(keyframes), end)


def sample_times(frames: list[float], keyframes: list[float], interval: float) -> list[float]:
    """The frames to embed: the first; each keyframe at least interval/2 after the last one
    chosen; otherwise the first frame at least `interval` after it, or the last one before
    the next would lie further while frames go on (frames 0.6 s apart gave samples 2.4 s
    apart; a still with no frames is no reason). Never more than there are frames, however
    far apart they lie."""
    keys = set(keyframes)
    chosen: list[float] = []
    for i, t in enumerate(frames):
        if chosen and t - chosen[-1] < _SAME_TIME:
            continue
        gap = t - chosen[-1] if chosen else math.inf
        goes_on = bool(chosen) and i + 1 < len(frames) and frames[i + 1] - t <= interval
        too_far = goes_on and frames[i + 1] - chosen[-1] > interval + _SAME_TIME
        if gap >= interval - _SAME_TIME or (t in keys and gap >= interval / 2) or too_far:
            chosen.append(t)
    return chosen


class FrameReader:
    """Decodes forward from the nearest keyframe, seeking only when that skips work."""

    def __init__(
        self,
        container: av.container.InputContainer,
        stream: av.video.VideoStream,
        line: Timeline,
        damage: Damage | None = None,
    ) -> None:
        self._container = container
        self._stream = stream
        self._line = line
        self.damage = damage if damage is not None else Damage()
        self.damage.total = len(line.frames)
        self._keyframes = line.keyframes or [0.0]
        self._frames: Iterator[av.VideoFrame] | None = None
        self._position = -math.inf
        rate = stream.average_rate
        self._tolerance = 0.5 / float(rate) if rate else 0.02

    def time_of(self, frame: av.VideoFrame) -> float:
        return float((frame.pts or 0) * (self._stream.time_base or Fraction(1))) - self._line.origin

    def frame_at(self, t: float) -> av.VideoFrame | None:
        """The frame shown at `t` (or the first after it, in a gap). Without a timeline (a
        card picture, an excerpt), it seeks to `t` and lets FFmpeg find the keyframe."""
        keyframe = (
            self._keyframes[max(0, bisect.bisect_right(self._keyframes, t) - 1)] if self._line.frames else t
        )
        if self._frames is None or t < self._position or keyframe > self._position:
            base = self._stream.time_base or Fraction(1)
            self._container.seek(
                round((keyframe + self._line.origin) / base), stream=self._stream, backward=True
            )
            self._frames = decoded_packets(self._container, self._stream, self.damage, count=False)
        for frame in self._frames:
            if frame.pts is None:
                continue
            self._position = self.time_of(frame)
            if self._position >= t - self._tolerance:
                return frame
        return None


def frame_image(frame: av.VideoFrame, side: int, pixel_aspect: Fraction | None = None) -> Image.Image:
    """The frame as players show it, its longest side at most `side` pixels."""
    width = frame.width * float(pixel_aspect or 1)
    scale = min(1.0, side / max(width, frame.height))
    image = frame.reformat(
        width=max(2, round(width * scale)), height=max(2, round(frame.height * scale)), format="rgb24"
    ).to_image()
    turn = round((frame.rotation or 0) / 90) % 4  # degrees counterclockwise, as PIL turns
    return image.transpose(_TURNS[turn]) if turn else image


def pixel_aspect(stream: av.video.VideoStream) -> Fraction | None:
    aspect = stream.sample_aspect_ratio
    return Fraction(aspect) if aspect and aspect > 0 else None


@contextmanager
def open_video(
    path: Path, max_pixels: int
) -> Iterator[tuple[av.container.InputContainer, av.video.VideoStream]]:
    """The file's first video stream, ready to decode; MediaError for one FFmpeg cannot decode
    or whose frames are over the pixel limit."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if stream.codec_context is None:
            raise MediaError(path, unsupported_codec("video"))
        stream.thread_type = "AUTO"
        if stream.width * stream.height > max_pixels:
            raise MediaError(
                path,
                Message(
                    "video frames too large: {width}×{height} is over the {limit} MP limit "
                    "(raise max_image_pixels)",
                    width=stream.width,
                    height=stream.height,
                    limit=f"{max_pixels / 1e6:.0f}",
                ),
            )
        yield container, stream


def video_frames(
    path: Path, interval: float, side: int, max_pixels: int, damage: Damage | None = None
) -> Iterator[MediaSegment]:
    """Yield sampled frames as image segments with their exact timestamps."""
    t = 0.0
    count = 0
    try:
        with open_video(path, max_pixels) as (container, stream):
            line = timeline(container, stream)
            times = sample_times(line.frames, line.keyframes, interval)
            reader = FrameReader(container, stream, line, damage)
            aspect = pixel_aspect(stream)
            shown = -math.inf
            for t in times:
                if t <= shown:  # damage made the reader skip past this one
                    continue
                frame = reader.frame_at(t)
                if frame is None:
                    break
                shown = reader.time_of(frame)
                later = bisect.bisect_right(times, shown)
                nxt = times[later] if later < len(times) else line.end
                count += 1
                yield MediaSegment(
                    "image",
                    frame_image(frame, side, aspect),
                    start=max(t, shown),
                    end=max(nxt, shown),
                    t=shown,
                )
    except av.FFmpegError as exc:
        reason = Message("corrupt video stream near {t} s: {error}", t=f"{t:.1f}", error=decoder_reason(exc))
        raise MediaError(path, reason) from exc
    if count == 0:
        raise MediaError(path, Message("no video frame could be decoded"))
