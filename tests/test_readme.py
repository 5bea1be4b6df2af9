"""The README's set-up commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_the_readme_gives_exactly_two_set_up_commands():
    commands = _readme_commands()
    assert len(commands) == 2
    assert all("\n" not in c and "python3 -m venv .venv" in c for c in commands)
    # The app's system libraries (Qt's platform plugins, PulseAudio) come first in both; the
    # tests' tools (Xvfb, the desktop-entry, AppStream and Flatpak validators) with the second.
    setup, test = commands
    assert setup.startswith("sh packaging/system-deps.sh && ")
    assert test.startswith("sh packaging/system-deps.sh test && ")


def test_the_first_command_opens_the_app():
    setup, _ = _readme_commands()
    assert setup.endswith(".venv/bin/framefind")


def test_ci_runs_the_readme_test_command_verbatim():
    _, test_command = _readme_commands()
    assert "pytest" in test_command
    assert test_command in (ROOT / ".ci" / "run").read_text().splitlines()
