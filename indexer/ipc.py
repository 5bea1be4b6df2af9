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
import tempfile
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from indexer.answer import query_data, query_from_data, response_data
from indexer.errors import FramefindError
from indexer.query import Query

if TYPE_CHECKING:
    from indexer.control import Control
    from indexer.engine import Engine
    from indexer.settings import Settings

log = logging.getLogger(__name__)

SUPPORTED = hasattr(socket, "AF_UNIX") and os.name == "posix"
CONNECT_TIMEOUT_S = 0.5
ANSWER_TIMEOUT_S = 300.0  # the server may still be loading its models
MAX_REQUEST = 1 << 20


def socket_path(data_dir: Path) -> Path | None:
    """Where the server of this data folder listens; None where there can be none."""
    if not SUPPORTED:
        return None
    name = hashlib.sha1(str(data_dir.expanduser().resolve()).encode()).hexdigest()[:16] + ".sock"
    with warnings.catch_warnings():  # without XDG_RUNTIME_DIR it warns, then falls back as we would
        warnings.simplefilter("ignore")
        runtime = Path(platformdirs.user_runtime_dir("framefind"))
    for folder in (runtime, _private_temp()):
        with contextlib.suppress(OSError):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = folder.stat()
            if info.st_uid == os.getuid() and not info.st_mode & 0o077:
                return folder / name
    return None


def _private_temp() -> Path:
    return Path(tempfile.gettempdir()) / f"framefind-{os.getuid()}"


def _identities(spaces: Any) -> list[str]:
    return sorted(space.identity for space in spaces)


# the client --------------------------------------------------------------------------------


def ask(settings: Settings, query: Query) -> dict[str, Any] | None:
    """The response of a running Framefind of this data folder with these models, or None
    (search by yourself). FramefindError when it searched and the search failed."""
    path = socket_path(settings.data_dir)
    if path is None or not path.exists():
        return None
    request = {"query": query_data(query), "spaces": _identities(settings.spaces)}
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(CONNECT_TIMEOUT_S)
            conn.connect(str(path))
            conn.settimeout(ANSWER_TIMEOUT_S)
            conn.sendall(json.dumps(request).encode() + b"\n")
            reply = json.loads(_read_line(conn))
    except (OSError, ValueError) as exc:  # stale socket, server gone mid-way, garbled reply
        log.debug("no answer from %s (%s): searching here", path, exc)
        return None
    if reply.get("ok"):
        return reply["response"]
    if reply.get("error"):
        raise FramefindError(reply["error"])
    return None


def _read_line(conn: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            raise ValueError("the connection closed before a whole line")
        data += chunk
        if len(data) > MAX_REQUEST * 64:
            raise ValueError("the reply is too long")
    return data


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
        self.answered = 0  # searches answered, for the curious (and the tests)

    def start(self) -> bool:
        """Listen; False where sockets are unsupported or another live server holds the path."""
        if self._path is None or self._alive(self._path):
            return False
        self._path.unlink(missing_ok=True)  # a stale socket of a process that is gone
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        mask = os.umask(0o177)  # the socket is created 0600: this user only
        try:
            server.bind(str(self._path))
        except OSError as exc:
            log.warning("not answering terminal searches: cannot listen on %s (%s)", self._path, exc)
            server.close()
            return False
        finally:
            os.umask(mask)
        server.listen(8)
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
        assert self._socket is not None
        while not self._closed.is_set():
            try:
                conn, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                self._handle(conn)

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(5.0)  # a client that sends nothing must not hold the server
        try:
            request = json.loads(_read_line(conn))
            reply = self._answer(request)
        except (OSError, ValueError) as exc:
            log.debug("a terminal search request could not be read: %s", exc)
            return
        with contextlib.suppress(OSError):  # the client went away
            conn.sendall(json.dumps(reply).encode() + b"\n")

    def _answer(self, request: dict[str, Any]) -> dict[str, Any]:
        if request.get("spaces") != _identities(self._engine.spaces):
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
