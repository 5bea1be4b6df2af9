from pathlib import Path

from desktop.format import clock, moment, progress, size
from indexer import ProgressEvent, SearchResult


def test_clock_and_moment_read_as_people_write_times():
    assert clock(754) == "12:34" and clock(3723) == "1:02:03"
    hit = SearchResult(Path("v.mp4"), "video", "image", 3.0, 0.3, "image", 754.0, 771.0, 760.0, 1)
    assert moment(hit) == "12:34–12:51"
    photo = SearchResult(Path("p.jpg"), "photo", "image", 3.0, 0.3, "image", None, None, None, 2)
    assert moment(photo) == ""


def test_progress_says_done_total_rate_time_left_and_the_file():
    event = ProgressEvent(total=4000, done=120, failed=0, current=Path("/x/holiday.jpg"), rate=9.4, eta_s=412)
    assert progress(event) == "120 / 4,000 files · 9.4 files/s · about 7 min left · holiday.jpg"


def test_sizes_read_in_the_unit_that_fits():
    assert [size(n) for n in (7, 56_300, 3_400_000, 1_200_000_000)] == [
        "7 bytes",
        "56 KB",
        "3.4 MB",
        "1.2 GB",
    ]


def test_only_the_newest_pasted_images_are_kept(tmp_path, qapp):
    import time

    from PySide6.QtGui import QColor, QImage

    from desktop.pasted import save_pasted

    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    saved = []
    for _ in range(5):
        saved.append(save_pasted(image, tmp_path / "pasted", keep=3))
        time.sleep(0.01)
    assert sorted(p.name for p in (tmp_path / "pasted").iterdir()) == sorted(p.name for p in saved[-3:])


def test_while_paused_progress_shows_no_rate_or_time_left():
    event = ProgressEvent(
        total=100, done=40, failed=0, current=Path("/x/a.jpg"), rate=3.0, eta_s=20, paused=True
    )
    assert progress(event) == "40 / 100 files · paused"
    nearly = ProgressEvent(total=100, done=99, failed=0, current=None, rate=3.0, eta_s=0.4)
    assert "almost done" in progress(nearly) and "0 s" not in progress(nearly)


def test_a_cards_second_line_fits_the_card_with_every_mark_it_can_carry(qapp):
    from dataclasses import replace

    from PySide6.QtGui import QFont, QFontMetrics

    from desktop.card_delegate import CARD, MARGIN
    from desktop.format import detail

    video = SearchResult(Path("v.mp4"), "video", "audio", 3.0, 0.3, "audio", 754.0, 771.0, 760.0, 1)
    busy = replace(video, other_moments=42)
    assert detail(busy) == "♪ by sound · +42 moments" and busy.by_sound
    assert detail(replace(video, other_moments=1)).endswith("+1 moment")  # not "+1 moments"
    room = CARD.width() - 2 * (3 + MARGIN)
    assert QFontMetrics(QFont()).horizontalAdvance(detail(busy)) <= room
    photo = SearchResult(Path("p.jpg"), "photo", "image", 3.0, 0.3, "image", None, None, None, 2)
    assert detail(photo) == "photo"
