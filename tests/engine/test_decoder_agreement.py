"""Framefind indexes a file if and only if Pillow or PyAV can decode it — or says why not.

A folder of every oddity the tests can build (phone, anamorphic, screen-recorded, sparse,
late-starting and damaged videos; 16-bit, float, broken-EXIF, BigTIFF and exotic photos;
gapped, damaged, odd and tiny audio; broken files of every kind) is indexed, and each file's
fate is compared with what the decoding libraries themselves make of it.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from indexer.media.extract import NOT_MEDIA_FORMATS
from tests.support import oddities as odd
from tests.support.hostile import write_hostile_folder
from tests.support.media import scene_image, sound, tone, write_audio, write_video

pytestmark = pytest.mark.slow

# Decodable, and deliberately not indexed: the reason must say so.
POLICY = ("too large", "too short to index")


def _write_folder(root: Path) -> list[Path]:
    write_hostile_folder(root / "hostile")
    v, p, a = root / "videos", root / "photos", root / "audio"
    odd.write_phone_video(v / "portrait.mp4", [1, 2], rotation=-90)
    odd.write_anamorphic_video(v / "dv.mkv", [3])
    odd.write_timed_video(v / "screen.mkv", [(i / 10, 1) for i in range(10)] + [(13.0, 2)])
    odd.write_timed_video(v / "sparse.mkv", [(0.0, 1), (1_000_000.0, 2)])
    odd.write_timed_video(v / "late.mp4", [(4 + i / 5, 4) for i in range(10)], audio_s=8)
    odd.write_damaged_video(v / "damaged.mp4", list(range(10)))
    odd.write_mpeg_ts(v / "broadcast.ts", [5, 6])
    (v / "app.ts").write_text("export const x = 1;\n" * 30)  # TypeScript: not even a candidate
    for name, mode in (("scan.png", "I;16"), ("deep.tif", "I"), ("depth.tif", "F")):
        odd.write_wide_photo(p / name, 4, mode)
    for kind in odd.BAD_EXIF:
        odd.write_bad_exif_jpeg(p / f"exif-{kind}.jpg", 5, kind)
    Image.new("RGB", (120, 80), "teal").save(p / "slide.tif", big_tiff=True)
    for name in ("a.heic", "a.avif", "a.jp2", "a.tga", "a.apng"):
        scene_image(7).save(p / name, **({"format": "PNG"} if name.endswith("apng") else {}))
    scene_image(7).save(p / "a.mpo", save_all=True, append_images=[scene_image(8)])
    odd.write_flat_psd(p / "poster.psd", 8)
    odd.write_unsupported_tiff(p / "webp-compressed.tif")
    for name, codec in (
        ("book.m4b", "aac"),
        ("song.wv", "wavpack"),
        ("voice.webm", "libopus"),
        ("live.mka", "flac"),
    ):
        write_audio(a / name, sound([("sine", 440.0, 3.0)], 48_000), 48_000, codec=codec)
    odd.write_timed_audio(a / "gap.mka", [(0.0, tone(300, 2, 16_000)), (5.0, tone(3000, 2, 16_000))])
    odd.write_timed_audio(
        a / "damaged.mka", [(0.0, tone(300, 3, 16_000))], codec="aac", damaged=frozenset({5})
    )
    odd.write_wide_wav(a / "36bit.wav", 36)
    write_audio(a / "click.wav", np.ones(6, dtype=np.float32) * 0.3, 8_000)
    write_video(v / "plain.mp4", [9, 10])
    return sorted(f for f in root.rglob("*") if f.is_file())


def _decodable(path: Path) -> bool:
    """What the libraries say, without Framefind: a picture Pillow loads, or a frame of
    audio or video PyAV decodes (not text or stills that FFmpeg "opens" too)."""
    try:
        with Image.open(path) as image:
            image.load()
        return True
    except Exception:
        pass
    try:
        with av.open(str(path)) as container:
            if container.format.name in NOT_MEDIA_FORMATS:
                return False
            for stream in [*container.streams.video, *container.streams.audio]:
                if stream.codec_context is None:
                    continue
                for packet in container.demux(stream):
                    try:
                        if packet.decode():
                            return True
                    except av.FFmpegError:
                        continue
    except av.FFmpegError:
        return False
    return False


def test_indexed_if_and_only_if_decodable_or_the_reason_says_why(engine, tmp_path):
    files = _write_folder(tmp_path / "media")
    engine.index([tmp_path / "media"])
    checked = 0
    for path in files:
        record = engine.catalog.files.get(path)
        if record is None:  # never a candidate (TypeScript), or skipped by name
            assert path.suffix == ".ts" and not _decodable(path), path
            continue
        checked += 1
        if _decodable(path):
            kept = record.status == "indexed" or any(p in (record.error or "") for p in POLICY)
            assert kept, f"{path.name}: decodable, but {record.status}: {record.error}"
        else:
            assert record.status == "failed", f"{path.name}: not decodable, yet {record.status}"
            assert record.error and "unexpected" not in record.error, f"{path.name}: {record.error}"
    assert checked >= 35
    reasons = {f.path.name: f.error for f in engine.failures()}
    assert "unsupported audio encoding" in reasons["36bit.wav"]
    assert "unsupported TIFF compression" in reasons["webp-compressed.tif"]
    assert "too short to index" in reasons["click.wav"]
