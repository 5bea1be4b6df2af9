"""Text encoders in 8-bit integers for searching on a CPU.

A text query is one short sequence: the encoder's time goes into reading its weights from
memory, not into arithmetic (a full-size CLAP text tower took 58 ms for 3 tokens and for 24
alike). Dynamic int8 quantization of its linear layers reads a quarter of the bytes: 58 →
16 ms, and each query vector keeps a cosine ≥ 0.999 with the float one. Only the text towers
change: photos, frames and sounds (the index) are embedded exactly as before, and a GPU keeps
the float model. A text-only model (a words space's) is quantized whole: its lines are
embedded by the same int8 model as the queries on this machine.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

log = logging.getLogger(__name__)

TEXT_TOWERS = ("text_model", "text_projection")  # CLIP, CLAP and SigLIP name them so
WHOLE = "whole"


def quantize_text_towers(model: Any) -> bool:
    """Quantize the text towers of a loaded sentence-transformers model in place (True), or
    leave it as it is when it has none or this torch cannot (False: searches stay correct,
    only slower)."""
    import torch

    hf = getattr(model[0], "model", None) if len(model) else None
    towers = {
        name: getattr(hf, name)
        for name in TEXT_TOWERS
        if isinstance(getattr(hf, name, None), torch.nn.Module)
    }
    if not towers:
        if not isinstance(hf, torch.nn.Module) or set(model.modalities) != {"text"}:
            return False
        towers = {WHOLE: hf}  # a text model (a words space) is all text tower
    holder = torch.nn.ModuleDict(towers)  # quantize_dynamic swaps children, not the module given
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch's eager quantization warns it will move to torchao
            torch.ao.quantization.quantize_dynamic(holder, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
    except Exception as exc:  # no quantized engine on this CPU, or a torch without it
        log.info("text queries stay in float on this machine: %s", exc)
        return False
    for name, tower in holder.items():
        if name != WHOLE:  # the whole model was quantized in place, through its children
            setattr(hf, name, tower)
    return True
