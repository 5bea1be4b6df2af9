"""A labelled folder from the synthetic world, for `framefind eval` and the ranking tests.

    .venv/bin/python -m tests.support.eval_folder OUT

Photos of most scenes; a long video in which some scenes appear once each, for a few
seconds; a recording of SOUNDS, ten seconds each with quiet between. queries.json labels each query with the
files (and for video and audio, the seconds) that answer it.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tests.support.media import write_audio, write_video
from tests.support.synthetic import SOUNDS, Scene, all_scenes, draw_scene, make_sound

AUDIO_RATE = 16_000
VIDEO_SCENE_S = 4.0
SOUND_S = 10.0
SOUND_EVERY_S = 30.0  # each sound is followed by quiet, as events are rare in a real recording


@dataclass(frozen=True)
class EvalFolder:
    root: Path
    photos: dict[Path, Scene]
    video: Path
    video_scenes: list[Scene]  # shown for VIDEO_SCENE_S each, in order
    recording: Path
    sounds: list[str]  # SOUND_S each, one every SOUND_EVERY_S, in order


def write_eval_folder(root: Path, photos: int = 40, video_scenes: int = 12, seed: int = 0) -> EvalFolder:
    rng = np.random.default_rng(seed)
    scenes = [all_scenes()[i] for i in rng.permutation(len(all_scenes()))]
    in_video, in_photos = scenes[:video_scenes], scenes[video_scenes : video_scenes + photos]
    photo_paths = {}
    for n, scene in enumerate(in_photos):
        path = root / "photos" / f"{n:03d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        draw_scene(scene, rng, size=160).save(path)
        photo_paths[path] = scene
    pictures = [draw_scene(s, None, size=120) for s in in_video]
    video = write_video(
        root / "videos" / "long.mp4", pictures, scene_s=VIDEO_SCENE_S, fps=4, gop=8, size=(120, 120)
    )
    sounds = [str(k) for k in rng.permutation(list(SOUNDS))]
    quiet = np.zeros(int((SOUND_EVERY_S - SOUND_S) * AUDIO_RATE), dtype=np.float32)
    samples = np.concatenate([p for k in sounds for p in (make_sound(k, SOUND_S, AUDIO_RATE, rng), quiet)])
    samples += (rng.standard_normal(len(samples)) * 0.01).astype(np.float32)
    recording = write_audio(root / "audio" / "sounds.flac", samples, AUDIO_RATE)
    folder = EvalFolder(root, photo_paths, video, in_video, recording, sounds)
    (root / "queries.json").write_text(json.dumps({"queries": _queries(folder)}, indent=1))
    return folder


def _queries(folder: EvalFolder) -> list[dict]:
    queries = []
    for path, scene in folder.photos.items():
        queries.append({"text": scene.caption, "relevant": [{"file": _rel(folder, path)}]})
    for i, scene in enumerate(folder.video_scenes):
        span = {"start": i * VIDEO_SCENE_S, "end": (i + 1) * VIDEO_SCENE_S}
        queries.append({"text": scene.caption, "relevant": [{"file": _rel(folder, folder.video), **span}]})
    for i, kind in enumerate(folder.sounds):
        span = {"start": i * SOUND_EVERY_S, "end": i * SOUND_EVERY_S + SOUND_S}
        queries.append(
            {"text": SOUNDS[kind][0], "relevant": [{"file": _rel(folder, folder.recording), **span}]}
        )
    return queries


def _rel(folder: EvalFolder, path: Path) -> str:
    return path.relative_to(folder.root).as_posix()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    folder = write_eval_folder(parser.parse_args().out)
    print(f"wrote {folder.root} ({len(folder.photos)} photos, a video, a recording, queries.json)")


if __name__ == "__main__":
    main()
