"""`framefind` alone, or `framefind gui`, opens the window; without a display it says so."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer import cli, cli_parser
from tests.support.media import write_photo


def test_without_a_display_the_app_says_so_instead_of_crashing(monkeypatch, capsys):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main([]) == 2
    assert "no display" in capsys.readouterr().err
    assert cli.main(["gui"]) == 2


def test_gui_is_listed_in_the_help(capsys):
    parser = cli_parser.build_parser()
    assert "gui" in parser.format_help()


def wait_for_line(log: Path, text: str, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if log.is_file() and text in log.read_text():
            return
        time.sleep(0.1)
    raise AssertionError(f"no {text!r} in {log} after {seconds} s (exit code {process.poll()})")


@pytest.mark.parametrize("first_run", [True, False], ids=["welcome dialog open", "indexing"])
def test_logging_out_closes_the_window_cleanly(cli_env, tmp_path, first_run):
    """A desktop session ends its apps with SIGTERM: the window closes as by its close button."""
    home = tmp_path / "home"
    env = {
        **cli_env,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    if not first_run:
        folder = tmp_path / "photos"
        write_photo(folder / "a.jpg", 1)
        subprocess.run(
            [sys.executable, "-m", "indexer.cli", "folders", "add", str(folder)], env=env, check=True
        )
    process = subprocess.Popen([sys.executable, "-m", "indexer.cli", "gui"], env=env, stderr=subprocess.PIPE)
    log = Path(cli_env["FRAMEFIND_DATA_DIR"]) / "logs" / "framefind.log"
    try:
        wait_for_line(log, "window shown", process, 60)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, process.stderr.read() if process.stderr else ""
    finally:
        process.kill()  # a window left open by a failure would outlive the test run
    assert "window closed" in log.read_text()


def test_the_window_indexes_into_milvus_and_the_archive_is_searchable_after(cli_env, tmp_path):
    """The app unchanged on a Milvus-backed archive (Milvus Lite here): it indexes there, and
    what it wrote is found from the command line after it closed."""
    home, photos = tmp_path / "home", tmp_path / "photos"
    env = {**cli_env, "HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    env["FRAMEFIND_STORE"] = "milvus:vectors.db"
    write_photo(photos / "a.jpg", 1)
    write_photo(photos / "b.jpg", 2)
    subprocess.run([sys.executable, "-m", "indexer.cli", "folders", "add", str(photos)], env=env, check=True)
    process = subprocess.Popen([sys.executable, "-m", "indexer.cli", "gui"], env=env, stderr=subprocess.PIPE)
    log = Path(cli_env["FRAMEFIND_DATA_DIR"]) / "logs" / "framefind.log"
    try:
        wait_for_line(log, "Indexed 2 new files", process, 120)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
    found = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "search", "--here", "--like", str(photos / "b.jpg"), "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(found.stdout)["results"][0]["path"] == str(photos / "b.jpg")
    assert (Path(cli_env["FRAMEFIND_DATA_DIR"]) / "vectors.db").is_dir()


def test_search_sort_reaches_the_query_and_a_wrong_one_is_refused(capsys):
    parser = cli_parser.build_parser()
    args = parser.parse_args(["search", "beach", "--sort", "date"])
    assert cli._search_query(args).sort == "date"
    assert cli._search_query(parser.parse_args(["search", "beach sort:name"])).sort == "name"
    with pytest.raises(SystemExit):
        parser.parse_args(["search", "beach", "--sort", "size"])
    assert "invalid choice" in capsys.readouterr().err
