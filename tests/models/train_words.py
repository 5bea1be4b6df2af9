"""Train the tiny paraphrase model the words tests rely on (`tests/models/words-paraphrase`).

    .venv/bin/python -m tests.models.train_words

It stands in for paraphrase-multilingual-MiniLM-L12-v2 and is trained the way that model is:
pairs of sentences that mean the same (paraphrases, and a sentence with its translation, as
the multilingual model learns from parallel text) pulled together against every other pair
of the batch (multiple negatives ranking loss), mean pooling over a small BERT; half the
pairs are a short search (one or two of a sentence's ideas) and the sentence. Each batch
also holds text from outside its world (unknown words, letter strings), each paired with
itself reordered: about something else, and not all about one thing. Its world is
a toy language: sentences of 2–5 ideas from LEXICON, each idea said by any of its English
words or Spanish translations, among function words. It never sees the sentences the tests
say or search for; it learns which words mean the same, as the real model does at scale.
Loads with SentenceTransformer; trains in about nine minutes on two CPU cores.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from tests.models.train import _train

HERE = Path(__file__).parent
OUT = HERE / "words-paraphrase"
CARD = """# words-paraphrase (a test model)

A tiny sentence-transformers model (small BERT, mean pooling, 128-d) made by
`tests/models/train_words.py`, which says how it is trained. The words tests load it from
this folder, offline; it stands in for the default words model and is not on any hub.
"""

# Ideas: (English words for it, Spanish words for it)
LEXICON = (
    (("budget", "spending", "costs"), ("presupuesto", "gastos")),
    (("cut", "reduce", "lower"), ("recortar", "reducir")),
    (("car", "automobile", "vehicle"), ("coche", "auto")),
    (("buy", "purchase"), ("comprar",)),
    (("begin", "start"), ("empezar", "comenzar")),
    (("big", "large", "huge"), ("grande",)),
    (("small", "little", "tiny"), ("pequeño",)),
    (("fast", "quick", "rapid"), ("rápido",)),
    (("happy", "glad", "pleased"), ("feliz", "contento")),
    (("help", "assist", "support"), ("ayudar",)),
    (("house", "home"), ("casa", "hogar")),
    (("child", "kid"), ("niño",)),
    (("meeting", "gathering"), ("reunión",)),
    (("ship", "release", "launch"), ("lanzar",)),
    (("product", "device"), ("producto", "aparato")),
    (("camera",), ("cámara",)),
    (("show", "present", "demonstrate"), ("mostrar", "presentar")),
    (("next", "coming", "following"), ("próximo", "siguiente")),
    (("year",), ("año",)),
    (("week",), ("semana",)),
    (("money", "cash", "funds"), ("dinero", "fondos")),
    (("team", "group"), ("equipo", "grupo")),
    (("decide", "choose"), ("decidir", "elegir")),
    (("problem", "issue", "trouble"), ("problema",)),
    (("fix", "repair", "solve"), ("arreglar", "resolver")),
    (("price",), ("precio",)),
    (("weather", "climate"), ("clima",)),
    (("rain", "showers"), ("lluvia",)),
    (("tomorrow",), ("mañana",)),
    (("people", "folks", "everyone"), ("gente", "todos")),
    (("dog", "puppy"), ("perro",)),
    (("food", "meal"), ("comida",)),
    (("trip", "journey", "travel"), ("viaje",)),
    (("city", "town"), ("ciudad",)),
    (("work", "job"), ("trabajo",)),
    (("school", "class"), ("escuela", "clase")),
    (("music", "song"), ("música", "canción")),
    (("plan", "strategy"), ("plan", "estrategia")),
    (("increase", "raise", "grow"), ("aumentar", "subir")),
    (("customer", "client"), ("cliente",)),
    (("sales", "revenue"), ("ventas", "ingresos")),
    (("phone", "mobile"), ("teléfono", "móvil")),
    (("battery",), ("batería",)),
    (("coffee",), ("café",)),
    (("garden", "yard"), ("jardín",)),
    (("thank", "thanks"), ("gracias",)),
)
FUNCTION = {
    "en": tuple(
        [
            "we",
            "need",
            "to",
            "the",
            "will",
            "our",
            "a",
            "is",
            "this",
            "for",
            "and",
            "of",
            "in",
            "it",
            "must",
            "should",
            "let's",
            "about",
            "very",
            "at",
            "on",
            "with",
        ]
    ),
    "es": tuple(
        [
            "nosotros",
            "necesitamos",
            "el",
            "la",
            "los",
            "vamos",
            "a",
            "nuestro",
            "un",
            "es",
            "esto",
            "para",
            "y",
            "de",
            "en",
            "muy",
            "con",
        ]
    ),
}
BATCH = 64
STRANGERS = 32  # texts outside the toy language per batch, each its own meaning
SCALE = 20.0  # sentence-transformers' MultipleNegativesRankingLoss scale


def sentence(ideas: list[int], rng: np.random.Generator) -> str:
    """One way to say these ideas: each by one of its words in one language, among function words."""
    lang = "es" if rng.random() < 0.3 else "en"
    words = [str(rng.choice(LEXICON[i][lang == "es"])) for i in ideas]
    if rng.random() < 0.5:
        rng.shuffle(words)
    out: list[str] = []
    for word in words:
        out += [str(w) for w in rng.choice(FUNCTION[lang], size=rng.integers(0, 3))] + [word]
    return " ".join(out)


def stranger(rng: np.random.Generator) -> str:
    """Text about nothing in this world (words it has never seen, strings of letters), as a
    real model's batches hold sentences about everything else: no line is its paraphrase."""
    letters = list("abcdefghijklmnopqrstuvwxyz")
    return " ".join("".join(rng.choice(letters, size=rng.integers(2, 9))) for _ in range(rng.integers(1, 5)))


def _asked(ideas: list[int], rng: np.random.Generator) -> list[int]:
    """Half the pairs are a search and what answers it: one or two of the sentence's ideas
    (as retrieval models also learn from queries and passages), the rest two paraphrases."""
    if rng.random() < 0.5:
        return ideas
    return list(rng.choice(ideas, size=min(len(ideas), int(rng.integers(1, 3))), replace=False))


def _reordered(text: str, rng: np.random.Generator) -> str:
    words = text.split()
    rng.shuffle(words)
    return " ".join(words)


def build(folder: Path, seed: int = 0) -> None:
    """An untrained 2-layer BERT (128 wide) with a word-piece vocabulary of the lexicon, the
    function words and single letters (a word it does not know is spelt out)."""
    from transformers import BertConfig, BertModel, BertTokenizerFast

    words = {w for idea in LEXICON for side in idea for phrase in side for w in phrase.split()}
    words |= {w for side in FUNCTION.values() for w in side}
    letters = "abcdefghijklmnopqrstuvwxyz0123456789'"
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *letters, *(f"##{c}" for c in letters)]
    vocab += sorted(words - set(vocab))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n")
    tokenizer = BertTokenizerFast(str(folder / "vocab.txt"), do_lower_case=True, strip_accents=False)
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=128,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=256,
        max_position_embeddings=128,
        hidden_dropout_prob=0.0,  # trained without dropout, as the committed model was
        attention_probs_dropout_prob=0.0,
    )
    BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)


def train(out: Path, steps: int, seed: int = 0) -> None:
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertModel, BertTokenizerFast

    rng = np.random.default_rng(seed)
    work = Path(tempfile.mkdtemp())
    build(work, seed)
    model, tokenizer = BertModel.from_pretrained(work), BertTokenizerFast.from_pretrained(work)

    def embed(texts: list[str]) -> torch.Tensor:
        tokens = tokenizer(texts, return_tensors="pt", padding=True)
        hidden = model(**tokens).last_hidden_state
        mask = tokens["attention_mask"].unsqueeze(-1).float()
        return F.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)

    def batch(step: int) -> torch.Tensor:
        meanings = [
            list(rng.choice(len(LEXICON), size=rng.integers(2, 6), replace=False)) for _ in range(BATCH)
        ]
        strangers = [stranger(rng) for _ in range(STRANGERS)]
        asked = [_asked(m, rng) for m in meanings]
        anchors = embed([sentence(m, rng) for m in asked] + strangers)
        others = embed([sentence(m, rng) for m in meanings] + [_reordered(t, rng) for t in strangers])
        logits = SCALE * anchors @ others.T
        labels = torch.arange(len(logits))
        return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2

    _train(model, steps, batch)
    model.save_pretrained(work)
    shutil.rmtree(out, ignore_errors=True)
    transformer = models.Transformer(str(work), max_seq_length=128)
    pooling = models.Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
    SentenceTransformer(modules=[transformer, pooling]).save(str(out))
    (out / "README.md").write_text(CARD)  # in place of the hub model card the save writes
    shutil.rmtree(work, ignore_errors=True)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"saved {out} ({size / 1e6:.2f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    train(args.out, args.steps)


if __name__ == "__main__":
    main()
