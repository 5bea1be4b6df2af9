"""Audio: decoded and resampled once with PyAV, cut into overlapping windows of fixed length.

CLAP-type feature extractors crop longer clips at random, so windows are never longer than
the model's limit; that keeps vectors repeatable.

Window times are the player's: each decoded chunk is placed by its timestamp, counted from
the container's start, so a track that starts late starts its windows late and a dropout
does not pull every later moment early. A short dropout is filled with silence; after a
long one, windowing starts afresh where the sound resumes. A packet that does not decode
costs its own few milliseconds, not the file: the rest is kept, and the loss is counted.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import av
import numpy as np

from indexer.errors import MediaError
from indexer.media.access import decoder_reason
from indexer.media.segment import MediaSegment
from indexer.wording import Message

GAP_S = 0.05  # a jump in timestamps larger than this is a dropout, not codec jitter

Chunk = tuple[float | None, np.ndarray]  # (seconds on the player's clock, when known; mono samples)


@dataclass
class Damage:
    """Packets of one stream that could not be decoded (each counted once, however often a
    seek makes the reader meet it again)."""

    total: int = 0
    lost: set[int] = field(default_factory=set)
    first_error: str = ""

    def note(self, what: str) -> Message | None:
        if not self.lost:
            return None
        lost, total = len(self.lost), max(self.total, len(self.lost))
        if what == "video":
            return Message(
                "{lost} of {total} video packets could not be decoded ({error}); the rest is indexed",
                lost=lost,
                total=total,
                error=self.first_error,
            )
        return Message(
            "{lost} of {total} audio packets could not be decoded ({error}); the rest is indexed",
            lost=lost,
            total=total,
            error=self.first_error,
        )


def decoded_packets(
    container: av.container.InputContainer, stream: av.stream.Stream, damage: Damage, count: bool = True
) -> Iterator:
    """Every frame of a stream from where the container stands, packet by packet: a packet
    that fails is noted in `damage` and skipped. `count`: each packet adds to the total."""
    for number, packet in enumerate(container.demux(stream)):
        damage.total += count and packet.size > 0
        try:
            frames = packet.decode()
        except av.FFmpegError as exc:
            damage.lost.add(packet.pts if packet.pts is not None else -number)
            damage.first_error = damage.first_error or decoder_reason(exc)
            continue
        yield from frames


def unsupported_codec(kind: str) -> Message:
    """The reason for a stream FFmpeg finds but has no decoder for (a 36-bit WAV, a rare codec)."""
    if kind == "video":
        return Message(
            "unsupported video encoding: FFmpeg has no decoder for this stream "
            "(an unusual bit depth or codec)"
        )
    return Message(
        "unsupported audio encoding: FFmpeg has no decoder for this stream (an unusual bit depth or codec)"
    )


def resampled_chunks(
    path: Path, rate: int, damage: Damage | None = None, from_s: float = 0.0
) -> Generator[Chunk, None, None]:
    """Mono float32 chunks of the first audio stream at `rate` Hz, with their times; from
    about `from_s` seconds on (a seek: what comes before is never decoded)."""
    damage = damage if damage is not None else Damage()
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise MediaError(path, Message("no audio stream"))
            stream = container.streams.audio[0]
            if stream.codec_context is None:
                raise MediaError(path, unsupported_codec("audio"))
            origin = (container.start_time or 0) / av.time_base
            if from_s > 0:
                container.seek(round((from_s + origin) * av.time_base), backward=True)
            resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
            decoded = produced = 0
            for frame in decoded_packets(container, stream, damage):
                decoded += frame.samples
                for out in resampler.resample(frame):
                    produced += out.samples
                    yield (None if out.time is None else out.time - origin), out.to_ndarray().reshape(-1)
            for out in resampler.resample(None):
                produced += out.samples
                yield None, out.to_ndarray().reshape(-1)
            if decoded and not produced:  # the resampler's filter holds back a few samples
                raise MediaError(
                    path,
                    Message(
                        "too short to index: {samples} samples ({ms} ms)",
                        samples=decoded,
                        ms=f"{1000 * decoded / stream.rate:.1f}",
                    ),
                )
    except av.FFmpegError as exc:
        raise MediaError(path, Message("corrupt audio stream: {error}", error=decoder_reason(exc))) from exc
    if damage.total and len(damage.lost) == damage.total:
        raise MediaError(
            path, Message("no audio packet could be decoded ({error})", error=damage.first_error)
        )


@dataclass
class _Run:
    """One continuous stretch of samples, from absolute sample `start`, held as the chunks
    that arrived (never copied into one growing array)."""

    start: int
    parts: deque = field(default_factory=deque)
    first: int = 0  # absolute index of parts[0][0]
    total: int = 0  # absolute index just past the last sample
    pos: int = 0  # start of the next window
    emitted_end: int = -1

    def __post_init__(self) -> None:
        self.first = self.total = self.pos = self.start

    def add(self, samples: np.ndarray) -> None:
        if len(samples):
            self.parts.append(samples.astype(np.float32, copy=False))
            self.total += len(samples)

    def slice(self, lo: int, hi: int) -> np.ndarray:
        out, at = [], self.first
        for part in self.parts:
            a, b = max(lo - at, 0), min(hi - at, len(part))
            if a < b:
                out.append(part[a:b])
            at += len(part)
        return np.concatenate(out) if out else np.empty(0, np.float32)

    def forget_before(self, pos: int) -> None:
        while self.parts and self.first + len(self.parts[0]) <= pos:
            self.first += len(self.parts.popleft())

    def windows(self, size: int, hop: int, rate: int) -> Iterator[MediaSegment]:
        while self.pos + size <= self.total:
            yield _window(self.slice(self.pos, self.pos + size), self.pos, rate)
            self.emitted_end, self.pos = self.pos + size, self.pos + hop
        self.forget_before(min(self.pos, self.total - size))  # what a later window may still need

    def last(self, size: int, rate: int) -> Iterator[MediaSegment]:
        """A clip shorter than a window is one window; a tail longer than a tenth of a window
        gets one aligned to the end (a sliver of codec padding gets none)."""
        if self.emitted_end < 0 and self.total > self.start:
            yield _window(self.slice(self.start, self.total), self.start, rate)
        elif self.emitted_end >= 0 and self.total - self.emitted_end >= size // 10:
            yield _window(self.slice(self.total - size, self.total), self.total - size, rate)


def windows(
    chunks: Iterable[Chunk | np.ndarray], rate: int, window_s: float, hop_s: float
) -> Iterator[MediaSegment]:
    """Cut timed chunks of samples into windows of `window_s` every `hop_s` seconds (a chunk
    without a time follows the one before). About one window of samples is held at a time."""
    size, hop = round(window_s * rate), round(hop_s * rate)
    run: _Run | None = None
    for chunk in chunks:
        t, samples = chunk if isinstance(chunk, tuple) else (None, chunk)
        at = round(t * rate) if t is not None else (run.total if run else 0)
        if run is None:
            run = _Run(max(at, 0))
        elif at - run.total > GAP_S * rate:
            if at - run.total <= size:  # a dropout: silence keeps the clock right
                run.add(np.zeros(at - run.total, dtype=np.float32))
            else:  # a long gap: finish this stretch, start another where the sound resumes
                yield from run.last(size, rate)
                run = _Run(at)
        run.add(samples)
        yield from run.windows(size, hop, rate)
    if run is not None:
        yield from run.last(size, rate)


def _window(samples: np.ndarray, start: int, rate: int) -> MediaSegment:
    t0 = start / rate
    t1 = (start + len(samples)) / rate
    return MediaSegment("audio", samples.copy(), start=t0, end=t1, t=(t0 + t1) / 2, sampling_rate=rate)


def audio_windows(
    path: Path, rate: int, window_s: float, hop_s: float, damage: Damage | None = None
) -> Iterator[MediaSegment]:
    count = 0
    for segment in windows(resampled_chunks(path, rate, damage), rate, window_s, hop_s):
        count += 1
        yield segment
    if count == 0:
        raise MediaError(path, Message("the audio stream holds no samples"))
