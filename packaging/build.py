"""Build Framefind's self-contained bundle, which runs on a machine with no Python.

    python3 packaging/build.py                     # CPU torch from PyTorch's CPU index
    python3 packaging/build.py --torch 'torch==2.13.0+cpu'   # a CPU wheel pip finds locally

It makes a build venv (build/venv), installs a CPU build of torch there (the version the lock
names), then every other wheel from packaging/requirements.lock, exact and hash-checked
(packaging/lock.py writes it, on purpose), and Framefind itself; runs
packaging/framefind.spec, and packs the one-folder app:

    build/dist/framefind/                      the app: `framefind/framefind` is the command
    build/framefind-VERSION-linux-x86_64.tar.gz
    build/framefind_VERSION_amd64.deb          (Linux, where dpkg-deb exists)

The bundle carries a CPU torch: a CUDA build adds about 3 GB of NVIDIA libraries for what
is one optional speed-up, so a GPU user installs from PyPI instead (README).
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import platform
import subprocess
import sys
import tarfile
import tomllib
import venv
from pathlib import Path

from deb import build_deb
from lock import LOCK, locked_torch

ROOT = Path(__file__).resolve().parent.parent
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
# What a bundle is made from; the bundle test records their digest when it passes, and CI runs
# it again whenever they differ from that (.ci/run).
INPUTS = ("pyproject.toml", "packaging/requirements.lock", "packaging/framefind.spec",
          "packaging/build.py", "packaging/launch.py", "packaging/deb.py")  # fmt: skip
TESTED = ROOT / "packaging" / "bundle-tested"
log = logging.getLogger("build")


def inputs_digest(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        digest.update(name.encode() + b"\0" + (root / name).read_bytes())
    return digest.hexdigest()


def bundle_tested() -> bool:
    """Whether the bundle test passed on exactly these inputs."""
    return TESTED.exists() and TESTED.read_text().split()[0] == inputs_digest()


def venv_python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def bundle_name(version: str, system: str = sys.platform, machine: str = platform.machine()) -> str:
    """framefind-0.1.0-linux-x86_64: the archive's name and its top folder."""
    return f"framefind-{version}-{system.rstrip('0123456789')}-{machine.lower()}"


def pip(python: Path, *args: str) -> None:
    subprocess.run([str(python), "-m", "pip", "install", "-q", *args], check=True)


def default_torch() -> str:
    """The CPU build of the torch version the lock was resolved against."""
    version = locked_torch()
    return f"torch=={version}+cpu" if version else "torch"


def prepare_venv(folder: Path, torch: str, torch_index: str, allow_cuda: bool) -> Path:
    """A venv with a CPU torch, the locked wheels (Framefind's dependencies and PyInstaller,
    each checked against its hash) and Framefind (the spec takes the code itself from this
    checkout). torch goes first, alone, so that the rest finds it satisfied; pip check then
    proves the whole consistent."""
    python = venv_python(folder)
    if not python.exists():
        venv.create(folder, with_pip=True)
    pip(python, "--no-deps", "--extra-index-url", torch_index, torch)
    pip(python, "--no-deps", "--require-hashes", "-r", str(LOCK))
    pip(python, "--no-deps", "--no-build-isolation", str(ROOT))
    subprocess.run([str(python), "-m", "pip", "check"], check=True)
    if not allow_cuda:
        check_cpu_torch(python)
    return python


def check_cpu_torch(python: Path) -> None:
    cuda = subprocess.run(
        [str(python), "-c", "import torch; print(torch.version.cuda or '')"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if cuda:
        raise SystemExit(
            f"build: pip installed a CUDA {cuda} build of torch, which would add gigabytes to the "
            "bundle. Name a CPU build: --torch 'torch==VERSION+cpu' (from "
            f"{CPU_INDEX}), or pass --allow-cuda to bundle it anyway."
        )


def run_pyinstaller(python: Path, build: Path) -> Path:
    subprocess.run(
        [
            str(python),
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(build / "dist"),
            "--workpath",
            str(build / "work"),
            str(ROOT / "packaging" / "framefind.spec"),
        ],
        check=True,
    )
    return build / "dist" / "framefind"


def pack_tar(app: Path, build: Path, name: str) -> Path:
    archive = build / f"{name}.tar.gz"
    with tarfile.open(
        archive, "w:gz", compresslevel=6
    ) as tar:  # gzip's own default: 9 is slower, not smaller
        tar.add(app, arcname=name)
    return archive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--torch", default=default_torch(), help=f"pip requirement for torch (default: {default_torch()})"
    )
    parser.add_argument("--torch-index", default=CPU_INDEX, help=f"where CPU torch comes from ({CPU_INDEX})")
    parser.add_argument(
        "--allow-cuda", action="store_true", help="bundle a CUDA torch if that is what pip gives"
    )
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build", help="default: build/")
    parser.add_argument(
        "--tested", action="store_true", help="build nothing: exit 0 if the bundle test passed on this"
    )
    args = parser.parse_args(argv)
    if args.tested:
        return 0 if bundle_tested() else 1
    logging.basicConfig(level=logging.INFO, format="build: %(message)s")
    build = args.build_dir.resolve()
    python = prepare_venv(build / "venv", args.torch, args.torch_index, args.allow_cuda)
    app = run_pyinstaller(python, build)
    name = bundle_name(version())
    log.info("bundle %s", app)
    log.info("archive %s", pack_tar(app, build, name))
    if sys.platform.startswith("linux"):
        log.info("package %s", build_deb(app, build, version(), ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
