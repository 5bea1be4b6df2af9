"""The video-language space (`vlm`): clips cut from a video as video, embedded by a Qwen3-VL
embedding model through Sentence Transformers (here the tiny one of tests/models/train_vlm.py,
trained on clips of shapes moving left or right), found by text at their time, and merged with
the picture and sound spaces in one list; its vectors cut to fewer dimensions (Matryoshka); its
reranker, which judges a video moment by the clip around it (the tiny Qwen3-VL reranker of
tests/models/train_vlm_reranker.py); and which models `auto` chooses for a machine."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from indexer import FramefindError, Query, build_engine
from indexer.engine import Engine
from indexer.media.clips import clip_frame_times, video_clips
from indexer.media.excerpt import excerpt
from indexer.media.extract import ExtractOptions
from indexer.models.embed import Embedder
from indexer.models.hardware import RERANKER_2B, RERANKER_8B, VLM_2B, VLM_8B, vlm_model
from indexer.search.rerank import Candidate, Reranker, choose_model
from indexer.settings import SpaceSpec, load_settings
from indexer.space_spec import declared_spaces
from tests.models.train_vlm import HELD_OUT, draw
from tests.ranking.conftest import trained_settings
from tests.support.media import write_video
from tests.support.models import MOTION_RERANKER, MOTION_VLM

VIDEOS = frozenset({"video"})


def _crossing(colour: str, shape: str, direction: str) -> list[Image.Image]:
    """Eight seconds of the shape crossing the frame, a picture a second."""
    xs = [i / 7 for i in range(8)]
    return [Image.fromarray(draw(colour, shape, x if direction == "right" else 1 - x)) for x in xs]


@pytest.fixture(scope="module")
def films(tmp_path_factory) -> Path:
    """walk.mp4: a red circle crosses to the left (0–8 s), then back to the right (8–16 s);
    yellow.mp4 the same with a yellow square, whose crossing to the right no training clip had."""
    root = tmp_path_factory.mktemp("films")
    for name, (colour, shape) in (("walk.mp4", ("red", "circle")), ("yellow.mp4", HELD_OUT[:2])):
        there_and_back = _crossing(colour, shape, "left") + _crossing(colour, shape, "right")
        write_video(root / name, there_and_back, scene_s=1.0, fps=4, gop=8, size=(64, 64))
    return root


def _engine(tmp_path_factory, films: Path, *others: SpaceSpec, **changes) -> Iterator[Engine]:
    vlm = SpaceSpec("vlm", str(MOTION_VLM), dims=changes.pop("dims", None))
    settings = trained_settings(tmp_path_factory.mktemp("vlm") / "data", **changes)
    with build_engine(replace(settings, spaces=(*others, vlm))) as engine:
        engine.index([films])
        yield engine


@pytest.fixture(scope="module")
def engine(tmp_path_factory, films) -> Iterator[Engine]:
    """The clip space beside the picture and sound spaces, as the app has them on a GPU."""
    yield from _engine(tmp_path_factory, films, *trained_settings(Path("unused")).spaces)


@pytest.fixture(scope="module")
def clips_only(tmp_path_factory, films) -> Iterator[Engine]:
    yield from _engine(tmp_path_factory, films)


@pytest.fixture(scope="module")
def reranked(tmp_path_factory, films) -> Iterator[Engine]:
    yield from _engine(tmp_path_factory, films, reranker=str(MOTION_RERANKER))


def test_a_video_is_cut_into_clips_of_eight_seconds_at_a_frame_a_second(films):
    clips = list(video_clips(films / "walk.mp4", side=64))
    assert [(c.start, c.end) for c in clips] == [(0.0, 8.0), (8.0, 16.0)]
    assert [c.data.shape for c in clips] == [(8, 64, 64, 3)] * 2 and clips[0].segment_kind == "clip"
    assert clip_frame_times(16.0, 19.5) == [16.0, 17.0, 18.0, 19.0]  # a short last window: in pairs
    assert clip_frame_times(16.0, 18.5) == [16.0, 17.0, 18.0, 18.0]


def test_a_text_query_finds_the_clip_that_moves_as_it_says_at_its_time(clips_only, films):
    """Left or right is in no single frame: a picture space sees the same red circle in both
    halves of walk.mp4, the same frames in the other order; the clip space tells them apart."""
    for direction, at in (("left", 4.0), ("right", 12.0)):  # the middle of its clip
        query = Query(text=f"a red circle moves to the {direction}", kinds=VIDEOS)
        best = clips_only.search(query).results[0]
        assert (best.path, best.t, best.space) == (films / "walk.mp4", at, "vlm"), direction


def test_played_backwards_a_clip_moves_the_other_way(clips_only, films):
    """The same frames in the other order: a model that saw frames, not motion, could not
    tell the two apart."""
    embedder = next(s for s in clips_only.spaces if s.name == "vlm").embedder
    rightwards = list(video_clips(films / "walk.mp4", side=64))[1]
    backwards = replace(rightwards, data=rightwards.data[::-1].copy())
    clips = embedder.encode_segments([rightwards, backwards])
    left, right = embedder.encode_text(["a red circle moves to the left", "a red circle moves to the right"])
    assert clips[0] @ right > clips[0] @ left and clips[1] @ left > clips[1] @ right


def test_a_caption_never_taught_finds_its_clip_at_its_time(clips_only, films):
    colour, shape, direction = HELD_OUT
    best = clips_only.search(
        Query(text=f"a {colour} {shape} moves to the {direction}", kinds=VIDEOS)
    ).results[0]
    assert (best.path, best.t) == (films / "yellow.mp4", 12.0)


def test_the_clip_space_merges_with_the_picture_and_sound_spaces(engine, films):
    spaces = {s.name for s in engine.spaces}
    assert {"image", "audio", "vlm"} <= spaces
    response = engine.search(Query(text="a red circle moves to the right"))
    found = [m for r in response.results for m in (r, *r.moments)]
    assert {m.space for m in found} >= {"image", "vlm"}  # frames and clips, moments of one file
    assert len({r.path for r in response.results}) == len(response.results)  # one entry a file
    assert any(m.space == "vlm" and m.t == 12.0 for m in found if m.path == films / "walk.mp4")


@pytest.mark.parametrize(
    ("device", "memory", "chosen"),
    [
        ("auto", None, None),  # no GPU: far too slow on a CPU
        ("cpu", 80.0, None),
        ("mps", 64.0, None),
        ("auto", 8.0, None),  # too little for the 2B with clips
        ("auto", 16.0, VLM_2B),
        ("cuda:1", 16.0, VLM_2B),
        ("auto", 80.0, VLM_8B),
    ],
)
def test_auto_chooses_by_the_gpus_memory(device, memory, chosen):
    assert vlm_model("auto", device, memory) == chosen


def test_none_turns_it_off_and_a_model_named_is_kept(tmp_path):
    assert vlm_model("none", "cuda", 80.0) is None
    assert vlm_model("org/my-vlm", "cpu", None) == "org/my-vlm"  # by hand, on any machine
    named = load_settings({}, data_dir=tmp_path, vlm_model=str(MOTION_VLM))
    assert [s.embeds for s in named.spaces if s.name == "vlm"] == [("clip", "photo")]
    off = load_settings({"FRAMEFIND_VLM_MODEL": "none"}, data_dir=tmp_path)
    assert "vlm" not in {s.name for s in off.spaces}


def test_the_gpus_memory_is_read_from_its_driver_without_torch(tmp_path, monkeypatch):
    from indexer.models.hardware import gpu_memory_gib

    monkeypatch.setenv("PATH", str(tmp_path))
    assert gpu_memory_gib() is None  # no NVIDIA driver: no GPU to choose for
    tool = tmp_path / "nvidia-smi"
    tool.write_text("#!/bin/sh\necho 16376\necho 81559\n")  # MiB, one line a GPU: the first counts
    tool.chmod(0o755)
    assert round(gpu_memory_gib(), 1) == 16.0
    tool.write_text("#!/bin/sh\nexit 9\n")  # a driver that fails: no GPU, not a crash
    assert gpu_memory_gib() is None


# Matryoshka: fewer dimensions ------------------------------------------------------------


def test_a_space_keeps_the_first_dims_of_its_vectors_at_unit_length(films):
    whole = Embedder(SpaceSpec("vlm", str(MOTION_VLM), dims=64), "cpu")  # more than it makes: all 32
    cut = Embedder(SpaceSpec("vlm", str(MOTION_VLM), dims=16), "cpu")
    clips = list(video_clips(films / "walk.mp4", side=64))
    texts = ["a red circle moves to the left", "a red circle moves to the right"]
    for full, short in (
        (whole.encode_segments(clips), cut.encode_segments(clips)),
        (whole.encode_text(texts), cut.encode_text(texts)),
    ):
        assert full.shape == (2, 32) and short.shape == (2, 16)
        first = full[:, :16] / np.linalg.norm(full[:, :16], axis=1, keepdims=True)
        np.testing.assert_allclose(short, first, atol=1e-5)
    assert (whole.dim, cut.dim) == (32, 16)


def test_the_vlm_space_keeps_1024_dims_and_its_identity_says_so(tmp_path):
    vlm = SpaceSpec("vlm", VLM_2B)
    assert vlm.dims == 1024 and vlm.identity == f"{VLM_2B}@default~1024"
    assert SpaceSpec("image", "openai/clip-vit-base-patch32").dims is None  # CLIP keeps all it makes
    declared = {"faces": {"model": "org/faces", "embeds": ["photo"], "answers": ["image"], "dims": 256}}
    assert declared_spaces(declared)[0].dims == 256
    for wrong in (True, 0, "256"):
        with pytest.raises(FramefindError, match="dims"):
            declared_spaces({"faces": {**declared["faces"], "dims": wrong}})


@pytest.fixture(scope="module")
def sixteen(tmp_path_factory, films) -> Iterator[Engine]:
    yield from _engine(tmp_path_factory, films, dims=16)


def test_an_index_of_fewer_dims_is_built_and_searched(sixteen, films):
    (space,) = sixteen.spaces
    assert space.embedder.dim == 16 and space.identity.endswith("~16")
    best = sixteen.search(Query(text="a red circle moves to the right", kinds=VIDEOS)).results[0]
    assert (best.path, best.space) == (films / "walk.mp4", "vlm")


# the reranker ----------------------------------------------------------------------------


def _clip_of(path: Path, at: tuple[float, ...]):
    return lambda i, modality: excerpt(path, modality, at[i], None, None, ExtractOptions())


def test_the_reranker_judges_a_video_moment_by_the_clip_around_it(films):
    """Two moments of the same red circle; only the clip around each says which way it goes
    (given their middle frames, a reranker sees one circle a little left of the other)."""
    reranker = Reranker(str(MOTION_RERANKER), "cpu")
    moments = [Candidate("video", True), Candidate("video", True)]  # at 4 s leftwards, at 12 s rightwards
    for film, colour, shape in (("walk.mp4", "red", "circle"), ("yellow.mp4", *HELD_OUT[:2])):
        for direction, first in (("left", 0), ("right", 1)):
            query = f"a {colour} {shape} moves to the {direction}"
            order, scores, report = reranker.rerank(query, moments, _clip_of(films / film, (4.0, 12.0)))
            assert report.scored == 2 and order[0] == first, (film, direction, scores)


def test_a_search_reranks_its_top_with_the_clips(reranked, films):
    # uncalibrated: the tiny model's scores are no good match by the cohort's measure, and a
    # list with none is not reranked
    query = Query(text="a red circle moves to the right", kinds=VIDEOS, calibrate=False)
    response = reranked.search(query)
    best = response.results[0]
    assert response.rerank.scored >= 1 and (best.path, best.t) == (films / "walk.mp4", 12.0)
    alone = reranked.reranker.rerank(
        "a red circle moves to the right", [Candidate("video", True)], _clip_of(best.path, (12.0,))
    )
    assert best.rerank_score == pytest.approx(alone[1][0], abs=1e-4)  # scored on the clip itself


@pytest.mark.parametrize(
    ("memory", "beside", "chosen"),
    [
        (80.0, VLM_8B, RERANKER_8B),  # an H100: both 8Bs
        (40.0, VLM_8B, RERANKER_2B),  # 16 GB left beside the 8B
        (24.0, VLM_8B, None),  # the 8B takes it all
        (24.0, VLM_2B, RERANKER_2B),
        (40.0, VLM_2B, RERANKER_8B),
        (12.0, None, RERANKER_2B),  # no video model: the reranker has the GPU
        (4.0, None, None),
    ],
)
def test_auto_gives_the_reranker_what_the_video_model_leaves(memory, beside, chosen):
    choice = choose_model("auto", "cuda", beside, memory)
    assert choice.model == chosen
    assert choice.clips == (chosen == RERANKER_8B)  # the 2B gains nothing on video: it sees frames
    if chosen is None:
        assert f"{memory:.0f} GB" in choice.unavailable


def test_each_kind_of_result_is_given_as_the_reranker_does_best():
    takes = {"text", "image", "video"}
    eight, two = Reranker(RERANKER_8B, "cpu"), Reranker(RERANKER_2B, "cpu")  # named: not loaded yet
    assert choose_model("auto", "cpu").model is None and "no GPU" in choose_model("auto", "cpu").unavailable
    assert eight.given(Candidate("image", True), takes) == "video"  # a frame's moment, as a clip
    assert eight.given(Candidate("video", True), takes) == "video"
    assert two.given(Candidate("video", True), takes) == "image"  # its middle frame
    assert (
        eight.given(Candidate("image", False), takes)
        == two.given(Candidate("image", False), takes)
        == "image"
    )
    assert eight.given(Candidate("audio", True), takes) is None  # a sound: not for this model
