"""What is written, in the window: a photo found by its text is previewed with the matched
block outlined, the tooltip says how it was found, and reading shows its own progress."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPalette

from desktop.format import describe, progress
from desktop.preview import ScaledPicture
from indexer import ProgressEvent, SearchResult
from indexer.search.quote import Quote

BOX = (0.25, 0.4, 0.75, 0.6)


def _photo_found_by_text() -> SearchResult:
    quote = Quote(3, "Quarterly roadmap", None, "written", ((0, 9),), (), "words", BOX)
    return SearchResult(
        Path("slide.png"), "photo", "words", 6.0, 1.0, "words", None, None, None, -3, quote=quote
    )


def test_the_preview_outlines_the_matched_block(qtbot):
    picture = ScaledPicture()
    qtbot.addWidget(picture)
    picture.resize(QSize(400, 300))
    white = QImage(400, 300, QImage.Format.Format_RGB32)
    white.fill(QColor("white"))
    picture.set_image(white, BOX)
    shown = picture.pixmap().toImage()
    scale = shown.width() / 400
    highlight = picture.palette().color(QPalette.ColorRole.Highlight)

    def at(x: float, y: float) -> QColor:
        return shown.pixelColor(round(x * scale), round(y * scale))

    left_edge = at(0.25 * 400 - 3, 0.5 * 300)  # the frame sits just outside the block
    assert left_edge.rgb() == highlight.rgb()
    assert at(0.5 * 400, 0.5 * 300).rgb() == QColor("white").rgb()  # the text itself stays clear
    assert at(0.1 * 400, 0.1 * 300).rgb() == QColor("white").rgb()
    picture.set_image(white)  # another result: no frame
    assert picture.pixmap().toImage().pixelColor(
        round((0.25 * 400 - 3) * scale), round(150 * scale)
    ).rgb() == (QColor("white").rgb())


def test_the_tooltip_says_the_photo_was_found_by_what_is_written():
    assert "Found by what is written (read in the picture): “Quarterly roadmap”" in describe(
        _photo_found_by_text()
    )


def test_reading_progress_names_its_stage():
    event = ProgressEvent(40, 3, 0, Path("/x/slide.png"), 1.0, 37, stage="reading")
    assert event.title == "Reading text in pictures"
    assert progress(event) == "3 / 40 files · about 37 s left · slide.png"
