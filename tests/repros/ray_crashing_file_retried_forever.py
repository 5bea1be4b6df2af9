"""RayPipeline runs decode tasks with max_retries=-1 (ray_pipeline.py:168) and the embedding
actors with max_restarts=-1 / max_task_retries=-1 (ray_pipeline.py:165): a file that kills its
worker process (a decoder segfault, the OOM killer on a huge frame) is retried without end,
and the run never finishes. Control.stop() does not end it either: the loop looks at the
control only when a row arrives (ray_pipeline.py:182-184), and none comes.
Here a worker setup hook (ray_killer_hook.py) makes the decoder's process die on one file
named killer.png; the four other photos are never committed either (on two CPUs the
retried task holds the decode slot)."""

import os
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

from _common import photos, quiet, settings, tmpdir

quiet()
import ray

from indexer import build_engine
from indexer.ingest.control import Control

attempts = tmpdir("attempts") / "attempts.txt"
os.environ["FF3_ATTEMPTS"] = str(attempts)
here = str(Path(__file__).resolve().parent)
ray.init(
    num_cpus=2,
    include_dashboard=False,
    log_to_driver=False,
    runtime_env={
        "worker_process_setup_hook": "ray_killer_hook.setup",
        "env_vars": {"FF3_ATTEMPTS": str(attempts), "PYTHONPATH": here + ":" + sys.path[1]},
    },
)
media = tmpdir("media")
photos(media, range(4))
photos(media, [50])[0].rename(media / "killer.png")
s = replace(settings(tmpdir("data"), audio=None), cluster="auto")
control, result = Control(), []
engine = build_engine(s)
t = threading.Thread(target=lambda: result.append(engine.index([media], control=control)), daemon=True)
started = time.monotonic()
t.start()
t.join(150)
n = len(attempts.read_text().split()) if attempts.exists() else 0
print(
    f"after {time.monotonic() - started:.0f} s: run finished: {not t.is_alive()}; "
    f"decode attempts on killer.png: {n}; files committed: {engine.status().indexed}"
)
control.stop()
t.join(30)
n2 = len(attempts.read_text().split()) if attempts.exists() else 0
print(f"30 s after control.stop(): run finished: {not t.is_alive()}; attempts now {n2}")
threading.Timer(60, lambda: os._exit(1)).start()  # the run cannot be ended any other way
ray.shutdown()  # ends the local Ray this script started
os._exit(0)
