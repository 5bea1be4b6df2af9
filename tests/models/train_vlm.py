"""Train the tiny video-language embedding model the vlm tests rely on (`tests/models/motion-vlm`).

    .venv/bin/python -m tests.models.train_vlm

It stands in for Qwen3-VL-Embedding and is made in its format: a Qwen3-VL model (a vision
tower that takes frames in pairs, a small decoder) with its processor, saved by Sentence
Transformers with last-token pooling, so it loads and encodes through the same code as the
real one (clips passed as frames with their metadata). It is trained the way the real one is
trained, contrastively on captions: clips of a coloured shape crossing the frame, each with the
sentence that describes it ("a red circle moves to the right"), and photos with theirs ("a
photo of a blue square"). Whether a shape moves left or right is in no single frame: only a
model that sees the clip as video can tell.

Held out: HELD_OUT is never a caption, so a test that asks for it asks the model to compose
what it learnt apart, not recall a sentence. Trains in about two minutes on two CPU cores.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw

from tests.models.command import descend, train_and_save, training

HERE = Path(__file__).parent
OUT = HERE / "motion-vlm"
CARD = """# motion-vlm (a test model)

A tiny Qwen3-VL embedding model in Sentence Transformers' format (last-token pooling, 32-d),
made by `tests/models/train_vlm.py`, which says how it is trained: contrastively on clips of a
coloured shape moving left or right, and photos, with their captions. The vlm tests load it
from this folder, offline; it stands in for Qwen/Qwen3-VL-Embedding-2B and is not on any hub.
"""
COLOURS = {"red": (220, 40, 40), "blue": (40, 80, 220), "green": (40, 170, 60), "yellow": (230, 210, 40)}
SHAPES = ("circle", "square")
DIRECTIONS = ("left", "right")
HELD_OUT = ("yellow", "square", "right")
TAUGHT = [c for c in itertools.product(COLOURS, SHAPES, DIRECTIONS) if c != HELD_OUT]  # captions trained on
FRAMES, SIDE = 8, 64  # a clip: 8 s at 1 fps, as the app cuts them (indexer/media/clips.py)
SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>",
           "<|image_pad|>", "<|video_pad|>"]  # fmt: skip
WORDS = ["a", "photo", "of", "moves", "to", "the", "seconds", *COLOURS, *SHAPES, *DIRECTIONS]
TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{% for c in m['content'] %}"
    "{% if c['type'] == 'text' %}{{ c['text'] }}{% elif c['type'] == 'image' %}"
    "<|vision_start|><|image_pad|><|vision_end|>{% elif c['type'] == 'video' %}"
    "<|vision_start|><|video_pad|><|vision_end|>{% endif %}{% endfor %}<|im_end|>\n{% endfor %}"
)


def draw(
    colour: str, shape: str, x: float, side: int = SIDE, y: float = 0.5, size: float = 1.0
) -> np.ndarray:
    """A frame: the shape at position (`x`, `y`) (0 left/top … 1 right/bottom) on grey."""
    image = Image.new("RGB", (side, side), (128, 128, 128))
    r = round(side / 6 * size)
    cx, cy = round(r + x * (side - 2 * r)), round(r + y * (side - 2 * r))
    box = (cx - r, cy - r, cx + r, cy + r)
    pen = ImageDraw.Draw(image)
    (pen.ellipse if shape == "circle" else pen.rectangle)(box, fill=COLOURS[colour])
    return np.asarray(image)


def clip(
    colour: str,
    shape: str,
    direction: str,
    frames: int = FRAMES,
    side: int = SIDE,
    rng: random.Random | None = None,
) -> np.ndarray:
    """The shape crossing the frame, one frame a second (frames, side, side, 3); with `rng`,
    from a random start to a random end, at a random height and size (training varies them)."""
    a, b, y, size = (
        (0.0, 1.0, 0.5, 1.0)
        if rng is None
        else (rng.uniform(0, 0.4), rng.uniform(0.6, 1), rng.uniform(0.2, 0.8), rng.uniform(0.7, 1.2))
    )
    xs = np.linspace(a, b, frames)
    return np.stack([draw(colour, shape, x if direction == "right" else 1 - x, side, y, size) for x in xs])


def caption(colour: str, shape: str, direction: str | None = None) -> str:
    return f"a {colour} {shape} moves to the {direction}" if direction else f"a photo of a {colour} {shape}"


def video_input(frames: np.ndarray) -> dict:
    n = len(frames)
    return {
        "array": frames,
        "video_metadata": {"fps": 1.0, "total_num_frames": n, "frames_indices": list(range(n))},
    }


def save_qwen3_vl(
    raw: Path, model_class: type, extra_words: tuple[str, ...] = (), template: str = TEMPLATE
) -> dict:
    """A fresh tiny Qwen3-VL model of `model_class` (the bare model, or the one with a language
    head) and its processor, saved in `raw`; returns the vocabulary."""
    from tokenizers import Tokenizer, pre_tokenizers
    from tokenizers import models as token_models
    from transformers import PreTrainedTokenizerFast, Qwen3VLConfig, Qwen3VLProcessor
    from transformers.models.qwen2_vl.image_processing_qwen2_vl import Qwen2VLImageProcessor
    from transformers.models.qwen3_vl.video_processing_qwen3_vl import Qwen3VLVideoProcessor

    # extra words last: the tokens both models have keep their ids
    vocab = {t: i for i, t in enumerate([*SPECIAL, "[UNK]", *WORDS, *"0123456789.<>:", *extra_words])}
    tokenizer = Tokenizer(token_models.WordLevel(vocab, unk_token="[UNK]"))
    split = pre_tokenizers.Split(r"<\|[a-z_]+\|>|[0-9.<>:]", "isolated")
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([split, pre_tokenizers.WhitespaceSplit()])
    tokenizer.add_special_tokens(SPECIAL)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="<|endoftext|>", eos_token="<|im_end|>"
    )
    rope = {
        "rope_type": "default",
        "rope_theta": 10000.0,
        "mrope_section": [2, 3, 3],
        "mrope_interleaved": True,
    }
    config = Qwen3VLConfig(
        text_config=dict(vocab_size=len(vocab), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=2, num_key_value_heads=1, head_dim=16,
                         max_position_embeddings=4096, rope_parameters=rope),
        vision_config=dict(depth=2, hidden_size=32, intermediate_size=64, num_heads=2, patch_size=16,
                           spatial_merge_size=2, temporal_patch_size=2, out_hidden_size=32,
                           num_position_embeddings=64, deepstack_visual_indexes=[1]),
        image_token_id=vocab["<|image_pad|>"], video_token_id=vocab["<|video_pad|>"],
        vision_start_token_id=vocab["<|vision_start|>"], vision_end_token_id=vocab["<|vision_end|>"],
    )  # fmt: skip
    model_class(config).save_pretrained(raw)
    pixels = {"min_pixels": 32 * 32, "max_pixels": 64 * 64}
    Qwen3VLProcessor(
        image_processor=Qwen2VLImageProcessor(patch_size=16, merge_size=2, temporal_patch_size=2, **pixels),
        video_processor=Qwen3VLVideoProcessor(
            patch_size=16, merge_size=2, temporal_patch_size=2, do_sample_frames=False,
            size={"shortest_edge": 32 * 32, "longest_edge": 64 * 64 * FRAMES},
        ),
        tokenizer=fast,
        chat_template=template,
    ).save_pretrained(raw)  # fmt: skip
    return vocab


def build(folder: Path, seed: int = 0):
    """A fresh tiny Qwen3-VL embedding model with its processor, as Sentence Transformers loads it."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from transformers import Qwen3VLModel

    torch.manual_seed(seed)
    raw = folder / "raw"
    save_qwen3_vl(raw, Qwen3VLModel)
    word = Transformer(str(raw))
    pooling = Pooling(word.get_word_embedding_dimension(), pooling_mode="lasttoken")
    return SentenceTransformer(modules=[word, pooling, Normalize()], device="cpu")


def _embed(model, inputs: list, **kwargs) -> torch.Tensor:
    features = model.preprocess(inputs, **kwargs)
    return model(features)["sentence_embedding"]


def train(steps: int, seed: int = 0):
    """(model, held-out accuracy): each held-out clip's caption is nearest its own clip."""
    with training(build, seed) as (model, optimiser, rng):
        scale = 20.0
        video = {"processing_kwargs": {"video": {"do_sample_frames": False}}}
        for step in range(steps):
            batch = rng.sample(TAUGHT, 8)
            clips = [video_input(clip(*c, rng=rng)) for c in batch]
            photos = [Image.fromarray(draw(c[0], c[1], rng.random(), y=rng.random())) for c in batch[:4]]
            texts = [caption(*c) for c in batch]
            photo_texts = [caption(c[0], c[1]) for c in batch[:4]]
            v = F.normalize(_embed(model, clips, **video), dim=-1)
            p = F.normalize(_embed(model, photos), dim=-1)
            t = F.normalize(_embed(model, texts + photo_texts), dim=-1)
            media = torch.cat([v, p])
            logits = scale * t @ media.T
            target = torch.arange(len(media))
            loss = (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2
            descend(optimiser, loss, step)
        model.eval()
        return model, held_out_accuracy(model)


def held_out_accuracy(model) -> float:
    """How often a caption (held-out ones included) finds its own clip among every clip."""
    every = list(itertools.product(COLOURS, SHAPES, DIRECTIONS))
    with torch.no_grad():
        clips = model.encode(
            [video_input(clip(*c)) for c in every], processing_kwargs={"video": {"do_sample_frames": False}}
        )
        texts = model.encode([caption(*c) for c in every])
    right = (np.argmax(texts @ clips.T, axis=1) == np.arange(len(every))).mean()
    held = every.index(HELD_OUT)
    found = bool(np.argmax(texts[held] @ clips.T) == held)
    print(f"captions that find their own clip: {right:.0%}; the held-out one: {found}")
    return float(right)


def main() -> None:
    train_and_save(__doc__ or "", 400, OUT, CARD, train)


if __name__ == "__main__":
    main()
