"""Media as phones, screen recorders and broken tools write them: one small builder per oddity.

Each builder places known scenes at known player times, so a test can say where a moment
must be found and what its frame must look like."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

from tests.support.media import scene_image, write_video

# What a player shows is `stored` turned by the display matrix (counterclockwise degrees):
# storing `upright` turned the other way makes the player show `upright`.
_UNDO = {90: Image.Transpose.ROTATE_270, -90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180}


def write_phone_video(path: Path, scenes: list[int], rotation: int = -90, scene_s: float = 2.0) -> Path:
    """A portrait phone video: landscape frames on disk, a display matrix that turns them."""
    upright = [scene_image(s, (120, 160)) for s in scenes]
    stored = [u.transpose(_UNDO[rotation]) for u in upright]
    return write_video(path, stored, scene_s=scene_s, size=stored[0].size, rotation=rotation)


def write_anamorphic_video(path: Path, scenes: list[int], scene_s: float = 2.0) -> Path:
    """Pixels twice as wide as tall on screen (anamorphic DV and broadcast captures)."""
    squeezed = [scene_image(s, (160, 120)).resize((80, 120)) for s in scenes]
    return write_video(path, squeezed, scene_s=scene_s, size=(80, 120), pixel_aspect=Fraction(2))


def write_timed_video(
    path: Path, frames: list[tuple[float, int]], audio_s: float | None = None, rate: int = 16_000
) -> Path:
    """Frames at exact player times: (seconds, scene). With `audio_s`, a silent soundtrack
    from 0 s, so a video that starts late starts late in the container too."""
    path.parent.mkdir(parents=True, exist_ok=True)
    base = Fraction(1, 1000)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=30)
        stream.width, stream.height = 160, 120
        stream.pix_fmt = "yuv420p"
        stream.time_base = base
        stream.codec_context.options = {"preset": "ultrafast", "sc_threshold": "0"}
        sound = container.add_stream("aac", rate=rate, layout="mono") if audio_s else None
        for seconds, scene in frames:
            frame = av.VideoFrame.from_image(scene_image(scene))
            frame.pts, frame.time_base = round(seconds / base), base
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
        if sound is not None:
            chunk = sound.codec_context.frame_size or 1024
            silence = np.zeros((1, chunk), dtype=np.float32)
            for i in range(int(audio_s * rate / chunk)):
                frame = av.AudioFrame.from_ndarray(silence, format="flt", layout="mono")
                frame.sample_rate, frame.pts = rate, i * chunk
                for packet in sound.encode(frame):
                    container.mux(packet)
            for packet in sound.encode(None):
                container.mux(packet)
    return path


def write_wide_photo(path: Path, scene: int, mode: str, bits: int = 16) -> Path:
    """A scene as a scanner or a scientific camera writes it: 16-bit grey (PNG), 32-bit
    integer grey, or float grey (TIFF), each spanning its format's range (integers: `bits`
    of it, as a 12-bit sensor fills a 16-bit file)."""
    grey = np.asarray(scene_image(scene).convert("L"), dtype=np.float64) / 255.0
    top = 2**bits - 1
    if mode == "I;16":
        image = Image.fromarray((grey * top).astype(np.uint16))
    elif mode == "I":
        image = Image.fromarray((grey * top).astype(np.int32), "I")
    else:  # float, in physical units rather than 0–1 (a depth map, a radiance scan)
        image = Image.fromarray((grey * 4000.0 - 1000.0).astype(np.float32), "F")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path


# EXIF blocks that Pillow opens the JPEG with but cannot parse (seen in the wild: editors
# that rewrite the header, cameras that cut the block short).
BAD_EXIF = {
    "mangled-header": b"Ex\x0ff\x00\x00MM\x00*\x00\x00\x00\x08"
    b"\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00",
    "cut-short": b"Exif\x00\x00MM\x00*\x00\x00",
    "entries-cut": b"Exif\x00\x00II*\x00\x08\x00\x00\x00\x05\x00\x12\x01",  # Pillow warns, reads on
}


def write_bad_exif_jpeg(path: Path, scene: int, kind: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    scene_image(scene).save(path, exif=BAD_EXIF[kind])
    return path


def write_mpeg_ts(path: Path, scenes: list[int]) -> Path:
    """A broadcast recording: H.264 in an MPEG transport stream (`.ts`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", format="mpegts") as container:
        stream = container.add_stream("libx264", rate=6)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        for i, scene in enumerate(scenes):
            for j in range(12):
                frame = av.VideoFrame.from_image(scene_image(scene))
                frame.pts, frame.time_base = i * 12 + j, Fraction(1, 6)
                for packet in stream.encode(frame):
                    container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def write_timed_audio(
    path: Path,
    parts: list[tuple[float, np.ndarray]],
    rate: int = 16_000,
    codec: str = "flac",
    video_from_0: bool = False,
    damaged: frozenset[int] = frozenset(),
) -> Path:
    """Mono audio whose pieces start at exact player times: (seconds, samples). A jump
    between pieces is a dropout. With `video_from_0`, a short video stream from 0 s makes
    the container start there, so audio from 5 s starts 5 s in. Packets whose numbers are
    in `damaged` are replaced by garbage, as one bad sector or a broken transfer leaves them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=1) if video_from_0 else None
        stream = container.add_stream(codec, rate=rate, layout="mono")  # every stream before muxing
        if video is not None:  # a frame a second, for as long as the sound lasts
            video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
            last = max(start + len(samples) / rate for start, samples in parts)
            for second in range(int(last) + 1):
                frame = av.VideoFrame.from_image(scene_image(second, (64, 48)))
                frame.pts, frame.time_base = second, Fraction(1, 1)
                for packet in video.encode(frame):
                    container.mux(packet)
            for packet in video.encode(None):
                container.mux(packet)
        chunk = stream.codec_context.frame_size or 1024
        number = 0
        for start_s, samples in parts:
            first = round(start_s * rate)
            for at in range(0, len(samples), chunk):
                piece = samples[at : at + chunk]
                frame = av.AudioFrame.from_ndarray(
                    piece[None, :].astype(np.float32), format="flt", layout="mono"
                )
                frame.sample_rate, frame.pts, frame.time_base = rate, first + at, Fraction(1, rate)
                for packet in stream.encode(frame):
                    if number in damaged:
                        bad = av.Packet(rng.integers(0, 256, packet.size, dtype=np.uint8).tobytes())
                        bad.pts, bad.dts, bad.time_base, bad.stream = (
                            packet.pts,
                            packet.dts,
                            packet.time_base,
                            stream,
                        )
                        packet = bad
                    container.mux(packet)
                    number += 1
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def write_damaged_video(path: Path, scenes: list[int]) -> Path:
    """A film with a damaged stretch: random bytes over a third of its middle (scenes at 2 s
    each, 6 fps, a keyframe every 2 s). What comes before and after still decodes."""
    import random

    write_video(path, scenes, gop=12)
    data = bytearray(path.read_bytes())
    rng = random.Random(1)
    for i in range(len(data) // 5, len(data) // 2):
        data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))
    return path


def write_flat_psd(path: Path, scene: int) -> Path:
    """A flattened Photoshop file (Pillow reads PSD but cannot write it): RGB, 8 bits,
    no layers, raw planar pixels — the merged image every PSD carries."""
    import struct

    pixels = np.asarray(scene_image(scene))
    height, width, _ = pixels.shape
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, height, width, 8, 3)
    empty_sections = struct.pack(">III", 0, 0, 0)  # colour mode data, image resources, layers
    planes = b"".join(pixels[:, :, c].tobytes() for c in range(3))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + empty_sections + struct.pack(">H", 0) + planes)
    return path


def write_wide_wav(path: Path, bits: int, seconds: float = 1.0, rate: int = 16_000) -> Path:
    """A PCM WAV of a bit depth FFmpeg has no decoder for (36, 45, 53 bits occur in the
    wild, from broken converters): a sound header, silent data."""
    import struct

    block = (bits + 7) // 8
    data = bytes(int(seconds * rate) * block)
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * block, block, bits)
    riff = b"WAVEfmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", len(data)) + data
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"RIFF" + struct.pack("<I", len(riff)) + riff)
    return path


def write_unsupported_tiff(path: Path, compression: int = 50001) -> Path:
    """A TIFF whose compression tag names a codec this libtiff lacks (WebP, by default)."""
    import struct

    Image.new("RGB", (32, 32), "red").save(path, compression=None)
    data = bytearray(path.read_bytes())
    ifd = struct.unpack("<I", data[4:8])[0]
    for i in range(struct.unpack("<H", data[ifd : ifd + 2])[0]):
        entry = ifd + 2 + 12 * i
        if struct.unpack("<H", data[entry : entry + 2])[0] == 259:  # Compression
            data[entry + 8 : entry + 10] = struct.pack("<H", compression)
    path.write_bytes(bytes(data))
    return path


def write_too_many_samples_tiff(path: Path) -> Path:
    """A TIFF claiming 1,000 samples a pixel: Pillow refuses it and logs an error of its own
    that names no file."""
    from PIL import TiffImagePlugin

    info = TiffImagePlugin.ImageFileDirectory_v2()
    info[277] = 1000  # SamplesPerPixel
    Image.new("L", (8, 8), 128).save(path, tiffinfo=info)
    return path
