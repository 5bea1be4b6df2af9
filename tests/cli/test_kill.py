"""SIGKILL the indexer at many points; every restart resumes, and the end state equals an
uninterrupted run's: same files, same segments, same vectors, nothing duplicated or orphaned."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from indexer import build_engine, load_settings, settings_file
from tests.conftest import write_corpus
from tests.support.media import write_photo

pytestmark = pytest.mark.slow

KILL_POINTS = 12


def _start(data: Path, corpus: Path) -> subprocess.Popen:
    env = {**os.environ, "FRAMEFIND_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "indexer.cli", "index", str(corpus)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _configure(data: Path, clip: Path, clap: Path) -> None:
    settings_file.write(
        data / "settings.json",
        {
            "image_model": str(clip),
            "audio_model": str(clap),
            "device": "cpu",
            "batch_size": 4,
            "decode_workers": 2,
            "checkpoint_every_s": 0.2,
        },
    )


def _indexed(data: Path) -> int:
    try:
        with sqlite3.connect(data / "catalog.sqlite3", timeout=30) as db:
            return db.execute("SELECT COUNT(*) FROM files WHERE status = 'indexed'").fetchone()[0]
    except sqlite3.Error:
        return 0


def _state(data: Path, corpus: Path) -> tuple[list, dict]:
    """Files with their segments, and every vector keyed by (file, modality, start), per space,
    as a reader sees them: no vector twice, none without its segment, none missing (what was
    committed after the last checkpoint is replayed from the catalog's log)."""
    with build_engine(load_settings(env={"FRAMEFIND_DATA_DIR": str(data)}), writer=False) as engine:
        files = []
        for record in engine.catalog.files.all():
            rows = engine.catalog.segments.rows(engine.catalog.segments.ids_of_files([record.id]))
            segments = sorted((r.modality, r.start, r.end, r.t) for r in rows.values())
            files.append(
                (
                    str(record.path.relative_to(corpus)),
                    record.kind,
                    record.status,
                    record.error,
                    record.duration and round(record.duration, 3),
                    segments,
                )
            )
        vectors = {}
        for space in engine.spaces:
            snap = space.snapshot()
            if snap is None:  # killed before the space was first registered (or nothing for it)
                embeds = engine.catalog.segments.expected_count(space.spec.embeds)
                assert not embeds, f"{space.name}: {embeds} segments committed, but no space"
                continue
            ids = snap.ids()
            assert len(ids) == len(set(ids.tolist())), "duplicated vectors"
            rows = engine.catalog.segments.rows(ids.tolist())
            assert set(rows) == set(ids.tolist()), "vectors without a catalog segment"
            for sid, vector in zip(ids.tolist(), snap.vectors(ids), strict=True):
                r = rows[sid]
                vectors[(space.name, str(r.path.relative_to(corpus)), r.modality, r.start)] = vector
        for name, (missing, extra) in engine.discrepancies().items():
            assert not extra, f"{name}: {len(extra)} stray vectors"
            assert not missing, f"{name}: {len(missing)} vectors missing"
    return sorted(files), vectors


def _wait_for(data: Path, indexed: int, process: subprocess.Popen) -> None:
    """Return as soon as `indexed` files are committed (or the process has ended)."""
    deadline = time.monotonic() + 300
    while _indexed(data) < indexed and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)


def _timed_run(data: Path, corpus: Path) -> tuple[float, float]:
    """Run to completion; returns (seconds to the first committed file, seconds in all)."""
    began = time.monotonic()
    process = _start(data, corpus)
    first = None
    while process.poll() is None:
        if first is None and _indexed(data):
            first = time.monotonic() - began
        time.sleep(0.05)
    assert process.returncode == 0
    duration = time.monotonic() - began
    return first or duration, duration


def test_sigkill_at_many_points_then_restart_equals_an_uninterrupted_run(tmp_path, tiny_clip, tiny_clap):
    corpus = write_corpus(tmp_path / "media").root
    for i in range(240):
        write_photo(corpus / "more" / f"p{i:03d}.jpg", 100 + i, size=(1024, 768))
    total = sum(1 for p in corpus.rglob("*") if p.is_file())

    reference, killed = tmp_path / "reference", tmp_path / "killed"
    for data in (reference, killed):
        _configure(data, tiny_clip, tiny_clap)
    first_commit, duration = _timed_run(reference, corpus)

    # Two kills during start-up (models loading, the repair the previous kill left), the rest
    # once a spread of fractions of the remaining files has been committed.
    mid_run, progress = 0, []
    for point in range(KILL_POINTS):
        process = _start(killed, corpus)
        before = _indexed(killed)
        if point < 2:
            time.sleep(first_commit * (0.5 + 0.2 * point))
        else:
            fraction = (0.15, 0.3, 0.1, 0.25, 0.2, 0.35)[point % 6]
            _wait_for(killed, before + max(1, int(fraction * (total - before))), process)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        done = _indexed(killed)
        mid_run += 0 < done < total
        progress.append(done)
        _state(killed, corpus)  # the invariants that hold after every kill
    assert _start(killed, corpus).wait(timeout=300) == 0

    ref_files, ref_vectors = _state(reference, corpus)
    files, vectors = _state(killed, corpus)
    assert files == ref_files
    assert vectors.keys() == ref_vectors.keys()
    for key, vector in vectors.items():
        np.testing.assert_allclose(vector, ref_vectors[key], atol=1e-4, err_msg=str(key))
    print(
        f"\n{KILL_POINTS} kills, {mid_run} in the middle of indexing; uninterrupted run {duration:.1f} s "
        f"(first file committed at {first_commit:.1f} s); indexed after each kill: {progress} of {total}"
    )
    assert mid_run >= 3, "the kills should land while indexing, not only before or after it"
