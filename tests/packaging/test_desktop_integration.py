"""The desktop entry, the AppStream metainfo and the Flatpak manifest pass the standard
validators and agree with each other and with the app."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

from desktop.assets import APP_ID

ROOT = Path(__file__).resolve().parents[2]
DESKTOP_ENTRY = ROOT / "assets" / f"{APP_ID}.desktop"
METAINFO = ROOT / "assets" / f"{APP_ID}.metainfo.xml"
MANIFEST = ROOT / "packaging" / "flatpak" / f"{APP_ID}.yml"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def tool(name: str, package: str) -> str:
    found = shutil.which(name)
    assert found, (
        f"{name} is missing: install the Debian package {package} (sh packaging/system-deps.sh test)"
    )
    return found


def test_the_desktop_entry_passes_desktop_file_validate_without_a_remark():
    result = subprocess.run(
        [tool("desktop-file-validate", "desktop-file-utils"), str(DESKTOP_ENTRY)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and not result.stdout.strip() and not result.stderr.strip(), result.stdout


def test_the_metainfo_passes_appstreamcli_without_errors_or_warnings():
    result = subprocess.run(
        [tool("appstreamcli", "appstream"), "validate", "--no-net", "--pedantic", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
    # Pedantic remarks (P:) and infos (I:) are allowed: the capitalised id is Flathub's own
    # convention, and <developer> is newer than appstream 0.16 knows.
    assert not re.findall(r"^[EW]: .*", result.stdout, re.M), result.stdout


def test_the_metainfo_describes_this_release_and_shows_the_committed_screenshot():
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP_ENTRY.name
    assert component.findtext("icon") == APP_ID
    newest = component.find("releases/release")
    assert newest is not None and newest.get("version") == VERSION, "add a <release> for the new version"
    for image in component.iter("image"):
        committed = (image.text or "").split("/main/", 1)[1]
        assert (ROOT / committed).is_file(), committed
    assert component.find("description/p") is not None and component.findtext(
        "screenshots/screenshot/caption"
    )


def test_the_desktop_entry_names_the_icon_and_window_the_app_sets():
    entry = DESKTOP_ENTRY.read_text()
    assert f"Icon={APP_ID}\n" in entry and (ROOT / "assets" / "icons" / f"{APP_ID}.svg").is_file()
    assert "Exec=framefind gui\n" in entry


def test_the_flatpak_manifest_lints_clean_and_installs_what_the_app_needs(build_script, tmp_path):
    result = subprocess.run(
        [tool("flatpak-builder", "flatpak-builder"), "--show-manifest", str(MANIFEST)],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # it leaves a .flatpak-builder folder behind
    )
    # flatpak-builder warns about, but does not fail on, a misspelt key.
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    manifest = json.loads(result.stdout)
    assert manifest["id"] == APP_ID and manifest["command"] == "framefind"
    # A window on Wayland or X11, sound, the model download, and the user's media (read only).
    needed = {"--socket=wayland", "--socket=fallback-x11", "--socket=pulseaudio", "--share=network"}
    assert needed <= set(manifest["finish-args"]) and "--filesystem=home:ro" in manifest["finish-args"]
    (module,) = manifest["modules"]
    commands = "\n".join(module["build-commands"])
    assert "/app/bin/framefind" in commands
    for name in (DESKTOP_ENTRY.name, METAINFO.name, f"{APP_ID}.svg"):
        assert name in commands
    archive = f"{build_script.bundle_name(VERSION, 'linux', 'x86_64')}.tar.gz"
    for source in module["sources"]:
        path = (MANIFEST.parent / source["path"]).resolve()
        if path.name == archive:
            assert path.parent == ROOT / "build", (
                "the manifest takes the archive that packaging/build.py makes"
            )
        else:
            assert path.is_file(), source["path"]
    assert any(Path(s["path"]).name == archive for s in module["sources"]), f"no source is {archive}"
