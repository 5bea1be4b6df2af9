"""Photo decoding: first frame, EXIF orientation, a pixel cap, decoded straight to a small size.

Scans and scientific images come as 16-bit, 32-bit or float pixels, which Pillow's RGB
conversion clips (a 16-bit photo becomes solid white): they are scaled to 8 bits by their
range first. Orientation is best-effort: broken EXIF is common, and never a reason to drop
a photo that decodes.
"""

from __future__ import annotations

import math
import re
import warnings
from pathlib import Path

import numpy as np
import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from indexer.errors import MediaError
from indexer.media.access import access_reason
from indexer.media.quiet import silence_libtiff
from indexer.wording import Message

# HEIC/HEIF (iPhones' default) through libheif; Pillow itself reads AVIF and JPEG 2000.
pillow_heif.register_heif_opener()
silence_libtiff()


def too_large(path: Path, pixels: float, max_pixels: int) -> MediaError:
    return MediaError(
        path,
        Message(
            "image too large: {pixels} MP is over the {limit} MP limit (a decompression bomb, or raise "
            "max_image_pixels)",
            pixels=f"{pixels / 1e6:.0f}",
            limit=f"{max_pixels / 1e6:.0f}",
        ),
    )


def decode_image(path: Path, max_pixels: int, side: int, shorter: int = 0) -> Image.Image:
    """Decode a photo to RGB with its longest side at most `side` pixels, upright; with
    `shorter`, a JPEG is decoded at the smallest scale that keeps its shorter side that long
    (the text gate needs its shorter side, not its longest: 1/8 scale for a 12 MP photo)."""
    try:
        with warnings.catch_warnings():
            # Our own cap decides; Pillow's warning would only duplicate it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                if im.width * im.height > max_pixels:
                    raise too_large(path, im.width * im.height, max_pixels)
                im.draft("RGB", _draft_size(im.size, side, shorter))  # JPEG: 1/2, 1/4 or 1/8 scale
                try:
                    im.load()  # decoding errors surface here, not inside the best-effort EXIF step
                except OSError as exc:
                    raise MediaError(path, _why_not(im, exc)) from exc
                image = _eight_bit(_upright(im)).convert("RGB")
    except MediaError:
        raise
    except Image.DecompressionBombError as exc:
        # Pillow refuses before we see the size; its message holds the pixel count.
        found = re.search(r"\((\d+) pixels\)", str(exc))
        raise too_large(path, float(found[1]) if found else math.inf, max_pixels) from exc
    except UnidentifiedImageError as exc:
        raise MediaError(path, Message("not an image Pillow can read (wrong extension, or corrupt)")) from exc
    except (FileNotFoundError, PermissionError) as exc:
        raise MediaError(path, access_reason(exc)) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        # Pillow reports truncated or damaged data as OSError ("image file is truncated").
        raise MediaError(path, Message("corrupt or truncated image data: {error}", error=exc)) from exc
    image.thumbnail((side, side), Image.Resampling.BILINEAR)
    return image


def _draft_size(size: tuple[int, int], side: int, shorter: int) -> tuple[int, int]:
    """The size Pillow's draft is asked for: it decodes at the smallest scale at least this large."""
    if not shorter:
        return side, side
    scale = shorter / max(min(size), 1)
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


WIDE_MODES = frozenset({"I;16", "I;16B", "I;16L", "I;16N", "I", "F"})
DEPTHS = tuple(2**bits - 1 for bits in (8, 10, 12, 14, 16))


def _eight_bit(image: Image.Image) -> Image.Image:
    """An image Pillow can convert to RGB without clipping: wide grey values scaled to 8 bits."""
    if image.mode not in WIDE_MODES:
        return image
    values = np.asarray(image, dtype=np.float64)
    finite = values[np.isfinite(values)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if image.mode == "F":
        low, high = (0.0, 1.0) if low >= 0 and high <= 1 else (low, high)  # else: stretch what is there
    else:  # scanners and scientific cameras store 10, 12 or 14 bits in 16: scale by the depth used
        low, high = 0.0, next((float(top) for top in DEPTHS if high <= top), high)
    scaled = (np.nan_to_num(values, nan=low) - low) * (255.0 / max(high - low, 1e-12))
    return Image.fromarray(np.clip(scaled, 0, 255).astype(np.uint8), "L")


def _upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says, when that can be read at all."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # broken EXIF fails in many ways (struct, value, syntax errors): keep as stored
        return image


# TIFF compressions Pillow's libtiff decodes (its wheels build JPEG in); another one that
# fails is missing from the build, one of these that fails is damaged.
BASIC_TIFF = frozenset(
    {"raw", "tiff_lzw", "packbits", "tiff_adobe_deflate", "tiff_deflate", "group3", "group4", "jpeg"}
)


def _why_not(image: Image.Image, exc: OSError) -> Message:
    """Why a sound-looking image did not decode: an unsupported compression, or damage."""
    from PIL import TiffImagePlugin

    if isinstance(image, TiffImagePlugin.TiffImageFile):
        code = image.tag_v2.get(TiffImagePlugin.COMPRESSION)
        name = TiffImagePlugin.COMPRESSION_INFO.get(int(code or 0), f"code {code}")
        if name not in BASIC_TIFF:
            return Message(
                "unsupported TIFF compression: {name} (this Pillow/libtiff cannot decode it)", name=name
            )
    return Message("corrupt or truncated image data: {error}", error=exc)
