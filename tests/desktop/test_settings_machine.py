"""Settings say what `auto` takes on this machine for videos and reranking, by the GPU found
(the GPU's tool stood in for here; the choice is the engine's own)."""

from __future__ import annotations

import os

from indexer import load_settings


def _gpu(tmp_path, monkeypatch, mib: int | None) -> None:
    tools = tmp_path / "bin"
    tools.mkdir(exist_ok=True)
    if mib is not None:
        (tools / "nvidia-smi").write_text(f"#!/bin/sh\necho {mib}\n")
        (tools / "nvidia-smi").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")


def test_settings_say_what_auto_takes_for_the_gpu_found(qtbot, tmp_path, monkeypatch):
    from desktop.settings_dialog import SettingsDialog

    _gpu(tmp_path, monkeypatch, 81559)  # an 80 GB card
    dialog = SettingsDialog(load_settings(env={}, data_dir=tmp_path / "data", device="auto"))
    qtbot.addWidget(dialog)
    assert dialog.machine.text() == (
        "This GPU has 80 GB: auto takes Qwen3-VL-Embedding-8B for videos and Qwen3-VL-Reranker-8B to rerank."
    )
    _gpu(tmp_path, monkeypatch, 16376)  # 16 GB: the 2B leaves too little for a reranker
    small = SettingsDialog(load_settings(env={}, data_dir=tmp_path / "data", device="auto"))
    qtbot.addWidget(small)
    assert small.machine.text() == (
        "This GPU has 16 GB: auto takes Qwen3-VL-Embedding-2B for videos and no reranker to rerank."
    )


def test_settings_say_so_where_there_is_no_gpu_or_the_device_is_the_cpu(qtbot, tmp_path, monkeypatch):
    from desktop.settings_dialog import SettingsDialog

    _gpu(tmp_path, monkeypatch, 81559)
    on_cpu = SettingsDialog(load_settings(env={}, data_dir=tmp_path / "data", device="cpu"))
    qtbot.addWidget(on_cpu)
    assert on_cpu.machine.text().startswith("No NVIDIA GPU for Framefind here")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no driver's tool at all
    none = SettingsDialog(load_settings(env={}, data_dir=tmp_path / "data2", device="auto"))
    qtbot.addWidget(none)
    assert none.machine.text().startswith("No NVIDIA GPU for Framefind here")
