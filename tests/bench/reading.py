"""What reading text in pictures costs on this machine, and what its gate skips and misses.

    .venv/bin/python -m tests.bench.reading [--photos 200] [--text-share 0.1]

A library of phone-size photos (4032×3024 JPEG) of which `--text-share` carry text (slides,
screenshots, signs, captions at several sizes), the rest none (flat scenes, and textures that
fool detectors: foliage-like noise, stripes, tiles). It is indexed with full-size CLIP and
CLAP (random weights: the cost does not depend on them) and reading off, then read
(`Engine.transcribe`) with RapidOCR. Prints JSON: seconds per picture the detector turned down
and per picture read, the gates' skip rate (the vector gate's and the detector's), their misses
(text left unread) and false passes, and the reading stage's share of the indexing time, with
what recognising the photos with text costs alone. Pictures are synthetic, and the vector gate
learns from a random CLIP's vectors here: what it skips of real photos with CLIP's real
vectors is not measured by this; say so with the figures.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from indexer import SpaceSpec, build_engine
from indexer.models.reader import TextReader
from indexer.settings import Settings
from tests.support.media import scene_image
from tests.support.models import build_full_clap, build_full_clip
from tests.support.written import font, screenshot, sign, slide

PHONE = (4032, 3024)
CAPTIONS = ["Happy birthday Anna", "Exit", "Platform 9", "Open 9-17", "Menu of the day", "Lost cat"]


def _with_text(i: int) -> Image.Image:
    kind = i % 4
    if kind == 0:
        return slide([f"Quarterly review {i}", "Costs fell in spring", "Next steps"], size=PHONE)
    if kind == 1:
        return screenshot([f"Message {j}: the meeting moved to room {i + j}" for j in range(12)])
    if kind == 2:
        return sign(CAPTIONS[i % len(CAPTIONS)], turn=(i % 5) - 2, warp=0.05).resize(PHONE)
    picture = scene_image(i, PHONE)  # a photo with a caption in a corner, smaller text
    ImageDraw.Draw(picture).text((200, 2600), CAPTIONS[i % len(CAPTIONS)], font=font(150), fill="white")
    return picture


def _without_text(i: int, rng: np.random.Generator) -> Image.Image:
    kind = i % 4
    if kind == 0:
        return scene_image(i, PHONE)
    small = (PHONE[0] // 8, PHONE[1] // 8)
    if kind == 1:  # leaves: blotchy green noise
        noise = rng.integers(0, 255, (small[1], small[0], 3), dtype=np.uint8)
        noise[:, :, 1] = np.maximum(noise[:, :, 1], 120)
        return Image.fromarray(noise).filter(ImageFilter.GaussianBlur(2)).resize(PHONE)
    if kind == 2:  # a fence: stripes
        stripes = np.zeros((small[1], small[0], 3), np.uint8) + 90
        stripes[:, (np.arange(small[0]) // 12) % 2 == 0] = 200
        return Image.fromarray(stripes).rotate(i * 7 % 30).resize(PHONE)
    tiles = np.kron(
        (np.indices((small[1] // 20, small[0] // 20)).sum(axis=0) % 2) * 150 + 50, np.ones((20, 20))
    )
    return Image.fromarray(tiles.astype(np.uint8)).convert("RGB").resize(PHONE)


def _library(folder: Path, photos: int, share: float) -> set[str]:
    """The photos, and the names of those with text."""
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    texts = set()
    every = max(1, round(1 / share))
    for i in range(photos):
        name = f"{i:04d}.jpg"
        picture = _with_text(i) if i % every == 0 else _without_text(i, rng)
        picture.convert("RGB").save(folder / name, quality=88)
        if i % every == 0:
            texts.add(name)
    return texts


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--text-share", type=float, default=0.1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        texts = _library(work / "photos", args.photos, args.text_share)
        spaces = (
            SpaceSpec("image", str(build_full_clip(work / "clip"))),
            SpaceSpec("audio", str(build_full_clap(work / "clap"))),
        )
        settings = Settings(data_dir=work / "data", spaces=spaces, device="cpu", speech_model="none")
        with build_engine(replace(settings, ocr="none")) as engine:
            began = time.perf_counter()
            engine.index([work / "photos"])
            index_s = time.perf_counter() - began
        gate: dict[str, tuple[bool, float]] = {}
        reads: dict[str, float] = {}
        look, read = TextReader.look, TextReader.read
        reading = [False]  # a look taken inside read() is part of reading, not of the gate

        def timed_look(self, image):
            t0 = time.perf_counter()
            found = look(self, image)
            if not reading[0]:
                gate[current[0]] = (found.has_text, time.perf_counter() - t0)
            return found

        def timed_read(self, image, found=None):
            t0 = time.perf_counter()
            reading[0] = True
            try:
                blocks = read(self, image, found)
            finally:
                reading[0] = False
            reads[current[0]] = time.perf_counter() - t0
            return blocks

        current = [""]
        TextReader.look, TextReader.read = timed_look, timed_read  # type: ignore[method-assign]
        with build_engine(replace(settings, ocr="auto")) as engine:

            def progress(event) -> None:
                if event.current is not None:
                    current[0] = event.current.name

            began = time.perf_counter()
            report = engine.transcribe(on_progress=progress).reading
            read_s = time.perf_counter() - began
    # read: passed by the detector, or sent straight to the recogniser by the vector gate
    passed = {name for name, (found, _) in gate.items() if found} | set(reads)
    skipped_s = [s for name, (found, s) in gate.items() if not found]
    looked = len(gate)
    numbers = {
        "photos": args.photos,
        "with_text": len(texts),
        "index_s": round(index_s, 1),
        "index_s_per_photo": round(index_s / args.photos, 3),
        "reading_s": round(read_s, 1),  # with loading the reader (about a second)
        "reading_adds_to_indexing": f"{100 * read_s / index_s:.0f} %",
        # what recognising the photos with text costs alone, as if every gate cost nothing
        "recognising_alone_adds": f"{100 * sum(reads.values()) / index_s:.0f} %",
        "gate_s_per_picture_p50": round(float(np.median([s for _, s in gate.values()])), 3),
        "skipped_s_per_picture": round(float(np.mean(skipped_s)), 3) if skipped_s else None,
        "read_s_per_text_picture": round(float(np.mean(list(reads.values()))), 3) if reads else None,
        "gate_skipped": f"{100 * (1 - len(passed) / args.photos):.0f} %",
        "vector_gate_skipped": report.skipped,  # never shown to the detector
        "vector_gate_explored": report.explored,
        "vector_gate_explored_with_text": report.missed,
        "detector_looked_at": looked,
        "gate_missed": sorted(texts - passed),
        "gate_false_passes": len(passed - texts),
        "lines": report.lines,
    }
    print(json.dumps(numbers, indent=2))
    return numbers


if __name__ == "__main__":
    main()
