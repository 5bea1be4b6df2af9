"""Text in pictures with RapidOCR: PP-OCR's detector and recogniser on ONNX Runtime. Its wheel
carries the PP-OCRv6 models (Latin scripts with their accents, Chinese, Japanese), so reading
works offline from the first run; another script's recogniser (korean, cyrillic, arabic, el…)
is named in the `ocr` setting and fetched by RapidOCR on first use.

Most pictures hold no text, so the detector looks first at a small copy (GATE_SIDE): only a
picture where it finds a block of text is read, its lines cut from a larger copy for the
recogniser (tests/bench/reading.py measures what the gate skips and what it misses).
"""

from __future__ import annotations

import functools
import logging
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from indexer.errors import FramefindError

log = logging.getLogger(__name__)

BUILT_IN = "auto"  # the models inside RapidOCR's wheel
# The detector's quick look for any text is at this shorter side (a phone screenshot's width
# decides how small its text gets), its longer side at most three times that.
GATE_SIDE = 320
GATE_LONGEST = 3 * GATE_SIDE
READ_SIDE = 2000  # longest side recognised (RapidOCR's own ceiling)
# A photo is read from a decode whose shorter side is at least this (a 12 MP JPEG at 1/4 scale:
# 30 ms against 90 at 1/2, and the same words): text the gate sees, 6 pixels at 320, is 13 or
# more here, which the recogniser reads.
READ_SHORTER = 720
# The detector's look when reading is the gate's look, at the gate's scale (RapidOCR would run
# it at full size: 2.3 s for a 12 MP photo here, 0.6 s at 960 pixels, 0.15 s at 320 on the
# shorter side), and the text it finds is cut for the recogniser from the larger picture, so
# reading stays sharp: the benchmark's slides, screenshots, signs and captions read the same
# words as at 960 pixels or better (tests/bench/reading.py). The text a gate's look finds is
# the text read.
LEAST_SCORE = 0.6  # a recognised block less certain than this is mostly noise (a texture, a leaf)
LEAST_HEIGHT = 6  # pixels, in the gate's small copy: smaller is not text anyone reads there
TALLEST = 0.3  # of the picture's height: a taller "block" is a shape (a title's line is less)


@dataclass(frozen=True, slots=True)
class Block:
    """A block of text and where it is: (left, top, right, bottom) as shares of the picture."""

    text: str
    score: float
    box: tuple[float, float, float, float]


class TextReader:
    """Detects and recognises text; loaded on first use, one picture at a time."""

    def __init__(self, choice: str = BUILT_IN, threads: int = 0) -> None:
        self._choice = choice
        self._threads = threads
        self._lock = threading.Lock()

    @functools.cached_property
    def identity(self) -> str:
        """What the written lines were read with: another choice reads the library again."""
        return f"rapidocr:{self._choice}"

    def has_text(self, image: Image.Image) -> bool:
        """Whether the detector finds any block of text in a small copy of `image`."""
        small = _within(image, _gate_longest(image))
        found = self._run(small, max(small.size), use_det=True, use_cls=False, use_rec=False)
        boxes = getattr(found, "boxes", None)
        if boxes is None or len(boxes) == 0:
            return False
        corners = np.asarray(boxes)
        heights, widths = np.ptp(corners[:, :, 1], axis=1), np.ptp(corners[:, :, 0], axis=1)
        # A line of text is a band: a block that fills much of the picture is a shape.
        lines = (heights >= LEAST_HEIGHT) & (heights <= TALLEST * small.height) & (widths >= heights * 0.8)
        return bool(lines.any())

    def read(self, image: Image.Image) -> list[Block]:
        """The blocks of text in `image`, top to bottom."""
        picture = _within(image, READ_SIDE)
        found = self._run(picture, _gate_longest(picture), use_det=True, use_cls=True, use_rec=True)
        if found.boxes is None or found.txts is None:
            return []
        width, height = picture.size
        blocks = []
        for box, text, score in zip(found.boxes, found.txts, found.scores, strict=True):
            if float(score) < LEAST_SCORE or not text.strip():
                continue
            xs, ys = (
                np.clip(np.asarray(box)[:, 0] / width, 0, 1),
                np.clip(np.asarray(box)[:, 1] / height, 0, 1),
            )
            edges = (xs.min(), ys.min(), xs.max(), ys.max())
            left, top, right, bottom = (round(float(e), 4) for e in edges)
            blocks.append(Block(text.strip(), float(score), (left, top, right, bottom)))
        return sorted(blocks, key=lambda b: (round(b.box[1], 2), b.box[0]))

    def _run(self, image: Image.Image, detect_at: int, **steps: bool) -> Any:
        """`image` through RapidOCR, its detector looking at it with this longer side; `steps`
        name all three: RapidOCR keeps the last call's as its defaults."""
        with self._lock:  # an ONNX session runs one picture at a time here
            engine = self._engine
            # RapidOCR fixes the detector's size when it is built; its detector reads it anew
            # each call (an older RapidOCR without this attribute looks at GATE_LONGEST).
            detector = engine._load_det_model() if hasattr(engine, "_load_det_model") else None
            if detector is not None and hasattr(detector, "limit_side_len"):
                detector.limit_side_len = detect_at
            return engine(np.asarray(image.convert("RGB"))[:, :, ::-1], **steps)  # RapidOCR reads BGR

    @functools.cached_property
    def _engine(self) -> Any:
        # RapidOCR scales a picture up until its shorter side is 736 pixels: the gate's look
        # would cost a full one. Here the longer side is capped instead, per picture (_run).
        params: dict[str, Any] = {"Det.limit_type": "max", "Det.limit_side_len": GATE_LONGEST}
        if self._choice != BUILT_IN:
            params["Rec.lang_type"] = self._choice
        return self._load(params)

    def _load(self, extra: dict[str, Any]) -> Any:
        try:
            from rapidocr import RapidOCR
        except ImportError as exc:
            raise FramefindError(
                f"Text in pictures is not read: RapidOCR is not installed ({exc}). Fix: pip install "
                "rapidocr onnxruntime, or set ocr to none."
            ) from exc
        params: dict[str, Any] = {"Global.log_level": "error", **extra}
        if self._threads:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = self._threads
        log.info("loading the text reader (RapidOCR, %s)", self._choice)
        try:
            return RapidOCR(params=params)
        except Exception as exc:  # RapidOCR raises its own and onnxruntime's types; all mean "not loaded"
            raise FramefindError(
                f"Could not load the text reader {self._choice!r}: {exc}. Fix: set ocr to auto (the "
                "models inside RapidOCR, offline) or none; another script's model downloads on first use."
            ) from exc


def _gate_longest(image: Image.Image) -> int:
    """The longer side of the gate's look at `image`: GATE_SIDE on its shorter side, at most
    GATE_LONGEST."""
    return min(GATE_SIDE * max(image.size) // max(min(image.size), 1), GATE_LONGEST)


def _within(image: Image.Image, side: int) -> Image.Image:
    scale = side / max(image.size)
    if scale >= 1:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.BILINEAR)
