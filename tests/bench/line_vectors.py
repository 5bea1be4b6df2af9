"""What the words space costs on this machine: lines embedded per second by the full-size
architecture of the default words model (paraphrase-multilingual-MiniLM-L12-v2: a 12-layer,
384-wide BERT with mean pooling, here with random weights and a word-level vocabulary, since
the hub is out of reach), through the production Embedder; and per keystroke, one query
encoded and searched over the vectors of a library's lines (exact inner product, as a
FAISS store holds them below compression). Prints JSON.

    .venv/bin/python -m tests.bench.line_vectors [--lines 2000] [--library 183000]

A line is 8–15 words, a few seconds of speech; weights do not change the cost.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from indexer.media.segment import MediaSegment
from indexer.models.embed import Embedder
from indexer.space_spec import SpaceSpec
from tests.models.train_words import FUNCTION, LEXICON

MINILM = dict(hidden_size=384, num_hidden_layers=12, num_attention_heads=12, intermediate_size=1536)
LINE_S = 3.0  # seconds of speech per line, as the speech stage cuts them (at most 8)


def build_full_words_model(folder: Path) -> Path:
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    words = sorted({w for idea in LEXICON for side in idea for w in side} | set(FUNCTION["en"]))
    hf = folder / "hf"
    hf.mkdir(parents=True, exist_ok=True)
    (hf / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]) + "\n")
    BertTokenizerFast(str(hf / "vocab.txt")).save_pretrained(hf)
    BertModel(BertConfig(vocab_size=250_002, max_position_embeddings=512, **MINILM)).save_pretrained(hf)
    transformer = models.Transformer(str(hf), max_seq_length=128)
    pooling = models.Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
    SentenceTransformer(modules=[transformer, pooling]).save(str(folder / "st"))
    return folder / "st"


def _lines(n: int, rng: np.random.Generator) -> list[str]:
    words = [w for idea in LEXICON for w in idea[0]] + list(FUNCTION["en"])
    return [" ".join(rng.choice(words, size=rng.integers(8, 16))) for _ in range(n)]


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=2000, help="lines embedded for the rate")
    parser.add_argument("--library", type=int, default=183_000, help="line vectors a query searches")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as work:
        embedder = Embedder(SpaceSpec("words", str(build_full_words_model(Path(work)))), "cpu")
        embedder.encode_text(["warm up"])
        lines = [MediaSegment("text", t) for t in _lines(args.lines, rng)]
        started = time.perf_counter()
        embedder.encode_segments(lines)
        rate = args.lines / (time.perf_counter() - started)
        queries = _lines(30, rng)
        stored = rng.standard_normal((args.library, embedder.dim)).astype(np.float32)
        encode, search = [], []
        for query in queries:
            t0 = time.perf_counter()
            vector = embedder.encode_text([query], remember=False)[0]
            t1 = time.perf_counter()
            np.argpartition(-(stored @ vector), 100)[:100]
            search.append((time.perf_counter() - t1) * 1000)
            encode.append((t1 - t0) * 1000)
    numbers = {
        "lines_per_s": round(rate, 1),
        "times_real_time": round(rate * LINE_S, 1),  # speech whose lines embed per second of work
        "query_encode_ms_p50": round(statistics.median(encode), 1),
        "query_search_ms_p50": round(statistics.median(search), 1),
        "library_lines": args.library,
    }
    print(json.dumps(numbers, indent=2))
    return numbers


if __name__ == "__main__":
    main()
