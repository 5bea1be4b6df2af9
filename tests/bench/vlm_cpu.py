"""Why `vlm_model` auto chooses nothing on a CPU: what one clip costs Qwen3-VL-Embedding-2B here.

    .venv/bin/python -m tests.bench.vlm_cpu [--layers 2]

A Qwen3-VL model of the 2B's widths (text 2048 wide, vision 1024) with random weights and only
`--layers` of its 28 decoder layers and 24 vision blocks, so that it fits and runs in minutes;
the time of the full depth is extrapolated by measuring at two depths (cost is linear in the
layer count, plus what does not depend on it). One clip as the app cuts it (clips.py: 8 frames
of 448 × 252, a 16:9 frame) through the tiny test model's processor and format, as the app
passes it. Prints seconds per clip and clips per second; float32, torch's threads.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from tests.models.train_vlm import video_input

TEXT = {"hidden_size": 2048, "intermediate_size": 6144, "num_attention_heads": 16, "num_key_value_heads": 8,
        "head_dim": 128, "layers": 28}  # fmt: skip
VISION = {
    "hidden_size": 1024,
    "intermediate_size": 4096,
    "num_heads": 16,
    "out_hidden_size": 2048,
    "depth": 24,
}


def build(folder: Path, layers: int):
    from transformers import AutoProcessor, Qwen3VLConfig, Qwen3VLModel
    from transformers.models.qwen3_vl.video_processing_qwen3_vl import Qwen3VLVideoProcessor

    from tests.models.train_vlm import build as build_tiny

    tiny = build_tiny(folder / "tiny")
    tiny_config = tiny[0].model.config
    rope = {
        "rope_type": "default",
        "rope_theta": 5_000_000.0,
        "mrope_section": [24, 20, 20],
        "mrope_interleaved": True,
    }
    text = {k: v for k, v in TEXT.items() if k != "layers"}
    vision = {k: v for k, v in VISION.items() if k != "depth"}
    config = Qwen3VLConfig(
        text_config=dict(vocab_size=tiny_config.text_config.vocab_size, num_hidden_layers=layers,
                         max_position_embeddings=32768, rope_parameters=rope, **text),
        vision_config=dict(depth=layers, patch_size=16, spatial_merge_size=2, temporal_patch_size=2,
                           num_position_embeddings=2304, deepstack_visual_indexes=[0], **vision),
        image_token_id=tiny_config.image_token_id, video_token_id=tiny_config.video_token_id,
        vision_start_token_id=tiny_config.vision_start_token_id,
        vision_end_token_id=tiny_config.vision_end_token_id,
    )  # fmt: skip
    processor = AutoProcessor.from_pretrained(folder / "tiny" / "raw")
    processor.video_processor = Qwen3VLVideoProcessor(
        patch_size=16, merge_size=2, temporal_patch_size=2, do_sample_frames=False,
        size={"shortest_edge": 4096, "longest_edge": 448 * 448 * 8},
    )  # fmt: skip
    return Qwen3VLModel(config).eval(), processor


def seconds_per_clip(layers: int, repeats: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        model, processor = build(Path(tmp), layers)
        frames = np.random.default_rng(0).integers(0, 255, (8, 252, 448, 3), dtype=np.uint8)
        clip = video_input(frames)
        inputs = processor(
            text=["<|vision_start|><|video_pad|><|vision_end|>"],
            videos=[clip["array"]],
            video_metadata=[clip["video_metadata"]],
            do_sample_frames=False,
            return_tensors="pt",
        )
        tokens = int(inputs["input_ids"].shape[1])
        with torch.inference_mode():
            model(**inputs)  # warm
            start = time.perf_counter()
            for _ in range(repeats):
                model(**inputs)
        return (time.perf_counter() - start) / repeats, tokens


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--layers", type=int, default=2, help="the shallower depth measured (and twice it)")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    shallow, tokens = seconds_per_clip(args.layers, args.repeats)
    deep, _ = seconds_per_clip(2 * args.layers, args.repeats)
    per_layer = (deep - shallow) / args.layers
    full = shallow + per_layer * (TEXT["layers"] - args.layers)  # vision blocks scale alongside: 24 ≈ 28
    threads = torch.get_num_threads()
    print(f"one clip (8 frames, {tokens} tokens): {shallow:.2f} s at {args.layers} layers, {deep:.2f} s at "
          f"{2 * args.layers}; about {full:.1f} s at the 2B's full depth on {threads} threads "
          f"({1 / full:.3f} clips/s: an hour of video, 450 clips, in {450 * full / 3600:.1f} h)")  # fmt: skip


if __name__ == "__main__":
    main()
