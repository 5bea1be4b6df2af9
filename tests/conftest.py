"""Shared fixtures: tiny models built once per session, synthetic media with known content."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# Tests never reach the network: a missing model must fail, not download.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
# Qt tests draw offscreen (the screenshot test starts its own Xvfb).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Caches (the models' query towers) in a folder of this run, shared by its tests: each model's
# tower is exported once, and the user's own cache is never touched.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="framefind-test-cache-")

from indexer import Settings, SpaceSpec, build_engine
from indexer.engine import Engine
from tests.support.media import scene_image, sound, write_audio, write_photo, write_video
from tests.support.models import build_tiny_clap, build_tiny_clip

AUDIO_RATE = 16_000
SCENE_S = 2.0


@pytest.fixture(scope="session")
def tiny_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_clip(tmp_path_factory.mktemp("models") / "tiny-clip")


@pytest.fixture(scope="session")
def tiny_clap(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_clap(tmp_path_factory.mktemp("models") / "tiny-clap", sampling_rate=AUDIO_RATE)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config.stash[_EXIT_STATUS] = int(exitstatus)


@pytest.hookimpl(tryfirst=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Every result is reported by now: end as the app and the CLI end (indexer.cli.run),
    without the interpreter's teardown, where CTranslate2's and torch's two OpenMP runtimes
    crash the process now and then (exit 139 after all tests passed). First, before
    pytest's own unconfigure collects garbage (its unraisable-exception plugin), which
    frees those native objects just the same: CI crashed there with this hook last."""
    if _EXIT_STATUS in config.stash:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(config.stash[_EXIT_STATUS])


_EXIT_STATUS = pytest.StashKey[int]()


def make_settings(data_dir: Path, clip: Path, clap: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        spaces=(SpaceSpec("image", str(clip)), SpaceSpec("audio", str(clap))),
        device="cpu",
        batch_size=8,
        decode_workers=2,
        video_interval_s=SCENE_S,
        speech_model="none",  # the words tests choose the tiny recogniser
        ocr="none",  # and the reading tests read
        query_translator="none",  # the sound-language tests translate
    )


@pytest.fixture
def settings(tmp_path: Path, tiny_clip: Path, tiny_clap: Path) -> Settings:
    return make_settings(tmp_path / "data", tiny_clip, tiny_clap)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    with build_engine(settings) as eng:
        yield eng


@dataclass(frozen=True)
class Corpus:
    """A folder of media whose content is known exactly."""

    root: Path
    photos: dict[Path, int]  # photo → scene index
    video: Path  # scenes VIDEO_SCENES[i] during [2i, 2i+2) s, with a soundtrack
    long_gop_video: Path  # one keyframe every 10 s: fillers must be decoded between them
    recording: Path  # RECORDING parts, 10 s each

    @property
    def files(self) -> list[Path]:
        return [*self.photos, self.video, self.long_gop_video, self.recording]


VIDEO_SCENES = list(range(10))
LONG_GOP_SCENES = list(range(40, 50))
RECORDING = [("sine", 300.0, 10.0), ("noise", 1.0, 10.0), ("chirp", 1200.0, 10.0), ("sine", 3000.0, 10.0)]
PHOTO_FORMATS = {"a.jpg": 20, "b.png": 21, "c.webp": 22, "d.bmp": 23, "e.tiff": 24, "f.gif": 25}


def write_corpus(root: Path) -> Corpus:
    photos = {write_photo(root / "photos" / name, scene): scene for name, scene in PHOTO_FORMATS.items()}
    soundtrack = sound([("sine", 440.0, 10.0), ("noise", 2.0, 10.0)], AUDIO_RATE)
    video = write_video(
        root / "videos" / "trip.mp4",
        VIDEO_SCENES,
        scene_s=SCENE_S,
        gop=12,
        audio=soundtrack,
        audio_rate=AUDIO_RATE,
    )
    long_gop = write_video(root / "videos" / "long-gop.mkv", LONG_GOP_SCENES, scene_s=SCENE_S, gop=60)
    recording = write_audio(root / "audio" / "recording.flac", sound(RECORDING, AUDIO_RATE), AUDIO_RATE)
    return Corpus(root, photos, video, long_gop, recording)


@pytest.fixture(scope="session")
def corpus_template(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return write_corpus(tmp_path_factory.mktemp("corpus-template") / "media")


@pytest.fixture
def corpus(tmp_path: Path, corpus_template: Corpus) -> Corpus:
    """A private copy of the corpus that a test may change."""
    root = tmp_path / "media"
    shutil.copytree(corpus_template.root, root)
    rebase = lambda p: root / p.relative_to(corpus_template.root)  # noqa: E731
    return Corpus(
        root,
        {rebase(p): s for p, s in corpus_template.photos.items()},
        rebase(corpus_template.video),
        rebase(corpus_template.long_gop_video),
        rebase(corpus_template.recording),
    )


@pytest.fixture(scope="module")
def indexed(
    tmp_path_factory: pytest.TempPathFactory, tiny_clip: Path, tiny_clap: Path, corpus_template: Corpus
) -> Iterator[tuple[Engine, Corpus]]:
    """An engine over the whole corpus, indexed once, for tests that only read."""
    data = tmp_path_factory.mktemp("indexed") / "data"
    with build_engine(make_settings(data, tiny_clip, tiny_clap)) as eng:
        eng.index([corpus_template.root])
        yield eng, corpus_template


@pytest.fixture
def query_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "queries"
    folder.mkdir()
    return folder


def scene_query(folder: Path, scene: int) -> Path:
    """A still of one scene, saved outside the corpus, to query with."""
    path = folder / f"scene-{scene}.png"
    scene_image(scene).save(path)
    return path


@pytest.fixture(scope="session")
def espeak() -> None:
    """Real speech needs espeak-ng: a missing one fails loudly, never skips."""
    from tests.support.speech import have_espeak

    if not have_espeak():
        raise RuntimeError(
            "espeak-ng is missing: install the test packages (sh packaging/system-deps.sh test)"
        )
