"""What translating a sound query costs: a Marian model of opus-mt-mul-en's size (6 + 6 layers,
512 wide, 64,110 pieces) with random weights, converted to CTranslate2 int8 by the app's own
code and run as the app runs it (translator.py: one thread).

    .venv/bin/python -m tests.bench.translator [--queries 30]

Random weights write nonsense to the longest length allowed (twice the query's pieces and 8,
about 20 pieces here, where a real translation of these is 3 to 6), so each query costs what
the longest translation of it would: an upper bound. Idle, and while
two processes keep both cores busy as the indexer does; and a cohort of 120 generic queries.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from indexer.models.query_tower_child import start_export
from indexer.models.translator import Translator, decoding_limit
from indexer.search.cohort_languages import COHORTS
from tests.bench.query_models import LOADS, loaded
from tests.models.train_translator import build

QUERIES = ("Hundegebell im Garten", "un perro ladrando", "犬の鳴き声", "نباح كلب", "лай собаки", "鸟在歌唱")


def build_full(folder: Path) -> Path:
    """The tiny model's tokenizer and layout (train_translator.build), at opus-mt-mul-en's size."""
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    build(folder)
    vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    pad = vocab.pop("<pad>")
    vocab |= {f"▁unused{i}": i for i in range(pad, 64_109)}  # never written by the vocabularies
    vocab["<pad>"] = 64_109
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    spm = [str(folder / name) for name in ("source.spm", "target.spm")]
    MarianTokenizer(*spm, str(folder / "vocab.json")).save_pretrained(folder)  # its pad id with it
    shape = dict(d_model=512, encoder_layers=6, decoder_layers=6, encoder_ffn_dim=2048, decoder_ffn_dim=2048)
    heads = dict(encoder_attention_heads=8, decoder_attention_heads=8)  # opus-mt-mul-en's config.json
    ids = dict(vocab_size=64_110, pad_token_id=64_109, decoder_start_token_id=64_109, eos_token_id=0)
    config = MarianConfig(**shape, **heads, **ids, scale_embedding=True)
    MarianMTModel(config).save_pretrained(folder)
    return folder


def _timed(translator: Translator, texts: list[str], load: str) -> dict[str, float]:
    times = []
    for n, text in enumerate(texts):
        started = time.perf_counter()
        translator.to_english([f"{text} {load}{n}"])  # a new text each time: none remembered
        times.append(time.perf_counter() - started)
    times.sort()
    pieces = _pieces_written(translator, f"{texts[0]} {load}0")
    p50 = statistics.median(times)
    return {
        "p50_ms": round(p50 * 1000, 1),
        "p90_ms": round(times[int(0.9 * (len(times) - 1))] * 1000, 1),
        "pieces_written": pieces,
        "ms_per_piece": round(p50 * 1000 / max(pieces, 1), 1),
    }


def _pieces_written(translator: Translator, text: str) -> int:
    """How many pieces the model writes for `text`, as the app asks it (translator.py)."""
    model, source, _ = translator._load()  # type: ignore[misc]
    pieces = [*source.encode(text, out_type=str), "</s>"]
    limit = decoding_limit(len(pieces))
    return len(model.translate_batch([pieces], beam_size=1, max_decoding_length=limit)[0].hypotheses[0])


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=int, default=30)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="framefind-translator-"))
    model = build_full(work / "marian")
    if start_export(str(model), None, work / "converted", job="translator").wait() != 0:  # as the app does
        raise SystemExit(f"the conversion failed: see {work / 'export.log'}")
    translator = Translator(str(model), None, work / "converted", lambda text: False)
    texts = [QUERIES[n % len(QUERIES)] for n in range(args.queries)]
    row: dict = {
        "model_mb": round(
            sum(f.stat().st_size for f in (work / "converted").rglob("*") if f.is_file()) / 1e6, 1
        )
    }
    started = time.perf_counter()
    translator.to_english(list(COHORTS["de"]))
    row["cohort_s"] = round(time.perf_counter() - started, 2)
    for load in LOADS:
        with loaded(load):
            row[load] = _timed(translator, texts, load)
    print(json.dumps(row))
    return row


if __name__ == "__main__":
    main()
