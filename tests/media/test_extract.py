from __future__ import annotations

import struct

import pytest

from indexer.errors import MediaError
from indexer.media.extract import ExtractOptions, extract
from tests.support.media import sound, write_audio, write_photo, write_video

OPTIONS = ExtractOptions(audio_rate=16_000, decode_side=64)


def test_kind_comes_from_content_not_name(tmp_path):
    png = write_photo(tmp_path / "photo.png", 1)
    disguised = png.rename(tmp_path / "photo.mp4")
    assert extract(disguised, OPTIONS).kind == "photo"
    video = write_video(tmp_path / "clip.mp4", [1, 2])
    assert extract(video.rename(tmp_path / "clip.jpg"), OPTIONS).kind == "video"


def test_video_with_soundtrack_gives_frames_and_windows(tmp_path):
    path = write_video(tmp_path / "v.mp4", [1, 2, 3], audio=sound([("sine", 300.0, 6.0)], 16_000))
    extraction = extract(path, OPTIONS)
    modalities = [s.modality for s in extraction.segments]
    assert extraction.kind == "video" and "image" in modalities and "audio" in modalities


def test_without_an_audio_space_audio_files_say_so(tmp_path):
    path = write_audio(tmp_path / "a.wav", sound([("sine", 300.0, 2.0)], 16_000), 16_000)
    with pytest.raises(MediaError, match="no embedding space takes audio"):
        extract(path, ExtractOptions(audio_rate=None))


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"", "empty.jpg", "empty file"),
        (b"just some words\n" * 10, "words.mp3", "not a readable audio file"),
        (b"just some words\n" * 10, "words.png", "not a readable image"),
    ],
)
def test_unusable_content_has_a_specific_reason(tmp_path, content, name, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(MediaError, match=reason):
        extract(path, OPTIONS)


def test_an_encoding_ffmpeg_does_not_implement_says_so_and_how_to_fix_it(tmp_path):
    """A big-endian WAV of IMA ADPCM: FFmpeg's own words were "Not yet implemented in FFmpeg,
    patches welcome"."""
    data = bytes(range(256)) * 64
    fmt = struct.pack(">HHIIHH", 0x11, 1, 16_000, 32_000, 256, 4) + struct.pack(">H", 2) + b"\xf9\x01"
    body = b"WAVEfmt " + struct.pack(">I", len(fmt)) + fmt + b"data" + struct.pack(">I", len(data)) + data
    path = tmp_path / "big-endian.wav"
    path.write_bytes(b"RIFX" + struct.pack(">I", len(body)) + body)
    with pytest.raises(MediaError) as caught:
        extract(path, OPTIONS)
    assert "FFmpeg cannot decode" in caught.value.reason and "patches" not in caught.value.reason


def test_a_vanished_file_says_so(tmp_path):
    with pytest.raises(MediaError, match="vanished"):
        extract(tmp_path / "gone.jpg", OPTIONS)
