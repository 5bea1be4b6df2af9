"""Loading sentence-transformers models (embedders and rerankers) from the hub or a folder."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from indexer.hub import hub_reachable

log = logging.getLogger(__name__)


def resolve_device(preference: str) -> str:
    """'auto' picks CUDA, then Apple's MPS, then the CPU."""
    if preference != "auto":
        return preference
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if torch.backends.mps.is_available():
        return "mps"
    return "cpu"


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

    Raises whatever the hub or transformers raise; `load_reason` explains it.
    """
    import torch

    kwargs = {"torch_dtype": torch.float16} if device.startswith("cuda") else {}
    # Unreachable hub: use the local cache at once instead of waiting through retries.
    local_only = not Path(model).expanduser().exists() and not hub_reachable()
    return factory(model, device=device, revision=revision, model_kwargs=kwargs, local_files_only=local_only)


def is_on_disk(model: str, revision: str | None = None) -> bool:
    """Whether loading `model` needs no download: a local folder (or a path, which is never
    downloaded, even when it is missing), or a hub id in the cache."""
    path = Path(model).expanduser()
    if path.exists() or path.is_absolute() or model.startswith((".", "~")):
        return True
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(model, "config.json", revision=revision)
    except ValueError:  # not a valid hub id either: loading will say so
        return False
    return isinstance(found, str)
