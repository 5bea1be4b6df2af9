"""packaging/build.py's own decisions, which the slow bundle test only sees whole."""

from __future__ import annotations

import pytest


def fake_python(folder, cuda: str):
    """A stand-in interpreter that answers the build's torch question as a CUDA or CPU build would."""
    folder.mkdir()
    python = folder / "python"
    python.write_text(f"#!/bin/sh\necho '{cuda}'\n")
    python.chmod(0o755)
    return python


def test_the_build_refuses_a_cuda_torch_and_says_how_to_get_a_cpu_one(build_script, tmp_path):
    build_script.check_cpu_torch(fake_python(tmp_path / "cpu", ""))  # a CPU build passes
    with pytest.raises(SystemExit, match=r"CUDA 12\.8 build of torch.*--torch 'torch==VERSION\+cpu'"):
        build_script.check_cpu_torch(fake_python(tmp_path / "cuda", "12.8"))


def test_the_archive_is_named_for_version_system_and_machine(build_script):
    assert build_script.bundle_name("0.1.0", "linux", "x86_64") == "framefind-0.1.0-linux-x86_64"
    assert build_script.bundle_name("0.2.0", "win32", "AMD64") == "framefind-0.2.0-win-amd64"
    assert build_script.bundle_name("0.2.0", "darwin", "arm64") == "framefind-0.2.0-darwin-arm64"
