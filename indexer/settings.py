"""Settings: a frozen dataclass built once and passed down; no module-level state.

Sources, later ones winning: defaults, the settings file in the data folder
(`settings.json`, edited by `framefind folders …` or by hand), environment variables,
command-line options.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from indexer import settings_file

# ViT-B/32 CLIP: the best-known image–text model, fast enough on a laptop CPU.
DEFAULT_IMAGE_MODEL = "openai/clip-vit-base-patch32"
# LAION CLAP (HTSAT, unfused): the reference audio–text model of transformers.
DEFAULT_AUDIO_MODEL = "laion/clap-htsat-unfused"

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
ENV_AUDIO_MODEL = "FRAMEFIND_AUDIO_MODEL"
ENV_DEVICE = "FRAMEFIND_DEVICE"
ENV_RERANKER = "FRAMEFIND_RERANKER"


@dataclass(frozen=True)
class SpaceSpec:
    """One embedding space the user asked for. `name` is the media modality it serves
    ("image" or "audio"); `model` a hub id or a local folder."""

    name: str
    model: str
    revision: str | None = None

    @property
    def identity(self) -> str:
        """What makes two spaces the same: the resolved model and its revision."""
        path = Path(self.model).expanduser()
        model = str(path.resolve()) if path.exists() else self.model
        return f"{model}@{self.revision or 'default'}"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    folders: tuple[Path, ...] = ()  # what `index` and `watch` cover when given no path
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    follow_symlinks: bool = False  # when True, links are followed (loops are still cut)
    spaces: tuple[SpaceSpec, ...] = field(
        default=(SpaceSpec("image", DEFAULT_IMAGE_MODEL), SpaceSpec("audio", DEFAULT_AUDIO_MODEL))
    )
    device: str = "auto"
    batch_size: int = 0  # 0: 128 on a CUDA GPU, 32 elsewhere
    # Video: keyframes, and a frame at least this often.
    video_interval_s: float = 2.0
    # Audio: windows of at most 10 s (CLAP crops longer clips at random), half overlapping.
    audio_window_s: float = 10.0
    audio_hop_s: float = 5.0
    # Refuse images above this many pixels (decompression bombs).
    max_image_pixels: int = 150_000_000
    # Longest side photos and frames are decoded to; models resize further.
    decode_side: int = 512
    decode_workers: int = 0  # 0: one per CPU core
    checkpoint_every_s: float = 30.0
    # Past this many vectors a space's exact index is rebuilt as IVF + 8-bit quantisation.
    compress_above: int = 100_000
    # Watching: a file is indexed once it has not changed for this long.
    settle_s: float = 2.0
    force_polling: bool = False  # poll instead of inotify/FSEvents (e.g. network shares)
    poll_interval_s: float = 10.0
    # Second-stage reranking (see indexer/rerank.py): "auto", "none", or a CrossEncoder id/folder.
    reranker: str = "auto"
    rerank_top: int = 20
    rerank_budget_s: float = 3.0

    @property
    def catalog_path(self) -> Path:
        return self.data_dir / "catalog.sqlite3"

    @property
    def settings_path(self) -> Path:
        return self.data_dir / settings_file.FILE_NAME

    @property
    def workers(self) -> int:
        return self.decode_workers or max(1, os.cpu_count() or 1)


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


def load_settings(
    env: Mapping[str, str] | None = None,
    *,
    data_dir: Path | None = None,
    image_model: str | None = None,
    audio_model: str | None = None,
    device: str | None = None,
    reranker: str | None = None,
) -> Settings:
    """Settings from options, then environment variables, then the settings file, then defaults."""
    env = os.environ if env is None else env
    folder = Path(data_dir or env.get(ENV_DATA_DIR) or default_data_dir()).expanduser()
    stored = settings_file.read(folder / settings_file.FILE_NAME)
    image = image_model or env.get(ENV_IMAGE_MODEL) or stored.get("image_model") or DEFAULT_IMAGE_MODEL
    audio = audio_model or env.get(ENV_AUDIO_MODEL) or stored.get("audio_model") or DEFAULT_AUDIO_MODEL
    spaces = tuple(
        SpaceSpec(name, model)
        for name, model in (("image", image), ("audio", audio))
        if model.lower() != "none"  # "none" turns a space off
    )
    chosen_device = device or env.get(ENV_DEVICE) or stored.get("device") or "auto"
    base = Settings(data_dir=folder, **_from_file(stored))
    chosen_reranker = reranker or env.get(ENV_RERANKER) or base.reranker
    return replace(base, spaces=spaces, device=chosen_device, reranker=chosen_reranker)


def stored_settings(data_dir: Path) -> dict[str, Any]:
    """What the settings file in `data_dir` holds (the user's choices, not the defaults)."""
    return settings_file.read(data_dir / settings_file.FILE_NAME)


def save_settings(data_dir: Path, changes: dict[str, Any]) -> None:
    """Change settings in `data_dir`'s file (None removes a key, restoring its default);
    unknown keys and wrong types are refused with FramefindError."""
    data_dir.mkdir(parents=True, exist_ok=True)
    settings_file.change(data_dir / settings_file.FILE_NAME, changes)
