"""Speech recognition speed, to choose the runtime: full-size Whisper architectures with random
weights (speed does not depend on weight values) on the reference implementation
(transformers, torch) and on CTranslate2 int8 (faster-whisper's engine), one 30-second window
at a time, as a recogniser sees speech. Prints JSON; rtf < 1 is faster than real time.

    .venv/bin/python -m tests.bench.speech_rtf [--sizes tiny base small] [--tokens 100] [--device cpu]

Random weights decode garbage of any length, so every run decodes exactly `--tokens` tokens
(the end-of-text token suppressed; transformers: min_new_tokens = max_new_tokens). 100 tokens
per 30 s is fast conversational speech (about 2.5 words a second, 1.3 tokens a word).
CTranslate2 runs only when it is installed (`pip install ctranslate2`); the vocabulary given
to its converter is made up (Whisper's number of text tokens, and its special tokens), which
changes no matrix size.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

WINDOW_S = 30.0
TEXT_TOKENS = 50257
# d_model, layers (encoder = decoder), heads, as published for each size
SIZES = {"tiny": (384, 4, 6), "base": (512, 6, 8), "small": (768, 12, 12), "medium": (1024, 24, 16)}
LANGUAGES = ["en", "de", "fr", "es", "ja", "zh"]
SPECIALS = [
    "<|endoftext|>",
    "<|startoftranscript|>",
    *[f"<|{x}|>" for x in LANGUAGES],
    "<|translate|>",
    "<|transcribe|>",
    "<|startoflm|>",
    "<|startofprev|>",
    "<|nospeech|>",
    "<|notimestamps|>",
]


def build_whisper(size: str, folder: Path) -> Path:
    """A random-weight Whisper of the named size, saved with a made-up tokenizer."""
    from transformers import WhisperConfig, WhisperForConditionalGeneration, WhisperTokenizer

    d, layers, heads = SIZES[size]
    # As many text tokens as Whisper has, then its special tokens: CTranslate2 takes the ids past
    # them for timestamps, so decoding picks text tokens as the real model mostly does.
    text_tokens = [f"t{i}" for i in range(TEXT_TOKENS)]
    vocab = {t: i for i, t in enumerate([*text_tokens, *SPECIALS])}
    (folder / "vocab.json").parent.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.json").write_text(json.dumps(vocab))
    (folder / "merges.txt").write_text("#version: 0.2\n")
    tokenizer = WhisperTokenizer(str(folder / "vocab.json"), str(folder / "merges.txt"))
    config = WhisperConfig(
        vocab_size=51865,
        d_model=d,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=4 * d,
        decoder_ffn_dim=4 * d,
        decoder_start_token_id=vocab["<|startoftranscript|>"],
        eos_token_id=vocab["<|endoftext|>"],
        pad_token_id=vocab["<|endoftext|>"],
        bos_token_id=vocab["<|endoftext|>"],
    )
    torch.manual_seed(0)
    WhisperForConditionalGeneration(config).eval().save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def torch_rtf(folder: Path, tokens: int, device: str, repeats: int) -> float:
    from transformers import WhisperForConditionalGeneration

    model = WhisperForConditionalGeneration.from_pretrained(folder).eval().to(device)
    features = torch.randn(1, 80, 3000, device=device)
    eos = model.config.eos_token_id

    def once() -> None:
        with torch.inference_mode():
            out = model.generate(
                features, max_new_tokens=tokens, min_new_tokens=tokens, suppress_tokens=[eos], do_sample=False
            )
        assert out.shape[1] >= tokens, out.shape  # the decoding length the figure is for

    return _seconds(once, repeats) / WINDOW_S


def ct2_rtf(folder: Path, tokens: int, device: str, repeats: int, threads: int) -> float | None:
    try:
        import ctranslate2
    except ImportError:
        return None
    converted = folder.parent / f"{folder.name}-ct2"
    if not converted.exists():
        ctranslate2.converters.TransformersConverter(str(folder)).convert(str(converted), quantization="int8")
    model = ctranslate2.models.Whisper(
        str(converted), device=device, compute_type="int8", intra_threads=threads
    )
    vocab = json.loads((folder / "vocab.json").read_text())
    eos = vocab["<|endoftext|>"]
    prompt = [vocab[t] for t in ("<|startoftranscript|>", "<|en|>", "<|transcribe|>", "<|notimestamps|>")]
    noise = np.random.default_rng(0).standard_normal((1, 80, 3000), "f4")
    features = ctranslate2.StorageView.from_array(noise)

    def once() -> None:
        # Seen with random weights: CTranslate2 stops at half of max_length here, so ask for
        # twice as many and check what came out.
        out = model.generate(features, [prompt], max_length=2 * tokens, suppress_tokens=[eos])
        assert len(out[0].sequences_ids[0]) >= tokens, len(out[0].sequences_ids[0])

    return _seconds(once, repeats) / WINDOW_S


def _seconds(run, repeats: int) -> float:
    run()  # warm up
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return float(np.median(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["tiny", "base", "small"], choices=sorted(SIZES))
    parser.add_argument("--tokens", type=int, default=100)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    threads = torch.get_num_threads()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            folder = build_whisper(size, Path(tmp) / size)
            row = {"size": size, "tokens_per_30s": args.tokens, "threads": threads}
            row["torch_fp32_rtf"] = round(torch_rtf(folder, args.tokens, args.device, args.repeats), 4)
            ct2 = ct2_rtf(folder, args.tokens, args.device, args.repeats, threads)
            row["ct2_int8_rtf"] = None if ct2 is None else round(ct2, 4)
            rows.append(row)
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
