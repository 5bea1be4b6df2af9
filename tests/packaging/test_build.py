"""packaging/build.py's own decisions, which the slow bundle test only sees whole."""

from __future__ import annotations

import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


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


def locked(lock_text: str) -> dict[str, tuple[str, int]]:
    """name → (version, hashes) of each wheel in a lock."""
    found: dict[str, tuple[str, int]] = {}
    name = None
    for line in lock_text.splitlines():
        if line and not line[0].isspace() and not line.startswith("#") and "==" in line:
            name, version = line.split(" ")[0].split("==")
            found[canonicalize_name(name)] = (version, 0)
        elif name and "--hash=sha256:" in line:
            version, hashes = found[canonicalize_name(name)]
            found[canonicalize_name(name)] = (version, hashes + 1)
    return found


def test_the_lock_pins_every_dependency_of_the_project_and_of_the_build_with_a_hash(build_script):
    """A dependency added to pyproject.toml without running packaging/lock.py fails here."""
    lock = locked(build_script.LOCK.read_text())
    project = tomllib.loads((build_script.ROOT / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(r) for r in project["dependencies"]] + [Requirement("pyinstaller")]
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        if name == "torch":
            assert requirement.specifier.contains(build_script.locked_torch())  # installed first, alone
            continue
        assert name in lock, f"{name} is not in the lock: run packaging/lock.py"
        version, _ = lock[name]
        assert requirement.specifier.contains(version, prereleases=True), f"{name}=={version} ≠ {requirement}"
    assert all(hashes for _, hashes in lock.values()), "every wheel is checked against its hash"
    assert not any(name.startswith(("nvidia-", "triton")) for name in lock)  # a CPU bundle
    assert build_script.default_torch() == f"torch=={build_script.locked_torch()}+cpu"


def test_only_cuda_packages_that_torch_alone_needs_are_left_out_of_the_lock(build_script):
    from lock import cuda_only, requirements

    annotated = """\
nvidia-cublas==13.4 \\
    --hash=sha256:00 \\
    # via
    #   cuda-toolkit
    #   torch
cuda-toolkit==13.2 \\
    --hash=sha256:01
    # via torch
nvidia-ml-py==13.0 \\
    --hash=sha256:02
    # via pynvml
sympy==1.14.0 \\
    --hash=sha256:03
    # via torch
"""
    vias = requirements(annotated)
    assert vias["nvidia-cublas"] == ["cuda-toolkit", "torch"]
    # sympy is torch's, but the CPU torch needs it; nvidia-ml-py is there for another package
    assert cuda_only(vias) == ["cuda-toolkit", "nvidia-cublas"]


def test_the_record_of_a_tested_bundle_goes_stale_when_a_packaging_input_changes(build_script, tmp_path):
    for name in build_script.INPUTS:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes((build_script.ROOT / name).read_bytes())
    tested = build_script.inputs_digest(tmp_path)
    assert tested == build_script.inputs_digest()  # the same files: the same digest
    lock = tmp_path / "packaging" / "requirements.lock"
    lock.write_text(lock.read_text().replace("kernels==0.19.1", "kernels==0.19.2"))
    assert build_script.inputs_digest(tmp_path) != tested
