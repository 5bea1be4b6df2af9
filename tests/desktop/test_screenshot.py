"""A real window on a virtual X screen (Xvfb): the screenshot script runs end to end."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def test_the_app_runs_in_a_real_window_and_its_screenshot_shows_results(tmp_path):
    xvfb_run = shutil.which("xvfb-run")
    assert xvfb_run, "xvfb-run is missing: run packaging/system-deps.sh (the README's commands do)"
    out = tmp_path / "shot.png"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "HF_HUB_OFFLINE": "1",
        "XDG_RUNTIME_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [
            xvfb_run,
            "-a",
            "-s",
            "-screen 0 1400x900x24",
            sys.executable,
            "-m",
            "tests.support.screenshot",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1360, 820)
    colours = {image.pixel(x, y) for x in range(0, 1360, 17) for y in range(0, 820, 13)}
    assert len(colours) > 50  # a drawn window with pictures, not a blank screen
