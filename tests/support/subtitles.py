"""Subtitles as people have them: SRT, WebVTT and ASS files, and a video that carries an
SRT stream of its own (remuxed by PyAV: FFmpeg's SRT demuxer reads the file, no encoder)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import av


def _clock(seconds: float, separator: str) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{separator}{ms % 1000:03d}"


def write_srt(path: Path, cues: Sequence[tuple[float, float, str]]) -> Path:
    blocks = [
        f"{n}\n{_clock(a, ',')} --> {_clock(b, ',')}\n{text}\n" for n, (a, b, text) in enumerate(cues, 1)
    ]
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def write_vtt(path: Path, cues: Sequence[tuple[float, float, str]]) -> Path:
    blocks = [f"{_clock(a, '.')} --> {_clock(b, '.')}\n{text}\n" for a, b, text in cues]
    path.write_text("WEBVTT\n\n" + "\n".join(blocks), encoding="utf-8")
    return path


def with_subtitle_stream(video: Path, srt: Path, out: Path, language: str | None = None) -> Path:
    """`video`'s streams and `srt` as a subtitle stream, in a Matroska file `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(video)) as source, av.open(str(srt)) as subtitles, av.open(str(out), "w") as sink:
        mapping = {
            s.index: sink.add_stream_from_template(s) for s in source.streams if s.type in ("video", "audio")
        }
        text = subtitles.streams.subtitles[0]
        stream = sink.add_stream_from_template(text)
        if language:
            stream.metadata["language"] = language
        for packet in source.demux(*[s for s in source.streams if s.index in mapping]):
            if packet.dts is not None:
                packet.stream = mapping[packet.stream.index]
                sink.mux(packet)
        for packet in subtitles.demux(text):
            if packet.dts is not None:
                packet.stream = stream
                sink.mux(packet)
    return out
