"""The preview pane: activating a moment plays it from its start; keys do what people expect."""

from __future__ import annotations

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
