"""Synthetic media with known content: scenes that change at known seconds, tones at known times."""

from __future__ import annotations

import colorsys
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw


def scene_image(index: int, size: tuple[int, int] = (160, 120)) -> Image.Image:
    """Scene `index`: its own background hue, shape, and shape position."""
    width, height = size
    r, g, b = colorsys.hsv_to_rgb((index * 0.137) % 1.0, 0.9, 0.35 + 0.6 * ((index * 7) % 5) / 4)
    image = Image.new("RGB", size, (int(r * 255), int(g * 255), int(b * 255)))
    draw = ImageDraw.Draw(image)
    x0 = (index * 37) % (width // 2)
    y0 = (index * 23) % (height // 2)
    box = (x0, y0, x0 + width // 2, y0 + height // 2)
    fill = (255 - int(r * 255), 255 - int(g * 255), 255 - int(b * 255))
    [
        draw.ellipse,
        draw.rectangle,
        lambda bx, fill: draw.polygon(
            [(bx[0], bx[3]), ((bx[0] + bx[2]) // 2, bx[1]), (bx[2], bx[3])], fill=fill
        ),
    ][index % 3](box, fill=fill)
    for stripe in range(index % 4):
        draw.line((0, stripe * 9 + 3, width, stripe * 9 + 3), fill=(255, 255, 255), width=2)
    return image


def write_photo(path: Path, index: int, size: tuple[int, int] = (160, 120), **save_kwargs) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    scene_image(index, size).save(path, **save_kwargs)
    return path


def tone(freq: float, seconds: float, rate: int, kind: str = "sine") -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    if kind == "noise":
        return (np.random.default_rng(int(freq)).standard_normal(len(t)) * 0.3).astype(np.float32)
    if kind == "chirp":
        return (0.5 * np.sin(2 * np.pi * (freq + freq * t / max(seconds, 1e-9)) * t)).astype(np.float32)
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def sound(parts: Sequence[tuple[str, float, float]], rate: int) -> np.ndarray:
    """Concatenate (kind, frequency, seconds) parts: kind is sine, chirp or noise."""
    return np.concatenate([tone(freq, seconds, rate, kind) for kind, freq, seconds in parts])


def _encode_audio(container: av.container.OutputContainer, stream, samples: np.ndarray, rate: int) -> None:
    chunk = stream.codec_context.frame_size or 1024
    pts = 0
    for start in range(0, len(samples), chunk):
        piece = samples[start : start + chunk]
        frame = av.AudioFrame.from_ndarray(piece[None, :].astype(np.float32), format="flt", layout="mono")
        frame.sample_rate = rate
        frame.pts = pts
        pts += len(piece)
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)


def write_audio(path: Path, samples: np.ndarray, rate: int, codec: str | None = None) -> Path:
    """Encode mono float samples; the codec follows the extension unless given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    codec = (
        codec
        or {
            ".wav": "pcm_s16le",
            ".mp3": "libmp3lame",
            ".flac": "flac",
            ".ogg": "libopus",
            ".opus": "libopus",
            ".m4a": "aac",
        }[path.suffix.lower()]
    )
    if codec == "libopus" and rate not in (8000, 12000, 16000, 24000, 48000):
        # Opus takes only these rates: resample (linearly is enough for test tones).
        t = np.arange(round(len(samples) * 48_000 / rate)) / 48_000
        samples, rate = np.interp(t, np.arange(len(samples)) / rate, samples).astype(np.float32), 48_000
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=rate, layout="mono")
        _encode_audio(container, stream, samples, rate)
    return path


def write_video(
    path: Path,
    scenes: Sequence[int | Image.Image],
    scene_s: float = 2.0,
    fps: int = 6,
    gop: int = 12,
    size: tuple[int, int] = (160, 120),
    audio: np.ndarray | None = None,
    audio_rate: int = 16_000,
    codec: str = "libx264",
    rotation: int = 0,
    pixel_aspect: Fraction | None = None,
    metadata: dict[str, str] | None = None,
) -> Path:
    """A video showing scenes[i] (a scene_image index, or a picture) from i*scene_s to
    (i+1)*scene_s seconds. `rotation` is the display matrix's turn (degrees counterclockwise
    players apply); `pixel_aspect` the width of a stored pixel on screen; `metadata` the
    container's tags (creation_time…)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w") as container:
        container.metadata.update(metadata or {})
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.codec_context.gop_size = gop
        if rotation:
            stream.set_display_rotation(rotation)
        if pixel_aspect:
            stream.codec_context.sample_aspect_ratio = pixel_aspect
        if codec == "libx264":
            stream.codec_context.options = {"preset": "ultrafast", "sc_threshold": "0"}
        audio_stream = (
            container.add_stream("aac", rate=audio_rate, layout="mono") if audio is not None else None
        )
        frames_per_scene = round(scene_s * fps)
        for i, scene in enumerate(scenes):
            picture = scene.resize(size) if isinstance(scene, Image.Image) else scene_image(scene, size)
            for j in range(frames_per_scene):
                frame = av.VideoFrame.from_image(picture)
                frame.pts = i * frames_per_scene + j
                frame.time_base = Fraction(1, fps)
                for packet in stream.encode(frame):
                    container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
        if audio_stream is not None:
            _encode_audio(container, audio_stream, audio, audio_rate)
    return path
