"""Is the model hub reachable? Asked once, quickly, before a model loads.

Without this, a first run on a machine without network waits through the hub client's
retries (over a minute) before saying the model cannot be fetched.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

TELEMETRY_VARIABLE = "HF_HUB_DISABLE_TELEMETRY"
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
