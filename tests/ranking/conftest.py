"""An index built with the tiny trained models (tests/models), whose queries mean something."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from indexer import Settings, build_engine
from indexer.engine import Engine
from indexer.settings import SpaceSpec
from tests.conftest import make_settings
from tests.support.eval_folder import EvalFolder, write_eval_folder
from tests.support.models import SHAPES_CLIP, SHAPES_CLIP_PLAIN, SOUNDS_CLAP, SOUNDS_CLAP_PLAIN

VIDEO_INTERVAL_S = 2.0


def trained_settings(data: Path, **changes) -> Settings:
    settings = make_settings(data, SHAPES_CLIP, SOUNDS_CLAP)
    return replace(settings, **{"video_interval_s": VIDEO_INTERVAL_S, "reranker": "none", **changes})


def plain_settings(data: Path) -> Settings:
    """The tiny models trained on captions alone, as CLIP and CLAP are (test_plain_models.py)."""
    spaces = (SpaceSpec("image", str(SHAPES_CLIP_PLAIN)), SpaceSpec("audio", str(SOUNDS_CLAP_PLAIN)))
    return replace(trained_settings(data), spaces=spaces)


@pytest.fixture(scope="session")
def eval_folder(tmp_path_factory: pytest.TempPathFactory) -> EvalFolder:
    return write_eval_folder(tmp_path_factory.mktemp("eval") / "labelled")


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory, eval_folder: EvalFolder) -> Iterator[Engine]:
    """The labelled folder indexed once with the trained models (read-only for tests)."""
    with build_engine(trained_settings(tmp_path_factory.mktemp("trained") / "data")) as engine:
        engine.index([eval_folder.root])
        yield engine
