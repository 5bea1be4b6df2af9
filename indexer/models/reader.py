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
from indexer.models.loading import resolve_device

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
# Reading recognises the blocks the gate's look found, cut from the larger copy: the detector
# looks once per picture, at the gate's scale (RapidOCR would look at the full size: 2.3 s for a
# 12 MP photo here, 0.6 s at 960 pixels, 0.06 s at 320 on the shorter side), and the lines stay
# sharp for the recogniser: the benchmark's slides, screenshots, signs and captions read the
# same words as at 960 pixels or better (tests/bench/reading.py).
LEAST_SCORE = 0.6  # a recognised block less certain than this is mostly noise (a texture, a leaf)
LEAST_HEIGHT = 6  # pixels, in the gate's small copy: smaller is not text anyone reads there
TALLEST = 0.3  # of the picture's height: a taller "block" is a shape (a title's line is less)


@dataclass(frozen=True, slots=True)
class Block:
    """A block of text and where it is: (left, top, right, bottom) as shares of the picture."""

    text: str
    score: float
    box: tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Look:
    """What the detector found in a small copy of a picture: each block's corners, in that
    copy's pixels, top to bottom."""

    boxes: np.ndarray  # (blocks, 4 corners, x and y)
    size: tuple[int, int]  # the copy's width and height

    @property
    def has_text(self) -> bool:
        """Whether a block is a line of text: a band, neither tiny nor filling the picture."""
        if len(self.boxes) == 0:
            return False
        heights, widths = np.ptp(self.boxes[:, :, 1], axis=1), np.ptp(self.boxes[:, :, 0], axis=1)
        lines = (heights >= LEAST_HEIGHT) & (heights <= TALLEST * self.size[1]) & (widths >= heights * 0.8)
        return bool(lines.any())


class TextReader:
    """Detects and recognises text; loaded on first use, one picture at a time."""

    def __init__(self, choice: str = BUILT_IN, device: str = "cpu", threads: int = 0) -> None:
        self._choice = choice
        self._threads = threads
        self._device = device
        self._lock = threading.Lock()

    @functools.cached_property
    def identity(self) -> str:
        """What the written lines were read with: another choice reads the library again."""
        return f"rapidocr:{self._choice}"

    def look(self, image: Image.Image) -> Look:
        """The detector's look at a small copy of `image` (GATE_SIDE on its shorter side)."""
        small = _within(image, _gate_longest(image))
        with self._lock:  # an ONNX session runs one picture at a time here
            found = self._engine(_bgr(small), use_det=True, use_cls=False, use_rec=False)
        boxes = getattr(found, "boxes", None)
        corners = np.zeros((0, 4, 2), np.float32) if boxes is None else np.asarray(boxes, np.float32)
        return Look(corners, small.size)

    def read(self, image: Image.Image, look: Look | None = None) -> list[Block]:
        """The blocks of text in `image`, top to bottom: those `look` found (the detector's look
        at `image`, taken here when not given), cut from `image` for the recogniser."""
        look = self.look(image) if look is None else look
        if len(look.boxes) == 0:
            return []
        picture = _within(image, READ_SIDE)
        width, height = picture.size
        corners = look.boxes * np.array([width / look.size[0], height / look.size[1]], np.float32)
        with self._lock:
            engine = self._engine
            from rapidocr.main import RapidOCRError  # importable once the engine is loaded

            try:
                read = _recognise(engine, engine.crop_text_regions(_bgr(picture), corners))
            except RapidOCRError:  # RapidOCR's word for "nothing recognised"
                return []
        blocks = []
        for box, (text, score) in zip(corners, read, strict=True):
            if float(score) < LEAST_SCORE or not text.strip():
                continue
            xs, ys = np.clip(box[:, 0] / width, 0, 1), np.clip(box[:, 1] / height, 0, 1)
            left, top, right, bottom = (round(float(e), 4) for e in (xs.min(), ys.min(), xs.max(), ys.max()))
            blocks.append(Block(text.strip(), float(score), (left, top, right, bottom)))
        return sorted(blocks, key=lambda b: (round(b.box[1], 2), b.box[0]))

    @functools.cached_property
    def _engine(self) -> Any:
        # RapidOCR scales a picture up until its shorter side is 736 pixels: the gate's look
        # would cost a full one. Its longer side is capped instead, at the most a look gets.
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
        params: dict[str, Any] = {"Global.log_level": "error", **extra, **_on_gpu(self._device)}
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


def _on_gpu(device: str) -> dict[str, Any]:
    """RapidOCR's setting to run on the GPU, where torch has one and ONNX Runtime can use it
    (the onnxruntime-gpu package: the plain one has no CUDA provider)."""
    if not resolve_device(device).startswith("cuda"):
        return {}
    import onnxruntime

    if "CUDAExecutionProvider" not in onnxruntime.get_available_providers():
        log.warning(
            "Text in pictures is read on the CPU: ONNX Runtime here has no CUDA provider. Fix: pip "
            "uninstall onnxruntime && pip install onnxruntime-gpu (its CUDA matching torch's)."
        )
        return {}
    return {"EngineConfig.onnxruntime.use_cuda": True}


def _recognise(engine: Any, crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Each line's text and certainty. The orientation classifier turns a line it takes for
    upside down, and it errs (a screenshot's line cut a pixel higher: 180° at 0.92), so a
    turned line is read both ways and the surer reading kept."""
    turned, judged = engine.cls_and_rotate(crops)
    flipped = [i for i, (label, _) in enumerate(judged.cls_res) if label == "180"]
    found = engine.recognize_txt([*turned, *(crops[i] for i in flipped)])
    read = [(str(t), float(s)) for t, s in zip(found.txts, found.scores, strict=True)]
    for unturned, i in enumerate(flipped, start=len(crops)):
        read[i] = max(read[i], read[unturned], key=lambda r: r[1])
    return read[: len(crops)]


def _gate_longest(image: Image.Image) -> int:
    """The longer side of the gate's look at `image`: GATE_SIDE on its shorter side, at most
    GATE_LONGEST."""
    return min(GATE_SIDE * max(image.size) // max(min(image.size), 1), GATE_LONGEST)


def _bgr(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"))[:, :, ::-1]  # RapidOCR reads OpenCV's order


def _within(image: Image.Image, side: int) -> Image.Image:
    scale = side / max(image.size)
    if scale >= 1:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.BILINEAR)
