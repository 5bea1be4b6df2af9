"""What reading real-length media costs: audio extraction, and card pictures deep in a film.

    .venv/bin/python -m tests.bench.media_cost [--minutes 60] [--work DIR]

1. audio: hours of 48 kHz audio windowed per minute (`audio_windows`, 16 kHz out)
2. card picture: the frame at 50:00 of a 1-hour video, and a 4-frame filmstrip around it
   (`video_frames_at`, what a result card and the reranker decode)
3. audio excerpt: the 10 s at 50:00 of a 1-hour recording (`audio_span`, for the reranker)

The media are generated once into --work and reused. Only functions whose signatures have
not changed are called, so the same script measures an older checkout too (run it with
that checkout first on PYTHONPATH) for a before/after.
"""

from __future__ import annotations

import argparse
import json
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from indexer.media.audio import audio_windows
from indexer.media.excerpt import audio_span, video_frames_at


def long_audio(path: Path, minutes: int, rate: int = 48_000) -> Path:
    if path.exists():
        return path
    with av.open(str(path), "w") as container:
        stream = container.add_stream("flac", rate=rate, layout="mono")
        chunk = 4096
        t = np.arange(chunk) / rate
        for i in range(minutes * 60 * rate // chunk):
            piece = (0.3 * np.sin(2 * np.pi * (200 + i % 50) * (t + i * chunk / rate))).astype(np.float32)
            frame = av.AudioFrame.from_ndarray(piece[None, :], format="flt", layout="mono")
            frame.sample_rate, frame.pts = rate, i * chunk
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def long_video(path: Path, minutes: int, fps: int = 25) -> Path:
    """Small frames (the cost measured is reading the file, not decoding big pictures)."""
    if path.exists():
        return path
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 160, 96, "yuv420p"
        stream.codec_context.gop_size = fps * 2
        stream.codec_context.options = {"preset": "ultrafast"}
        grey = np.zeros((96, 160, 3), dtype=np.uint8)
        for i in range(minutes * 60 * fps):
            grey[:] = (i // fps) % 256
            frame = av.VideoFrame.from_ndarray(grey, format="rgb24")
            frame.pts, frame.time_base = i, Fraction(1, fps)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def _best(runs: int, work) -> float:
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        timings.append(time.perf_counter() - began)
    return min(timings)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--work", type=Path, default=Path("/tmp/framefind-media-cost"))
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    audio = long_audio(args.work / f"talk-{args.minutes}m.flac", args.minutes)
    video = long_video(args.work / f"film-{args.minutes}m.mp4", args.minutes)
    at = args.minutes * 60 * 5 / 6  # 50:00 of an hour
    audio_s = _best(1, lambda: sum(1 for _ in audio_windows(audio, 16_000, 10.0, 5.0)))
    results = {
        "audio_hours_per_minute": (args.minutes / 60) / (audio_s / 60),
        "audio_seconds": audio_s,
        "card_frame_s": _best(3, lambda: video_frames_at(video, [at], 256)),
        "filmstrip_s": _best(3, lambda: video_frames_at(video, [at - 3, at - 1, at + 1, at + 3], 128)),
        "audio_excerpt_s": _best(3, lambda: audio_span(audio, 16_000, at, at + 10)),
    }
    print(json.dumps(results))
    return results


if __name__ == "__main__":
    main()
