"""A file that kills the Ray worker decoding it is tried a few times, then recorded as failed
while the rest is indexed; stopping a Ray run ends it even while such a file is retried."""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
import ray

from indexer import build_engine
from indexer.ingest.control import Control
from indexer.ingest.ray_pipeline import CRASHED, DECODE_TRIES
from tests.conftest import make_settings
from tests.support.media import write_photo

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def attempts(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ray") / "attempts.txt"
    root = str(Path(__file__).resolve().parents[2])
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={
            "worker_process_setup_hook": "tests.support.ray_killer.setup",
            "env_vars": {
                "FRAMEFIND_TEST_ATTEMPTS": str(path),
                "PYTHONPATH": os.pathsep.join([root, *sys.path]),
            },
        },
    )
    yield path
    # A run that was stopped leaves Ray Data finishing its last rows in the background: once
    # Ray is shut down they must end, not start a Ray of their own.
    os.environ["RAY_ENABLE_AUTO_CONNECT"] = "0"
    ray.shutdown()


def _tries(path: Path) -> int:
    return len(path.read_text().split()) if path.exists() else 0


def _library(folder: Path) -> Path:
    for scene in range(4):
        write_photo(folder / f"p{scene}.png", scene)
    write_photo(folder / "killer.png", 50)
    return folder


def test_stopping_ends_a_ray_run_while_a_file_is_retried(attempts, tmp_path, tiny_clip, tiny_clap):
    media = _library(tmp_path / "media")
    settings = replace(make_settings(tmp_path / "data", tiny_clip, tiny_clap), cluster="auto")
    control = Control()
    with build_engine(settings) as engine:
        runner = threading.Thread(target=lambda: engine.index([media], control=control))
        runner.start()
        deadline = time.monotonic() + 120
        while _tries(attempts) == 0 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _tries(attempts) > 0
        control.stop()
        runner.join(30)
        assert not runner.is_alive(), "the run went on after stop()"


def test_a_file_that_kills_its_worker_is_failed_and_the_rest_indexed(
    attempts, tmp_path, tiny_clip, tiny_clap
):
    media = _library(tmp_path / "media")
    attempts.unlink(missing_ok=True)
    settings = replace(make_settings(tmp_path / "data", tiny_clip, tiny_clap), cluster="auto")
    with build_engine(settings) as engine:
        report = engine.index([media])
        assert (report.new, report.failed) == (4, 1)
        [failure] = engine.failures()
        assert failure.path.name == "killer.png" and failure.error == CRASHED
    assert _tries(attempts) == DECODE_TRIES
