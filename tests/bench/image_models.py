"""What embedding a photo costs with the picture models a multilingual default could be:
CLIP ViT-B/32 (the default, whose pictures a multilingual query model reads: nothing to embed
again) beside SigLIP 2 at patch 16 / 224 px and patch 32 / 256 px (multilingual captions, every
picture embedded again). Vision towers at full size with random weights (speed does not depend
on the weights' values), a batch of photos as the indexer sends them, on this machine's
threads; the decoding of the photos is the same for all and left out.

    .venv/bin/python -m tests.bench.image_models [--batch 16] [--repeats 3]
"""

from __future__ import annotations

import argparse
import time

import torch

CANDIDATES = {  # name → (config class, patch, side)
    "CLIP ViT-B/32, 224 px (default)": ("clip", 32, 224),
    "SigLIP 2 B/16, 224 px": ("siglip", 16, 224),
    "SigLIP 2 B/32, 256 px": ("siglip", 32, 256),
}


def tower(kind: str, patch: int, side: int) -> torch.nn.Module:
    from transformers import CLIPVisionConfig, CLIPVisionModel, SiglipVisionConfig, SiglipVisionModel

    if kind == "clip":
        return CLIPVisionModel(CLIPVisionConfig(patch_size=patch, image_size=side)).eval()
    return SiglipVisionModel(SiglipVisionConfig(patch_size=patch, image_size=side)).eval()


def photos_per_second(kind: str, patch: int, side: int, batch: int, repeats: int) -> float:
    model = tower(kind, patch, side)
    pixels = torch.randn(batch, 3, side, side)
    with torch.inference_mode():
        model(pixel_values=pixels)  # warm
        start = time.perf_counter()
        for _ in range(repeats):
            model(pixel_values=pixels)
    return batch * repeats / (time.perf_counter() - start)


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rates = {name: photos_per_second(*spec, args.batch, args.repeats) for name, spec in CANDIDATES.items()}
    base = rates["CLIP ViT-B/32, 224 px (default)"]
    for name, rate in rates.items():
        print(f"{name}: {rate:.1f} photos/s ({base / rate:.2f}× the default's cost)")


if __name__ == "__main__":
    main()
