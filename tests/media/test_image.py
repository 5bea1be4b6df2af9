from __future__ import annotations

import pytest
from PIL import Image

from indexer.errors import MediaError
from indexer.media.image import decode_image
from tests.support.hostile import png_bomb
from tests.support.media import write_photo


def test_exif_orientation_is_applied(tmp_path):
    path = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: rotate 90° clockwise to show
    Image.new("RGB", (200, 100), "red").save(path, exif=exif)
    assert decode_image(path, 10**8, 512).size == (100, 200)


def test_large_photo_is_decoded_small(tmp_path):
    path = write_photo(tmp_path / "big.jpg", 1, size=(4000, 3000))
    image = decode_image(path, 10**8, 512)
    assert max(image.size) == 512 and image.mode == "RGB"


def test_gif_gives_its_first_frame(tmp_path):
    path = tmp_path / "anim.gif"
    frames = [Image.new("RGB", (40, 40), c) for c in ("blue", "yellow")]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    r, _g, b = decode_image(path, 10**8, 512).getpixel((5, 5))
    assert b > 200 and r < 50


def test_pixel_cap_refuses_a_bomb_by_our_limit(tmp_path):
    path = write_photo(tmp_path / "wide.png", 2, size=(3000, 1000))
    with pytest.raises(MediaError, match=r"image too large: 3 MP is over the 1 MP limit"):
        decode_image(path, 1_000_000, 512)


def test_a_bomb_beyond_pillows_limit_has_the_same_reason(tmp_path):
    with pytest.raises(MediaError, match=r"image too large: 1600 MP"):
        decode_image(png_bomb(tmp_path / "bomb.png"), 150_000_000, 512)


def test_truncated_jpeg_is_reported_as_such(tmp_path):
    path = write_photo(tmp_path / "cut.jpg", 3, size=(400, 300))
    path.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(MediaError, match="truncated"):
        decode_image(path, 10**8, 512)
