"""A process that dies while FaissStore.save writes a checkpoint (power loss, SIGKILL, the OOM
killer during a large merge) leaves `index-<seq>.faiss<random>.tmp` (store.py:441): the
CHECKPOINT pattern does not match it, nothing ever deletes it, and status does not count it
(stores.py:290). Each such death leaks one full-size copy of the index in the data folder.
Simulated by a child process that exits at the os.replace of its checkpoint."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from _common import photos, tmpdir

media = tmpdir("media")
photos(media, range(6))
data = tmpdir("data")
child = textwrap.dedent(f"""
    import os, sys
    sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
    from _common import settings, quiet
    from pathlib import Path
    quiet()
    from indexer import build_engine
    real = os.replace
    def dying(src, dst):
        if str(dst).endswith(".faiss"):
            os._exit(9)  # killed after the write, before the rename
        return real(src, dst)
    os.replace = dying
    with build_engine(settings(Path({str(data)!r}), audio=None, checkpoint_every_s=0)) as engine:
        engine.index([Path({str(media)!r})])
""")
rc = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True).returncode
print("child exit code:", rc)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import quiet, settings

quiet()
from indexer import build_engine

photos(media, range(6, 9))
with build_engine(settings(data, audio=None, checkpoint_every_s=0)) as engine:
    print("next run:", engine.index([media]).summary())
    folder = engine.spaces[0].folder
    print("space folder:", [(p.name, p.stat().st_size) for p in sorted(folder.iterdir())])
    print("status counts", engine.status().spaces[0].bytes, "bytes for it")
