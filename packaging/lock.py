"""Write packaging/requirements.lock: the exact version and hash of every wheel the bundle is
built from, so that a build does not depend on what the package index serves that day.

    python3 -m pip install uv && python3 packaging/lock.py --torch 2.13.0

Run it on purpose, when the dependencies should move, and commit the lock with what it
changes (CI's bundle test then builds from it). It resolves Framefind's dependencies and
PyInstaller's with uv for the bundle's platform (Linux x86_64, CPython 3.11), against the
torch version given (default: the one the lock names now). torch itself is left out, and so
are the CUDA libraries only PyPI's torch needs: the build installs a CPU torch of that
version first, from PyTorch's CPU index (build.py).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "packaging" / "requirements.lock"
PLATFORM, PYTHON = "x86_64-manylinux_2_36", "3.11"  # Debian 12's glibc, the oldest the bundle runs on
BUILD_TOOLS = ("pyinstaller>=6.10", "pyinstaller-hooks-contrib>=2024.8")
CUDA_ONLY = ("nvidia-", "cuda-", "triton")  # what PyPI's torch pulls in for its CUDA build
TORCH_LINE = re.compile(r"^# torch==(\S+)", re.MULTILINE)
VIA = re.compile(r"^\s+#\s+(?:via\s+)?([A-Za-z0-9_.\-]+)")  # "# via torch", or one name a line


def locked_torch(lock: Path = LOCK) -> str | None:
    """The torch version a lock was resolved against (its header says it)."""
    found = TORCH_LINE.search(lock.read_text()) if lock.exists() else None
    return found.group(1) if found else None


def requirements(text: str) -> dict[str, list[str]]:
    """name → the packages it is there for ("# via" lines), from uv's annotated output."""
    vias: dict[str, list[str]] = {}
    name = None
    for line in text.splitlines():
        pinned = re.match(r"^([A-Za-z0-9_.\-]+)==", line)
        if pinned:
            name = pinned.group(1).lower()
            vias[name] = []
        elif name and (via := VIA.match(line)) and via.group(1) != "via":
            vias[name].append(via.group(1).lower())
    return vias


def cuda_only(vias: dict[str, list[str]]) -> list[str]:
    """CUDA packages there only for torch (or for other such packages)."""
    left_out = {"torch"}
    changed = True
    while changed:
        changed = False
        for name, why in vias.items():
            if name not in left_out and name.startswith(CUDA_ONLY) and set(why) <= left_out:
                left_out.add(name)
                changed = True
    return sorted(left_out - {"torch"})


def compile_lock(torch: str, output: Path, extra: list[str]) -> str:
    with tempfile.TemporaryDirectory() as work:
        wanted = Path(work) / "bundle.in"
        wanted.write_text("\n".join([*BUILD_TOOLS, f"torch=={torch}"]) + "\n")
        command = [
            sys.executable, "-m", "uv", "pip", "compile", str(ROOT / "pyproject.toml"), str(wanted),
            "--python-version", PYTHON, "--python-platform", PLATFORM, "--generate-hashes",
            "--no-header", "--quiet", "-o", str(output), *extra,
        ]  # fmt: skip
        subprocess.run(command, check=True)
    return output.read_text()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--torch", default=locked_torch(), help="torch version (default: the lock's)")
    args = parser.parse_args(argv)
    if not args.torch:
        parser.error("name the torch version to resolve against: --torch 2.13.0")
    with tempfile.TemporaryDirectory() as work:
        first = compile_lock(args.torch, Path(work) / "all.txt", [])
        skipped = ["torch", *cuda_only(requirements(first))]
        body = compile_lock(args.torch, Path(work) / "lock.txt", [f"--no-emit-package={n}" for n in skipped])
    header = (
        "# The bundle's wheels, exact and hashed: written by packaging/lock.py, read by build.py.\n"
        f"# torch=={args.torch} (a CPU build, installed first from PyTorch's CPU index)\n"
        f"# for CPython {PYTHON} on {PLATFORM}; left out: {', '.join(skipped)}\n"
    )
    body = re.sub(r"-r \S+bundle\.in", "packaging/lock.py", body.replace(str(ROOT) + "/", ""))
    LOCK.write_text(header + body)
    print(f"wrote {LOCK} ({body.count('==')} packages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
