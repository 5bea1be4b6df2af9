"""A start with cached models opens no socket: no hub probe, no update check."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support.media import write_photo
from tests.support.models import SHAPES_CLIP, SOUNDS_CLAP

pytestmark = pytest.mark.slow

COMMIT = "0123456789abcdef0123456789abcdef01234567"

# Runs in a fresh interpreter: every attempt to resolve a name or connect is recorded and refused.
SCRIPT = textwrap.dedent(
    """
    import sys
    attempts = []

    def refuse(event, args):
        if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname"):
            attempts.append((event, repr(args)[:120]))
            raise OSError("the network was touched: " + event)

    sys.addaudithook(refuse)
    from pathlib import Path
    from indexer import Query, build_engine, load_settings

    photos = Path(sys.argv[1])
    with build_engine(load_settings()) as engine:
        engine.load_models()
        engine.index([photos])
        found = engine.search(Query(text="a red circle"))
    print("attempts:", attempts)
    print("results:", len(found.results) + len(found.hidden))
    sys.exit(1 if attempts else 0)
    """
)


def _cache_as_hub(cache: Path, repo: str, model: Path) -> None:
    """Lay a model out as the hub client caches a download (refs/main → snapshot)."""
    root = cache / f"models--{repo.replace('/', '--')}"
    shutil.copytree(model, root / "snapshots" / COMMIT)
    (root / "refs").mkdir(parents=True)
    (root / "refs" / "main").write_text(COMMIT)


def test_cached_hub_models_load_and_search_without_any_socket(tmp_path):
    cache = tmp_path / "hf" / "hub"
    _cache_as_hub(cache, "framefind-tests/shapes-clip", SHAPES_CLIP)
    _cache_as_hub(cache, "framefind-tests/sounds-clap", SOUNDS_CLAP)
    photos = tmp_path / "photos"
    for i in range(3):
        write_photo(photos / f"{i}.png", i)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    env.update(
        HF_HOME=str(tmp_path / "hf"),
        FRAMEFIND_DATA_DIR=str(tmp_path / "data"),
        FRAMEFIND_IMAGE_MODEL="framefind-tests/shapes-clip",
        FRAMEFIND_AUDIO_MODEL="framefind-tests/sounds-clap",
        FRAMEFIND_DEVICE="cpu",
        FRAMEFIND_RERANKER="none",
    )
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(photos)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert "attempts: []" in done.stdout and "results: 0" not in done.stdout
