"""Train the tiny video-language reranker the vlm tests rely on (`tests/models/motion-reranker`).

    .venv/bin/python -m tests.models.train_vlm_reranker

It stands in for Qwen3-VL-Reranker and is made in its format: a Qwen3-VL model with its
language head, saved as a Sentence Transformers CrossEncoder whose score is the log-odds of
answering "yes" over "no" after the query and the document (LogitScore), so it loads and scores
through the same code as the real one. Like the real one, which starts from the Qwen3-VL model
its embedding twin starts from, it starts from a model that has seen video: the tiny embedding
model (motion-vlm), whose vision tower and decoder it takes. It is trained the way a reranker is
trained: pointwise,
on (caption, clip) and (caption, photo) pairs that match or do not, the hardest non-matches
being the same shape moving the other way, which only a model that sees the clip as video can
tell. HELD_OUT (train_vlm.py) is never a caption here either.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from tests.models.command import descend, train_and_save, training
from tests.models.train_vlm import (
    COLOURS,
    DIRECTIONS,
    HELD_OUT,
    SHAPES,
    TAUGHT,
    TEMPLATE,
    caption,
    clip,
    draw,
    save_qwen3_vl,
)

HERE = Path(__file__).parent
MOTION_VLM = HERE / "motion-vlm"
OUT = HERE / "motion-reranker"
CARD = """# motion-reranker (a test model)

A tiny Qwen3-VL reranker in Sentence Transformers' CrossEncoder format (the log-odds of "yes"
over "no"), made by `tests/models/train_vlm_reranker.py`, which says how it is trained:
pointwise on captions paired with clips of a coloured shape moving left or right, and with
photos. The vlm tests load it from this folder, offline; it stands in for
Qwen/Qwen3-VL-Reranker-8B and is not on any hub.
"""
ANSWERS = ("yes", "no", "query", "document", "assistant")
# The pair as the real reranker's template lays it out: the query, the document, then the turn
# where it answers yes or no.
RERANK_TEMPLATE = TEMPLATE + "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"


def build(folder: Path, seed: int = 0):
    from safetensors.torch import load_file
    from sentence_transformers import CrossEncoder
    from sentence_transformers.base.modules import Transformer
    from sentence_transformers.cross_encoder.modules.logit_score import LogitScore
    from transformers import Qwen3VLForConditionalGeneration

    torch.manual_seed(seed)
    raw = folder / "raw"
    vocab = save_qwen3_vl(raw, Qwen3VLForConditionalGeneration, ANSWERS, RERANK_TEMPLATE)
    word = Transformer(str(raw), transformer_task="any-to-any")
    _start_from(word.model, load_file(str(MOTION_VLM / "model.safetensors")))
    return CrossEncoder(modules=[word, LogitScore(vocab["yes"], vocab["no"])], device="cpu")


def _start_from(model, seen: dict[str, torch.Tensor]) -> None:
    """The embedding model's weights where the reranker has the same part (the words both
    know keep their rows; the answer words start fresh)."""
    own = model.model.state_dict()
    assert set(seen) == set(own), "the embedding model and the reranker differ in more than the head"
    for name, tensor in seen.items():
        own[name][: len(tensor)] = tensor  # the embedding rows: the answer words' rows start fresh
    model.model.load_state_dict(own)


def clip_kwargs(count: int) -> dict:
    """A pair's clips as frames, their timing beside them (Sentence Transformers does not unwrap
    a clip's metadata inside a pair), the processor's own sampling off."""
    metadata = {"fps": 1.0, "total_num_frames": 8, "frames_indices": list(range(8))}
    return {"processing_kwargs": {"video": {"do_sample_frames": False, "video_metadata": [metadata] * count}}}


def _pairs(rng: random.Random, taught: list[tuple[str, str, str]]) -> tuple[list, list[float]]:
    """A batch: each clip with its caption, the same shape going the other way, and another
    shape; then photos with theirs and another's."""
    pairs, labels = [], []
    for colour, shape, direction in rng.sample(taught, 4):
        frames = clip(colour, shape, direction, rng=rng)
        other = DIRECTIONS[1 - DIRECTIONS.index(direction)]
        stranger = rng.choice([c for c in taught if c[:2] != (colour, shape)])
        for text, label in (
            (caption(colour, shape, direction), 1.0),
            (caption(colour, shape, other), 0.0),
            (caption(*stranger), 0.0),
        ):
            pairs.append((text, frames))
            labels.append(label)
    return pairs, labels


def _photo_pairs(rng: random.Random) -> tuple[list, list[float]]:
    pairs, labels = [], []
    for _ in range(2):
        colour, shape = rng.choice(list(COLOURS)), rng.choice(SHAPES)
        photo = Image.fromarray(draw(colour, shape, rng.random(), y=rng.random()))
        other = rng.choice([(c, s) for c in COLOURS for s in SHAPES if (c, s) != (colour, shape)])
        pairs += [(caption(colour, shape), photo), (caption(*other), photo)]
        labels += [1.0, 0.0]
    return pairs, labels


def _scores(model, pairs: list, **kwargs) -> torch.Tensor:
    return model(model.preprocess(pairs, **kwargs))["scores"].squeeze(-1)


def train(steps: int, seed: int = 0):
    with training(build, seed) as (model, optimiser, rng):
        for step in range(steps):
            clips, clip_labels = _pairs(rng, TAUGHT)
            photos, photo_labels = _photo_pairs(rng)
            scores = torch.cat([_scores(model, clips, **clip_kwargs(len(clips))), _scores(model, photos)])
            loss = F.binary_cross_entropy_with_logits(scores, torch.tensor(clip_labels + photo_labels))
            descend(optimiser, loss, step)
        model.eval()
        return model, direction_accuracy(model)


def direction_accuracy(model) -> float:
    """How often a clip's own caption outscores the same shape going the other way."""
    every = list(itertools.product(COLOURS, SHAPES, DIRECTIONS))
    right = []
    with torch.no_grad():
        for colour, shape, direction in every:
            frames = clip(colour, shape, direction)
            other = DIRECTIONS[1 - DIRECTIONS.index(direction)]
            pairs = [(caption(colour, shape, direction), frames), (caption(colour, shape, other), frames)]
            scores = model.predict(pairs, **clip_kwargs(2))
            right.append(scores[0] > scores[1])
    held = right[every.index(HELD_OUT)]
    print(f"clips whose own direction wins: {np.mean(right):.0%}; the held-out one: {bool(held)}")
    return float(np.mean(right))


def main() -> None:
    train_and_save(__doc__ or "", 1500, OUT, CARD, train)


if __name__ == "__main__":
    main()
