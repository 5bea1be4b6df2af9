"""With models that learned the synthetic world, queries find what they describe."""

from __future__ import annotations

from indexer import Query
from tests.ranking.conftest import VIDEO_INTERVAL_S
from tests.support.eval_folder import SOUND_EVERY_S, SOUND_S, VIDEO_SCENE_S
from tests.support.synthetic import SOUNDS


def test_text_queries_find_the_described_photos(trained, eval_folder):
    for path, scene in list(eval_folder.photos.items())[:12]:
        assert trained.search(Query(text=scene.caption))[0].path == path, scene.caption


def test_a_text_query_finds_the_moment_in_a_long_video(trained, eval_folder):
    for i, scene in enumerate(eval_folder.video_scenes):
        results = trained.search(Query(text=scene.caption, kinds=frozenset({"video"})))
        best = results[0]
        start, end = i * VIDEO_SCENE_S, (i + 1) * VIDEO_SCENE_S
        assert best.path == eval_folder.video and best.t is not None, scene.caption
        assert start - VIDEO_INTERVAL_S <= best.t <= end + VIDEO_INTERVAL_S, (scene.caption, best.t)
        # the moment spans the scene's frames, not one frame among dozens of results
        assert best.start is not None and best.end is not None and best.start <= best.t <= best.end


def test_an_audio_caption_finds_its_window_in_a_recording(trained, eval_folder):
    found = []
    for i, kind in enumerate(eval_folder.sounds):
        best = trained.search(Query(text=SOUNDS[kind][0], kinds=frozenset({"audio"})))[0]
        assert best.path == eval_folder.recording and best.modality == "audio"
        right = i * SOUND_EVERY_S <= best.t <= i * SOUND_EVERY_S + SOUND_S
        found.append(right)
        assert not right or best.end - best.start <= 2 * SOUND_S  # a moment, not the whole file
    # The tiny model tells five of the six sounds apart (falling and rising chirps blur).
    assert sum(found) >= 5, list(zip(eval_folder.sounds, found, strict=True))


def test_mixed_kinds_rank_fairly_only_with_calibration(trained, eval_folder):
    """One list for photos, video moments and audio: the right kind comes first for each
    query. Raw cosines of the two spaces are not comparable, so without calibration one
    space's results crowd out the other's."""
    queries = [(s.caption, "photo") for s in list(eval_folder.photos.values())[:10]]
    queries += [(SOUNDS[k][0], "audio") for k in eval_folder.sounds]

    def right_kind(calibrate: bool) -> float:
        top = [trained.search(Query(text=q, calibrate=calibrate, show_all=True))[0].kind for q, _ in queries]
        return sum(kind == want for kind, (_, want) in zip(top, queries, strict=True)) / len(queries)

    calibrated, raw = right_kind(calibrate=True), right_kind(calibrate=False)
    assert calibrated >= 0.85 and raw <= 0.7 and calibrated - raw >= 0.25, (calibrated, raw)
