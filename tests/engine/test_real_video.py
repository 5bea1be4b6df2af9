"""Moments in videos as phones and players know them: upright, at the player's time."""

from __future__ import annotations

import pytest
from PIL import Image

from indexer import Query
from tests.conftest import scene_query
from tests.support.oddities import write_phone_video, write_timed_video


@pytest.fixture
def real_videos(engine, tmp_path):
    folder = tmp_path / "camera"
    phone = write_phone_video(folder / "portrait.mp4", [11, 12, 13, 14], rotation=-90)
    late = write_timed_video(  # soundtrack from 0 s, picture from 4 s; scene 27 at 8–10 s
        folder / "late.mp4",
        [(4 + i / 5, 25 if i < 20 else 27 if i < 30 else 29) for i in range(40)],
        audio_s=12,
    )
    engine.index([folder])
    return engine, phone, late


def test_a_scene_in_a_portrait_phone_video_is_found_at_its_time_and_shown_upright(real_videos, tmp_path):
    engine, phone, _ = real_videos
    upright = scene_query(tmp_path, 13)  # scene 13 plays from 4 s to 6 s
    Image.open(upright).resize((120, 160)).save(upright)
    best = engine.search(Query(examples=(upright,)))[0]
    assert best.path == phone and abs(best.t - 4.0) <= 2.0
    pictures = engine.card_pictures(best)
    with Image.open(pictures.picture) as card:
        assert card.width < card.height  # the card is portrait too


def test_a_scene_in_a_video_that_starts_late_is_found_at_the_players_time(real_videos, tmp_path):
    engine, _, late = real_videos
    best = engine.search(Query(examples=(scene_query(tmp_path, 27),)))[0]
    assert best.path == late and abs(best.t - 8.0) <= 2.0
