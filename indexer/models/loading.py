"""Loading sentence-transformers models (embedders and rerankers) from the hub or a folder."""

from __future__ import annotations

import hashlib
import logging
import sys
from pathlib import Path
from typing import Any

from indexer.ingest.fingerprint import fingerprint
from indexer.models.hub import hub_reachable, without_telemetry

log = logging.getLogger(__name__)


def resolve_device(preference: str) -> str:
    """'auto' picks CUDA, then Apple's MPS, then the CPU."""
    if preference != "auto":
        return preference
    if not _accelerator_possible():
        return "cpu"  # known without importing torch, a second or more of a search's start
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def _accelerator_possible() -> bool:
    """False only where no GPU torch could use can exist: Linux without NVIDIA's, AMD's
    (ROCm) or WSL's GPU device nodes."""
    if sys.platform != "linux":
        return True
    return any(Path(node).exists() for node in ("/dev/nvidiactl", "/dev/kfd", "/dev/dxg"))


def load_reason(exc: Exception, model: str) -> str:
    """A short reason a model did not load, in the user's terms."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    name = type(exc).__name__
    if "RepositoryNotFound" in name:
        return "no such model on the Hugging Face hub"
    if isinstance(exc, FileNotFoundError) and not Path(model).exists():
        return "no such local folder or hub id"
    if any(word in text.lower() for word in ("connect", "offline", "local_files_only", "cached")):
        return "the hub cannot be reached and the model is not in the local cache"
    return text


def load_model(factory: Any, model: str, revision: str | None, device: str) -> Any:
    """`factory` (SentenceTransformer, CrossEncoder) on `device`, in half precision on CUDA.

    A model already on this machine (a folder, or in the hub's cache) loads without touching
    the network: a search app that keeps to itself does not check for updates on every start.
    Only a model that must be downloaded goes online, after a quick probe, so that an offline
    first run fails at once instead of after a minute of retries.
    Raises whatever the hub or transformers raise; `load_reason` explains it.
    """
    import torch

    without_telemetry()
    kwargs = {"torch_dtype": torch.float16} if device.startswith("cuda") else {}

    def load(local_only: bool) -> Any:
        return factory(
            model, device=device, revision=revision, model_kwargs=kwargs, local_files_only=local_only
        )

    if is_on_disk(model, revision):
        try:
            return load(True)
        except OSError:  # a partial download in the cache: fetch the rest if we can
            if _is_path(model) or not hub_reachable():
                raise
            log.info("%s is only partly in the cache; downloading the rest", model)
            return load(False)
    return load(not hub_reachable())


def _is_path(model: str) -> bool:
    """A folder, or something written as a path (never a hub id, even when it is missing)."""
    path = Path(model).expanduser()
    return path.exists() or path.is_absolute() or model.startswith((".", "~"))


def is_on_disk(model: str, revision: str | None = None) -> bool:
    """Whether loading `model` needs no download: a local folder (or a path, which is never
    downloaded, even when it is missing), or a hub id in the cache."""
    if _is_path(model):
        return True
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(model, "config.json", revision=revision)
    except ValueError:  # not a valid hub id either: loading will say so
        return False
    return isinstance(found, str)


def model_digest(model: str, revision: str | None = None) -> str | None:
    """What the model *is*, not where it lies: for a local folder a hash of every file's
    sampled fingerprint (config, weights, tokenizer: a folder updated in place gets a new
    digest, a copy or a symlink the same one); for a hub id the commit in the cache. None
    while it is not on disk (a hub model before its download)."""
    if _is_path(model):
        folder = Path(model).expanduser()
        if not folder.is_dir():
            return None
        digest = hashlib.blake2b(digest_size=12)
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + fingerprint(path).encode())
        return digest.hexdigest()
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(model, "config.json", revision=revision)
    except ValueError:
        return None
    return Path(found).parent.name if isinstance(found, str) else None  # snapshots/<commit>/config.json


# A translation model's files (not its TensorFlow, Flax or Rust weights).
_MODEL_FILES = ["*.json", "*.spm", "*.txt", "*.model", "*.safetensors", "pytorch_model.bin"]


def local_files(model: str, revision: str | None = None) -> Path:
    """The folder holding `model`'s files: itself, or its snapshot in the hub's cache,
    downloaded first where it is not there and the hub can be reached."""
    if _is_path(model):
        return Path(model).expanduser()
    from huggingface_hub import snapshot_download

    without_telemetry()
    offline = is_on_disk(model, revision) or not hub_reachable()
    return Path(
        snapshot_download(model, revision=revision, allow_patterns=_MODEL_FILES, local_files_only=offline)
    )
