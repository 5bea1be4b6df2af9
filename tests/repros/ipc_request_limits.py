"""The socket server's limits: (a) the request limit is MAX_REQUEST * 64 = 64 MiB, not the
1 MiB MAX_REQUEST suggests (ipc.py:106), read with `data += chunk` (quadratic copying);
(b) the 5 s timeout is per recv(), not per request (ipc.py:182), so a client that trickles one
byte every few seconds holds the one-connection-at-a-time server for as long as it likes."""

import os
import socket
import threading
import time

from _common import quiet, settings, tmpdir

quiet()
runtime = tmpdir("runtime")
os.chmod(runtime, 0o700)
os.environ["XDG_RUNTIME_DIR"] = str(runtime)

from indexer import build_engine, ipc

s = settings(tmpdir("data"))
engine = build_engine(s)
server = ipc.SearchServer(engine)
server.start()
path = str(ipc.socket_path(s.data_dir))
print(f"MAX_REQUEST = {ipc.MAX_REQUEST} bytes: a longer request is cut off")

# (a) 48 MiB without a newline: how long the server thread is busy copying it
t0 = time.monotonic()
with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
    c.connect(path)
    try:
        c.sendall(b"x" * (48 << 20) + b"\n")
        c.settimeout(60)
        print("(a) the server answered a 48 MiB line with", c.recv(64))
    except OSError as exc:  # the server hangs up once the request passes MAX_REQUEST
        print(f"(a) a 48 MiB line is cut off: {type(exc).__name__} after {time.monotonic() - t0:.2f} s")


# (b) slow client: one byte every 3 s, for 12 s; meanwhile a real search request waits
def trickle():
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
        c.connect(path)
        started = time.monotonic()
        try:
            for _ in range(4):
                c.sendall(b" ")
                time.sleep(3)
            print("(b) the slow client was served to the end")
        except OSError as exc:  # the server gives a whole request 5 s, then hangs up
            print(
                f"(b) the slow client was cut off after {time.monotonic() - started:.1f} s: {type(exc).__name__}"
            )


t = threading.Thread(target=trickle)
t.start()
time.sleep(0.2)
t0 = time.monotonic()
with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
    c.connect(path)
    c.sendall(b'{"spaces": []}\n')  # answered at once with {"ok": false} when served
    c.settimeout(60)
    reply = c.recv(100)
print(
    f"(b) while one client trickles a byte every 3 s, another waited {time.monotonic() - t0:.1f} s "
    f"for {reply!r}"
)
t.join()
server.close()
engine.close()
