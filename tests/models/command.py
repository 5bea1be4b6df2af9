"""What the test-model trainers share: a fresh model in training, a step down the loss, and
the command line (`--steps` and `--out`, then the model saved in its folder with its card)."""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def train_and_save(
    doc: str, steps: int, out: Path, card: str, train: Callable[[int], tuple[Any, float]]
) -> None:
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=steps)
    parser.add_argument("--out", type=Path, default=out)
    args = parser.parse_args()
    model, _ = train(args.steps)
    shutil.rmtree(args.out, ignore_errors=True)
    model.save(str(args.out))
    (args.out / "README.md").write_text(card, encoding="utf-8")


def descend(optimiser: Any, loss: Any, step: int) -> None:
    """One optimiser step on `loss`, saying the loss every 50."""
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
    if step % 50 == 0:
        print(f"step {step}: loss {loss.item():.3f}")


@contextmanager
def training(build: Callable[[Path, int], Any], seed: int) -> Iterator[tuple[Any, Any, random.Random]]:
    """(model, AdamW optimiser, the run's random numbers) for a model `build` makes afresh."""
    import torch

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        model = build(Path(tmp), seed)
        model.train()
        yield model, torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01), rng
