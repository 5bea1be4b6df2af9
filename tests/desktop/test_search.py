"""Searching from the window: typing, dropping a file, pasting, "More like this"."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication

from desktop.search_bar import FIRST_PAGE
from indexer import Query, parse_query
from tests.desktop.conftest import WAIT_MS, search


def test_typing_a_query_shows_the_matching_photo_first_among_the_engines_results(qtbot, window, app_index):
    photo, scene = next(iter(app_index.folder.photos.items()))
    shown = search(qtbot, window, scene.caption)
    engine = window.session.engine
    expected = engine.search(parse_query(scene.caption, limit=FIRST_PAGE))
    assert [(r.path, r.start) for r in shown] == [(r.path, r.start) for r in expected]
    assert photo in [r.path for r in shown[:3]]
    assert window.results.currentWidget() is window.view


def test_a_query_with_nothing_in_it_clears_the_results(qtbot, window, app_index):
    search(qtbot, window, "a red circle on blue")
    window.search_bar.field.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 0, timeout=WAIT_MS)
    assert window.results.currentWidget() is window.placeholder


def test_kind_filter_and_kind_token_limit_the_results(qtbot, window):
    shown = search(qtbot, window, "a low tone kind:audio")
    assert shown and {r.kind for r in shown} == {"audio"}
    assert window.search_bar.kinds.currentText() == "Audio"  # the box says what the words say
    shown = search(qtbot, window, "a low tone")  # the typed kind deleted: so is the filter
    assert window.search_bar.kinds.currentText() == "All kinds" and {r.kind for r in shown} != {"audio"}
    window.search_bar.kinds.setCurrentIndex(window.search_bar.kinds.findText("Photos"))
    shown = search(qtbot, window, "a red circle")
    assert shown and {r.kind for r in shown} == {"photo"}


def drop(window, path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(
        QPoint(50, 50), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(
        QPointF(50, 50), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, event)


def test_dropping_a_photo_searches_by_example_and_finds_that_photo_first(qtbot, window, app_index):
    photo = sorted(app_index.folder.photos)[5]
    other = app_index.folder.photos[sorted(app_index.folder.photos)[9]].caption
    search(qtbot, window, other)  # words typed for an earlier search
    drop(window, photo)
    qtbot.waitUntil(lambda: not window.searching and window.model.rowCount() > 0, timeout=WAIT_MS)
    assert window.search_bar.field.text() == ""  # they do not quietly narrow the example
    assert "narrow" in window.search_bar.field.placeholderText()
    assert window.model.row(0).result.path == photo and window.model.rowCount() > 1
    assert window.search_bar.chip.label.text() == f"Like {photo.name}"
    assert not window.search_bar.chip.isHidden()


def test_a_file_that_is_not_media_is_refused_before_it_replaces_the_example(
    qtbot, window, app_index, tmp_path
):
    """Dropping notes.txt made the chip "Like notes.txt", left "The search failed." over the
    old results, and typing did nothing until the chip was removed."""
    photo = sorted(app_index.folder.photos)[5]
    drop(window, photo)
    qtbot.waitUntil(lambda: not window.searching and window.model.rowCount() > 0, timeout=WAIT_MS)
    before = [window.model.row(i).result.path for i in range(window.model.rowCount())]
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping: milk, eggs\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(notes))])
    copy, button, none = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(window, QDragEnterEvent(QPoint(50, 50), copy, mime, button, none))
    hint = window.drop_hint.text()
    assert "Drop to find" not in hint and "cannot be searched by" in hint  # no promise while dragging
    drop(window, notes)
    assert window.search_bar.chip.label.text() == f"Like {photo.name}"  # the example in hand stays
    assert "notes.txt is not a photo, video or recording" in window.status.currentMessage()
    qtbot.wait(300)
    assert not window.searching
    assert [window.model.row(i).result.path for i in range(window.model.rowCount())] == before
    qtbot.keyClicks(window.search_bar.field, "red")  # typing narrows the example as before
    qtbot.waitUntil(lambda: not window.searching, timeout=WAIT_MS)
    assert window.search_bar.query().text == "red" and window.search_bar.query().examples == (photo,)


def test_pasting_an_image_searches_by_it(qtbot, window, app_index):
    photo = sorted(app_index.folder.photos)[7]
    QApplication.clipboard().setImage(QImage(str(photo)))
    window.search_bar.field.setFocus()
    qtbot.keyClick(window.search_bar.field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.searching and window.model.rowCount() > 0, timeout=WAIT_MS)
    assert window.model.row(0).result.path == photo
    assert window.search_bar.field.text() == ""  # the image was not pasted as text


def test_more_like_this_searches_like_the_chosen_result(qtbot, window, app_index):
    photo, scene = next(iter(app_index.folder.photos.items()))
    shown = search(qtbot, window, scene.caption)
    chosen = next(r for r in shown if r.path == photo)
    window.more_like_this(chosen)
    qtbot.waitUntil(lambda: not window.searching, timeout=WAIT_MS)
    listed = [window.model.row(i).result.path for i in range(window.model.rowCount())]
    assert listed and photo not in listed  # its neighbours, not the example itself
    window.search_bar.chip.removed.emit()  # ✕ on the example
    assert not window.search_bar.has_example()


def test_gibberish_says_no_good_match_and_shows_only_the_closest(qtbot, window):
    shown = search(qtbot, window, "qwertyuiop")
    assert window.summary.text() == "No good match — showing the closest"
    assert 0 < len(shown) <= 3 and all(window.model.row(i).strength < 0.5 for i in range(len(shown)))
    search(qtbot, window, "a red circle")
    assert window.summary.text().endswith("results")


def test_similar_photos_open_from_the_preview(qtbot, window, app_index):
    photos = sorted(app_index.folder.photos)
    engine = window.session.engine
    keeper, *twins = (engine.search(Query(examples=(p,)))[0] for p in photos[:3])
    burst = replace(keeper, similar=tuple(twins))
    window.model.set_results([burst])
    window.view.setCurrentIndex(window.model.index(0))
    button = window.preview.similar_button
    qtbot.waitUntil(lambda: not button.isHidden(), timeout=WAIT_MS)
    assert button.text() == "2 similar"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert [window.model.row(i).result.path for i in range(window.model.rowCount())] == photos[:3]
    assert window.view.currentIndex().row() == 0  # the photo stays selected


def test_scrolling_to_the_end_of_the_first_page_brings_the_rest(qtbot, window, monkeypatch):
    monkeypatch.setattr("desktop.search_bar.FIRST_PAGE", 8)
    search(qtbot, window, "a red circle")
    if not window.search_bar.show_all:
        qtbot.mouseClick(window.show_weaker, Qt.MouseButton.LeftButton)  # every match, weaker too
    qtbot.waitUntil(lambda: not window.searching and len(window._response.results) == 8, timeout=WAIT_MS)
    first = [r.path for r in window._response.results]
    window.view.setCurrentIndex(window.model.index(3))
    bar = window.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: not window.searching and len(window._response.results) > 8, timeout=WAIT_MS)
    assert [r.path for r in window._response.results[:8]] == first
    assert window.view.currentIndex().row() == 3 and bar.value() > 0  # the user keeps their place
    search(qtbot, window, "a blue square")  # a new query starts with the first page again
    assert window.search_bar.limit == 8


def test_dragging_a_file_over_the_window_says_what_dropping_it_does(qtbot, window, app_index):
    from PySide6.QtGui import QDragLeaveEvent

    photo = sorted(app_index.folder.photos)[1]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    enter = QDragEnterEvent(
        QPoint(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert window.drop_hint.isVisible() and photo.name in window.drop_hint.text()
    QApplication.sendEvent(window, QDragLeaveEvent())  # dragged away again
    assert not window.drop_hint.isVisible()
    drop(window, photo)
    assert not window.drop_hint.isVisible()


def test_the_only_what_is_said_box_keeps_to_words(qtbot, window, app_index):
    """The library says nothing: the picture it shows is found, but not by what is said."""
    assert search(qtbot, window, "a red circle on blue")
    window.search_bar.said.setCurrentIndex(window.search_bar.said.findText("Only what is said"))
    assert window.search_bar.query().said
    qtbot.waitUntil(lambda: window.model.rowCount() == 0, timeout=WAIT_MS)
    window.search_bar.said.setCurrentIndex(0)
    assert search(qtbot, window, "a red circle on blue")


def test_the_sort_box_orders_the_good_matches_by_name(qtbot, window, app_index):
    shown = search(qtbot, window, "a red circle")
    good = window._response.cleared
    assert good > 1
    window.search_bar.sort.setCurrentIndex(window.search_bar.sort.findData("name"))
    qtbot.waitUntil(lambda: not window.searching, timeout=WAIT_MS)
    files = list(dict.fromkeys(window.model.row(i).result.path for i in range(window.model.rowCount())))
    firsts = [p.name.casefold() for p in files[:good]]
    assert firsts == sorted(firsts) and set(files[:good]) == {r.path for r in shown[:good]}
    assert window.search_bar.query().sort == "name"
