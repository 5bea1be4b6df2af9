"""A synthetic world with captions: coloured shapes on backgrounds, and simple sounds.

The trained tiny models (tests/models) learn it, and the ranking tests and the evaluation
folder are drawn from it, so "a red circle on blue" means something to a test.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

COLOURS = {
    "red": (220, 30, 30),
    "green": (30, 170, 50),
    "blue": (30, 60, 220),
    "yellow": (240, 220, 40),
    "white": (245, 245, 245),
    "black": (15, 15, 15),
}
SHAPES = ("circle", "square", "triangle")


@dataclass(frozen=True)
class Scene:
    colour: str
    shape: str
    background: str

    @property
    def caption(self) -> str:
        return f"a {self.colour} {self.shape} on {self.background}"

    def matches(self, caption: str) -> bool:
        """Whether a full or partial caption (see `captions`) describes this scene."""
        words = caption.split()
        on = words.index("on") if "on" in words else len(words)
        subject, ground = words[:on], words[on + 1 :]
        return all(w in (self.colour, self.shape, "a") for w in subject) and all(
            w == self.background for w in ground
        )


def all_scenes() -> list[Scene]:
    return [Scene(c, s, b) for c in COLOURS for s in SHAPES for b in COLOURS if b != c]


def captions(scene: Scene, rng: np.random.Generator) -> str:
    """A full caption most of the time; sometimes a part of it, as people type queries."""
    forms = [
        scene.caption,
        f"a {scene.colour} {scene.shape}",
        f"a {scene.shape} on {scene.background}",
        f"{scene.colour} on {scene.background}",
    ]
    return forms[rng.choice(len(forms), p=[0.55, 0.25, 0.1, 0.1])]


def draw_scene(scene: Scene, rng: np.random.Generator | None = None, size: int = 64) -> Image.Image:
    """The scene at a random place and size (centred when no generator is given)."""
    image = Image.new("RGB", (size, size), COLOURS[scene.background])
    side = int(size * (rng.uniform(0.45, 0.75) if rng else 0.6))
    x0, y0 = (rng.integers(2, size - side - 1, size=2)) if rng else ((size - side) // 2,) * 2
    box = (int(x0), int(y0), int(x0) + side, int(y0) + side)
    draw = ImageDraw.Draw(image)
    fill = COLOURS[scene.colour]
    if scene.shape == "circle":
        draw.ellipse(box, fill=fill)
    elif scene.shape == "square":
        draw.rectangle(box, fill=fill)
    else:
        draw.polygon([(box[0], box[3]), ((box[0] + box[2]) // 2, box[1]), (box[2], box[3])], fill=fill)
    return image


SOUNDS = {
    "low": ("a low tone", "a deep hum"),
    "high": ("a high tone", "a high whistle"),
    "rising": ("a rising chirp", "a sweep going up"),
    "falling": ("a falling chirp", "a sweep going down"),
    "noise": ("white noise", "static hiss"),
    "beeps": ("a beeping sound", "short beeps"),
}


def make_sound(kind: str, seconds: float, rate: int, rng: np.random.Generator) -> np.ndarray:
    """A clip of one SOUNDS kind with random pitch and loudness over a faint noise floor."""
    t = np.arange(int(seconds * rate)) / rate
    if kind == "low":
        wave = np.sin(2 * np.pi * rng.uniform(120, 350) * t)
    elif kind == "high":
        wave = np.sin(2 * np.pi * rng.uniform(1800, 3500) * t)
    elif kind in ("rising", "falling"):
        lo, hi = rng.uniform(200, 500), rng.uniform(2500, 4000)
        f0, f1 = (lo, hi) if kind == "rising" else (hi, lo)
        wave = np.sin(2 * np.pi * (f0 * t + (f1 - f0) * t**2 / (2 * seconds)))
    elif kind == "noise":
        wave = rng.standard_normal(len(t)) * 0.6
    elif kind == "beeps":
        rate_hz = rng.uniform(2, 5)
        wave = np.sin(2 * np.pi * rng.uniform(800, 1200) * t) * ((t * rate_hz) % 1 < 0.4)
    else:
        raise ValueError(f"unknown sound kind {kind!r}")
    floor = rng.standard_normal(len(t)) * 0.01
    return (wave * rng.uniform(0.3, 0.7) + floor).astype(np.float32)
