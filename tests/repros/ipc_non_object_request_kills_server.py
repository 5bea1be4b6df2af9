"""One request line that is valid JSON but not an object (`[]`, `"x"`, `null`) kills the
socket server's thread: SearchServer._answer calls request.get() outside any try
(ipc.py:193) and _handle catches only OSError/ValueError (ipc.py:186). The listening socket
stays open, so every later `framefind search` connects, sends, and waits ANSWER_TIMEOUT_S
(300 s) for a reply that never comes before it falls back to searching by itself."""

import os
import socket
import time

from _common import quiet, settings, tmpdir

quiet()
runtime = tmpdir("runtime")
os.chmod(runtime, 0o700)
os.environ["XDG_RUNTIME_DIR"] = str(runtime)

from indexer import (
    Query,
    build_engine,
    ipc,
)

s = settings(tmpdir("data"))
engine = build_engine(s)
server = ipc.SearchServer(engine)
print("server started:", server.start(), "thread alive:", server._thread.is_alive())

with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:  # the malformed request
    c.connect(str(ipc.socket_path(s.data_dir)))
    c.sendall(b"[]\n")
    c.settimeout(2)
    try:
        print("reply to `[]`:", c.recv(100))
    except OSError as exc:
        print("reply to `[]`: none,", type(exc).__name__)
time.sleep(0.5)
print("server thread alive after `[]`:", server._thread.is_alive())
print("socket file still there:", ipc.socket_path(s.data_dir).exists())

ipc.ANSWER_TIMEOUT_S = 3.0  # the real client waits 300 s here
t0 = time.monotonic()
answer = ipc.ask(s, Query(text="a red circle"))
print(
    f"next `framefind search`: ask() -> {answer!r} after {time.monotonic() - t0:.1f} s "
    f"(with the shipped ANSWER_TIMEOUT_S={300.0:.0f} s it would wait 300 s)"
)
server.close()
engine.close()
