"""Pictures for result cards, made once and cached in the data folder: a photo's thumbnail,
the frame of a video moment with a filmstrip across it, the waveform of an audio moment.

Files are keyed by content fingerprint and seconds, so a moved file keeps its pictures and a
changed one gets new ones. Strips and waveforms are keyed by whole seconds, so the moments of
a file give a bounded number of pictures however many queries cut them differently; a hit
refreshes a picture's time, and `trim` drops the least recently used past a size cap.
Best effort: media that cannot be decoded gives no picture, and the caller shows the kind's
icon instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from indexer.catalog import Catalog
from indexer.errors import MediaError
from indexer.ingest.thumbs import THUMB_SIDE, save_thumbnail, thumbnail_path
from indexer.media.excerpt import audio_span, video_frames_at
from indexer.media.image import decode_image
from indexer.search.searcher import SearchResult

log = logging.getLogger(__name__)

STRIP_FRAMES = 4
STRIP_HEIGHT = 48
WAVE_SIZE = (THUMB_SIDE, 96)
WAVE_RATE = 8_000  # plenty to draw an envelope
WAVE_COLOUR = (64, 128, 220, 255)  # reads on light and dark backgrounds alike
MAX_PIXELS = 150_000_000


@dataclass(frozen=True)
class CardPictures:
    """What a result card shows: a picture, and for moments a strip below it (None where the
    media could not be decoded, or a photo has no strip)."""

    picture: Path | None
    strip: Path | None


class Previews:
    def __init__(self, catalog: Catalog, data_dir: Path) -> None:
        self._catalog = catalog
        self._data_dir = data_dir

    def for_result(self, result: SearchResult) -> CardPictures:
        try:
            if result.kind == "photo" or result.start is None:
                return CardPictures(self._photo(result.path), None)
            if result.kind == "audio":
                return CardPictures(self._waveform(result), None)
            if result.by_sound:  # what matched is the sound: show it, and the pictures below
                return CardPictures(self._waveform(result), self._filmstrip(result))
            return CardPictures(self._frame(result), self._filmstrip(result))
        except (MediaError, OSError) as exc:
            log.debug("no card picture for %s: %s", result.path, exc)
            return CardPictures(None, None)

    def _key(self, path: Path) -> str:
        record = self._catalog.files.get(path)
        if record is not None and record.fingerprint:
            return record.fingerprint
        stat = path.stat()  # not indexed (an example file): its name and version stand in
        return hashlib.sha1(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()

    def _cached(self, path: Path, suffix: str) -> Path:
        base = thumbnail_path(self._data_dir, self._key(path))
        target = base.with_name(f"{base.stem}{suffix}")
        with contextlib.suppress(OSError):
            os.utime(target)  # a hit: the least recently used go first when trimming
        return target

    def forget(self, fingerprints: set[str]) -> None:
        """Delete the pictures of content no indexed file has any more."""
        for fingerprint in fingerprints:
            if fingerprint and self._catalog.files.with_content(fingerprint) is None:
                base = thumbnail_path(self._data_dir, fingerprint)
                for picture in base.parent.glob(f"{fingerprint}*"):
                    picture.unlink(missing_ok=True)

    def trim(self, max_bytes: int) -> int:
        """Delete the least recently used pictures until they take at most `max_bytes`;
        returns how many went."""
        pictures = []
        for path in (self._data_dir / "thumbs").glob("*/*"):
            with contextlib.suppress(OSError):
                st = path.stat()
                pictures.append((st.st_mtime, st.st_size, path))
        total = sum(size for _, size, _ in pictures)
        gone = 0
        for _, size, path in sorted(pictures):
            if total <= max_bytes:
                break
            path.unlink(missing_ok=True)
            total, gone = total - size, gone + 1
        return gone

    def _photo(self, path: Path) -> Path:
        target = self._cached(path, ".jpg")
        if not target.exists():
            save_thumbnail(decode_image(path, MAX_PIXELS, THUMB_SIDE), target)
        return target

    def _frame(self, result: SearchResult) -> Path:
        t = result.t if result.t is not None else result.start or 0.0
        target = self._cached(result.path, f"-t{t:.2f}.jpg")
        if not target.exists():
            save_thumbnail(video_frames_at(result.path, [t], THUMB_SIDE)[0], target)
        return target

    def _filmstrip(self, result: SearchResult) -> Path:
        start, end = _seconds(result.start or 0.0, result.end or result.start or 0.0)
        target = self._cached(result.path, f"-s{start}-{end}.jpg")
        if not target.exists():
            times = [start + (end - start) * (i + 0.5) / STRIP_FRAMES for i in range(STRIP_FRAMES)]
            frames = video_frames_at(result.path, times, STRIP_HEIGHT * 2)
            save_thumbnail(filmstrip(frames), target, side=STRIP_FRAMES * STRIP_HEIGHT * 2)
        return target

    def _waveform(self, result: SearchResult) -> Path:
        start, end = _seconds(result.start or 0.0, result.end or (result.start or 0.0) + 10.0)
        target = self._cached(result.path, f"-w{start}-{end}.png")
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            waveform(audio_span(result.path, WAVE_RATE, start, end)).save(target)
        return target


def _seconds(start: float, end: float) -> tuple[int, int]:
    """A moment's bounds to whole seconds (at least one second long)."""
    first = math.floor(start)
    return first, max(math.ceil(end), first + 1)


def filmstrip(frames: list[Image.Image]) -> Image.Image:
    """Frames side by side, each scaled to the same height."""
    height = min(f.height for f in frames)
    scaled = [f.resize((max(1, round(f.width * height / f.height)), height)) for f in frames]
    strip = Image.new("RGB", (sum(f.width for f in scaled), height))
    x = 0
    for frame in scaled:
        strip.paste(frame, (x, 0))
        x += frame.width
    return strip


def waveform(samples: np.ndarray, size: tuple[int, int] = WAVE_SIZE) -> Image.Image:
    """A min/max envelope of the samples on a transparent background, full scale at the
    loudest sample so quiet recordings still show their shape."""
    width, height = size
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    columns = np.array_split(samples, width) if len(samples) >= width else [samples] * width
    peak = float(np.abs(samples).max()) or 1.0
    middle = height / 2
    for x, column in enumerate(columns):
        if len(column) == 0:
            continue
        low, high = float(column.min()) / peak, float(column.max()) / peak
        draw.line([(x, middle - high * (middle - 2)), (x, middle - low * (middle - 2))], fill=WAVE_COLOUR)
    return image
