"""Settings: a frozen dataclass built once and passed down; no module-level state."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs

# ViT-B/32 CLIP: the best-known image–text model, fast enough on a laptop CPU.
DEFAULT_IMAGE_MODEL = "openai/clip-vit-base-patch32"
# LAION CLAP (HTSAT, unfused): the reference audio–text model of transformers.
DEFAULT_AUDIO_MODEL = "laion/clap-htsat-unfused"

ENV_DATA_DIR = "FRAMEFIND_DATA_DIR"
ENV_IMAGE_MODEL = "FRAMEFIND_IMAGE_MODEL"
ENV_AUDIO_MODEL = "FRAMEFIND_AUDIO_MODEL"
ENV_DEVICE = "FRAMEFIND_DEVICE"


@dataclass(frozen=True)
class SpaceSpec:
    """One embedding space the user asked for: a label and a model (hub id or folder)."""

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
    spaces: tuple[SpaceSpec, ...] = field(
        default=(SpaceSpec("image", DEFAULT_IMAGE_MODEL), SpaceSpec("audio", DEFAULT_AUDIO_MODEL))
    )
    device: str = "auto"
    batch_size: int = 32
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
    skip_hidden: bool = True

    @property
    def catalog_path(self) -> Path:
        return self.data_dir / "catalog.sqlite3"

    @property
    def workers(self) -> int:
        return self.decode_workers or max(1, os.cpu_count() or 1)


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("framefind", appauthor=False))


def load_settings(
    env: Mapping[str, str] | None = None,
    *,
    data_dir: Path | None = None,
    image_model: str | None = None,
    audio_model: str | None = None,
    device: str | None = None,
) -> Settings:
    """Settings from explicit values, then environment variables, then defaults."""
    env = os.environ if env is None else env
    base = Settings(data_dir=Path(data_dir or env.get(ENV_DATA_DIR) or default_data_dir()))
    image = image_model or env.get(ENV_IMAGE_MODEL) or DEFAULT_IMAGE_MODEL
    audio = audio_model or env.get(ENV_AUDIO_MODEL) or DEFAULT_AUDIO_MODEL
    spaces = tuple(
        SpaceSpec(name, model)
        for name, model in (("image", image), ("audio", audio))
        if model.lower() != "none"  # "none" turns a space off
    )
    return replace(
        base,
        data_dir=base.data_dir.expanduser(),
        spaces=spaces,
        device=device or env.get(ENV_DEVICE) or "auto",
    )
