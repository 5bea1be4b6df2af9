"""Is the model hub reachable? Asked once, quickly, before a model loads.

Without this, a first run on a machine without network waits through the hub client's
retries (over a minute) before saying the model cannot be fetched.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

from indexer.models.hardware import RERANKER_2B, RERANKER_8B, VLM_2B, VLM_8B

TELEMETRY_VARIABLE = "HF_HUB_DISABLE_TELEMETRY"
# What a first run fetches of each model Framefind chooses by itself (its safetensors and
# processor files, MB); a model of one's own is counted as a CLIP.
DOWNLOAD_MB = {
    "openai/clip-vit-base-patch32": 600,
    "sentence-transformers/clip-ViT-B-32-multilingual-v1": 540,
    "laion/clap-htsat-unfused": 620,
    "Helsinki-NLP/opus-mt-mul-en": 310,
    "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2": 470,
    VLM_2B: 4_300,
    VLM_8B: 17_500,
    RERANKER_2B: 4_300,
    RERANKER_8B: 17_500,
}
UNKNOWN_MB = 600
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy")


def hub_reachable(timeout: float = 3.0) -> bool:
    """False when the hub's host cannot be connected to (or offline mode is on). A proxy
    setting skips the probe: the proxy may reach what a direct connection cannot."""
    from huggingface_hub import constants

    if constants.is_offline_mode():
        return False
    if any(os.environ.get(v) for v in PROXY_VARIABLES):
        return True
    url = urlsplit(constants.ENDPOINT)
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((url.hostname or "", port), timeout=timeout):
            return True
    except OSError:
        return False


def without_telemetry() -> None:
    """Stop the hub client from phoning home while it builds request headers (it fetches a
    list of "agent harnesses" from the hub even to load a cached model). Framefind says
    nothing leaves the machine; a user can still set the variable to 0."""
    os.environ.setdefault(TELEMETRY_VARIABLE, "1")
    from huggingface_hub import constants

    # The hub reads its environment once, at import; it may already be imported.
    constants.HF_HUB_DISABLE_TELEMETRY = os.environ[TELEMETRY_VARIABLE].lower() in {"1", "true", "yes", "on"}


def download_bytes(models: list[str]) -> int:
    """About how much downloading these models fetches."""
    return sum(DOWNLOAD_MB.get(model, UNKNOWN_MB) for model in models) * 1_000_000
