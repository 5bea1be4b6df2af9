"""Another local user who creates /tmp/runtime-<your uid> first (the platformdirs fallback
when XDG_RUNTIME_DIR is unset and /run/user/<uid> is missing: ssh without logind, cron,
containers) makes platformdirs.user_runtime_dir raise PermissionError. ipc.socket_path
calls it outside its `suppress(OSError)` (ipc.py:52-54), so `framefind search` (ask) and the
app / `framefind watch` (SearchServer.__init__) die with a traceback instead of searching
without the socket. Simulated with a private TMPDIR and a directory owned by `nobody`."""

import os
import shutil
import sys

from _common import quiet, settings, tmpdir

quiet()
tmp = tmpdir("tmpdir")
os.chmod(tmp, 0o1777)
squat = tmp / f"runtime-{os.geteuid()}"
squat.mkdir(mode=0o777)
shutil.chown(squat, "nobody", "nogroup")  # another user's directory
os.environ.pop("XDG_RUNTIME_DIR", None)
os.environ["TMPDIR"] = str(tmp)
print(
    "uid", os.geteuid(), "| /run/user/%d exists:" % os.geteuid(), os.path.exists(f"/run/user/{os.geteuid()}")
)
print("squatted:", squat, "owner uid", squat.stat().st_uid)

import tempfile

tempfile.tempdir = None
from indexer import Query, ipc

s = settings(tmpdir("data"))
for what, call in [
    ("ipc.socket_path", lambda: ipc.socket_path(s.data_dir)),
    ("ipc.ask (framefind search)", lambda: ipc.ask(s, Query(text="a dog"))),
]:
    try:
        print(f"{what}: -> {call()!r}")
    except Exception as exc:
        print(f"{what}: raised {type(exc).__name__}: {exc}")
print("(ask is called in cli.main outside any `except Exception`: the command ends in a traceback)")
from indexer import build_engine

with build_engine(s) as engine:
    try:
        ipc.SearchServer(engine)  # desktop/session.py:38, cli.py:246 (framefind watch)
        print("SearchServer(engine): constructed")
    except Exception as exc:
        print(f"SearchServer(engine) (the app's Session, `framefind watch`): raised {type(exc).__name__}")

import subprocess

env = {**os.environ, "PYTHONPATH": str(s.data_dir.parent) + ":" + str(__import__("_common").SRC)}
run = subprocess.run(
    [
        sys.executable,
        "-m",
        "indexer.cli",
        "search",
        "a dog",
        "--data-dir",
        str(s.data_dir),
        "--image-model",
        str(__import__("_common").CLIP),
        "--audio-model",
        "none",
    ],
    env=env,
    capture_output=True,
    text=True,
    timeout=120,
    cwd=str(tmp),
)
print(
    "`framefind search 'a dog'` rc",
    run.returncode,
    "| last stderr line:",
    run.stderr.strip().splitlines()[-1:],
)
