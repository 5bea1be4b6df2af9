"""The PyInstaller bundle, built by packaging/build.py and used from its unpacked archive
alone: no venv on PATH, a fresh HOME, only the committed tiny models.

Minutes long (the build), so not in the default run:

    FRAMEFIND_BUNDLE_TORCH='torch==2.13.0+cpu' .venv/bin/python -m pytest -m bundle -o faulthandler_timeout=0

FRAMEFIND_BUNDLE_TORCH is the pip requirement for the bundle's CPU torch (default: the CPU
build of the version packaging/requirements.lock names, from PyTorch's CPU index); machines
that cannot reach that index name a local CPU wheel.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

import pytest

from tests.cli.test_gui_command import wait_for_line
from tests.support.eval_folder import write_eval_folder
from tests.support.media import write_photo
from tests.support.models import SHAPES_CLIP, SOUNDS_CLAP
from tests.support.synthetic import SOUNDS

pytestmark = pytest.mark.bundle

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


@pytest.fixture(scope="module")
def command(tmp_path_factory, build_script) -> Path:
    """The unpacked archive's `framefind`, built now (the build venv in build/ is reused)."""
    torch = os.environ.get("FRAMEFIND_BUNDLE_TORCH")
    chosen = ["--torch", torch] if torch else []
    subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), *chosen], check=True)
    name = build_script.bundle_name(VERSION)
    unpacked = tmp_path_factory.mktemp("unpacked")
    with tarfile.open(ROOT / "build" / f"{name}.tar.gz") as archive:
        archive.extractall(unpacked, filter="tar")
    return unpacked / name / "framefind"


@pytest.fixture
def clean_env(tmp_path) -> dict[str, str]:
    """What a desktop gives a program: no Python, no venv, nothing of the build machine's."""
    return {
        "HOME": str(tmp_path / "home"),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HF_HUB_OFFLINE": "1",
        "FRAMEFIND_DATA_DIR": str(tmp_path / "data"),
        "FRAMEFIND_IMAGE_MODEL": str(SHAPES_CLIP),
        "FRAMEFIND_AUDIO_MODEL": str(SOUNDS_CLAP),
    }


def framefind(command: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(command), *args], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_bundle_carries_no_cuda_and_finds_its_own_libraries(command):
    internal = command.parent / "_internal"
    assert not list(internal.rglob("libcudart*")) and not list(internal.rglob("libcublas*"))
    assert not list(internal.glob("libstdc++*"))  # the user's own, which their graphics driver needs
    assert (internal / "assets" / "icons").is_dir()
    assert list((internal / "PySide6" / "Qt" / "plugins" / "platforms").glob("libqxcb*"))
    assert list((internal / "PySide6" / "Qt" / "plugins" / "multimedia").glob("*ffmpeg*"))


def test_the_bundle_indexes_and_finds_a_photo_by_text_and_a_sound(command, clean_env, tmp_path):
    assert "index" in framefind(command, clean_env, "--help")
    folder = write_eval_folder(tmp_path / "media", photos=12, video_scenes=4)
    report = framefind(command, clean_env, "index", str(folder.root))
    assert "Indexed 15 new files" in report and "failed" not in report, report  # photos, videos, audio

    photo, scene = next(iter(folder.photos.items()))
    found = json.loads(framefind(command, clean_env, "search", scene.caption, "--json"))
    assert found["results"][0]["path"] == str(photo)
    sound = folder.sounds[0]
    heard = json.loads(framefind(command, clean_env, "search", SOUNDS[sound][0], "--kind", "audio", "--json"))
    assert heard["results"][0]["path"] == str(folder.recording)


def test_the_bundle_opens_the_window_indexes_and_closes(command, clean_env, tmp_path):
    photos = tmp_path / "photos"
    write_photo(photos / "a.jpg", 1)
    framefind(command, clean_env, "folders", "add", str(photos))
    env = {**clean_env, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen([str(command), "gui"], env=env, stderr=subprocess.PIPE, text=True)
    log = Path(env["FRAMEFIND_DATA_DIR"]) / "logs" / "framefind.log"
    try:
        wait_for_line(log, "window shown", process, 120)
        wait_for_line(log, "models ready", process, 120)
        wait_for_line(log, "Indexed 1 new file", process, 120)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()  # a window left open by a failure would outlive the test run
    errors = process.stderr.read() if process.stderr else ""
    assert "No QtMultimedia backends" not in errors and "Traceback" not in errors, errors
    assert "window closed" in log.read_text() and "Traceback" not in log.read_text()


def test_zz_a_passing_bundle_is_recorded_for_ci(command, build_script, request):
    """Last in this module: CI builds and tests the bundle again only once its inputs change."""
    assert request.session.testsfailed == 0, "the bundle failed: nothing recorded"
    build_script.TESTED.write_text(f"{build_script.inputs_digest()} {VERSION}\n")
    assert build_script.bundle_tested()
