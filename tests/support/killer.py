"""The start of a script that SIGKILLs its own process at the Nth call of a wrapped
function: a crash at an exact point of the write path, for the fault tests."""

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

DIE_ON_NTH = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from indexer import build_engine, load_settings

    step, nth, corpus = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    calls = [0]

    def die_on_nth(real):
        def wrapper(*args, **kwargs):
            calls[0] += 1
            if calls[0] == nth:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        return wrapper
    """
)


def run_killed(script: str, step: str, nth: int, corpus: Path, env: dict[str, str]) -> None:
    """Run a DIE_ON_NTH script; it must end by its own SIGKILL."""
    killed = subprocess.run(
        [sys.executable, "-c", script, step, str(nth), str(corpus)], env=env, capture_output=True, timeout=300
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]
