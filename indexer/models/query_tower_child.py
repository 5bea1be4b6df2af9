"""The query towers' export, in a child process of its own (query_tower_export.py does it),
and the query translator's conversion (translator.py).

In the app's process torch's tracer, onnx and onnxruntime's quantizer corrupted memory now and
then beside CTranslate2 and the reader's onnxruntime (a crash at exit in two test runs of four,
an allocation failure in Whisper in another; none in seven runs since). A child also lets a
GPU machine have a tower: it loads the model on the CPU, in float. It is a new interpreter
running this module (not multiprocessing's spawn, which would run the caller's own script
again in the child), at low priority, one export at a time across processes (a lock beside the
towers), its messages in `export.log` there.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

CHILD_FLAG = "--framefind-query-tower"  # the bundle's launcher runs `main` when given it
LOG = "export.log"

log = logging.getLogger(__name__)


def start_export(
    model: str, revision: str | None, folder: Path, job: str = "tower", digest: str | None = None
) -> subprocess.Popen:
    """Start exporting the text tower of `model` into `folder` (or, for the "translator" job,
    converting a translation model into a folder below `folder` named for its digest, once
    it is downloaded: translator.py) and leave it running; the child's exit code says whether
    one was kept. `digest`: what the model was when asked (model_digest); a model replaced
    since, or while it loads, gets no tower there."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / LOG, "ab") as messages:  # the child holds its own copy
        return subprocess.Popen(
            child_command(model, revision, folder, job, digest),
            stdin=subprocess.DEVNULL,
            stdout=messages,
            stderr=messages,
        )


def child_command(
    model: str, revision: str | None, folder: Path, job: str = "tower", digest: str | None = None
) -> list[str]:
    arguments = [model, revision or "", str(folder), job, digest or ""]
    if getattr(sys, "frozen", False):  # the bundle: no interpreter to give a module to
        return [sys.executable, CHILD_FLAG, *arguments]
    return [sys.executable, "-m", __name__, *arguments]


def main(argv: Sequence[str]) -> int:
    model, revision, folder, job, digest = (*argv, "tower", "")[:5]
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    if hasattr(os, "nice"):
        os.nice(10)  # after indexing and searching, once
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    from filelock import FileLock

    target = Path(folder)
    with FileLock(target.parent / ".export.lock"):
        from indexer.models.query_tower import CARD

        if job == "translator":
            from indexer.models.translator_convert import convert_translator

            kept = convert_translator(model, revision or None, target)
        else:
            kept = (target / CARD).exists() or _export(model, revision or None, target, digest)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0 if kept else 1)  # no teardown: torch's and OpenMP's at exit only cost time


def _export(model: str, revision: str | None, folder: Path, digest: str) -> bool:
    import torch
    from sentence_transformers import SentenceTransformer

    from indexer.models.loading import load_model, model_digest
    from indexer.models.query_tower_export import export_query_tower

    torch.set_num_threads(1)  # the other core stays with the app
    if digest and model_digest(model, revision) != digest:  # replaced since the app asked
        return False
    try:
        loaded = load_model(SentenceTransformer, model, revision, "cpu")
    except Exception as exc:  # the app loads it too, and says why it does not
        log.warning("No query tower for %s: it did not load (%s).", model, exc)
        return False
    if digest and model_digest(model, revision) != digest:  # replaced while it loaded
        return False
    return export_query_tower(loaded, folder)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
