"""The search socket survives what any local client may send it: garbage, huge or slow
requests, and a runtime folder another user took first."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import platformdirs
import pytest

from indexer import Query, build_engine, ipc
from indexer.ipc import SearchServer, ask, socket_path


@pytest.fixture
def runtime(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "run"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    return folder


@pytest.fixture
def server(settings, runtime):
    with build_engine(settings) as engine:
        served = SearchServer(engine)
        assert served.start()
        yield served
        served.close()


def _send(path: Path, data: bytes, wait_s: float = 10.0) -> bytes:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(str(path))
        conn.settimeout(wait_s)
        try:
            conn.sendall(data)
            return conn.recv(1 << 16)
        except OSError:
            return b""


@pytest.mark.parametrize("request_", [b"[]\n", b'"a dog"\n', b"null\n", b'{"query": 3}\n', b"{\n"])
def test_a_malformed_request_is_refused_and_the_next_search_is_answered(server, settings, request_):
    path = socket_path(settings.data_dir)
    reply = _send(path, request_)
    assert reply in (b"", b'{"ok": false}\n')
    assert ask(settings, Query(text="a red circle")) is not None
    assert server.answered == 1


def test_an_oversized_request_is_cut_off_at_the_limit(server, settings):
    path = socket_path(settings.data_dir)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(str(path))
        conn.settimeout(10)
        sent = 0
        with pytest.raises(OSError):  # the server hangs up once the limit is passed
            while sent < 64 * ipc.MAX_REQUEST:
                sent += conn.send(b"x" * 65536)
    assert sent < 8 * ipc.MAX_REQUEST
    assert ask(settings, Query(text="a red circle")) is not None


def test_a_slow_client_does_not_hold_another(server, settings):
    path = socket_path(settings.data_dir)
    stop = threading.Event()

    def trickle() -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(str(path))
            while not stop.wait(1.0):
                try:
                    conn.sendall(b" ")
                except OSError:
                    return

    slow = threading.Thread(target=trickle)
    slow.start()
    try:
        time.sleep(0.3)
        started = time.monotonic()
        assert ask(settings, Query(text="a red circle")) is not None
        waited = time.monotonic() - started
    finally:
        stop.set()
        slow.join()
    # Served on its own thread: the slow one would hold a one-at-a-time server for its whole
    # deadline (REQUEST_DEADLINE_S) at least. Generous for a loaded two-core machine.
    assert waited < ipc.REQUEST_DEADLINE_S - 1


def test_a_runtime_folder_taken_by_another_user_falls_back_to_a_private_one(settings, monkeypatch, tmp_path):
    def refused(*args, **kwargs):
        raise PermissionError("runtime directory /tmp/runtime-0 is owned by uid 65534, not 0")

    monkeypatch.setattr(platformdirs, "user_runtime_dir", refused)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(ipc.tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    path = socket_path(settings.data_dir)
    assert path is not None and path.parent == tmp_path / f"framefind-{ipc.os.getuid()}"
    with build_engine(settings) as engine:
        served = SearchServer(engine)
        assert served.start()
        try:
            assert ask(settings, Query(text="a red circle")) is not None
        finally:
            served.close()


def test_a_client_that_wants_another_reranker_searches_by_itself(server, settings):
    """FRAMEFIND_RERANKER=none in the terminal must not get the app's reranked list."""
    from dataclasses import replace

    assert ask(replace(settings, reranker="none"), Query(text="a red circle")) is None
    assert ask(settings, Query(text="a red circle")) is not None
