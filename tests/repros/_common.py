"""Shared set-up for the review repros: import Framefind from the checkout under review
(FRAMEFIND_SRC, default: the current folder, the project root) without writing bytecode there, and build small engines
on the committed tiny models (tests/models/shapes-clip, tests/models/sounds-clap).

Run every repro from the project root as:  .venv/bin/python ../shared/repros/<repro>.py
"""

import logging
import os
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
SRC = Path(os.environ.get("FRAMEFIND_SRC", ".")).resolve()
sys.path.insert(0, str(SRC))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("FRAMEFIND_RERANKER", "none")
os.environ.setdefault("OMP_NUM_THREADS", "1")  # the machine is shared: stay on one core

CLIP = SRC / "tests" / "models" / "shapes-clip"
CLAP = SRC / "tests" / "models" / "sounds-clap"
RATE = 16_000


def tmpdir(name: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"ff3-{name}-"))


def settings(data_dir: Path, image=CLIP, audio=CLAP, **kw):
    from indexer import Settings, SpaceSpec

    spaces = []
    if image is not None:
        spaces.append(SpaceSpec("image", str(image)))
    if audio is not None:
        spaces.append(SpaceSpec("audio", str(audio)))
    base = dict(device="cpu", batch_size=8, decode_workers=1, reranker="none", video_interval_s=2.0)
    base.update(kw)
    return Settings(data_dir=data_dir, spaces=tuple(spaces), **base)


def photos(folder: Path, scenes, size=(160, 120)) -> list[Path]:
    from tests.support.media import write_photo

    return [write_photo(folder / f"p{s:03d}.png", s, size) for s in scenes]


def quiet() -> None:
    logging.basicConfig(level=logging.WARNING, format="  [log %(levelname)s %(name)s] %(message)s")
    import transformers.utils.logging

    transformers.utils.logging.disable_progress_bar()
