"""Train the tiny contrastive models the ranking tests rely on, from synthetic data alone.

    .venv/bin/python -m tests.models.train            # both, into tests/models/
    .venv/bin/python -m tests.models.train --only clip

`shapes-clip` learns captions such as "a red circle on blue"; `sounds-clap` learns "a rising
chirp", "white noise" and the other SOUNDS. Training targets are soft: a partial caption
("a red circle") is a positive for every image it describes, not only the one it was drawn
for. Each batch also holds unrelated texts (phrases of everyday words, letter strings) as
negatives for every item, as a real model's batches hold captions of the whole world: a
text that describes nothing in this world must not land next to its media. (Trained on
this world's captions alone, the models put any string near some picture or sound, which
no real CLIP does.) Both train in a few minutes on two CPU cores and load with
SentenceTransformer.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from tests.support.models import build_tiny_clap, build_tiny_clip
from tests.support.synthetic import SOUNDS, all_scenes, captions, draw_scene, make_sound

HERE = Path(__file__).parent
AUDIO_RATE = 16_000


UNRELATED_WORDS = (
    "house car tree dog cat people city street beach mountain river book table chair music "
    "phone window door garden kitchen office school train plane bridge market night morning "
    "winter summer rain snow friends family party dinner coffee bread flower bird horse boat "
    "road light shadow paper letter money time water fire stone glass metal wood child woman "
    "man old new big small happy quiet loud fast slow warm cold open closed walking running "
    "talking sitting reading writing playing eating sleeping with under behind near the of"
)
NEGATIVES = 48  # unrelated texts per batch


def unrelated_texts(rng: np.random.Generator, n: int) -> list[str]:
    """Phrases of everyday words and strings of letters: texts about nothing in this world."""
    out = []
    for _ in range(n):
        if rng.random() < 0.6:
            out.append(" ".join(rng.choice(UNRELATED_WORDS.split(), size=rng.integers(1, 6))))
        else:
            letters = rng.choice(list("abcdefghijklmnopqrstuvwxyz "), size=rng.integers(2, 14))
            out.append("".join(letters).strip() or "x")
    return out


def soft_clip_loss(
    text: torch.Tensor, media: torch.Tensor, scale: torch.Tensor, match: torch.Tensor
) -> torch.Tensor:
    """Symmetric InfoNCE where `match[i, j]` says text i describes item j. A text that
    describes no item of the batch, or an item no text describes, only serves as a
    negative for the others."""
    logits = scale.exp() * F.normalize(text, dim=-1) @ F.normalize(media, dim=-1).T

    def side(logits: torch.Tensor, match: torch.Tensor) -> torch.Tensor:
        rows = match.sum(1) > 0
        log_p = F.log_softmax(logits[rows], dim=1)
        return -(log_p * match[rows] / match[rows].sum(1, keepdim=True)).sum(1).mean()

    return (side(logits, match) + side(logits.T, match.T)) / 2


def _train(model, steps: int, batch, lr: float = 3e-3) -> None:
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=lr, total_steps=steps)
    model.train()
    started = time.perf_counter()
    for step in range(steps):
        loss = batch(step)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 100 == 0 or step == steps - 1:
            print(
                f"  step {step:4d}  loss {loss.item():.3f}  {time.perf_counter() - started:.0f} s", flush=True
            )
    model.eval()


def train_clip(out: Path, steps: int, seed: int = 0, negatives: int = NEGATIVES) -> None:
    from transformers import CLIPModel, CLIPProcessor

    rng = np.random.default_rng(seed)
    work = Path(tempfile.mkdtemp())
    build_tiny_clip(work, seed=seed, width=64, dim=32)
    model, processor = CLIPModel.from_pretrained(work), CLIPProcessor.from_pretrained(work)
    scenes = all_scenes()
    pool = [scenes[i] for i in rng.integers(len(scenes), size=4000)]
    pixels = processor(images=[draw_scene(s, rng) for s in pool], return_tensors="pt")["pixel_values"]

    def batch(step: int) -> torch.Tensor:
        pick = rng.choice(len(pool), size=96, replace=False)
        texts = [captions(pool[i], rng) for i in pick]
        match = torch.tensor([[pool[j].matches(t) for j in pick] for t in texts], dtype=torch.float32)
        tokens = processor(text=texts + unrelated_texts(rng, negatives), return_tensors="pt", padding=True)
        text = model.get_text_features(**tokens).pooler_output
        image = model.get_image_features(pixel_values=pixels[pick]).pooler_output
        return soft_clip_loss(text, image, model.logit_scale, F.pad(match, (0, 0, 0, negatives)))

    _train(model, steps, batch)
    _save(model, processor, work, out)


def train_clap(out: Path, steps: int, seed: int = 0, negatives: int = NEGATIVES) -> None:
    from transformers import ClapModel, ClapProcessor

    rng = np.random.default_rng(seed)
    work = Path(tempfile.mkdtemp())
    build_tiny_clap(work, seed=seed, sampling_rate=AUDIO_RATE, width=64, dim=32)
    model, processor = ClapModel.from_pretrained(work), ClapProcessor.from_pretrained(work)
    # Quiet stretches (a noise floor alone) are items no caption describes, as the quiet
    # between events in a real recording is: no sound query may land on them.
    kinds = [k for k in SOUNDS for _ in range(60)] + ["quiet"] * 60
    clips = [
        make_sound(k, 10.0, AUDIO_RATE, rng)
        if k in SOUNDS
        else (rng.standard_normal(10 * AUDIO_RATE) * rng.uniform(0.003, 0.03)).astype(np.float32)
        for k in kinds
    ]
    features = processor.feature_extractor(clips, sampling_rate=AUDIO_RATE, return_tensors="pt")

    def batch(step: int) -> torch.Tensor:
        pick = rng.choice(len(kinds), size=48, replace=False)
        texts = [SOUNDS[kinds[i]][rng.integers(2)] for i in pick if kinds[i] in SOUNDS]
        match = [[t in SOUNDS.get(kinds[j], ()) for j in pick] for t in texts]
        tokens = processor.tokenizer(
            texts + unrelated_texts(rng, negatives), return_tensors="pt", padding=True
        )
        text = model.get_text_features(**tokens).pooler_output
        audio = model.get_audio_features(
            input_features=features["input_features"][pick], is_longer=features["is_longer"][pick]
        ).pooler_output
        match_t = F.pad(torch.tensor(match, dtype=torch.float32), (0, 0, 0, negatives))
        return soft_clip_loss(text, audio, model.logit_scale_a, match_t)

    _train(model, steps, batch)
    _save(model, processor, work, out)


def _save(model, processor, work: Path, out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    model.save_pretrained(out)
    processor.save_pretrained(out)
    shutil.rmtree(work, ignore_errors=True)
    size = sum(f.stat().st_size for f in out.iterdir())
    print(f"saved {out} ({size / 1e6:.2f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", choices=("clip", "clap"))
    parser.add_argument("--steps", type=int, default=0, help="training steps (default: per model)")
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument(
        "--plain",
        action="store_true",
        help="captions only, no unrelated negatives, as CLIP and CLAP are trained (into *-plain)",
    )
    args = parser.parse_args()
    torch.manual_seed(0)
    negatives, suffix = (0, "-plain") if args.plain else (NEGATIVES, "")
    if args.only in (None, "clip"):
        train_clip(args.out / f"shapes-clip{suffix}", args.steps or 3000, negatives=negatives)
    if args.only in (None, "clap"):
        train_clap(args.out / f"sounds-clap{suffix}", args.steps or 1500, negatives=negatives)


if __name__ == "__main__":
    main()
