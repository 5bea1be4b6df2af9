"""Photo decoding: first frame, EXIF orientation, a pixel cap, decoded straight to a small size."""

from __future__ import annotations

import math
import re
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from indexer.errors import MediaError
from indexer.media.access import access_reason


def too_large(path: Path, pixels: float, max_pixels: int) -> MediaError:
    return MediaError(
        path,
        f"image too large: {pixels / 1e6:.0f} MP is over the {max_pixels / 1e6:.0f} MP limit "
        "(a decompression bomb, or raise max_image_pixels)",
    )


def decode_image(path: Path, max_pixels: int, side: int) -> Image.Image:
    """Decode a photo to RGB with its longest side at most `side` pixels, upright."""
    try:
        with warnings.catch_warnings():
            # Our own cap decides; Pillow's warning would only duplicate it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                if im.width * im.height > max_pixels:
                    raise too_large(path, im.width * im.height, max_pixels)
                im.draft("RGB", (side, side))  # JPEG: decode at 1/2, 1/4 or 1/8 scale
                image = ImageOps.exif_transpose(im.convert("RGB"))
    except MediaError:
        raise
    except Image.DecompressionBombError as exc:
        # Pillow refuses before we see the size; its message holds the pixel count.
        found = re.search(r"\((\d+) pixels\)", str(exc))
        raise too_large(path, float(found[1]) if found else math.inf, max_pixels) from exc
    except UnidentifiedImageError as exc:
        raise MediaError(path, "not an image Pillow can read (wrong extension, or corrupt)") from exc
    except (FileNotFoundError, PermissionError) as exc:
        raise MediaError(path, access_reason(exc)) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        # Pillow reports truncated or damaged data as OSError ("image file is truncated").
        raise MediaError(path, f"corrupt or truncated image data: {exc}") from exc
    image.thumbnail((side, side), Image.Resampling.BILINEAR)
    return image
