"""Pictures with text in them, drawn with real fonts (DejaVu; Noto CJK from Debian): a slide,
a phone screenshot, a sign turned and seen at an angle, and a slide deck as a video."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tests.support.media import scene_image, write_video

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def font(size: int, cjk: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(NOTO_CJK if cjk else DEJAVU), size)


def slide(lines: list[str], size: tuple[int, int] = (1280, 720), cjk: bool = False) -> Image.Image:
    """Dark text on a light slide, a title and its points."""
    image = Image.new("RGB", size, (245, 245, 240))
    draw = ImageDraw.Draw(image)
    y = size[1] // 8
    for i, line in enumerate(lines):
        big = font(size[1] // (10 if i == 0 else 16), cjk)
        draw.text((size[0] // 12, y), line, font=big, fill=(20, 20, 60))
        y += int(big.size * 1.8)
    return image


def screenshot(lines: list[str], size: tuple[int, int] = (1080, 2340), text_px: int = 40) -> Image.Image:
    """A phone screenshot: a bar on top, then rows of text on white."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0], 160), fill=(30, 90, 200))
    small = font(text_px)
    for i, line in enumerate(lines):
        draw.text((48, 220 + i * round(text_px * 2.4)), line, font=small, fill=(25, 25, 25))
    return image


def sign(text: str, turn: float = 0.0, warp: float = 0.0, background: int = 5) -> Image.Image:
    """A street sign on a scene, turned by `turn` degrees, and seen from the side: its far
    edge `warp` (a share of its height) shorter than its near one."""
    plate = Image.new("RGB", (900, 220), (20, 110, 50))
    ImageDraw.Draw(plate).text((40, 50), text, font=font(110), fill="white")
    plate = plate.rotate(turn, expand=True, fillcolor=(0, 0, 0))
    w, h = plate.size
    # (the source quadrilateral each output corner samples: the right side farther away)
    plate = plate.transform(
        (w, h), Image.Transform.QUAD, (0, 0, 0, h, w, h * (1 - warp), w, h * warp), Image.Resampling.BICUBIC
    )
    picture = scene_image(background, (1600, 1200))
    mask = plate.convert("L").point(lambda v: 255 if v > 8 else 0)
    picture.paste(plate, (300, 400), mask)
    return picture


def slide_deck(path: Path, slides: list[list[str]], slide_s: float = 4.0) -> Path:
    """A video showing each slide for `slide_s` seconds, in order."""
    return write_video(path, [slide(s) for s in slides], scene_s=slide_s, fps=2, gop=8, size=(1280, 720))
