"""Tiny random CLIP, CLAP and cross-encoder models, saved with save_pretrained and loaded through the
same SentenceTransformer path as real hub models. Nothing here touches the network."""

from __future__ import annotations

import json
from pathlib import Path

# The tiny models trained on the synthetic world (tests/models/train.py), committed.
TRAINED = Path(__file__).parent.parent / "models"
SHAPES_CLIP, SOUNDS_CLAP = TRAINED / "shapes-clip", TRAINED / "sounds-clap"
# The same world trained the plain way, on captions alone, as CLIP and CLAP are trained: no
# unrelated texts as negatives (see tests/models/train.py --plain).
SHAPES_CLIP_PLAIN, SOUNDS_CLAP_PLAIN = TRAINED / "shapes-clip-plain", TRAINED / "sounds-clap-plain"
# Picture queries in five languages, distilled from shapes-clip's text tower (train_multilingual.py).
SHAPES_MULTILINGUAL = TRAINED / "shapes-multilingual"
# Sound phrases into English, as OPUS-MT translates (train_translator.py).
SOUNDS_TRANSLATOR = TRAINED / "sounds-translator"
MOTION_VLM = TRAINED / "motion-vlm"  # tests/models/train_vlm.py: clips of shapes moving, as video
MOTION_RERANKER = TRAINED / "motion-reranker"  # tests/models/train_vlm_reranker.py: from it, yes/no


def _byte_vocab(leading: list[str], trailing: list[str], word_ends: bool) -> dict[str, int]:
    """A byte-level BPE vocabulary with no merges: every byte is a token."""
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    chars = list(bytes_to_unicode().values())
    tokens = [*leading, *chars, *([c + "</w>" for c in chars] if word_ends else []), *trailing]
    return {t: i for i, t in enumerate(tokens)}


def _write_bpe(folder: Path, vocab: dict[str, int]) -> tuple[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    vocab_file, merges_file = folder / "vocab.json", folder / "merges.txt"
    vocab_file.write_text(json.dumps(vocab))
    merges_file.write_text("#version: 0.2\n")  # no merges: byte-level characters only
    return str(vocab_file), str(merges_file)


def build_tiny_clip(folder: Path, seed: int = 0, width: int = 32, dim: int = 16) -> Path:
    """A 2-layer CLIP (32×32 images, `dim`-d embeddings) with a byte-level tokenizer."""
    import torch
    from transformers import CLIPConfig, CLIPModel, CLIPProcessor, CLIPTokenizer

    try:
        from transformers.models.clip.image_processing_pil_clip import CLIPImageProcessorPil
    except ImportError:  # transformers before the PIL processors were split out (a GPU machine's)
        from transformers import CLIPImageProcessor as CLIPImageProcessorPil

    tokenizer = CLIPTokenizer(
        *_write_bpe(folder / "_tok", _byte_vocab([], ["<|startoftext|>", "<|endoftext|>"], True))
    )
    torch.manual_seed(seed)
    layers = dict(hidden_size=width, intermediate_size=2 * width, num_hidden_layers=2, num_attention_heads=2)
    config = CLIPConfig(
        text_config=dict(
            **layers,
            vocab_size=len(tokenizer),
            max_position_embeddings=77,
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
        ),
        vision_config=dict(**layers, image_size=32, patch_size=8),
        projection_dim=dim,
    )
    image_processor = CLIPImageProcessorPil(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32})
    CLIPModel(config).save_pretrained(folder)
    CLIPProcessor(image_processor=image_processor, tokenizer=tokenizer).save_pretrained(folder)
    return folder


def build_tiny_clap(
    folder: Path, seed: int = 0, sampling_rate: int = 16_000, width: int = 32, dim: int = 16
) -> Path:
    """A 2-stage CLAP (16 mel bins, `dim`-d embeddings, a `width`-wide text encoder) taking 10 s
    windows at `sampling_rate`."""
    import torch
    from transformers import ClapConfig, ClapFeatureExtractor, ClapModel, ClapProcessor, RobertaTokenizer

    vocab = _byte_vocab(["<s>", "<pad>", "</s>", "<unk>", "<mask>"], [], False)
    tokenizer = RobertaTokenizer(*_write_bpe(folder / "_tok", vocab))
    hop = sampling_rate // 25  # 10 s → 251 frames, within the 256-frame input below
    extractor = ClapFeatureExtractor(
        feature_size=16,
        sampling_rate=sampling_rate,
        hop_length=hop,
        fft_window_size=1024,
        max_length_s=10,
        truncation="rand_trunc",
        padding="repeatpad",
        frequency_min=50,
        frequency_max=sampling_rate // 2,
    )
    torch.manual_seed(seed)
    config = ClapConfig(
        text_config=dict(
            hidden_size=width,
            intermediate_size=2 * width,
            num_hidden_layers=2,
            num_attention_heads=2,
            vocab_size=len(tokenizer),
            max_position_embeddings=80,
            pad_token_id=1,
            bos_token_id=0,
            eos_token_id=2,
        ),
        audio_config=dict(
            spec_size=64,
            patch_size=4,
            num_mel_bins=16,
            hidden_size=32,  # HTSAT's output width: patch_embeds_hidden_size × 2^(stages-1)
            patch_embeds_hidden_size=16,
            depths=[1, 1],
            num_attention_heads=[2, 2],
            window_size=4,
            enable_fusion=False,
            projection_dim=dim,
            num_classes=10,
        ),
        projection_dim=dim,
    )
    ClapModel(config).save_pretrained(folder)
    ClapProcessor(feature_extractor=extractor, tokenizer=tokenizer).save_pretrained(folder)
    return folder


def build_full_clip(folder: Path, seed: int = 0) -> Path:
    """CLIP ViT-B/32 at full size (transformers' default CLIPConfig), random weights: for
    speed measurements, which do not depend on weight values."""
    import torch
    from transformers import CLIPConfig, CLIPModel, CLIPProcessor, CLIPTokenizer

    try:
        from transformers.models.clip.image_processing_pil_clip import CLIPImageProcessorPil
    except ImportError:  # transformers before the PIL processors were split out (a GPU machine's)
        from transformers import CLIPImageProcessor as CLIPImageProcessorPil

    tokenizer = CLIPTokenizer(
        *_write_bpe(folder / "_tok", _byte_vocab([], ["<|startoftext|>", "<|endoftext|>"], True))
    )
    torch.manual_seed(seed)
    config = CLIPConfig(
        text_config=dict(
            vocab_size=len(tokenizer),
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
        )
    )
    CLIPModel(config).save_pretrained(folder)
    CLIPProcessor(image_processor=CLIPImageProcessorPil(), tokenizer=tokenizer).save_pretrained(folder)
    return folder


def build_full_multilingual_queries(folder: Path, seed: int = 0) -> Path:
    """clip-ViT-B-32-multilingual-v1's shape at full size, random weights: multilingual
    DistilBERT (119,547 word pieces, 6 layers, 768 wide), mean pooling, dense 768 → 512. The
    vocabulary is made up, but holds whole English words, so queries are as many tokens long."""
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import DistilBertConfig, DistilBertModel, DistilBertTokenizerFast

    words = sorted({w for text in _QUERY_WORDS for w in text.split()})
    letters = list("abcdefghijklmnopqrstuvwxyz0123456789")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *letters, *(f"##{c}" for c in letters), *words]
    vocab += [f"piece{i}" for i in range(119_547 - len(vocab))]
    work = folder / "_bert"
    work.mkdir(parents=True, exist_ok=True)
    (work / "vocab.txt").write_text("\n".join(vocab) + "\n")
    DistilBertTokenizerFast(str(work / "vocab.txt"), do_lower_case=False).save_pretrained(work)
    torch.manual_seed(seed)
    DistilBertModel(DistilBertConfig(vocab_size=len(vocab))).save_pretrained(work)
    transformer = models.Transformer(str(work), max_seq_length=128)
    pooling = models.Pooling(768, pooling_mode="mean")
    dense = models.Dense(768, 512, bias=False, activation_function=torch.nn.Identity())
    SentenceTransformer(modules=[transformer, pooling, dense]).save(str(folder / "model"))
    return folder / "model"


_QUERY_WORDS = (
    "the bee on the pink flower",
    "a dog running on the beach at sunset",
    "birthday cake with candles in the kitchen",
    "snow on the mountains behind the lake",
    "a red car parked in the street at night",
)


def build_full_clap(folder: Path, seed: int = 0) -> Path:
    """CLAP (HTSAT, unfused) at full size with transformers' defaults: 48 kHz, 10 s windows."""
    import torch
    from transformers import ClapConfig, ClapFeatureExtractor, ClapModel, ClapProcessor, RobertaTokenizer

    tokenizer = RobertaTokenizer(
        *_write_bpe(folder / "_tok", _byte_vocab(["<s>", "<pad>", "</s>", "<unk>", "<mask>"], [], False))
    )
    torch.manual_seed(seed)
    config = ClapConfig(
        text_config=dict(vocab_size=len(tokenizer), pad_token_id=1, bos_token_id=0, eos_token_id=2),
        audio_config=dict(enable_fusion=False),
    )
    ClapModel(config).save_pretrained(folder)
    extractor = ClapFeatureExtractor(truncation="rand_trunc", padding="repeatpad")
    ClapProcessor(feature_extractor=extractor, tokenizer=tokenizer).save_pretrained(folder)
    return folder


RERANK_TEMPLATE = (
    "{% for m in messages %}{{ '<start_of_turn>' + m['role'] + '\\n' }}"
    "{% for c in m['content'] %}{% if c['type'] == 'image' %}{{ '<start_of_image>' }}"
    "{% elif c['type'] == 'text' %}{{ c['text'] }}{% endif %}{% endfor %}"
    "{{ '<end_of_turn>\\n' }}{% endfor %}"
)


def build_tiny_reranker(folder: Path, seed: int = 0) -> Path:
    """A 2-layer Gemma 3 (text + a tiny SigLIP vision tower) with a one-score head: a
    multimodal CrossEncoder that takes (text, image) pairs, random weights."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import (
        Gemma3Config,
        Gemma3ForSequenceClassification,
        Gemma3Processor,
        PreTrainedTokenizerFast,
    )
    from transformers.convert_slow_tokenizer import bytes_to_unicode
    from transformers.models.gemma3.image_processing_pil_gemma3 import Gemma3ImageProcessorPil

    special = ["<pad>", "<eos>", "<bos>", "<unk>", "<start_of_image>", "<image_soft_token>", "<end_of_image>"]
    special += ["<start_of_turn>", "<end_of_turn>"]
    vocab = {t: i for i, t in enumerate(special + list(bytes_to_unicode().values()))}
    backend = Tokenizer(models.BPE(vocab=vocab, merges=[], unk_token="<unk>"))
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    backend.decoder = decoders.ByteLevel()
    backend.add_special_tokens(special)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend,
        pad_token="<pad>",
        eos_token="<eos>",
        bos_token="<bos>",
        unk_token="<unk>",
        extra_special_tokens={
            "boi_token": "<start_of_image>",
            "image_token": "<image_soft_token>",
            "eoi_token": "<end_of_image>",
        },
    )
    small = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2)
    config = Gemma3Config(
        text_config=dict(
            **small,
            vocab_size=len(vocab),
            num_key_value_heads=1,
            head_dim=16,
            max_position_embeddings=512,
            sliding_window=64,
            pad_token_id=0,
            eos_token_id=1,
            bos_token_id=2,
        ),
        vision_config=dict(**small, image_size=32, patch_size=8),
        mm_tokens_per_image=4,
        boi_token_index=4,
        image_token_index=5,
        eoi_token_index=6,
    )
    config.num_labels = 1
    config.text_config.initializer_range = config.vision_config.initializer_range = 0.5  # scores that vary
    torch.manual_seed(seed)
    Gemma3ForSequenceClassification(config).save_pretrained(folder)
    processor = Gemma3Processor(
        image_processor=Gemma3ImageProcessorPil(size={"height": 32, "width": 32}),
        tokenizer=tokenizer,
        image_seq_length=4,
        chat_template=RERANK_TEMPLATE,
    )
    processor.save_pretrained(folder)
    return folder


WHISPER_SPECIALS = ["<|endoftext|>", "<|startoftranscript|>"]
WHISPER_TASKS = ["<|translate|>", "<|transcribe|>", "<|startoflm|>", "<|startofprev|>", "<|nocaptions|>"]


# d_model, layers (encoder = decoder), heads, as published for each size
WHISPER_SIZES = {"tiny": (384, 4, 6), "base": (512, 6, 8), "small": (768, 12, 12)}


def build_tiny_whisper(folder: Path, seed: int = 0) -> Path:
    """An untrained 1 + 1 layer Whisper in faster-whisper's format (CTranslate2, with
    tokenizer.json and preprocessor_config.json beside it, as the hub's conversions have):
    it loads and runs through the production code, and writes nonsense. Whisper's special
    tokens in Whisper's order, every language; a byte-level vocabulary."""
    return _build_whisper(folder, seed, (32, 1, 2), text_tokens=0)


def build_full_whisper(folder: Path, size: str = "base") -> Path:
    """A Whisper of a published size with random weights and Whisper's 50,257 text tokens, in
    faster-whisper's format: for speed measurements (it decodes nonsense to the longest
    length a window allows, so it costs more per window than real speech does)."""
    return _build_whisper(folder, 0, WHISPER_SIZES[size], text_tokens=50_257)


def _build_whisper(folder: Path, seed: int, shape: tuple[int, int, int], text_tokens: int) -> Path:
    """Built in a process of its own: CTranslate2's converter, run in the process that then
    recognises with CTranslate2, corrupts its heap at exit (a crash after every test passed,
    in about one run of six). Users never convert in the app's process."""
    import subprocess
    import sys

    args = json.dumps([str(folder), seed, list(shape), text_tokens])
    code = "import json, sys; import tests.support.models as m; m._convert_whisper(*json.loads(sys.argv[1]))"
    root = Path(__file__).parent.parent.parent
    subprocess.run([sys.executable, "-c", code, args], check=True, cwd=root, capture_output=True)
    return folder


def _convert_whisper(folder: str, seed: int, shape: list[int], text_tokens: int) -> None:
    import ctranslate2
    import torch
    from faster_whisper.tokenizer import _LANGUAGE_CODES
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast, WhisperConfig, WhisperForConditionalGeneration

    work = Path(folder).parent / f"{Path(folder).name}-hf"
    vocab = _byte_vocab([], [], False)
    vocab |= {f"unused{i}": i for i in range(len(vocab), text_tokens)}  # never written
    tokenizer = Tokenizer(models.BPE(vocab, []))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    languages = [f"<|{code}|>" for code in _LANGUAGE_CODES]
    specials = [*WHISPER_SPECIALS, *languages, *WHISPER_TASKS, "<|notimestamps|>"]
    tokenizer.add_special_tokens([AddedToken(t, special=True) for t in specials])
    work.mkdir(parents=True, exist_ok=True)
    tokenizer.save(str(work / "tokenizer.json"))
    eot, sot = tokenizer.token_to_id("<|endoftext|>"), tokenizer.token_to_id("<|startoftranscript|>")
    torch.manual_seed(seed)
    config = WhisperConfig(
        vocab_size=tokenizer.get_vocab_size() + 1501,  # and Whisper's timestamp tokens
        num_mel_bins=80,
        d_model=shape[0],
        encoder_layers=shape[1],
        decoder_layers=shape[1],
        encoder_attention_heads=shape[2],
        decoder_attention_heads=shape[2],
        encoder_ffn_dim=4 * shape[0],
        decoder_ffn_dim=4 * shape[0],
        max_source_positions=1500,
        max_target_positions=448,
        pad_token_id=eot,
        bos_token_id=eot,
        eos_token_id=eot,
        decoder_start_token_id=sot,
    )
    WhisperForConditionalGeneration(config).save_pretrained(work)
    PreTrainedTokenizerFast(tokenizer_file=str(work / "tokenizer.json")).save_pretrained(work)
    features = dict(chunk_length=30, feature_size=80, hop_length=160, n_fft=400, sampling_rate=16_000)
    (work / "preprocessor_config.json").write_text(json.dumps(features))
    ctranslate2.converters.TransformersConverter(
        str(work), copy_files=["tokenizer.json", "preprocessor_config.json"]
    ).convert(folder, force=True)
    # Which tokens name languages: transformers 5 no longer hands the converter Whisper's
    # lang_to_id, so it is written as the converter would.
    converted = json.loads((Path(folder) / "config.json").read_text())
    converted["lang_ids"] = [tokenizer.token_to_id(t) for t in languages]
    (Path(folder) / "config.json").write_text(json.dumps(converted))
