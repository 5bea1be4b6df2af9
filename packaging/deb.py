"""The Debian package around the one-folder bundle: the app under /opt/framefind, a
`framefind` command in /usr/bin, the menu entry, the icon and the AppStream metainfo."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

APP_ID = "io.github.framefind.Framefind"


def runtime_packages(root: Path) -> list[str]:
    """Debian packages of the system libraries Qt's platform plugins load (not bundled:
    they belong to the desktop the app runs on); shared with packaging/system-deps.sh."""
    lines = (root / "packaging" / "debian-runtime.txt").read_text().splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def folder_kib(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if not p.is_dir()) // 1024 + 1


def control(version: str, arch: str, installed_kib: int, depends: list[str]) -> str:
    return (
        "Package: framefind\n"
        f"Version: {version}\n"
        f"Architecture: {arch}\n"
        "Maintainer: Framefind developers <framefind@users.noreply.github.com>\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(depends)}\n"
        "Section: graphics\n"
        "Priority: optional\n"
        "Homepage: https://github.com/framefind/framefind\n"
        "Description: search your own photos, videos and audio by describing them\n"
        " Framefind finds photos and the exact moments in videos and recordings that match\n"
        " a description or an example photo or sound, on your own computer: it embeds them\n"
        " with open multimodal models into a local index. This build runs on the CPU.\n"
    )


def stage(app: Path, root: Path, staging: Path) -> None:
    shutil.copytree(app, staging / "opt" / "framefind", symlinks=True)
    (staging / "usr" / "bin").mkdir(parents=True)
    os.symlink("/opt/framefind/framefind", staging / "usr" / "bin" / "framefind")
    share = staging / "usr" / "share"
    for source, target in (
        (root / "assets" / f"{APP_ID}.desktop", share / "applications"),
        (root / "assets" / f"{APP_ID}.metainfo.xml", share / "metainfo"),
        (root / "assets" / "icons" / f"{APP_ID}.svg", share / "icons" / "hicolor" / "scalable" / "apps"),
    ):
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / source.name)


def build_deb(app: Path, build: Path, version: str, root: Path) -> Path:
    """Stage the package tree and build it with dpkg-deb; returns the .deb's path."""
    arch = subprocess.run(["dpkg", "--print-architecture"], check=True, capture_output=True, text=True)
    staging = build / "deb"
    shutil.rmtree(staging, ignore_errors=True)
    stage(app, root, staging)
    debian = staging / "DEBIAN"
    debian.mkdir()
    text = control(version, arch.stdout.strip(), folder_kib(staging), runtime_packages(root))
    (debian / "control").write_text(text)
    package = build / f"framefind_{version}_{arch.stdout.strip()}.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(staging), str(package)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(staging)  # a second copy of the bundle
    return package
