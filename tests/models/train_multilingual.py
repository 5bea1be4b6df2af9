"""Train the tiny multilingual query model the language tests rely on (`tests/models/shapes-multilingual`).

    .venv/bin/python -m tests.models.train_multilingual

It stands in for sentence-transformers/clip-ViT-B-32-multilingual-v1 and is made the way that
model was (multilingual knowledge distillation, Reimers & Gurevych 2020): a student text model
(a small BERT, mean pooling, a dense layer into the teacher's dimensions) learns to put a
sentence and its translations where the teacher, CLIP's English text tower
(`tests/models/shapes-clip`), puts the English sentence. Its parallel text is the synthetic
world's captions (tests/support/synthetic.py) said in English, German, Spanish, Chinese and
Arabic, with everyday things of every colour in the five languages and English phrases of
everyday words besides (a real student's parallel corpus is about everything). The
pictures are never seen: the image tower stays the teacher's.

Held out: no caption that names a colour with a shape of HELD_OUT is given in a language
other than English, so a test that asks for one in German ("ein gelbes Dreieck") asks the
student to compose words it learnt apart, not to recall a sentence it was taught.
Loads with SentenceTransformer; trains in about two minutes on two CPU cores.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from tests.models.train import _train, unrelated_texts
from tests.support.models import SHAPES_CLIP
from tests.support.synthetic import all_scenes

HERE = Path(__file__).parent
OUT = HERE / "shapes-multilingual"
CARD = """# shapes-multilingual (a test model)

A tiny sentence-transformers text model (small BERT, mean pooling, dense into 32-d) made by
`tests/models/train_multilingual.py`, which says how it is trained: distilled from the text
tower of `tests/models/shapes-clip` on captions in English, German, Spanish, Chinese and Arabic.
The language tests load it from this folder, offline; it stands in for
sentence-transformers/clip-ViT-B-32-multilingual-v1 and is not on any hub.
"""
HELD_OUT = (("yellow", "triangle"), ("green", "circle"), ("white", "square"))
LANGUAGES = ("en", "de", "es", "zh", "ar")

# German: adjective stems; shapes with their gender (ein + -er for masculine, -es for neuter).
DE_COLOUR = {
    "red": "rot",
    "green": "grün",
    "blue": "blau",
    "yellow": "gelb",
    "white": "weiß",
    "black": "schwarz",
}
DE_SHAPE = {"circle": ("Kreis", "er"), "square": ("Quadrat", "es"), "triangle": ("Dreieck", "es")}
ES_COLOUR = {
    "red": "rojo",
    "green": "verde",
    "blue": "azul",
    "yellow": "amarillo",
    "white": "blanco",
    "black": "negro",
}
ES_SHAPE = {"circle": "círculo", "square": "cuadrado", "triangle": "triángulo"}
ZH_COLOUR = {
    "red": "红色",
    "green": "绿色",
    "blue": "蓝色",
    "yellow": "黄色",
    "white": "白色",
    "black": "黑色",
}
ZH_SHAPE = {"circle": "圆形", "square": "正方形", "triangle": "三角形"}
# Arabic: masculine and feminine forms; a circle is feminine, a square and a triangle masculine.
AR_COLOUR = {
    "red": ("أحمر", "حمراء"),
    "green": ("أخضر", "خضراء"),
    "blue": ("أزرق", "زرقاء"),
    "yellow": ("أصفر", "صفراء"),
    "white": ("أبيض", "بيضاء"),
    "black": ("أسود", "سوداء"),
}
AR_SHAPE = {"circle": ("دائرة", 1), "square": ("مربع", 0), "triangle": ("مثلث", 0)}
# Everyday things of every colour, outside the pictures' world, as a real parallel corpus is
# about everything: each form of each colour word (grüner, amarilla, خضراء…) is seen somewhere.
# English, then German (noun, gender), Spanish (noun, feminine), Chinese, Arabic (noun, feminine).
THINGS = (
    ("tree", ("Baum", "m"), ("árbol", 0), "树", ("شجرة", 1)),
    ("dog", ("Hund", "m"), ("perro", 0), "狗", ("كلب", 0)),
    ("car", ("Auto", "n"), ("coche", 0), "汽车", ("سيارة", 1)),
    ("flower", ("Blume", "f"), ("flor", 1), "花", ("زهرة", 1)),
    ("house", ("Haus", "n"), ("casa", 1), "房子", ("بيت", 0)),
)
DE_ARTICLE = {"m": ("ein", "er"), "n": ("ein", "es"), "f": ("eine", "e")}
ES_FEMININE = {"rojo": "roja", "amarillo": "amarilla", "blanco": "blanca", "negro": "negra"}


def said(lang: str, colour: str | None, shape: str | None, ground: str | None) -> str:
    """A caption in `lang`, as synthetic.captions forms them: colour and shape, on a ground."""
    if lang == "en":
        subject = " ".join(w for w in ("a" if shape else "", colour, shape) if w)
        return subject + (f" on {ground}" if ground else "")
    if lang == "de":
        on = f" auf {DE_COLOUR[ground].capitalize()}" if ground else ""
        if not shape:
            return f"{DE_COLOUR[colour or 'red']}{on}"
        noun, ending = DE_SHAPE[shape]
        return " ".join(w for w in ("ein", DE_COLOUR[colour] + ending if colour else "", noun) if w) + on
    if lang == "es":
        on = f" sobre {ES_COLOUR[ground]}" if ground else ""
        if not shape:
            return f"{ES_COLOUR[colour or 'red']}{on}"
        return " ".join(w for w in ("un", ES_SHAPE[shape], ES_COLOUR[colour] if colour else "") if w) + on
    if lang == "zh":
        on = f"{ZH_COLOUR[ground]}背景上的" if ground else ""
        return on + (ZH_COLOUR[colour] if colour else "") + (ZH_SHAPE[shape] if shape else "")
    on = f" على خلفية {AR_COLOUR[ground][1]}" if ground else ""
    if not shape:
        return f"{AR_COLOUR[colour or 'red'][0]}{on}"
    noun, feminine = AR_SHAPE[shape]
    return " ".join(w for w in (noun, AR_COLOUR[colour][feminine] if colour else "") if w) + on


def things_said() -> list[tuple[str, str]]:
    """(English, the same in a language) for a thing of each colour."""
    pairs = []
    for colour in DE_COLOUR:
        for english, (de, gender), (es, feminine), zh, (ar, ar_feminine) in THINGS:
            article, ending = DE_ARTICLE[gender]
            es_colour = (
                ES_FEMININE.get(ES_COLOUR[colour], ES_COLOUR[colour]) if feminine else ES_COLOUR[colour]
            )
            said_as = (
                f"a {colour} {english}",
                f"{article} {DE_COLOUR[colour]}{ending} {de}",
                f"{'una' if feminine else 'un'} {es} {es_colour}",
                f"{ZH_COLOUR[colour]}的{zh}",
                f"{ar} {AR_COLOUR[colour][ar_feminine]}",
            )
            pairs += [(said_as[0], text) for text in said_as]
    return pairs


def parallel() -> list[tuple[str, str]]:
    """(English caption, the same caption in a language) for every caption form of every
    scene, English with itself included; none of HELD_OUT outside English."""
    forms: set[tuple[str | None, str | None, str | None]] = set()
    for scene in all_scenes():
        c, s, b = scene.colour, scene.shape, scene.background
        forms |= {(c, s, b), (c, s, None), (None, s, b), (c, None, b)}
    pairs = []
    for colour, shape, ground in sorted(forms, key=str):
        english = said("en", colour, shape, ground)
        for lang in LANGUAGES:
            if lang != "en" and (colour, shape) in HELD_OUT:
                continue
            pairs.append((english, said(lang, colour, shape, ground)))
    return pairs


def build(folder: Path, texts: list[str], seed: int = 0) -> None:
    """An untrained 2-layer BERT (64 wide) with a word-piece vocabulary of every word of the
    texts, and every letter of their scripts (a word it does not know is spelt out)."""
    from transformers import BertConfig, BertModel, BertTokenizerFast

    words = {w.lower() for t in texts for w in t.split()}
    letters = sorted(
        {ch for t in texts for ch in t.lower() if not ch.isspace()} | set("abcdefghijklmnopqrstuvwxyz")
    )
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *letters, *(f"##{c}" for c in letters)]
    vocab += sorted(words - set(vocab))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(str(folder / "vocab.txt"), do_lower_case=True, strip_accents=False)
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=128,
        max_position_embeddings=64,
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
    )
    BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)


def teacher_vectors(texts: list[str]) -> dict[str, torch.Tensor]:
    """Where the teacher puts each English text: its own query vectors, as the engine embeds them."""
    from sentence_transformers import SentenceTransformer

    teacher = SentenceTransformer(str(SHAPES_CLIP), device="cpu")
    unique = sorted(set(texts))
    vectors = teacher.encode_query(
        unique, normalize_embeddings=True, convert_to_tensor=True, show_progress_bar=False
    )
    return dict(zip(unique, vectors.float(), strict=True))


def train(out: Path, steps: int, seed: int = 0) -> None:
    from transformers import BertModel, BertTokenizerFast

    rng = np.random.default_rng(seed)
    pairs = parallel() + things_said()
    everyday = sorted(set(unrelated_texts(rng, 3000)))
    pairs += [(t, t) for t in everyday]  # the rest of the world, in English
    target = teacher_vectors([english for english, _ in pairs])
    work = Path(tempfile.mkdtemp())
    build(work, [text for _, text in pairs], seed)
    bert, tokenizer = BertModel.from_pretrained(work), BertTokenizerFast.from_pretrained(work)
    dim = next(iter(target.values())).shape[0]
    dense = torch.nn.Linear(bert.config.hidden_size, dim, bias=False)
    student = torch.nn.ModuleDict({"bert": bert, "dense": dense})

    def embed(texts: list[str]) -> torch.Tensor:
        tokens = tokenizer(texts, return_tensors="pt", padding=True)
        hidden = bert(**tokens).last_hidden_state
        mask = tokens["attention_mask"].unsqueeze(-1).float()
        return F.normalize(dense((hidden * mask).sum(1) / mask.sum(1)), dim=-1)

    def batch(step: int) -> torch.Tensor:
        pick = rng.choice(len(pairs), size=128, replace=False)
        wanted = torch.stack([target[pairs[i][0]] for i in pick])
        return F.mse_loss(embed([pairs[i][1] for i in pick]), wanted) * dim  # cosine distance, summed

    _train(student, steps, batch)
    _save(work, bert, dense, out)
    report(out, _sentences_of_held_out)


def _save(work: Path, bert: torch.nn.Module, dense: torch.nn.Linear, out: Path) -> None:
    """As the real student is saved: Transformer, mean Pooling, Dense (no bias, no activation)."""
    from sentence_transformers import SentenceTransformer, models

    bert.save_pretrained(work)
    shutil.rmtree(out, ignore_errors=True)
    transformer = models.Transformer(str(work), max_seq_length=64)
    pooling = models.Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
    projection = models.Dense(
        dense.in_features, dense.out_features, bias=False, activation_function=torch.nn.Identity()
    )
    projection.linear.weight.data.copy_(dense.weight.data)
    SentenceTransformer(modules=[transformer, pooling, projection]).save(str(out))
    (out / "README.md").write_text(CARD)  # in place of the hub model card the save writes
    shutil.rmtree(work, ignore_errors=True)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"saved {out} ({size / 1e6:.2f} MB)")


def _sentences_of_held_out() -> list[tuple[str, str]]:
    return [(said("en", c, s, None), said(lang, c, s, None)) for c, s in HELD_OUT for lang in LANGUAGES]


def report(out: Path, sentences: Callable[[], list[tuple[str, str]]]) -> None:
    """How near the student puts each held-out sentence to the teacher's English one."""
    from sentence_transformers import SentenceTransformer

    student = SentenceTransformer(str(out), device="cpu")
    pairs = sentences()
    target = teacher_vectors([e for e, _ in pairs])
    got = student.encode_query([t for _, t in pairs], normalize_embeddings=True, convert_to_tensor=True)
    for (english, text), vector in zip(pairs, got, strict=True):
        print(f"  {text:30s} → {english:20s} cos {float(vector @ target[english]):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    train(args.out, args.steps)


if __name__ == "__main__":
    main()
