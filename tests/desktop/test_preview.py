"""The preview pane: activating a moment plays it from its start; keys do what people expect."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtMultimedia import QMediaPlayer

from desktop.preview import PHOTO, VIDEO
from tests.desktop.conftest import WAIT_MS, search


def row_of(window, kind: str) -> int:
    return next(i for i in range(window.model.rowCount()) if window.model.row(i).result.kind == kind)


def test_activating_a_video_result_opens_the_preview_and_seeks_to_the_moment(qtbot, window, app_index):
    scene = app_index.folder.video_scenes[4]
    search(qtbot, window, f"{scene.caption} kind:video")
    index = window.model.index(row_of(window, "video"))
    result = window.model.row(index.row()).result
    assert result.start is not None and result.start > 0
    window.view.setFocus()
    window.view.setCurrentIndex(index)
    qtbot.keyClick(window.view, Qt.Key.Key_Return)  # Enter activates, as a double-click does
    player = window.preview.player
    start_ms = round(result.start * 1000)
    qtbot.waitUntil(
        lambda: player.playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: player.position() >= start_ms, timeout=WAIT_MS)
    assert player.position() < start_ms + 2000  # it started at the moment, not before or long after
    assert player.source().toLocalFile() == str(app_index.folder.video)
    assert window.preview.stage.currentIndex() == VIDEO
    assert window.preview.timeline.moment_ms == (start_ms, round(result.end * 1000))


def test_space_pauses_and_resumes_the_moment(qtbot, window, app_index):
    search(qtbot, window, "a rising chirp kind:audio")
    window.view.setFocus()
    window.view.setCurrentIndex(window.model.index(0))
    player = window.preview.player
    qtbot.keyClick(window.view, Qt.Key.Key_Space)
    qtbot.waitUntil(
        lambda: player.playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=WAIT_MS
    )
    qtbot.keyClick(window.view, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlaybackState.PausedState, timeout=WAIT_MS)


def test_selecting_a_photo_shows_it_large_with_its_details(qtbot, window, app_index):
    photo, scene = next(iter(app_index.folder.photos.items()))
    search(qtbot, window, f"{scene.caption} kind:photo")
    row = next(i for i in range(window.model.rowCount()) if window.model.row(i).result.path == photo)
    window.view.setCurrentIndex(window.model.index(row))
    assert window.preview.stage.currentIndex() == PHOTO
    assert window.preview.title.text() == photo.name
    assert window.preview.photo.pixmap() is not None and not window.preview.photo.pixmap().isNull()
    labels = [
        window.preview.details.itemAt(i, window.preview.details.ItemRole.LabelRole)
        for i in range(window.preview.details.rowCount())
    ]
    assert "Dimensions" in [item.widget().text() for item in labels]


def test_ctrl_f_focuses_the_search_field_and_escape_clears_it(qtbot, window):
    search(qtbot, window, "a red circle")
    window.view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_bar.field.hasFocus()
    qtbot.keyClick(window.search_bar.field, Qt.Key.Key_Escape)
    assert window.search_bar.field.text() == ""
    qtbot.waitUntil(lambda: window.model.rowCount() == 0, timeout=WAIT_MS)


def test_down_arrow_moves_from_the_field_to_the_first_result(qtbot, window):
    search(qtbot, window, "a red circle")
    qtbot.keyClick(window.search_bar.field, Qt.Key.Key_Down)
    assert window.view.hasFocus()
    assert window.view.currentIndex().row() == 0
    qtbot.keyClick(window.view, Qt.Key.Key_Right)
    assert window.view.currentIndex().row() == min(1, window.model.rowCount() - 1)


def _frame_s(preview) -> float:
    frame = preview.video.videoSink().videoFrame()
    return frame.startTime() / 1e6 if frame.isValid() else -1.0


def test_another_moment_of_the_same_video_shows_its_own_frame(qtbot, window, app_index):
    """Playing or paused, a jump within the file brings that moment's picture, not only the clock."""
    search(qtbot, window, f"{app_index.folder.video_scenes[8].caption} kind:video")
    found = next(
        r for r in (window.model.row(i).result for i in range(window.model.rowCount())) if r.kind == "video"
    )
    late, early, middle = (replace(found, start=s, end=s + 4.0, t=s + 2.0) for s in (32.0, 8.0, 20.0))
    preview = window.preview
    preview.show_result(late, play=True)
    qtbot.waitUntil(lambda: 32.0 <= _frame_s(preview) < 36.0, timeout=WAIT_MS)
    preview.show_result(early, play=True)  # while it plays
    qtbot.waitUntil(lambda: preview.player.position() >= 8000, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: 8.0 <= _frame_s(preview) < 12.0, timeout=5000)
    preview.player.pause()
    qtbot.waitUntil(lambda: not preview.player.isPlaying(), timeout=WAIT_MS)
    preview.show_result(middle, play=False)  # while paused: the still changes too
    qtbot.waitUntil(lambda: 20.0 <= _frame_s(preview) < 24.0, timeout=5000)


def test_moving_to_the_next_moment_of_a_playing_video_shows_that_moment(qtbot, window, app_index):
    search(qtbot, window, f"{app_index.folder.video_scenes[8].caption} kind:video")
    rows = [window.model.row(i).result for i in range(window.model.rowCount())]
    first = next(i for i, r in enumerate(rows) if r.kind == "video")
    assert rows[first + 1].path == rows[first].path  # its next moment is listed under it
    window.view.setFocus()
    window.view.setCurrentIndex(window.model.index(first))
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    preview = window.preview
    qtbot.waitUntil(lambda: preview.player.isPlaying(), timeout=WAIT_MS)
    qtbot.keyClick(window.view, Qt.Key.Key_Right)  # the grid's next card
    start = rows[first + 1].start
    qtbot.waitUntil(lambda: start <= _frame_s(preview) < start + 4.0, timeout=5000)
    assert preview.time_label.text().startswith(f"{int(start // 60)}:{int(start % 60):02d}")


def _luminance(colour, over) -> float:
    a = colour.alphaF()
    return sum(
        w * (a * c + (1 - a) * b)
        for w, c, b in zip((0.2126, 0.7152, 0.0722), colour.getRgbF()[:3], over.getRgbF()[:3], strict=True)
    )


def test_a_short_moment_of_a_long_video_is_visible_on_the_timeline_in_light_and_dark(qapp):
    from PySide6.QtGui import QColor, QPalette

    from desktop.timeline import Timeline

    timeline = Timeline()
    timeline.resize(400, 24)
    timeline.set_duration(300_000)
    timeline.set_moment(150_000, 156_000)  # 6 s of 5 minutes: 7 px at true scale
    band = timeline.band()
    assert band is not None and band.width() >= 12
    assert band.left() <= timeline._x(153_000, timeline._track()) <= band.right()
    timeline.set_moment(298_000, 300_000)  # at the very end it stays inside the track
    assert timeline.band().right() <= timeline.width()
    for window, text in (("#1e1e1e", "#f0f0f0"), ("#f6f6f6", "#202020")):
        palette = timeline.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(window))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
        timeline.setPalette(palette)
        background = QColor(window)
        assert abs(_luminance(timeline.track_colour(), background) - _luminance(background, background)) > 0.1


def test_the_time_shows_the_videos_whole_length(qtbot, window, app_index):
    search(qtbot, window, f"{app_index.folder.video_scenes[3].caption} kind:video")
    window.preview.show_result(window.model.row(row_of(window, "video")).result, play=False)
    qtbot.waitUntil(lambda: window.preview.time_label.text().endswith("/ 0:48"), timeout=WAIT_MS)
