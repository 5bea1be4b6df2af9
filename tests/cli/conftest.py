"""The environment a user's shell gives `framefind`: the tiny models, a data folder, offline."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def cli_env(tmp_path, tiny_clip, tiny_clap) -> dict[str, str]:
    return {
        **os.environ,
        "FRAMEFIND_DATA_DIR": str(tmp_path / "data"),
        "FRAMEFIND_IMAGE_MODEL": str(tiny_clip),
        "FRAMEFIND_AUDIO_MODEL": str(tiny_clap),
        "FRAMEFIND_WORDS_MODEL": "none",
        "FRAMEFIND_OCR": "none",
        "FRAMEFIND_DEVICE": "cpu",
        "HF_HUB_OFFLINE": "1",
    }
