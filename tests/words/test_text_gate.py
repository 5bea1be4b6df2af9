"""The text gate learns from the detector's verdicts which picture vectors go with text, and
then keeps the photos clearly without it from the detector: on vectors made up here, and on a
library read twice (the second time by a new engine, taught from the catalog), with the trained
tiny CLIP of the shapes world and RapidOCR's real detector and recogniser. Whether CLIP's real
vectors part photos with text from the rest as well is not shown by this."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from indexer import build_engine
from indexer.ingest.text_gate import EXPLORE, MIN_EACH, Decision, TextGate
from indexer.models.reader import TextReader
from tests.ranking.conftest import trained_settings
from tests.support.media import scene_image
from tests.support.written import screenshot, sign, slide

WORDS = ["Budget", "Roadmap", "Platform", "Exit", "Menu", "Harbour", "Library", "Station", "Garden", "Market"]


def _vectors(rng: np.random.Generator, n: int, text: bool) -> np.ndarray:
    """Photos that vary a lot in 31 directions and differ, with text or without, in one: only
    a direction learnt from the verdicts tells them apart (a random one would not)."""
    points = rng.standard_normal((n, 32))
    points[:, 0] = 0.2 * points[:, 0] + 3.0 * text
    return points


def test_the_gate_skips_nothing_until_it_has_seen_both_kinds_then_explores_what_it_skips():
    rng = np.random.default_rng(0)
    gate = TextGate()
    for vector in _vectors(rng, 40, text=False):  # only photos without text: nothing to tell apart
        assert gate.decide(vector) is Decision.LOOK
        gate.learn(vector, False)
    for vector in _vectors(rng, MIN_EACH, text=True):
        gate.learn(vector, True)
    assert gate.ready
    decisions = Counter(gate.decide(v) for v in _vectors(rng, 10 * EXPLORE, text=False))
    assert decisions[Decision.EXPLORE] == 10 and decisions[Decision.SKIP] >= 8 * EXPLORE
    texts = Counter(gate.decide(v) for v in _vectors(rng, 50, text=True))
    assert Decision.SKIP not in texts and texts[Decision.READ] >= 40  # surely text: read at once
    assert gate.decide(None) is Decision.LOOK  # a photo with no vector yet


def _photos_with_text(folder: Path, first: int, count: int) -> None:
    for i in range(first, first + count):
        word = WORDS[i % len(WORDS)]
        picture = (slide([f"{word} {i}", "Next steps"]), screenshot([f"{word} note {j}" for j in range(8)]),
                   sign(f"{word} {i}", turn=(i % 5) - 2))[i % 3]  # fmt: skip
        picture.convert("RGB").save(folder / f"text-{i}.jpg", quality=90)


def _library(folder: Path, first: int, plain: int, texts: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(first, first + plain):
        scene_image(i, (1200, 900)).save(folder / f"plain-{i}.jpg", quality=90)
    _photos_with_text(folder, first, texts)


@pytest.fixture
def counted(monkeypatch):
    looks: Counter[str] = Counter()
    detect, read = TextReader.look, TextReader.read

    def look(self, image):
        looks["detector"] += 1
        return detect(self, image)

    def recognise(self, image, found=None):
        looks["recogniser"] += 1
        return read(self, image, found)

    monkeypatch.setattr(TextReader, "look", look)
    monkeypatch.setattr(TextReader, "read", recognise)
    return looks


def test_a_library_read_again_skips_the_photos_without_text_and_reads_every_one_with(tmp_path, counted):
    media = tmp_path / "media"
    settings = replace(trained_settings(tmp_path / "data"), ocr="auto")
    _library(media, 0, plain=30, texts=10)
    with build_engine(settings) as engine:
        engine.index([media])
        first = engine.transcribe().reading
    assert first.pictures == 40 and first.read == 10  # learning: the detector looked at each
    counted.clear()
    _library(media, 100, plain=30, texts=6)  # new photos, of the same kinds
    with build_engine(settings) as engine:  # a new engine: taught by the catalog's verdicts
        engine.index([media])
        second = engine.transcribe().reading
        said = {x.path.name for x in engine.said("note", limit=200) + engine.said("Next", limit=200)}
        said |= {x.path.name for w in WORDS for x in engine.said(w, limit=200)}
    assert second.files == 36 and second.skipped >= 20, second  # most plain photos: not looked at
    assert counted["detector"] <= 36 - second.skipped and counted["recogniser"] == 6
    assert {f"text-{i}.jpg" for i in range(100, 106)} <= said  # every new photo with text was read
    assert second.missed == 0
