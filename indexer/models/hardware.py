"""Which video-language model and reranker this machine can run: by the GPU's memory, read
without torch (nvidia-smi), so choosing costs nothing at start-up.

Qwen3-VL-Embedding at half precision needs about 8 GB for the 2B and 20 GB for the 8B, with
room for clips of up to 64 frames; on a CPU either is far too slow (a clip takes seconds), so
`auto` chooses none there, and on Apple's MPS too (unmeasured). The reranker gets what the
embedding model leaves: the embedding model is used by every search and every indexed clip,
the reranker only on the top few.

Per kind: Qwen3-VL-Reranker-2B scores no better than the embedding model on video retrieval
(MMEB-V2: 53.6 → 53.2), the 8B does (61.0); so the 2B reranks pictures (a photo, a video
moment's frame) and the 8B reranks a video moment as the clip around it.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from dataclasses import dataclass
from importlib.util import find_spec

log = logging.getLogger(__name__)

VLM_2B = "Qwen/Qwen3-VL-Embedding-2B"
VLM_8B = "Qwen/Qwen3-VL-Embedding-8B"
RERANKER_2B = "Qwen/Qwen3-VL-Reranker-2B"
RERANKER_8B = "Qwen/Qwen3-VL-Reranker-8B"
# GiB of GPU memory each wants at half precision, with room for a batch of clips
NEEDS_GIB = {VLM_8B: 24.0, VLM_2B: 12.0, RERANKER_8B: 20.0, RERANKER_2B: 6.0}
NO_GAIN_ON_VIDEO = frozenset({RERANKER_2B})  # given a video moment's frame, not its clip


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
    return _largest((VLM_8B, VLM_2B), memory_gib)


def auto_reranker(memory_gib: float | None, beside: str | None) -> str | None:
    """The reranker `auto` chooses for a CUDA GPU of this much memory, beside the vlm space's
    model `beside` (None: no vlm space): the largest that fits in what that leaves."""
    if memory_gib is None:
        return None
    # a model of one's own in the vlm space is counted as the 2B (its size is not known here)
    taken = NEEDS_GIB.get(beside, NEEDS_GIB[VLM_2B]) if beside else 0.0
    return _largest((RERANKER_8B, RERANKER_2B), memory_gib - taken)


def _largest(models: tuple[str, ...], memory_gib: float) -> str | None:
    return next((model for model in models if memory_gib >= NEEDS_GIB[model]), None)


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


@dataclass(frozen=True)
class MachineChoice:
    """What `auto` takes on this machine: the GPU's memory (None: no NVIDIA GPU, or a device
    that is not one), the video-language model and the reranker (None: none)."""

    memory_gib: float | None
    vlm: str | None
    reranker: str | None


def machine_choice(device: str, memory_gib: float | None = None) -> MachineChoice:
    """What `auto` takes for the vlm space and the reranker on `device` (the GPU is asked
    where it may be CUDA; `memory_gib` stands in for it)."""
    if device != "auto" and not device.startswith("cuda"):
        return MachineChoice(None, None, None)
    memory = memory_gib if memory_gib is not None else gpu_memory_gib()
    vlm = auto_vlm(memory)
    return MachineChoice(memory, vlm, auto_reranker(memory, vlm))
