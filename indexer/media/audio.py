"""Audio: decoded and resampled once with PyAV, cut into overlapping windows of fixed length.

CLAP-type feature extractors crop longer clips at random, so windows are never longer than
the model's limit; that keeps vectors repeatable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import av
import numpy as np

from indexer.errors import MediaError
from indexer.media.access import decoder_reason
from indexer.media.segment import MediaSegment


def resampled_chunks(path: Path, rate: int) -> Iterator[np.ndarray]:
    """Mono float32 chunks of the first audio stream at `rate` Hz."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise MediaError(path, "no audio stream")
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    yield out.to_ndarray().reshape(-1)
            for out in resampler.resample(None):
                yield out.to_ndarray().reshape(-1)
    except av.FFmpegError as exc:
        raise MediaError(path, f"corrupt audio stream: {decoder_reason(exc)}") from exc


def windows(chunks: Iterable[np.ndarray], rate: int, window_s: float, hop_s: float) -> Iterator[MediaSegment]:
    """Cut a stream of samples into windows of `window_s` every `hop_s` seconds.

    A last window aligned to the end covers a tail longer than a tenth of a window; a clip
    shorter than one window is one window. About one window of samples is held at a time.
    """
    size, hop = round(window_s * rate), round(hop_s * rate)
    buffer = np.empty(0, dtype=np.float32)
    offset = 0  # absolute sample index of buffer[0]
    pos = 0  # absolute start of the next window
    emitted_end = 0
    for chunk in chunks:
        buffer = np.concatenate([buffer, chunk.astype(np.float32, copy=False)])
        total = offset + len(buffer)
        while pos + size <= total:
            yield _window(buffer[pos - offset : pos - offset + size], pos, rate)
            emitted_end, pos = pos + size, pos + hop
        # Keep what the next window, or an end-aligned last one, may still need.
        drop = max(0, min(pos, total - size) - offset)
        buffer, offset = buffer[drop:], offset + drop
    total = offset + len(buffer)
    if emitted_end == 0 and total > 0:
        yield _window(buffer, offset, rate)
    elif total - emitted_end >= size // 10:  # a sliver (codec padding) needs no window of its own
        yield _window(buffer[total - size - offset :], total - size, rate)


def _window(samples: np.ndarray, start: int, rate: int) -> MediaSegment:
    t0 = start / rate
    t1 = (start + len(samples)) / rate
    return MediaSegment("audio", samples.copy(), start=t0, end=t1, t=(t0 + t1) / 2, sampling_rate=rate)


def audio_windows(path: Path, rate: int, window_s: float, hop_s: float) -> Iterator[MediaSegment]:
    count = 0
    for segment in windows(resampled_chunks(path, rate), rate, window_s, hop_s):
        count += 1
        yield segment
    if count == 0:
        raise MediaError(path, "the audio stream holds no samples")
