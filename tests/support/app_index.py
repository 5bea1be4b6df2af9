"""A data folder over the labelled synthetic folder, indexed with the trained tiny models,
for the desktop tests and the screenshot script."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indexer import Settings, build_engine, load_settings, save_settings
from tests.support.eval_folder import EvalFolder, write_eval_folder
from tests.support.models import SHAPES_CLIP, SOUNDS_CLAP


@dataclass(frozen=True)
class AppIndex:
    data_dir: Path
    folder: EvalFolder


def app_settings(data_dir: Path, folders: list[Path], **changes) -> Settings:
    """Write a settings file as the app's Settings dialog would, and load it as the app does."""
    save_settings(
        data_dir,
        {
            "folders": [str(f) for f in folders],
            "image_model": str(SHAPES_CLIP),
            "audio_model": str(SOUNDS_CLAP),
            "device": "cpu",
            "reranker": "none",
            "video_interval_s": 2.0,
            "batch_size": 8,
            "decode_workers": 2,
            "settle_s": 0.2,
            **changes,
        },
    )
    return load_settings({}, data_dir=data_dir)


def build_app_index(root: Path) -> AppIndex:
    folder = write_eval_folder(root / "media")
    data_dir = root / "data"
    with build_engine(app_settings(data_dir, [folder.root])) as engine:
        engine.index()
        engine.queries_ready(wait_s=300)  # as after a first run: the query towers are exported
    return AppIndex(data_dir, folder)
