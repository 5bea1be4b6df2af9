"""A running Framefind (the window, or `framefind watch`) answers `framefind search` from a
terminal over a local socket, so the command does not load torch and the models again.

The socket is a Unix domain socket named after the data folder, in the user's runtime
folder (created 0700; the socket itself 0600): only this user can connect, and there is
no network port. One request per connection, one JSON line each way: the query and the
models the client would use; back `{"ok": true, "response": …}` (the `--json` form, see
answer.py), `{"ok": false, "error": …}` for a search that failed (a bad example file), or
`{"ok": false}` when the server uses other models. A client that finds no socket, a stale
one (nobody listening: a crashed app), or other models, searches by itself. On Windows,
where not every Python has Unix sockets, the command always searches by itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import socket
import struct
import tempfile
import threading
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from indexer.errors import FramefindError
from indexer.search.answer import query_data, query_from_data, response_data
from indexer.search.query import Query

if TYPE_CHECKING:
    from indexer.engine import Engine
    from indexer.ingest.control import Control
    from indexer.settings import Settings

log = logging.getLogger(__name__)

SUPPORTED = hasattr(socket, "AF_UNIX") and os.name == "posix"
CONNECT_TIMEOUT_S = 0.5
ANSWER_TIMEOUT_S = 300.0  # the server may still be loading its models
MAX_REQUEST = 1 << 20  # a query with its example paths: far below this
MAX_REPLY = 64 * MAX_REQUEST  # a response with thousands of results
REQUEST_DEADLINE_S = 5.0  # a client must have sent its whole request by then
MAX_CONNECTIONS = 8  # served at once; more wait in the listen backlog


def socket_path(data_dir: Path) -> Path | None:
    """Where the server of this data folder listens; None where there can be none."""
    if not SUPPORTED:
        return None
    name = hashlib.sha1(str(data_dir.expanduser().resolve()).encode()).hexdigest()[:16] + ".sock"
    for folder in (_runtime_dir(), _private_temp()):
        if folder is None:
            continue
        with contextlib.suppress(OSError):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = folder.stat()
            if info.st_uid == os.getuid() and not info.st_mode & 0o077:
                return folder / name
        log.debug("not using %s for the search socket: not this user's private folder", folder)
    return None


def _runtime_dir() -> Path | None:
    """The user's runtime folder, or None when platformdirs refuses it (another user owns the
    fallback it would pick, e.g. $TMPDIR/runtime-UID without XDG_RUNTIME_DIR)."""
    with warnings.catch_warnings():  # without XDG_RUNTIME_DIR it warns, then falls back as we would
        warnings.simplefilter("ignore")
        try:
            return Path(platformdirs.user_runtime_dir("framefind"))
        except OSError as exc:
            log.warning("the runtime folder cannot be used (%s); using a private temporary folder", exc)
            return None


def _peer_is_me(conn: socket.socket) -> bool:
    """Whether the other end runs as this user (Linux's SO_PEERCRED; elsewhere the folder's
    and socket's modes are the guard)."""
    if not hasattr(socket, "SO_PEERCRED"):
        return True
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", creds)
    return uid == os.getuid()


def _private_temp() -> Path:
    return Path(tempfile.gettempdir()) / f"framefind-{os.getuid()}"


def _models(settings: Settings) -> dict[str, Any]:
    """What must be the same on both sides for the server's answer to be the client's: the
    spaces' models and the reranker (FRAMEFIND_RERANKER=none must not get a reranked list)."""
    return {"spaces": sorted(spec.identity for spec in settings.spaces), "reranker": settings.reranker}


# the client --------------------------------------------------------------------------------


def ask(settings: Settings, query: Query) -> dict[str, Any] | None:
    """The response of a running Framefind of this data folder with these models, or None
    (search by yourself). FramefindError when it searched and the search failed."""
    path = socket_path(settings.data_dir)
    if path is None or not path.exists():
        return None
    request = {"query": query_data(query), **_models(settings)}
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(CONNECT_TIMEOUT_S)
            conn.connect(str(path))
            if not _peer_is_me(conn):
                log.warning("%s is served by another user: searching here", path)
                return None
            conn.settimeout(ANSWER_TIMEOUT_S)
            conn.sendall(json.dumps(request).encode() + b"\n")
            reply = json.loads(_read_line(conn, MAX_REPLY, ANSWER_TIMEOUT_S))
    except (OSError, ValueError) as exc:  # stale socket, server gone mid-way, garbled reply
        log.debug("no answer from %s (%s): searching here", path, exc)
        return None
    if not isinstance(reply, dict):
        return None
    if reply.get("ok"):
        return reply["response"]
    if reply.get("error"):
        raise FramefindError(reply["error"])
    return None


def _read_line(conn: socket.socket, limit: int, deadline_s: float) -> bytes:
    """One newline-terminated line, at most `limit` bytes, whole within `deadline_s`."""
    data = bytearray()
    deadline = time.monotonic() + deadline_s
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0:
            raise ValueError(f"no whole line within {deadline_s:g} s")
        conn.settimeout(left)
        chunk = conn.recv(65536)
        if not chunk:
            raise ValueError("the connection closed before a whole line")
        data += chunk
        if len(data) > limit:
            raise ValueError(f"longer than {limit} bytes")
    return bytes(data)


# the server --------------------------------------------------------------------------------


class SearchServer:
    """Answers searches on the engine's data folder, one connection at a time, on its own
    thread; `control` (the indexer's) holds indexing back while a search runs."""

    def __init__(self, engine: Engine, control: Control | None = None) -> None:
        self._engine = engine
        self._control = control
        self._path = socket_path(engine.settings.data_dir)
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._closed = threading.Event()
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._clients: list[threading.Thread] = []  # only the accepting thread changes the list
        self.answered = 0  # searches answered, for the curious (and the tests)

    def start(self) -> bool:
        """Listen; False where sockets are unsupported or another live server holds the path."""
        if self._path is None or self._alive(self._path):
            return False
        self._path.unlink(missing_ok=True)  # a stale socket of a process that is gone
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            server.bind(str(self._path))
            os.chmod(self._path, 0o600)  # this user only; no umask: it is the whole process's
        except OSError as exc:
            log.warning("not answering terminal searches: cannot listen on %s (%s)", self._path, exc)
            server.close()
            return False
        server.listen(MAX_CONNECTIONS)
        server.settimeout(0.2)  # how often the loop looks whether it should close
        self._socket = server
        self._thread = threading.Thread(target=self._serve, name="framefind-socket", daemon=True)
        self._thread.start()
        log.info("answering terminal searches on %s", self._path)
        return True

    def close(self) -> None:
        self._closed.set()
        if self._thread is not None:
            self._thread.join()
        for client in self._clients:  # a search in flight finishes; a slow client hits its deadline
            client.join()
        if self._socket is not None:
            self._socket.close()
            if self._path is not None:
                self._path.unlink(missing_ok=True)

    @staticmethod
    def _alive(path: Path) -> bool:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(CONNECT_TIMEOUT_S)
            try:
                probe.connect(str(path))
            except OSError:
                return False
        return True

    def _serve(self) -> None:
        """Accept connections and answer each on its own thread, so that a slow client never
        holds another (at most MAX_CONNECTIONS at once)."""
        assert self._socket is not None
        while not self._closed.is_set():
            try:
                conn, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if not self._slots.acquire(timeout=REQUEST_DEADLINE_S):
                conn.close()  # every slot is held by a client that takes its time
                continue
            client = threading.Thread(
                target=self._serve_one, args=(conn,), name="framefind-socket-client", daemon=True
            )
            self._clients = [t for t in self._clients if t.is_alive()] + [client]
            client.start()

    def _serve_one(self, conn: socket.socket) -> None:
        try:
            with conn:
                self._handle(conn)
        except Exception:  # nothing a client sends may end the server
            log.exception("a terminal search request failed")
        finally:
            self._slots.release()

    def _handle(self, conn: socket.socket) -> None:
        if not _peer_is_me(conn):
            log.warning("refused a terminal search from another user")
            return
        try:
            request = json.loads(_read_line(conn, MAX_REQUEST, REQUEST_DEADLINE_S))
        except (OSError, ValueError) as exc:
            log.debug("a terminal search request could not be read: %s", exc)
            return
        reply = self._answer(request)
        with contextlib.suppress(OSError):  # the client went away
            conn.settimeout(REQUEST_DEADLINE_S)
            conn.sendall(json.dumps(reply).encode() + b"\n")

    def _answer(self, request: Any) -> dict[str, Any]:
        if not isinstance(request, dict) or not isinstance(request.get("query"), dict):
            return {"ok": False}  # not a search this version reads: the client searches by itself
        if {key: request.get(key) for key in ("spaces", "reranker")} != _models(self._engine.settings):
            return {"ok": False}  # other models: the client searches by itself
        try:
            query = query_from_data(request["query"])
            guard = self._control.search() if self._control is not None else contextlib.nullcontext()
            with guard:
                response = response_data(self._engine.search(query))
            self.answered += 1
            return {"ok": True, "response": response}
        except FramefindError as exc:
            return {"ok": False, "error": str(exc)}
        except Exception as exc:  # a bug must not stop the app from answering the next one
            log.exception("a terminal search failed")
            return {"ok": False, "error": f"The search failed unexpectedly: {exc!r}"}
