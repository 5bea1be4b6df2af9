"""Formats people have, beyond JPEG and PNG: each is indexed with what it shows."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from indexer.media.extract import ExtractOptions, extract
from indexer.media.kinds import is_candidate
from tests.support.media import scene_image, sound, write_audio
from tests.support.oddities import write_flat_psd


def _difference(image: Image.Image, expected: Image.Image) -> float:
    a = np.asarray(image.convert("RGB"), dtype=np.float32)
    b = np.asarray(expected.convert("RGB").resize(image.size), dtype=np.float32)
    return float(np.abs(a - b).mean())


PHOTOS = {
    "iphone.heic": {},
    "web.avif": {},
    "archive.jp2": {},
    "scan.tga": {},
    "stereo.mpo": {"save_all": True, "append_images": [scene_image(9)]},
    "moving.apng": {"save_all": True, "append_images": [scene_image(9)], "format": "PNG"},
}


@pytest.mark.parametrize("name", sorted(PHOTOS))
def test_each_photo_format_is_indexed_as_what_it_shows(tmp_path, name):
    path = tmp_path / name
    scene_image(8).save(path, **PHOTOS[name])
    assert is_candidate(path)
    extraction = extract(path, ExtractOptions())
    assert extraction.kind == "photo"
    assert _difference(next(extraction.segments).data, scene_image(8)) < 12  # lossy codecs, a little off


def test_a_photoshop_file_gives_its_flattened_image(tmp_path):
    path = write_flat_psd(tmp_path / "poster.psd", 8)
    extraction = extract(path, ExtractOptions())
    assert extraction.kind == "photo" and _difference(next(extraction.segments).data, scene_image(8)) < 2


@pytest.mark.parametrize(
    ("name", "codec"),
    [("book.m4b", "aac"), ("song.wv", "wavpack"), ("voice.webm", "libopus"), ("live.mka", "flac")],
)
def test_each_audio_format_is_indexed(tmp_path, name, codec):
    path = write_audio(tmp_path / name, sound([("sine", 440.0, 6.0)], 48_000), 48_000, codec=codec)
    assert is_candidate(path)
    extraction = extract(path, ExtractOptions(audio_rate=16_000))
    assert extraction.kind == "audio"
    windows = list(extraction.segments)
    assert windows and windows[-1].end == pytest.approx(6.0, abs=0.1)


def test_monkeys_audio_is_looked_at(tmp_path):
    """No encoder to make one here; FFmpeg decodes it, so the name alone makes it a candidate."""
    assert is_candidate(tmp_path / "concert.ape")


@pytest.mark.parametrize("bits", [36, 45, 53])
def test_a_wav_of_an_unreadable_bit_depth_is_called_unsupported_not_corrupt(tmp_path, bits):
    from indexer.errors import MediaError
    from tests.support.oddities import write_wide_wav

    path = write_wide_wav(tmp_path / f"{bits}.wav", bits)
    with pytest.raises(MediaError, match="unsupported audio encoding"):
        list(extract(path, ExtractOptions(audio_rate=16_000)).segments)


def test_a_tiff_compressed_with_a_missing_codec_is_called_unsupported(tmp_path):
    from indexer.errors import MediaError
    from tests.support.oddities import write_unsupported_tiff

    with pytest.raises(MediaError, match="unsupported TIFF compression: webp"):
        extract(write_unsupported_tiff(tmp_path / "satellite.tif"), ExtractOptions())


def test_what_can_be_an_example_is_told_by_name_or_first_bytes(tmp_path):
    from indexer.media.kinds import example_refusal
    from tests.support.media import write_photo

    assert example_refusal(write_photo(tmp_path / "a.jpg", 1)) is None
    nameless = write_photo(tmp_path / "b.jpg", 2).rename(tmp_path / "photo-without-extension")
    assert example_refusal(nameless) is None  # its first bytes are a JPEG's
    assert example_refusal(tmp_path) is None  # a folder: search like everything in it
    (tmp_path / "notes.txt").write_text("milk\n")
    assert "is not a photo, video or recording" in example_refusal(tmp_path / "notes.txt")
    assert "cannot be read" in example_refusal(tmp_path / "gone.jpg")


@pytest.mark.parametrize(
    ("name", "mode"),
    [
        ("icon.ico", "RGBA"),
        ("photo.ppm", "RGB"),
        ("grey.pgm", "L"),
        ("lines.pbm", "1"),
        ("photo.qoi", "RGB"),
        ("old.pcx", "RGB"),
        ("old.sgi", "RGB"),
        ("app.icns", "RGBA"),
        ("bare.dib", "RGB"),
    ],
)
def test_pictures_pillow_decodes_are_indexed_by_name_and_content(tmp_path, name, mode):
    """119 files that Pillow opens (.ico, .ppm, .pgm, .qoi, …) were neither indexed nor counted."""
    from indexer.media.kinds import extension_kind

    path = tmp_path / name
    scene_image(4, (128, 128)).convert(mode).save(path)
    assert extension_kind(path) == "photo"
    extraction = extract(path, ExtractOptions(audio_rate=16_000, decode_side=64))
    assert extraction.kind == "photo" and [s.modality for s in extraction.segments] == ["image"]


@pytest.mark.parametrize(
    ("name", "codec", "rate"),
    [
        ("talk.ac3", "ac3", 48_000),
        ("talk.tta", "tta", 16_000),
        ("talk.mp2", "mp2", 44_100),
        ("talk.amr", "libopencore_amrnb", 8_000),
    ],
)
def test_sound_formats_ffmpeg_decodes_are_indexed(tmp_path, name, codec, rate):
    """16 files FFmpeg decodes (.ac3, .tta, .amr, …) were neither indexed nor counted."""
    from indexer.media.kinds import extension_kind

    path = write_audio(tmp_path / name, sound([("sine", 440.0, 3.0)], rate), rate, codec=codec)
    assert extension_kind(path) == "audio"  # the scan picks files by name
    extraction = extract(path, ExtractOptions(audio_rate=16_000, decode_side=64))
    assert extraction.kind == "audio" and any(s.modality == "audio" for s in extraction.segments)
