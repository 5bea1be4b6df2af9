"""Card pictures: a photo's thumbnail, a video moment's frame and filmstrip, an audio moment's
waveform; made once, cached by content, and never an error for a file that went bad."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
from PIL import Image

from indexer import Query
from indexer.search.previews import STRIP_FRAMES, waveform


def first(engine, kind: str, text: str = "x"):
    response = engine.search(Query(text=text, kinds=frozenset({kind}), show_all=True, limit=5, rerank=False))
    return response.results[0]


def test_each_kind_gets_its_pictures_and_they_are_cached(indexed):
    engine, _ = indexed
    photo = engine.card_pictures(first(engine, "photo"))
    assert photo.picture is not None and photo.strip is None
    assert max(Image.open(photo.picture).size) <= 256
    video_hit = first(engine, "video")
    video = engine.card_pictures(video_hit)
    assert video.picture is not None and video.strip is not None
    strip = Image.open(video.strip)
    assert strip.width > STRIP_FRAMES * strip.height * 0.9  # frames side by side
    audio = engine.card_pictures(first(engine, "audio"))
    assert audio.picture is not None and audio.picture.suffix == ".png" and audio.strip is None
    made = video.picture.stat().st_ino  # pictures are written to a new file and renamed
    assert engine.card_pictures(video_hit) == video and video.picture.stat().st_ino == made


def test_the_video_picture_is_the_frame_at_the_moment(indexed):
    engine, _ = indexed
    hit = first(engine, "video")
    picture = engine.card_pictures(hit).picture
    other = engine.card_pictures(hit.__class__(**{**hit.__dict__, "t": (hit.t or 0) + 6.0})).picture
    assert picture != other
    a, b = (np.asarray(Image.open(p).convert("RGB"), dtype=float) for p in (picture, other))
    assert np.abs(a - b).mean() > 10  # a different scene of the video


def test_a_file_that_went_bad_gives_no_picture_not_an_error(engine, corpus):
    engine.index([corpus.root])
    hit = first(engine, "video")
    hit.path.write_bytes(b"no longer a video")
    pictures = engine.card_pictures(hit)
    assert pictures.picture is None and pictures.strip is None


def test_the_waveform_draws_the_envelope_full_scale():
    quiet = np.concatenate([np.zeros(800), 0.01 * np.sin(np.arange(800))]).astype(np.float32)
    image = np.asarray(waveform(quiet, size=(100, 40)))
    alpha = image[:, :, 3]
    assert alpha[:, :45].sum(axis=0).max() <= 255 * 2  # silence: a flat line
    assert (alpha[:, 55:] > 0).sum(axis=0).min() >= 30  # the quiet tone fills the height


def _moment(hit, start: float, end: float):
    return replace(hit, start=start, end=end)


def test_moments_cut_differently_by_each_query_share_a_bounded_set_of_pictures(indexed):
    """Keys held each query's exact bounds: the cache grew with every search."""
    engine, _ = indexed
    hit = first(engine, "video")
    folder = engine.card_pictures(hit).strip.parent
    before = set(folder.iterdir())
    strips = {engine.card_pictures(_moment(hit, 4.0 + i / 10, 7.1 + i / 20)).strip for i in range(9)}
    assert len(strips) == 1  # 4.0–7.1 … 4.8–7.5: all the 4–8 s strip
    assert len(set(folder.iterdir()) - before) <= 1


def test_pictures_leave_with_the_last_file_that_has_their_content(engine, corpus, tmp_path):
    engine.index([corpus.root])
    photo = next(iter(corpus.photos))
    copy = tmp_path / "media" / "copy" / photo.name
    copy.parent.mkdir()
    copy.write_bytes(photo.read_bytes())
    engine.index([corpus.root])
    hit = engine.search(Query(examples=(photo,)))[0]
    picture = engine.card_pictures(hit).picture
    photo.unlink()
    engine.index([corpus.root])
    assert picture.exists()  # the copy still shows it
    copy.unlink()
    engine.index([corpus.root])
    assert not picture.exists()


def test_trimming_drops_the_least_recently_used_pictures_first(engine, corpus):
    engine.index([corpus.root])
    hits = engine.search(Query(text="x", show_all=True, limit=50, rerank=False)).results
    pictures = [p for hit in hits for p in (engine.card_pictures(hit).picture,) if p is not None]
    time.sleep(0.05)  # file times tick in milliseconds
    again = engine.card_pictures(hits[0])  # used again: the most recent
    recent = [p for p in (again.picture, again.strip) if p is not None]
    cap = sum(p.stat().st_size for p in recent) + 10
    assert engine.previews.trim(cap) >= len(set(pictures)) - len(recent)
    assert all(p.exists() for p in recent)
    total = sum(p.stat().st_size for p in (engine.settings.data_dir / "thumbs").glob("*/*"))
    assert total <= cap
