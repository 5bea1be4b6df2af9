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


def test_a_shorter_side_asked_for_decodes_a_phone_photo_at_an_eighth(tmp_path):
    # The text gate needs 320 pixels on the shorter side: a 12 MP JPEG decodes at 1/8 scale
    # (504 × 378), not at the 1/4 its longest-side cap alone would choose.
    path = write_photo(tmp_path / "phone.jpg", 2, size=(4032, 3024))
    assert decode_image(path, 10**8, 960, shorter=320).size == (504, 378)
    assert decode_image(path, 10**8, 960).size == (960, 720)


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


def _grey_difference(a, b) -> float:
    import numpy as np

    return float(
        np.abs(np.asarray(a.convert("L"), float) - np.asarray(b.convert("L").resize(a.size), float)).mean()
    )


@pytest.mark.parametrize(("name", "mode"), [("scan.png", "I;16"), ("deep.tif", "I"), ("depth.tif", "F")])
def test_wide_pixels_are_scaled_not_clipped(tmp_path, name, mode):
    """A 16-bit scan used to decode as solid white, and rank last against its 8-bit twin."""
    from PIL import ImageOps

    from tests.support.media import scene_image
    from tests.support.oddities import write_wide_photo

    image = decode_image(write_wide_photo(tmp_path / name, 4, mode), 10**8, 512)
    expected = scene_image(4).convert("L")
    if mode == "F":  # physical units: the values there are stretched over the grey scale
        expected = ImageOps.autocontrast(expected)
    assert image.mode == "RGB" and _grey_difference(image, expected) < 4


@pytest.mark.parametrize(("name", "mode"), [("scan.png", "I;16"), ("scan.tif", "I;16"), ("deep.tif", "I")])
@pytest.mark.parametrize("bits", [10, 12, 14])
def test_fewer_bits_in_a_sixteen_bit_file_are_scaled_by_their_depth(tmp_path, name, mode, bits):
    """12-bit data in a 16-bit file (scanners, microscopes) decoded near-black and matched its
    8-bit twin at cosine 0.43: it is scaled by the depth the data uses."""
    from tests.support.media import scene_image
    from tests.support.oddities import write_wide_photo

    image = decode_image(write_wide_photo(tmp_path / name, 4, mode, bits), 10**8, 512)
    assert _grey_difference(image, scene_image(4).convert("L")) < 4


def test_a_damaged_jpeg_in_tiff_is_called_damaged_not_unsupported(tmp_path):
    """Eleven JPEG-compressed TIFFs indexed fine while a damaged one was refused as an
    "unsupported TIFF compression": the compression is supported, the file is damaged."""
    from tests.support.media import scene_image

    path = tmp_path / "scan.tif"
    scene_image(3, (400, 300)).save(path, compression="jpeg")
    assert decode_image(path, 10**8, 256).size == (256, 192)
    with Image.open(path) as tiff:
        strip = tiff.tag_v2[273][0]  # the first strip's offset
    data = bytearray(path.read_bytes())
    data[strip : strip + 20] = bytes(20)  # its JPEG header wrecked
    path.write_bytes(data)
    with pytest.raises(MediaError, match="corrupt or truncated image data"):
        decode_image(path, 10**8, 256)


@pytest.mark.parametrize("kind", ["mangled-header", "cut-short", "entries-cut"])
def test_broken_exif_never_drops_a_photo(tmp_path, kind):
    from tests.support.media import scene_image
    from tests.support.oddities import write_bad_exif_jpeg

    path = write_bad_exif_jpeg(tmp_path / f"{kind}.jpg", 6, kind)
    image = decode_image(path, 10**8, 512)
    assert image.size == (160, 120) and _grey_difference(image, scene_image(6)) < 10


def test_bigtiff_is_a_photo(tmp_path):
    from indexer.media.extract import ExtractOptions, extract

    path = tmp_path / "slide.tif"
    Image.new("RGB", (300, 200), "teal").save(path, big_tiff=True)
    extraction = extract(path, ExtractOptions())
    assert extraction.kind == "photo" and next(extraction.segments).data.size == (300, 200)
