"""Indexing through Ray (a local Ray with two CPUs) commits exactly what the local pipeline
commits, and a worker killed in the middle of a run changes nothing in the end."""

from __future__ import annotations

import json
import os
import signal
import time
from dataclasses import replace
from pathlib import Path

import pytest
import ray
from PIL import Image

from indexer import Query, build_engine
from tests.conftest import make_settings
from tests.engine.test_index_search import assert_consistent
from tests.engine.test_milvus_engine import answers
from tests.support.eval_folder import write_eval_folder
from tests.support.models import SHAPES_CLIP, SOUNDS_CLAP
from tests.support.subtitles import write_srt


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def map_workers() -> list[int]:
    """The processes of Ray Data's map actors (Ray titles them ray::MapWorker(…))."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "cmdline").read_bytes().startswith(b"ray::MapWorker"):
                found.append(int(entry.name))
        except OSError:  # a process that ended while we looked
            continue
    return found


def index_locally(tmp_path, tiny_clip, tiny_clap, corpus, queries) -> tuple[dict, list]:
    with build_engine(make_settings(tmp_path / "local", tiny_clip, tiny_clap)) as engine:
        engine.index([corpus.root])
        return engine.status().indexed, answers(engine, queries)


def replacement_of(killed: int, within_s: float = 60.0) -> int | None:
    """The map worker Ray starts in place of `killed` (None if none came)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if others := [pid for pid in map_workers() if pid != killed]:
            return others[0]
        time.sleep(0.1)
    return None


def test_a_worker_killed_mid_run_is_replaced_and_nothing_is_lost_or_doubled(
    local_ray, tmp_path, tiny_clip, tiny_clap, corpus, queries
):
    said = [(1.0, 2.5, "the first line"), (3.0, 4.0, "and the second")]
    write_srt(corpus.video.with_suffix(".en.srt"), said)
    # Enough files that some are still to embed when the first one is committed: with none
    # left, Ray Data ends the run instead of replacing the killed worker (seen in CI).
    for n in range(24):
        Image.new("RGB", (64, 48), (n * 10, 255 - n * 10, 128)).save(corpus.root / f"more-{n}.png")
    indexed, expected = index_locally(tmp_path, tiny_clip, tiny_clap, corpus, queries)
    killed: list[int] = []
    replaced: list[int | None] = []

    def kill_a_worker(event) -> None:  # at the first file committed with the worker up, others in flight
        if not killed and (workers := map_workers()):
            (pid,) = workers
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
            # Looked for here, mid-run: once the run ends Ray Data stops its actors.
            replaced.append(replacement_of(pid))

    settings = replace(make_settings(tmp_path / "ray", tiny_clip, tiny_clap), cluster="auto")
    with build_engine(settings) as engine:
        engine.index([corpus.root], on_progress=kill_a_worker)
        assert killed and replaced[0] is not None
        assert engine.status().indexed == indexed
        assert answers(engine, queries) == expected
        assert_consistent(engine)
        assert [(x.start, x.end, x.text, x.lang) for x in engine.transcript(corpus.video)] == [
            (*cue, "en") for cue in said
        ]


def test_the_eval_folder_through_ray_into_milvus_ranks_as_the_local_faiss_path(local_ray, tmp_path, caplog):
    """The whole cluster path at once, with the trained test models and the labelled queries:
    the same files, the same top result for every query."""
    folder = write_eval_folder(tmp_path / "labelled", photos=16, video_scenes=6)
    texts = [q["text"] for q in json.loads((folder.root / "queries.json").read_text())["queries"]]
    local = replace(make_settings(tmp_path / "local", SHAPES_CLIP, SOUNDS_CLAP), video_interval_s=2.0)
    cluster = replace(local, data_dir=tmp_path / "cluster", cluster="auto", store="milvus:vectors.db")
    tops, indexed = [], []
    for settings in (local, cluster):
        with build_engine(settings) as engine, caplog.at_level("INFO", logger="indexer.ingest.ray_pipeline"):
            assert engine.index([folder.root]).failed == 0
            indexed.append(engine.status().indexed)
            found = [engine.search(replace(Query(text=t), calibrate=False)) for t in texts]
            tops.append([(r[0].path, r[0].start, round(r[0].cosine, 4)) if r else None for r in found])
    assert "files on Ray (1 CPU actors)" in caplog.text  # the cluster run did run on Ray
    assert indexed[1] == indexed[0] and tops[1] == tops[0] and len(texts) > 40
    assert list((cluster.data_dir / "thumbs").rglob("*.jpg")), "the cards' pictures are saved here"
