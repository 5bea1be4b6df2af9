"""What the video-language space costs where it runs, on a GPU: clips a second and GPU memory of
the embedding model at the app's clip size, the reranker's seconds per result (a video moment
given as its clip, a photo), and the index rate of a video library with the vlm space on.

    .venv/bin/python -m tests.bench.vlm_gpu [--model Qwen/Qwen3-VL-Embedding-2B]
        [--reranker Qwen/Qwen3-VL-Reranker-8B] [--device cuda] [--videos 4] [--minutes 2]

It needs the models (downloaded once) and a CUDA GPU. With `--device cpu --model
tests/models/motion-vlm --reranker tests/models/motion-reranker` it runs the same steps on the
tiny test models, which checks the script, not the figures. The library is generated: 16:9
films at 1280 × 720 of shapes crossing the frame, a new one every 4 s. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from PIL import Image

from indexer import SpaceSpec, build_engine
from indexer.media.clips import video_clips
from indexer.media.excerpt import excerpt
from indexer.models.hardware import VLM_2B
from indexer.search.rerank import Candidate
from indexer.settings import Settings
from tests.models.train_vlm import COLOURS, SHAPES, draw
from tests.support.media import write_video

SIZE = (1280, 720)


def _library(folder: Path, videos: int, minutes: float) -> list[Path]:
    paths = []
    crossings = [(c, s) for c in COLOURS for s in SHAPES]
    for v in range(videos):
        scenes = []
        for i in range(round(minutes * 60 / 4)):  # a crossing every 4 s, a picture a second
            colour, shape = crossings[(v + i) % len(crossings)]
            scenes += [
                Image.fromarray(draw(colour, shape, x / 3, side=SIZE[1])).resize(SIZE) for x in range(4)
            ]
        paths.append(write_video(folder / f"film{v}.mp4", scenes, scene_s=1.0, fps=8, gop=16, size=SIZE))
    return paths


def _peak_gib(device: str) -> float | None:
    if not device.startswith("cuda"):
        return None
    import torch

    return round(torch.cuda.max_memory_allocated() / 2**30, 2)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default=VLM_2B)
    parser.add_argument("--reranker", default="auto")
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--videos", type=int, default=4)
    parser.add_argument("--minutes", type=float, default=2.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        films = _library(work / "films", args.videos, args.minutes)
        settings = Settings(
            data_dir=work / "data",
            spaces=(SpaceSpec("vlm", args.model),),
            device=args.device,
            speech_model="none",
            ocr="none",
            reranker=args.reranker,
        )
        with build_engine(replace(settings, rerank_budget_s=600.0)) as engine:
            embedder = engine.spaces[0].embedder
            clips = list(video_clips(films[0]))[:8]
            embedder.encode_segments(clips[:2])  # loads the model, warms the GPU
            began = time.perf_counter()
            embedder.encode_segments(clips)
            clip_s = (time.perf_counter() - began) / len(clips)
            began = time.perf_counter()
            engine.index([work / "films"])
            index_s = time.perf_counter() - began
            reranker = engine.reranker
            moments = [Candidate("video", True)] * 8
            at = [4.0 + 8 * i for i in range(8)]

            def media_of(i: int, modality: str) -> object:
                return excerpt(films[0], modality, at[i], None, None, engine.extract_options)

            reranker.rerank("a red circle moves to the right", moments[:2], media_of)  # loads it
            began = time.perf_counter()
            _, _, report = reranker.rerank("a red circle moves to the right", moments, media_of)
            rerank_s = (time.perf_counter() - began) / max(report.scored, 1)
    hours = args.videos * args.minutes / 60
    numbers = {
        "device": args.device,
        "model": args.model,
        "clip_frames": int(clips[0].data.shape[0]),
        "clip_size": list(clips[0].data.shape[1:3]),
        "clips_per_s": round(1 / clip_s, 2),
        "peak_gpu_gib": _peak_gib(args.device),
        "index_video_hours_per_hour": round(hours / (index_s / 3600), 1),
        "reranker": report.model,
        "rerank_given": "clips" if reranker.clips else "frames",
        "rerank_s_per_result": round(rerank_s, 3) if report.scored else None,
        "rerank_report": report.summary(),
    }
    print(json.dumps(numbers, indent=2))
    return numbers


if __name__ == "__main__":
    main()
