"""A labelled folder from the synthetic world, for `framefind eval` and the ranking tests.

    .venv/bin/python -m tests.support.eval_folder OUT

Photos of most scenes; a long silent video in which some scenes appear once each, for a
few seconds; a video with a soundtrack, a scene and a sound at a time; a recording of
SOUNDS, ten seconds each with quiet between; with `--speech`, a talk spoken by espeak-ng
(sentences of the tiny recogniser's vocabulary at known seconds). queries.json labels each
query with the files (and for video and audio, the seconds) that answer it, and says what
it is about: a picture, a sound, words said, or nothing at all (gibberish, answered by
nothing).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from tests.support import speech
from tests.support.media import write_audio, write_video
from tests.support.synthetic import SOUNDS, Scene, all_scenes, draw_scene, make_sound

AUDIO_RATE = 16_000
VIDEO_SCENE_S = 4.0
SOUND_S = 10.0
SOUND_EVERY_S = 30.0  # each sound is followed by quiet, as events are rare in a real recording
SOUND_VIDEO_S = 20.0  # per scene of the video with a soundtrack: SOUND_S of sound, then quiet
# Typed by accident or by a cat: about nothing in the synthetic world (nor the real one).
GIBBERISH = (
    "zzzz",
    "asdf",
    "qwertyuiop",
    "xkcd",
    "lorem ipsum dolor sit amet",
    "hjkl hjkl",
    "aaaaaa",
    "mmm",
    "blorp",
    "fnord",
    "12345",
    "?!",
    "zxcvbnm",
    "ggggg",
    "wxyz",
    "pfft",
    "uhh",
    "brrrr",
    "kthxbye",
    "jjjj kkkk",
)


@dataclass(frozen=True)
class EvalFolder:
    root: Path
    photos: dict[Path, Scene]
    video: Path
    video_scenes: list[Scene]  # shown for VIDEO_SCENE_S each, in order
    recording: Path
    sounds: list[str]  # SOUND_S each, one every SOUND_EVERY_S, in order
    sound_video: Path
    sound_video_parts: list[tuple[Scene, str]]  # SOUND_VIDEO_S each: a scene, and a sound from its start
    talk: Path | None = None
    said: tuple[speech.Said, ...] = ()  # in the talk


TALK = (  # a sentence every TALK_EVERY_S seconds, and what a query about it asks
    ("we need more time for the camera demo", "camera demo"),
    ("the revenue fell this quarter", "revenue fell"),
    ("let's ship it before the launch", "ship it"),
    ("the new phone battery lasts two days", "phone battery"),
    ("thank you everyone for the coffee", "coffee"),
    ("please start recording the meeting", "recording the meeting"),
    ("the price is too high", "price too high"),
    ("green garden this morning", "garden"),
)
TALK_EVERY_S = 8.0


def write_eval_folder(
    root: Path,
    photos: int = 40,
    video_scenes: int = 12,
    sound_scenes: int = 3,
    seed: int = 0,
    talk: bool = False,
) -> EvalFolder:
    rng = np.random.default_rng(seed)
    scenes = [all_scenes()[i] for i in rng.permutation(len(all_scenes()))]
    in_video, in_photos = scenes[:video_scenes], scenes[video_scenes : video_scenes + photos]
    with_sound = scenes[video_scenes + photos : video_scenes + photos + sound_scenes]
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
    parts = list(zip(with_sound, sounds[-sound_scenes:], strict=True))
    sound_video = _write_sound_video(root / "videos" / "with-sound.mp4", parts, rng)
    folder = EvalFolder(root, photo_paths, video, in_video, recording, sounds, sound_video, parts)
    if talk:
        sentences = [(text, 1.0 + i * TALK_EVERY_S) for i, (text, _) in enumerate(TALK)]
        samples, said = speech.recording(sentences, len(TALK) * TALK_EVERY_S + 2, voice="en-us")
        path = write_audio(root / "audio" / "talk.m4a", samples, AUDIO_RATE)
        folder = replace(folder, talk=path, said=tuple(said))
    (root / "queries.json").write_text(json.dumps({"queries": _queries(folder)}, indent=1))
    return folder


def _write_sound_video(path: Path, parts: list[tuple[Scene, str]], rng: np.random.Generator) -> Path:
    quiet = np.zeros(int((SOUND_VIDEO_S - SOUND_S) * AUDIO_RATE), dtype=np.float32)
    track = np.concatenate([p for _, k in parts for p in (make_sound(k, SOUND_S, AUDIO_RATE, rng), quiet)])
    track += (rng.standard_normal(len(track)) * 0.01).astype(np.float32)
    pictures = [draw_scene(scene, None, size=120) for scene, _ in parts]
    return write_video(
        path,
        pictures,
        scene_s=SOUND_VIDEO_S,
        fps=2,
        gop=8,
        size=(120, 120),
        audio=track,
        audio_rate=AUDIO_RATE,
    )


def _queries(folder: EvalFolder) -> list[dict]:
    def about(text: str, what: str, *places: dict) -> dict:
        return {"text": text, "about": what, "relevant": list(places)}

    def span(path: Path, start: float, seconds: float) -> dict:
        return {"file": _rel(folder, path), "start": start, "end": start + seconds}

    queries = [about(s.caption, "picture", {"file": _rel(folder, p)}) for p, s in folder.photos.items()]
    for i, scene in enumerate(folder.video_scenes):
        queries.append(about(scene.caption, "picture", span(folder.video, i * VIDEO_SCENE_S, VIDEO_SCENE_S)))
    for i, (scene, _) in enumerate(folder.sound_video_parts):
        queries.append(
            about(scene.caption, "picture", span(folder.sound_video, i * SOUND_VIDEO_S, SOUND_VIDEO_S))
        )
    for i, kind in enumerate(folder.sounds):
        places = [span(folder.recording, i * SOUND_EVERY_S, SOUND_S)]
        places += [
            span(folder.sound_video, j * SOUND_VIDEO_S, SOUND_S)
            for j, (_, k) in enumerate(folder.sound_video_parts)
            if k == kind
        ]
        queries += [about(text, "sound", *places) for text in SOUNDS[kind]]
    if folder.talk is not None:
        for (_, asked), said in zip(TALK, folder.said, strict=True):
            where = span(folder.talk, said.start - 0.5, said.end - said.start + 1)
            queries.append(about(asked, "words", where))
    queries += [about(text, "nothing") for text in GIBBERISH]
    return queries


def _rel(folder: EvalFolder, path: Path) -> str:
    return path.relative_to(folder.root).as_posix()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--speech", action="store_true", help="a talk spoken by espeak-ng, and its queries")
    args = parser.parse_args()
    folder = write_eval_folder(args.out, talk=args.speech)
    print(f"wrote {folder.root} ({len(folder.photos)} photos, a video, a recording, queries.json)")


if __name__ == "__main__":
    main()
