"""The benchmark script runs end to end (tiny models and sizes); its numbers are not checked here."""

from __future__ import annotations

import json

import pytest

from tests.bench.run import main

pytestmark = pytest.mark.slow


def test_the_benchmark_runs_and_writes_its_table(tmp_path, capsys):
    out = tmp_path / "bench.json"
    main(["--quick", "--out", str(out)])
    results = json.loads(out.read_text())
    for kind in ("photos", "video", "audio"):
        assert results[kind]["end_to_end"] > 0 and results[kind]["decode_only"] > 0
        assert results[kind]["ratio_to_slower_stage"] > 0
    ivf = results["query"]["sizes"]["2000"]["ivf_sq8"]
    assert (
        0 < ivf["recall_at_10"] <= 1
        and ivf["bytes_per_vector"] < results["query"]["sizes"]["2000"]["flat"]["bytes_per_vector"]
    )
    assert results["cold_start"]["first_result_s"] > 0
    assert "end-to-end" in capsys.readouterr().out


def test_the_result_grid_benchmark_scrolls_through_every_result(qapp):
    from tests.bench.ui_scroll import main as scroll

    numbers = scroll(["--results", "2000", "--frames", "20"])
    assert numbers["results"] == 2000 and numbers["jump"]["p50"] > 0 and numbers["wheel"]["max"] > 0


def test_the_integrity_benchmark_runs(capsys):
    from tests.bench.integrity import main as integrity

    numbers = integrity(["--quick"])
    assert numbers["search"][0]["files_applied_meanwhile"] > 0
    assert numbers["checkpoint"][0]["checkpoint_s"] > 0 and numbers["status"][0]["segments"] == 5_000
    assert numbers["filtered"][0]["idle_allowed_1000_ms_p50_p95"][0] > 0


def test_the_voice_cost_benchmark_sends_only_speech_on(espeak):
    from tests.bench.voice_cost import main as voice_cost

    numbers = voice_cost(["--minutes", "1"])
    assert numbers["silence"]["share_to_recogniser"] == 0 and numbers["music"]["share_to_recogniser"] < 0.1
    assert numbers["talk"]["share_to_recogniser"] > 0.3 and numbers["talk"]["voice_ms_per_min"] > 0
