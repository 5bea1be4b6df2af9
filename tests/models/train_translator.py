"""Train the tiny translator the sound-language tests rely on (`tests/models/sounds-translator`).

    .venv/bin/python -m tests.models.train_translator

It stands in for Helsinki-NLP/opus-mt-mul-en and is made as OPUS-MT models are: a Marian
encoder–decoder with SentencePiece vocabularies (one for the source languages, one for
English), trained on parallel sentences into English. Its parallel text is phrases about
sounds in German, Spanish, Chinese and Arabic (and English into itself), each a quality and
a sound ("ein tiefes Summen" → "a deep hum"), made from a small dictionary, and the generic
queries of the calibration cohort in those languages (a real translator's corpus is about
everything, and the app translates them too); it is saved in transformers' format, and the
tests convert it to CTranslate2 through the app's own code.

Held out: the test phrases (HELD_OUT, each a quality with a sound) are never given in a
language other than English; their words are, in other phrases. Loads with MarianMTModel;
trains in a few minutes on two CPU cores.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import torch

from indexer.search.cohort_languages import COHORTS
from tests.models.train import _train

HERE = Path(__file__).parent
OUT = HERE / "sounds-translator"
CARD = """# sounds-translator (a test model)

A tiny Marian translator (2 + 2 layers, 128 wide) into English made by
`tests/models/train_translator.py`, which says how it is trained, from phrases about sounds in
German, Spanish, Chinese and Arabic. It stands in for Helsinki-NLP/opus-mt-mul-en in the tests,
offline, and is not on any hub.
"""
# Qualities and sounds: English, German (adjective stem), Spanish, Chinese, Arabic.
QUALITIES = (
    ("low", "tief", "grave", "低沉的", "منخفض"),
    ("deep", "dunkl", "profundo", "深沉的", "عميق"),
    ("high", "hoh", "agudo", "高音的", "عال"),
    ("rising", "steigend", "ascendente", "上升的", "صاعد"),
    ("falling", "fallend", "descendente", "下降的", "هابط"),
    ("short", "kurz", "corto", "短促的", "قصير"),
    ("loud", "laut", "fuerte", "响亮的", "صاخب"),
    ("white", "weiß", "blanco", "白", "أبيض"),
)
# English, German (noun, gender), Spanish, Chinese, Arabic.
SOUNDS = (
    ("tone", ("Ton", "m"), "tono", "音", "نغمة"),
    ("hum", ("Summen", "n"), "zumbido", "嗡嗡声", "طنين"),
    ("whistle", ("Pfeifen", "n"), "silbido", "哨声", "صفير"),
    ("chirp", ("Zwitschern", "n"), "chirrido", "啁啾声", "زقزقة"),
    ("noise", ("Rauschen", "n"), "ruido", "噪音", "ضجيج"),
    ("beep", ("Piepton", "m"), "pitido", "哔声", "صفارة"),
    ("hiss", ("Zischen", "n"), "siseo", "嘶嘶声", "فحيح"),
)
HELD_OUT = (("rising", "chirp"), ("white", "noise"), ("short", "beep"), ("deep", "hum"))
LANGUAGES = ("de", "es", "zh", "ar")


def phrase(lang: str, quality: int, sound: int) -> str:
    q, s = QUALITIES[quality], SOUNDS[sound]
    if lang == "en":
        return f"an {q[0]} {s[0]}" if q[0][0] in "aeiou" else f"a {q[0]} {s[0]}"
    if lang == "de":
        noun, gender = s[1]
        return f"ein {q[1]}{'er' if gender == 'm' else 'es'} {noun}"
    if lang == "es":
        return f"un {s[2]} {q[2]}"
    if lang == "zh":
        return f"{q[3]}{s[3]}"
    return f"{s[4]} {q[4]}"


def everyday() -> list[tuple[str, str]]:
    """The generic queries in each language with their English (indexer/search/cohort*.py): a
    real translator's corpus is about everything, and the app translates these too."""
    return [
        (said, english)
        for lang in LANGUAGES
        for said, english in zip(COHORTS[lang], COHORTS["en"], strict=True)
        if said != english
    ]


def pairs(held_out: bool = False) -> list[tuple[str, str]]:
    """(source, English) for every quality with every sound, English into itself too; the
    HELD_OUT phrases only in English (or only they, with `held_out`)."""
    out = []
    for qi, q in enumerate(QUALITIES):
        for si, s in enumerate(SOUNDS):
            kept = (q[0], s[0]) in HELD_OUT
            if held_out != kept:
                continue
            english = phrase("en", qi, si)
            out += [(phrase(lang, qi, si), english) for lang in LANGUAGES]
            if not held_out:
                out.append((english, english))
    return out


def _spm(texts: list[str], folder: Path, name: str, size: int) -> Path:
    import sentencepiece

    corpus = folder / f"{name}.txt"
    corpus.write_text("\n".join(texts) + "\n", encoding="utf-8")
    sentencepiece.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(folder / name),
        vocab_size=size,
        character_coverage=1.0,
        model_type="unigram",
        hard_vocab_limit=False,
        bos_id=-1,
        eos_id=-1,
        unk_id=0,
        pad_id=-1,
        minloglevel=2,
    )
    return folder / f"{name}.model"


def build(folder: Path, seed: int = 0) -> None:
    """An untrained Marian model and its tokenizer, as OPUS-MT's are laid out."""
    import sentencepiece
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    everything = pairs() + pairs(held_out=True) + everyday()
    work = folder / "_spm"
    work.mkdir(parents=True, exist_ok=True)
    source = _spm([s for s, _ in everything], work, "source", 1200)
    target = _spm([t for _, t in everything], work, "target", 300)
    pieces = ["</s>", "<unk>"]
    for model in (source, target):
        processor = sentencepiece.SentencePieceProcessor(model_file=str(model))
        pieces += [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    vocab = {piece: i for i, piece in enumerate(dict.fromkeys([*pieces, "<pad>"]))}
    shutil.copy(source, folder / "source.spm")
    shutil.copy(target, folder / "target.spm")
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(work)
    MarianTokenizer(
        str(folder / "source.spm"), str(folder / "target.spm"), str(folder / "vocab.json")
    ).save_pretrained(folder)
    torch.manual_seed(seed)
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=128,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=256,
        decoder_ffn_dim=256,
        max_position_embeddings=64,
        pad_token_id=pad,
        eos_token_id=vocab["</s>"],
        decoder_start_token_id=pad,
        forced_eos_token_id=vocab["</s>"],
        dropout=0.0,
        attention_dropout=0.0,
        activation_dropout=0.0,
    )
    MarianMTModel(config).save_pretrained(folder)


def train(out: Path, steps: int, seed: int = 0) -> None:
    from transformers import MarianMTModel, MarianTokenizer

    rng = np.random.default_rng(seed)
    work = Path(tempfile.mkdtemp())
    build(work, seed)
    model, tokenizer = MarianMTModel.from_pretrained(work), MarianTokenizer.from_pretrained(work)
    for name, parameter in model.named_parameters():
        if "embed_positions" in name:  # sinusoids, as Marian's are: not saved, made again at load
            parameter.requires_grad_(False)
    data = pairs() + everyday()

    def batch(step: int) -> torch.Tensor:
        pick = rng.choice(len(data), size=min(64, len(data)), replace=False)
        sources, targets = [data[i][0] for i in pick], [data[i][1] for i in pick]
        tokens = tokenizer(sources, text_target=targets, return_tensors="pt", padding=True)
        tokens["labels"][tokens["labels"] == tokenizer.pad_token_id] = -100
        return model(**tokens).loss

    _train(model, steps, batch, lr=3e-3)
    shutil.rmtree(out, ignore_errors=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    (out / "README.md").write_text(CARD)
    shutil.rmtree(work, ignore_errors=True)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"saved {out} ({size / 1e6:.2f} MB)")
    for source, english in pairs(held_out=True) + everyday()[::60]:
        ids = tokenizer([source], return_tensors="pt")
        said = tokenizer.decode(model.generate(**ids, max_new_tokens=16)[0], skip_special_tokens=True)
        print(f"  {source:24s} → {said!r:28s} (wanted {english!r})")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    train(args.out, args.steps)


if __name__ == "__main__":
    main()
