"""What indexing through Ray costs against the local pipeline, on this machine, and what
the driver's commits leave for N GPU workers.

    .venv/bin/python -m tests.bench.cluster_ingest [--photos 240]

Indexes the same folder of 640×480 photos with full-size CLIP ViT-B/32 (random weights;
speed does not depend on them; no audio model) twice in fresh data folders: with the local
pipeline, and with `cluster: auto` (a local Ray with this machine's CPUs). Ray's start is
timed apart. It also times the driver's share per file (the commit: catalog transaction,
vector log, store apply), which bounds how many files per second any number of workers can
deliver.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from indexer import build_engine
from indexer.ingest.pipeline import Pipeline
from indexer.settings import Settings, SpaceSpec
from tests.support.media import write_photo
from tests.support.models import build_full_clip


def timed_commits() -> list[float]:
    """Wrap the pipeline's commit (both pipelines use it) and collect its seconds."""
    spent: list[float] = []
    real = Pipeline._commit

    def commit(self, job, report) -> None:
        began = time.perf_counter()
        real(self, job, report)
        spent.append(time.perf_counter() - began)

    Pipeline._commit = commit  # type: ignore[method-assign]
    return spent


def index(settings: Settings, folder: Path) -> tuple[float, int]:
    with build_engine(settings) as engine:
        began = time.perf_counter()
        report = engine.index([folder])
        return time.perf_counter() - began, report.new


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=240)
    args = parser.parse_args()
    import ray

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i in range(args.photos):
            write_photo(root / "photos" / f"{i:05d}.jpg", i, size=(640, 480))
        clip = build_full_clip(root / "clip")
        base = Settings(data_dir=root / "local", spaces=(SpaceSpec("image", str(clip)),), device="cpu")
        commits = timed_commits()
        local_s, local_n = index(base, root / "photos")
        began = time.perf_counter()
        ray.init(include_dashboard=False, log_to_driver=False)
        ray_start = time.perf_counter() - began
        ray_s, ray_n = index(replace(base, data_dir=root / "ray", cluster="auto"), root / "photos")
        ray.shutdown()
    commit_ms = 1000 * sorted(commits)[len(commits) // 2]
    print(f"local pipeline: {local_n} photos in {local_s:.1f} s = {local_n / local_s:.1f} photos/s")
    print(
        f"Ray (auto, this machine): {ray_n} photos in {ray_s:.1f} s = {ray_n / ray_s:.1f} photos/s "
        f"(+ {ray_start:.1f} s to start Ray); Ray takes {ray_s / local_s:.2f}× the local time"
    )
    print(
        f"driver's commit per photo: p50 {commit_ms:.2f} ms → at most {1000 / commit_ms:.0f} photos/s "
        "committed, whatever the number of workers"
    )


if __name__ == "__main__":
    main()
