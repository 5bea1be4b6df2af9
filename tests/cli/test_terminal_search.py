"""`framefind search` asks a running Framefind (the app or `framefind watch`) over a local
socket, and searches by itself when there is none, a stale one, or one with other models."""

from __future__ import annotations

import json
import socket
import stat
import subprocess
import sys

import pytest

from indexer import build_engine
from indexer.ipc import SearchServer, socket_path

pytestmark = pytest.mark.slow


@pytest.fixture
def env(cli_env, tmp_path):
    return {**cli_env, "XDG_RUNTIME_DIR": str(tmp_path / "run")}


@pytest.fixture
def indexed_data(settings, corpus, env, monkeypatch):
    monkeypatch.setenv("XDG_RUNTIME_DIR", env["XDG_RUNTIME_DIR"])
    with build_engine(settings) as engine:
        engine.index([corpus.root])
    return settings


def search(env, data_dir, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "search", *args, "--json", "--data-dir", str(data_dir)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done


def test_a_running_framefind_answers_and_its_answer_is_the_same(indexed_data, env, corpus):
    photo = corpus.root / "photos" / "c.webp"
    alone = json.loads(search(env, indexed_data.data_dir, "--like", str(photo)).stdout)
    with build_engine(indexed_data) as engine:
        server = SearchServer(engine)
        assert server.start()
        path = socket_path(indexed_data.data_dir)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        asked = search(env, indexed_data.data_dir, "--like", str(photo))
        server.close()
    assert server.answered == 1 and "Loading" not in asked.stderr  # no model loaded by the command
    assert json.loads(asked.stdout) == alone
    assert not path.exists()


def test_a_stale_socket_or_other_models_mean_searching_here(indexed_data, env, corpus, tmp_path):
    path = socket_path(indexed_data.data_dir)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(path))  # a socket file nobody listens on: the app crashed
    stale.close()
    photo = corpus.root / "photos" / "c.webp"
    first = json.loads(search(env, indexed_data.data_dir, "--like", str(photo)).stdout)["results"][0]
    assert first["path"] == str(photo)
    with build_engine(indexed_data) as engine:
        server = SearchServer(engine)
        assert server.start()  # the stale file is replaced
        other = {**env, "FRAMEFIND_AUDIO_MODEL": "none"}  # this command would use other models
        search(other, indexed_data.data_dir, "--like", str(photo))
        assert server.answered == 0
        search(env, indexed_data.data_dir, "--like", str(photo), "--here")  # asked not to
        assert server.answered == 0
        second = SearchServer(engine)
        assert not second.start()  # one server per data folder
        server.close()


def test_a_failed_search_is_reported_by_the_server(indexed_data, env, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not media")
    with build_engine(indexed_data) as engine:
        server = SearchServer(engine)
        assert server.start()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "indexer.cli",
                "search",
                "--like",
                str(notes),
                "--data-dir",
                str(indexed_data.data_dir),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        server.close()
    assert done.returncode == 2 and "not a photo, video or audio file" in done.stderr
