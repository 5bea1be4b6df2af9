"""The real `framefind` command, run in a subprocess as a user would run it."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.eval_folder import write_eval_folder
from tests.support.hostile import write_hostile_folder
from tests.support.media import write_photo
from tests.support.models import SHAPES_CLIP, SOUNDS_CLAP
from tests.support.synthetic import SOUNDS

pytestmark = pytest.mark.slow


@pytest.fixture
def cli(cli_env):
    def run(*args: str, ok: bool = True, **extra_env: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "indexer.cli", *args],
            env={**cli_env, **extra_env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert (done.returncode == 0) == ok, done.stdout + done.stderr
        return done

    return run


def test_index_search_status_remove(cli, cli_env, corpus, tmp_path):
    hostile = write_hostile_folder(corpus.root / "broken")
    first = cli("index", str(corpus.root))
    assert f"Indexed {len(corpus.files)} new" in first.stdout
    assert f"{len(hostile)} failed" in first.stdout and "framefind status --errors" in first.stdout

    second = cli("index", str(corpus.root))
    assert "Nothing to do" in second.stdout and "up to date" in second.stdout

    photo = corpus.root / "photos" / "c.webp"
    hits = json.loads(cli("search", "--like", str(photo), "--json").stdout)["results"]
    assert hits[0]["path"] == str(photo) and hits[0]["kind"] == "photo" and hits[0]["space"] == "image"
    assert {"path", "kind", "modality", "score", "cosine", "space", "segment_id"} <= set(hits[0])

    table = cli("search", "a sunny beach", "--kind", "video", "--limit", "3", "--all").stdout
    rows = [line for line in table.strip().splitlines()[1:] if line.split()[0].isdigit()]
    assert 0 < len(rows) <= 3 and all(" video " in r for r in rows)

    # A reader that leaves early (`| head -1`) is no error: no traceback, exit 0. The reading
    # end is closed before the command writes, so the write always meets a broken pipe.
    piped = subprocess.Popen(
        [sys.executable, "-m", "indexer.cli", "search", "--like", str(photo), "--json"],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    piped.stdout.close()
    errors = piped.stderr.read()
    assert piped.wait(timeout=300) == 0 and "Traceback" not in errors, errors

    status = cli("status", "--errors").stdout
    assert "Indexed: 6 photo, 2 video, 1 audio" in status
    for path in hostile:
        assert f"{path}: " in status

    removed = cli("remove", str(corpus.root / "photos")).stdout
    assert "Removed 6 file(s)" in removed
    assert "Indexed: 0 photo, 2 video, 1 audio" in cli("status").stdout


def test_errors_are_messages_not_tracebacks(cli, tmp_path):
    missing = cli("index", str(tmp_path / "nowhere"), ok=False)
    assert missing.returncode == 2 and "No such file or folder" in missing.stderr
    assert "Traceback" not in missing.stderr

    photo = write_photo(tmp_path / "p" / "x.jpg", 1)
    offline = cli("index", str(photo.parent), ok=False, FRAMEFIND_IMAGE_MODEL="openai/clip-vit-base-patch32")
    assert "Could not load the image model 'openai/clip-vit-base-patch32'" in offline.stderr
    assert "HF_HUB_OFFLINE" in offline.stderr and "Traceback" not in offline.stderr

    missing_example = cli("search", "text", "--like", str(tmp_path / "gone.jpg"), ok=False)
    assert f"No such file or folder: {tmp_path / 'gone.jpg'}" in missing_example.stderr
    assert "Traceback" not in missing_example.stderr


def test_search_before_indexing_says_what_to_do(cli):
    assert "nothing is indexed yet" in cli("search", "a dog").stdout


def test_folders_are_remembered_and_indexed_by_default(cli, corpus, tmp_path):
    assert "No folders yet" in cli("folders", "list").stdout
    assert "No folder to index" in cli("index", ok=False).stderr
    added = cli("folders", "add", str(corpus.root / "photos"), str(corpus.root / "audio")).stdout
    assert str(corpus.root / "photos") in added and str(corpus.root / "audio") in added
    assert "Not a folder" in cli("folders", "add", str(tmp_path / "nope"), ok=False).stderr
    assert "Indexed 7 new" in cli("index").stdout
    assert "remove PATH" in cli("folders", "remove", str(corpus.root / "audio")).stdout
    assert cli("folders", "list").stdout.split() == [str(corpus.root / "photos")]
    log = (tmp_path / "data" / "logs" / "framefind.log").read_text()
    assert "Indexed 7 new" in log


def test_watch_runs_beside_search_and_refuses_a_second_indexer(cli, cli_env, corpus):
    watcher = subprocess.Popen(
        [sys.executable, "-m", "indexer.cli", "watch", str(corpus.root / "photos")],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while "Watcher: running" not in cli("status").stdout or "6 photo" not in cli("status").stdout:
            assert time.monotonic() < deadline and watcher.poll() is None, watcher.stderr.read()
            time.sleep(0.5)
        assert "filesystem events" in cli("status").stdout
        photo = corpus.root / "photos" / "a.jpg"
        assert json.loads(cli("search", "--like", str(photo), "--json").stdout)["results"][0]["path"] == str(
            photo
        )
        refused = cli("index", str(corpus.root), ok=False)
        assert f"(pid {watcher.pid}) is already writing" in refused.stderr
    finally:
        watcher.send_signal(signal.SIGTERM)
        out, err = watcher.communicate(timeout=60)
    assert watcher.returncode == 0 and "Stopped" in out, err
    assert "Watcher: not running" in cli("status").stdout


def test_library_warnings_about_files_stay_off_the_console(cli, tmp_path):
    from tests.support.oddities import (
        write_bad_exif_jpeg,
        write_too_many_samples_tiff,
        write_unsupported_tiff,
    )

    folder = tmp_path / "camera"
    write_bad_exif_jpeg(folder / "a.jpg", 3, "cut-short")
    write_bad_exif_jpeg(folder / "b.jpg", 4, "mangled-header")
    write_bad_exif_jpeg(folder / "c.jpg", 5, "entries-cut")
    write_unsupported_tiff(folder / "d.tif")  # libtiff itself used to print about it
    write_too_many_samples_tiff(folder / "e.tif")  # Pillow logged an error with no file name
    done = cli("index", str(folder))
    assert "Indexed 3 new" in done.stdout and "2 failed" in done.stdout
    assert "More samples" not in done.stderr and "e.tif" in done.stderr, done.stderr
    assert "not configured" not in done.stderr and "EXIF" not in done.stderr, done.stderr
    assert "Warning" not in done.stderr and "unsupported TIFF compression" in done.stderr  # our one line


def test_search_says_no_good_match_and_marks_moments_found_by_sound(cli, tmp_path):
    folder = write_eval_folder(tmp_path / "labelled")
    trained = {"FRAMEFIND_IMAGE_MODEL": str(SHAPES_CLIP), "FRAMEFIND_AUDIO_MODEL": str(SOUNDS_CLAP)}
    cli("index", str(folder.root), **trained)
    nothing = cli("search", "qwertyuiop", **trained).stdout.splitlines()
    assert nothing[0] == "No good match — showing the closest."
    assert 0 < len([line for line in nothing[2:] if line.split()[0].isdigit()]) <= 3

    _, kind = folder.sound_video_parts[0]
    heard = cli("search", SOUNDS[kind][0], "--kind", "video", **trained).stdout
    first = next(line for line in heard.splitlines() if line.strip().startswith("1 "))
    assert "♪" in first and str(folder.sound_video) in first
    assert "♪ a video moment found by its soundtrack" in heard

    caption = folder.video_scenes[3].caption
    found = json.loads(cli("search", caption, "--json", "--per-file", "2", **trained).stdout)
    assert found["good_match"] is True
    video = next(r for r in found["results"] if r["path"] == str(folder.video))
    assert len(video["moments"]) == 1 and video["moments"][0]["path"] == str(folder.video)
    assert video["by_sound"] is False and video["moments"][0]["score"] <= video["score"]


def test_a_data_folder_is_searched_with_the_models_it_was_built_with(cli_env, corpus, tmp_path):
    env = {k: v for k, v in cli_env.items() if k not in ("FRAMEFIND_IMAGE_MODEL", "FRAMEFIND_AUDIO_MODEL")}
    models = (
        "--image-model",
        cli_env["FRAMEFIND_IMAGE_MODEL"],
        "--audio-model",
        cli_env["FRAMEFIND_AUDIO_MODEL"],
    )

    def run(*args: str, cwd: Path = tmp_path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "indexer.cli", *args], env=env, cwd=cwd, capture_output=True, text=True
        )

    assert run("index", str(corpus.root), *models).returncode == 0
    photo = corpus.root / "photos" / "c.webp"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    found = run("search", "--like", str(photo), "--json", cwd=elsewhere)  # no model named, another folder
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["results"][0]["path"] == str(photo)
    missing = run("search", "x", "--image-model", str(tmp_path / "no-such-model"))
    assert missing.returncode == 2 and "no-such-model" in missing.stderr and "Traceback" not in missing.stderr


def test_bad_arguments_and_files_are_refused_with_the_reason(cli, corpus, tmp_path):
    for flag, value in (("--limit", "-1"), ("--limit", "0"), ("--per-file", "-1"), ("--not-weight", "nan")):
        refused = cli("search", "x", flag, value, ok=False)
        assert refused.returncode == 2 and f"argument {flag}:" in refused.stderr
    notes = tmp_path / "notes.txt"
    notes.write_text("a shopping list")
    refused = cli("index", str(notes), ok=False)
    assert "is not a photo, video or audio file that Framefind indexes" in refused.stderr
    cli("index", str(corpus.root / "photos"))
    like = cli("search", "--like", str(notes), ok=False)
    assert "not a photo, video or audio file" in like.stderr and "None" not in like.stderr
