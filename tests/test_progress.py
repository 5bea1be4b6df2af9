"""Progress by work: a long video is many photos' worth, and a pause is not counted."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from indexer.ingest.progress import IndexReport, WorkClock, file_work

PHOTOS = [(Path(f"p{i}.jpg"), 3_000_000) for i in range(90)]
VIDEOS = [(Path(f"v{i}.mp4"), 600_000_000) for i in range(10)]  # 5-minute phone videos


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def now(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr("indexer.ingest.progress.time.monotonic", clock)
    return clock


def photos_then_videos(now: Clock) -> WorkClock:
    """90 photos indexed in 9 s; ten long videos left."""
    work = WorkClock([file_work(p, n) for p, n in PHOTOS + VIDEOS])
    for path, size in PHOTOS:
        now.now += 0.1
        work.finished(file_work(path, size))
    return work


def test_a_long_video_counts_as_many_photos_and_a_recording_by_its_length():
    assert file_work(Path("a.JPG"), 5_000_000) == 1.0
    assert file_work(Path("a.mp4"), 600_000_000) > 100
    assert file_work(Path("a.mp3"), 5_000_000) > file_work(Path("b.mp3"), 500_000) > 1


def test_time_left_counts_the_videos_still_to_come_not_the_files(now):
    work = photos_then_videos(now)
    # Counting files, 10 left at 10 files/s would be "1 s left".
    assert work.eta_s() == pytest.approx(10 * file_work(*VIDEOS[0]) / 10.0, rel=0.01)
    assert work.eta_s() > 100


def test_a_pause_counts_neither_in_the_rate_nor_in_the_time_left(now):
    work = photos_then_videos(now)
    before = work.eta_s()
    work.pause()
    now.now += 600
    assert work.working_s() == pytest.approx(9.0)
    work.resume()
    now.now += 1
    assert work.working_s() == pytest.approx(10.0)
    assert work.eta_s() == pytest.approx(before * 10 / 9, rel=0.01)  # 1 s more of work, nothing more done


def test_a_report_names_only_what_happened():
    indexed = IndexReport(new=3, unchanged=40, removed=1, segments=45, seconds=1.2)
    indexed.indexed_by_kind = Counter(photo=2, video=1)
    assert (
        indexed.summary()
        == "Indexed 3 new files (2 photos, 1 video; 45 searchable moments) in 1.2 s; 1 removed, 40 unchanged."
    )
    assert IndexReport(removed=2, unchanged=3).summary() == "2 removed, 3 unchanged."
    assert "none" not in IndexReport(changed=1, failed=1).summary()
    assert IndexReport(unchanged=3).summary() == "Nothing to do: all 3 files up to date."
    assert IndexReport().summary() == "Nothing to index yet: no photos, videos or recordings found."
    assert "re-embedded" not in IndexReport(backfilled=2).summary()
