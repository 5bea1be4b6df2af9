"""Which video-language model this machine can run: by the GPU's memory, read without torch
(nvidia-smi), so choosing costs nothing at start-up.

Qwen3-VL-Embedding at half precision needs about 8 GB for the 2B and 20 GB for the 8B, with
room for clips of up to 64 frames; on a CPU either is far too slow (a clip takes seconds), so
`auto` chooses none there, and on Apple's MPS too (unmeasured).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from importlib.util import find_spec

log = logging.getLogger(__name__)

VLM_2B = "Qwen/Qwen3-VL-Embedding-2B"
VLM_8B = "Qwen/Qwen3-VL-Embedding-8B"
NEEDS_GIB = ((24.0, VLM_8B), (12.0, VLM_2B))  # the larger first: what fits, with room for clips


def gpu_memory_gib() -> float | None:
    """The first NVIDIA GPU's memory; None without one (or without its driver's tool)."""
    tool = shutil.which("nvidia-smi")
    if tool is None:
        return None
    try:
        out = subprocess.run(
            [tool, "--query-gpu=memory.total", "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout
        return float(out.split()[0]) / 1024
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None


def auto_vlm(memory_gib: float | None) -> str | None:
    """The model `auto` chooses for a CUDA GPU of this much memory: the largest that fits."""
    if memory_gib is None:
        return None
    if find_spec("torchvision") is None:  # Qwen3-VL's video processor needs it
        log.info("a GPU, but no torchvision: the video-language space stays off (pip install torchvision)")
        return None
    return next((model for need, model in NEEDS_GIB if memory_gib >= need), None)


def vlm_model(choice: str, device: str, memory_gib: float | None = None) -> str | None:
    """The vlm space's model for a setting: `auto` by hardware (the GPU is asked only where
    the device may be CUDA), `none` off, else as given."""
    if choice.lower() == "none":
        return None
    if choice.lower() != "auto":
        return choice
    if device != "auto" and not device.startswith("cuda"):  # a CPU or Apple's MPS: far too slow
        return None
    return auto_vlm(memory_gib if memory_gib is not None else gpu_memory_gib())
