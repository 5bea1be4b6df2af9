"""Settings: a frozen dataclass built once and passed down; no module-level state.

Sources, later ones winning: defaults, the settings file in the data folder
(`settings.json`, edited by `framefind folders …` or by hand), environment variables,
command-line options.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from indexer import settings_file
from indexer.errors import FramefindError
from indexer.models.hardware import RERANKER_2B, RERANKER_8B, VLM_2B, VLM_8B
from indexer.models.hardware import vlm_model as choose_vlm
from indexer.settings_file import Rule
from indexer.space_spec import QUERY_KINDS, SEGMENT_KINDS, SpaceSpec, declared_spaces, spaces_declared

# ViT-B/32 CLIP: the best-known image–text model, fast enough on a laptop CPU.
DEFAULT_IMAGE_MODEL = "openai/clip-vit-base-patch32"
# Text queries of the picture space in 50+ languages: CLIP ViT-B/32's English text tower
# distilled into multilingual DistilBERT on parallel sentences (Apache-2.0); CLIP's picture
# vectors stay as they are, so choosing it embeds nothing again. "auto" takes it for the
# pictures models it was distilled from; others keep their own text tower.
MULTILINGUAL_CLIP_QUERIES = "sentence-transformers/clip-ViT-B-32-multilingual-v1"
QUERY_MODEL_OF = {
    DEFAULT_IMAGE_MODEL: MULTILINGUAL_CLIP_QUERIES,
    "sentence-transformers/clip-ViT-B-32": MULTILINGUAL_CLIP_QUERIES,
}
# Queries into English for the sound space: OPUS-MT's many-to-English Marian (CC-BY 4.0).
DEFAULT_TRANSLATOR = "Helsinki-NLP/opus-mt-mul-en"
# LAION CLAP (HTSAT, unfused): the reference audio–text model of transformers.
DEFAULT_AUDIO_MODEL = "laion/clap-htsat-unfused"
# What is said, by meaning: a small sentence-transformers model trained on paraphrases in 50+
# languages (384-d, 118 M parameters), so a paraphrase or another language finds the line.
DEFAULT_WORDS_MODEL = "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"

# What a first run fetches of each model Framefind chooses by itself (its safetensors and
# processor files, MB); a model of one's own is counted as a CLIP.
DOWNLOAD_MB = {
    DEFAULT_IMAGE_MODEL: 600,
    MULTILINGUAL_CLIP_QUERIES: 540,
    DEFAULT_AUDIO_MODEL: 620,
    DEFAULT_TRANSLATOR: 310,
    DEFAULT_WORDS_MODEL: 470,
    VLM_2B: 4_300,
    VLM_8B: 17_500,
    RERANKER_2B: 4_300,
    RERANKER_8B: 17_500,
}
UNKNOWN_MB = 600


def download_bytes(models: list[str]) -> int:
    """About how much downloading these models fetches."""
    return sum(DOWNLOAD_MB.get(model, UNKNOWN_MB) for model in models) * 1_000_000


# Matched against each file and folder name. Hidden entries, package and build caches,
# NAS thumbnail folders, recycle bins, downloads in progress.
DEFAULT_EXCLUDE = (
    ".*",
    "node_modules",
    "__pycache__",
    "@eaDir",
    "#recycle",
    "$RECYCLE.BIN",
    "System Volume Information",
    "*.part",
    "*.crdownload",
    "*.tmp",
)

ENV_DATA_DIR = "FRAMEFIND_DATA_DIR"
ENV_IMAGE_MODEL = "FRAMEFIND_IMAGE_MODEL"
ENV_IMAGE_QUERY_MODEL = "FRAMEFIND_IMAGE_QUERY_MODEL"
ENV_AUDIO_MODEL = "FRAMEFIND_AUDIO_MODEL"
ENV_SPEECH_MODEL = "FRAMEFIND_SPEECH_MODEL"
ENV_WORDS_MODEL = "FRAMEFIND_WORDS_MODEL"
ENV_VLM_MODEL = "FRAMEFIND_VLM_MODEL"
ENV_OCR = "FRAMEFIND_OCR"
ENV_QUERY_TRANSLATOR = "FRAMEFIND_QUERY_TRANSLATOR"
ENV_DEVICE = "FRAMEFIND_DEVICE"
ENV_RERANKER = "FRAMEFIND_RERANKER"
ENV_STORE = "FRAMEFIND_STORE"
ENV_CLUSTER = "FRAMEFIND_CLUSTER"


NUMBER = (int, float)
DEVICE = re.compile(r"auto|cpu|mps|cuda(:\d+)?")


def _setting(default: Any, types: tuple[type, ...], test: Any = None, says: str = "") -> Any:
    """A Settings field with the rule both the dataclass and the settings file check."""
    return field(default=default, metadata={"rule": Rule(types, test, says)})


def _between(low: float, high: float, unit: str = "") -> tuple[Any, str]:
    return (lambda v: low <= v <= high), f"between {low:g} and {high:g}{unit}"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    # What `index` and `watch` cover when given no path.
    folders: tuple[Path, ...] = _setting(
        (), (list,), lambda v: all(isinstance(p, str | Path) for p in v), "a list of folders"
    )
    # fnmatch patterns for file and folder names to skip.
    exclude: tuple[str, ...] = _setting(
        DEFAULT_EXCLUDE, (list,), lambda v: all(isinstance(p, str) for p in v), "a list of patterns"
    )
    follow_symlinks: bool = _setting(False, (bool,))  # links below a root are followed (loops are cut)
    spaces: tuple[SpaceSpec, ...] = field(
        default=(
            SpaceSpec("image", DEFAULT_IMAGE_MODEL),
            SpaceSpec("audio", DEFAULT_AUDIO_MODEL),
            SpaceSpec("words", DEFAULT_WORDS_MODEL),
        )
    )
    device: str = _setting("auto", (str,), DEVICE.fullmatch, "auto, cpu, mps, cuda or cuda:N")
    # Speech recognition (indexer/models/speech.py): a Whisper size (base, large-v3-turbo…), a
    # CTranslate2 hub id or folder; "auto" picks by device, "none" turns it off.
    speech_model: str = _setting("auto", (str,), bool, "a Whisper size, hub id or folder, auto or none")
    # Text in pictures (indexer/models/reader.py): "auto" reads with the models inside
    # RapidOCR (Latin scripts, Chinese, Japanese); a RapidOCR language (korean, cyrillic,
    # arabic, el…) downloads that script's recogniser; "none" turns it off.
    ocr: str = _setting("auto", (str,), bool, "auto, none or a RapidOCR language (korean, cyrillic…)")
    # Queries that are not English, into English for the sound space (CLAP reads English only):
    # an OPUS-MT Marian model (indexer/models/translator.py), or "none".
    query_translator: str = _setting(DEFAULT_TRANSLATOR, (str,), bool, "a hub id, a folder or none")
    batch_size: int = _setting(0, (int,), *_between(0, 4096))  # 0: 128 on a CUDA GPU, 32 elsewhere
    # Video: keyframes, and a frame at least this often.
    video_interval_s: float = _setting(2.0, NUMBER, *_between(0.1, 3600, " seconds"))
    # Audio: windows of at most 10 s (CLAP crops longer clips at random), half overlapping.
    audio_window_s: float = _setting(10.0, NUMBER, *_between(0.5, 60, " seconds"))
    audio_hop_s: float = _setting(5.0, NUMBER, *_between(0.1, 60, " seconds (and at most audio_window_s)"))
    # Refuse images above this many pixels (decompression bombs).
    max_image_pixels: int = _setting(150_000_000, (int,), *_between(1_000, 2_000_000_000))
    # Longest side photos and frames are decoded to; models resize further.
    decode_side: int = _setting(512, (int,), *_between(32, 8192, " pixels"))
    decode_workers: int = _setting(0, (int,), *_between(0, 256))  # 0: one per CPU core
    # How often the vector stores are checkpointed while changes come in (the catalog's log
    # holds every change meanwhile, so a crash loses nothing either way).
    checkpoint_every_s: float = _setting(120.0, NUMBER, *_between(0, 86_400, " seconds"))
    # Where the vectors live: FAISS files in the data folder, a Milvus server
    # (milvus://HOST:PORT) or Milvus Lite (milvus:FILE.db, relative to the data folder).
    store: str = _setting(
        "faiss",
        (str,),
        lambda v: v == "faiss" or v.startswith("milvus:"),
        "faiss, milvus://HOST:PORT or milvus:FILE.db",
    )
    # Where files are decoded and embedded: here ("none"), a Ray started on this machine
    # ("auto") or a Ray cluster (ray://HOST:PORT); see indexer/ingest/ray_pipeline.py.
    cluster: str = _setting(
        "none",
        (str,),
        lambda v: v in ("none", "auto") or v.startswith("ray://"),
        "none, auto or ray://HOST:PORT",
    )
    # Past this many vectors a space's exact index is rebuilt as IVF + 8-bit quantisation.
    compress_above: int = _setting(100_000, (int,), *_between(1, 10**10))
    # Watching: a file is indexed once it has not changed for this long.
    settle_s: float = _setting(2.0, NUMBER, *_between(0, 3600, " seconds"))
    force_polling: bool = _setting(False, (bool,))  # poll instead of inotify/FSEvents (e.g. network shares)
    poll_interval_s: float = _setting(10.0, NUMBER, *_between(0.1, 86_400, " seconds"))
    # Second-stage reranking (see indexer/search/rerank.py): "auto", "none", or a CrossEncoder id/folder.
    reranker: str = _setting("auto", (str,), bool, "a model id or folder, auto or none")
    rerank_top: int = _setting(20, (int,), *_between(0, 1000))
    rerank_budget_s: float = _setting(3.0, NUMBER, *_between(0, 600, " seconds"))
    # Card pictures (thumbnails, filmstrips, waveforms) kept in the data folder, least recently used dropped.
    picture_cache_bytes: int = _setting(500_000_000, (int,), *_between(10_000_000, 10**12, " bytes"))

    def __post_init__(self) -> None:
        for f in fields(self):
            rule = f.metadata.get("rule")
            value = getattr(self, f.name)
            if rule is not None and rule.test is not None and not rule.test(value):
                raise FramefindError(f"Setting {f.name!r} must be {rule.says}, not {value!r}.")
        if self.audio_hop_s > self.audio_window_s:
            raise FramefindError(
                f"Setting 'audio_hop_s' ({self.audio_hop_s:g}) must not exceed 'audio_window_s' "
                f"({self.audio_window_s:g}): audio between windows would never be heard."
            )

    @property
    def catalog_path(self) -> Path:
        return self.data_dir / CATALOG_NAME

    @property
    def query_towers(self) -> Path:
        """Where each model's text tower is kept for torch-free queries (query_tower.py): a
        cache, named by the model's digest, shared by every data folder."""
        return Path(platformdirs.user_cache_dir("framefind", appauthor=False)) / "query-towers"

    @property
    def translators(self) -> Path:
        """Where query translators are kept, converted (translator.py): a cache, as above."""
        return self.query_towers.parent / "translators"

    @property
    def settings_path(self) -> Path:
        return self.data_dir / settings_file.FILE_NAME

    @property
    def workers(self) -> int:
        return self.decode_workers or max(1, os.cpu_count() or 1)


# What the settings file may hold: every field with a rule, and the model of each space.
RULES: dict[str, Rule] = {
    **{f.name: f.metadata["rule"] for f in fields(Settings) if "rule" in f.metadata},
    "image_model": Rule((str,), bool, "a hub id, a folder or none"),
    "image_query_model": Rule((str,), bool, "a hub id, a folder, auto or none"),
    "audio_model": Rule((str,), bool, "a hub id, a folder or none"),
    "words_model": Rule((str,), bool, "a hub id, a folder or none"),
    "vlm_model": Rule((str,), bool, "a hub id, a folder, auto or none"),
    "spaces": Rule(
        (dict,),
        spaces_declared,
        f"an object of spaces, each with a model, what it embeds ({', '.join(sorted(SEGMENT_KINDS))}) "
        f"and what it answers ({', '.join(sorted(QUERY_KINDS))})",
    ),
}


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("framefind", appauthor=False))


def _from_file(values: Mapping[str, Any]) -> dict[str, Any]:
    """Settings fields from the file's values (models are handled separately)."""
    known = {f.name for f in fields(Settings)} - {"data_dir", "spaces"}
    out = {k: v for k, v in values.items() if k in known}
    if "folders" in out:
        out["folders"] = tuple(Path(p) for p in out["folders"])
    if "exclude" in out:
        out["exclude"] = tuple(out["exclude"])
    return out


CATALOG_NAME = "catalog.sqlite3"


def load_settings(
    env: Mapping[str, str] | None = None,
    *,
    data_dir: Path | None = None,
    image_model: str | None = None,
    image_query_model: str | None = None,
    audio_model: str | None = None,
    speech_model: str | None = None,
    words_model: str | None = None,
    vlm_model: str | None = None,
    ocr: str | None = None,
    device: str | None = None,
    reranker: str | None = None,
    store: str | None = None,
    cluster: str | None = None,
) -> Settings:
    """Settings from options, then environment variables, then the settings file, then the
    models the data folder's index was built with, then defaults: a folder indexed with
    `--image-model X` is searched with X until the user chooses another model on purpose."""
    env = os.environ if env is None else env
    folder = Path(data_dir or env.get(ENV_DATA_DIR) or default_data_dir()).expanduser()
    stored = settings_file.read(folder / settings_file.FILE_NAME, RULES)
    built = _indexed_models(folder / CATALOG_NAME)
    image = (
        image_model
        or env.get(ENV_IMAGE_MODEL)
        or stored.get("image_model")
        or built.get("image")
        or DEFAULT_IMAGE_MODEL
    )
    audio = (
        audio_model
        or env.get(ENV_AUDIO_MODEL)
        or stored.get("audio_model")
        or built.get("audio")
        or DEFAULT_AUDIO_MODEL
    )
    words = (
        words_model
        or env.get(ENV_WORDS_MODEL)
        or stored.get("words_model")
        or built.get("words")
        or DEFAULT_WORDS_MODEL
    )
    queries = image_query_model or env.get(ENV_IMAGE_QUERY_MODEL) or stored.get("image_query_model") or "auto"
    chosen_device = device or env.get(ENV_DEVICE) or stored.get("device") or "auto"
    videos = vlm_model or env.get(ENV_VLM_MODEL) or stored.get("vlm_model") or built.get("vlm") or "auto"
    video = choose_vlm(videos, chosen_device) or "none"  # auto: by the GPU's memory
    spaces = tuple(
        SpaceSpec(name, model, query_model=_query_model(queries, model) if name == "image" else None)
        for name, model in (("image", image), ("audio", audio), ("words", words), ("vlm", video))
        if model.lower() != "none"  # "none" turns a space off
    ) + declared_spaces(stored.get("spaces", {}))
    base = Settings(data_dir=folder, **_from_file(stored))
    chosen_reranker = reranker or env.get(ENV_RERANKER) or base.reranker
    return replace(
        base,
        spaces=spaces,
        speech_model=speech_model or env.get(ENV_SPEECH_MODEL) or base.speech_model,
        ocr=ocr or env.get(ENV_OCR) or base.ocr,
        query_translator=env.get(ENV_QUERY_TRANSLATOR) or base.query_translator,
        device=chosen_device,
        reranker=chosen_reranker,
        store=store or env.get(ENV_STORE) or base.store,
        cluster=cluster or env.get(ENV_CLUSTER) or base.cluster,
    )


def _query_model(choice: str, model: str) -> str | None:
    """The picture space's query model: "auto" the multilingual one distilled from `model`,
    where there is one; "none" the model's own text tower."""
    if choice.lower() == "auto":
        return QUERY_MODEL_OF.get(model)
    return None if choice.lower() == "none" else choice


def image_query_choice(settings: Settings) -> str:
    """The `image_query_model` value that gives `settings` its picture space's query model:
    auto (the one made for the image model, or none where there is none), none, or a model."""
    image = next((s for s in settings.spaces if s.name == "image"), None)
    if image is None or image.query_model == QUERY_MODEL_OF.get(image.model):
        return "auto"
    return image.query_model or "none"


def _indexed_models(path: Path) -> dict[str, str]:
    """The model of each active space in the catalog at `path` (space name → hub id or
    absolute folder), read without changing anything; empty when there is no catalog yet
    or it cannot be read."""
    if not path.exists():
        return {}
    try:
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
            rows = db.execute(
                "SELECT name, identity FROM spaces WHERE state = 'active' ORDER BY id"
            ).fetchall()
    except sqlite3.Error:
        return {}
    return {name: identity.rsplit("@", 1)[0] for name, identity in rows}  # a folder, resolved


# The settings an environment variable decides over the settings file.
ENV_OF = {
    "image_model": ENV_IMAGE_MODEL,
    "image_query_model": ENV_IMAGE_QUERY_MODEL,
    "audio_model": ENV_AUDIO_MODEL,
    "speech_model": ENV_SPEECH_MODEL,
    "words_model": ENV_WORDS_MODEL,
    "vlm_model": ENV_VLM_MODEL,
    "ocr": ENV_OCR,
    "query_translator": ENV_QUERY_TRANSLATOR,
    "device": ENV_DEVICE,
    "reranker": ENV_RERANKER,
    "store": ENV_STORE,
    "cluster": ENV_CLUSTER,
}


def environment_overrides(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The settings the environment decides now (setting → its variable): a choice saved
    for one of them would be ignored, so a settings dialog shows them fixed and saves none."""
    env = os.environ if env is None else env
    return {key: name for key, name in ENV_OF.items() if env.get(name)}


def stored_settings(data_dir: Path) -> dict[str, Any]:
    """What the settings file in `data_dir` holds (the user's choices, not the defaults)."""
    return settings_file.read(data_dir / settings_file.FILE_NAME, RULES)


def save_settings(data_dir: Path, changes: dict[str, Any]) -> None:
    """Change settings in `data_dir`'s file (None removes a key, restoring its default);
    unknown keys and wrong types are refused with FramefindError."""
    data_dir.mkdir(parents=True, exist_ok=True)
    settings_file.change(data_dir / settings_file.FILE_NAME, changes, RULES)
