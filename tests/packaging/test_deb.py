"""The .deb that packaging/build.py makes around the bundle, built here around a stand-in
bundle (the real one takes minutes: test_bundle.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from desktop.assets import APP_ID


@pytest.fixture(scope="module")
def package(tmp_path_factory, deb_script) -> Path:
    build = tmp_path_factory.mktemp("build")
    app = build / "dist" / "framefind"
    (app / "_internal").mkdir(parents=True)
    (app / "_internal" / "base_library.zip").write_bytes(b"stand-in")
    command = app / "framefind"
    command.write_text("#!/bin/sh\necho framefind\n")
    command.chmod(0o755)
    return deb_script.build_deb(app, build, "0.1.0", Path(__file__).resolve().parents[2])


def dpkg_deb(*args: str) -> str:
    return subprocess.run(["dpkg-deb", *args], check=True, capture_output=True, text=True).stdout


def test_the_package_installs_the_app_under_opt_and_a_framefind_command(package):
    listing = dpkg_deb("--contents", str(package))
    assert "./usr/bin/framefind -> /opt/framefind/framefind" in listing
    assert "-rwxr-xr-x root/root" in next(
        line for line in listing.splitlines() if line.endswith("/framefind/framefind")
    )
    assert "./opt/framefind/_internal/base_library.zip" in listing


def test_the_package_puts_the_app_in_the_menu_with_its_icon_and_metainfo(package):
    listing = dpkg_deb("--contents", str(package))
    for path in (
        f"./usr/share/applications/{APP_ID}.desktop",
        f"./usr/share/metainfo/{APP_ID}.metainfo.xml",
        f"./usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg",
    ):
        assert path in listing, path


def test_the_package_depends_on_the_system_libraries_qt_loads(package, deb_script):
    fields = dpkg_deb("--field", str(package), "Package", "Version", "Depends", "Installed-Size")
    assert "Package: framefind\nVersion: 0.1.0\n" in fields
    depends = next(line for line in fields.splitlines() if line.startswith("Depends:"))
    assert "libxcb-cursor0" in depends and "libpulse0" in depends  # Qt's xcb plugin and sound
    assert depends.removeprefix("Depends: ").split(", ") == deb_script.runtime_packages(
        Path(__file__).parents[2]
    )
