"""Converting a Marian translation model to CTranslate2 int8 for the query translator
(translator.py), with its SentencePiece vocabularies. It runs in a child process of its own
(query_tower_child.py): CTranslate2's converter corrupts the heap of a process that then
translates with CTranslate2.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from pathlib import Path

from indexer.models.loading import local_files, model_digest

log = logging.getLogger(__name__)

CARD = "translator.json"  # written last: a folder without it is a conversion cut short
VOCABULARIES = ("source.spm", "target.spm")


def conversion_folder(root: Path, model: str, revision: str | None) -> Path | None:
    """Where `model`'s conversion lies below `root`: named for what the model is (None
    while a hub model is not downloaded)."""
    digest = model_digest(model, revision)
    return root / digest if digest else None


def convert_translator(model: str, revision: str | None, root: Path) -> bool:
    """Download a Marian model where needed and convert it to CTranslate2 int8 below `root`,
    with its vocabularies; run in a child process (query_tower_child.py). False, logged,
    when it fails."""
    import ctranslate2

    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".converting-", dir=root))
    try:
        source = local_files(model, revision)
        folder = conversion_folder(root, model, revision)
        if folder is None:
            raise FileNotFoundError(f"{model} is not on this machine")
        if (folder / CARD).exists():
            return True
        converter = ctranslate2.converters.TransformersConverter(
            str(source), copy_files=[v for v in VOCABULARIES if (source / v).exists()]
        )
        converter.convert(str(work / "model"), quantization="int8", force=True)
        missing = [v for v in VOCABULARIES if not (work / "model" / v).exists()]
        if missing:
            log.warning("No translator from %s: it has no %s.", model, " or ".join(missing))
            return False
        (work / "model" / CARD).write_text(json.dumps({"model": model, "revision": revision}))
        shutil.rmtree(folder, ignore_errors=True)
        (work / "model").rename(folder)
        return True
    except Exception as exc:  # a model of another kind, a full disk: queries go untranslated
        log.warning("No translator from %s: %s", model, exc)
        return False
    finally:
        shutil.rmtree(work, ignore_errors=True)
