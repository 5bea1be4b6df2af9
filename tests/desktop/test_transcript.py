"""What is said, in the window: a card found by words quotes the line with the matched words
in bold from just before the first; the transcript beside the player follows playback, marks
the query's words, and a click on a line plays from there."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QFont

from desktop.format import describe, progress, quote_pieces
from desktop.transcript_view import TranscriptView
from indexer import LineRow, ProgressEvent, SearchResult
from indexer.search.quote import Quote

TEXT = "Before we go on, let me say that we should ship it before the launch next week"


def _found_by_words(marks: tuple[tuple[int, int], ...]) -> SearchResult:
    quote = Quote(7, TEXT, "en", "speech", marks, ())
    span = (30.0, 34.0, 31.2)
    return SearchResult(Path("talk.mp4"), "video", "words", 6.0, 1.0, "words", *span, -7, quote=quote)


def test_a_card_quotes_from_just_before_the_first_matched_word():
    ship = TEXT.index("ship")
    pieces = quote_pieces(_found_by_words(((ship, ship + 4), (ship + 5, ship + 7))))
    assert [p for p, bold in pieces if bold] == ["ship", "it"]
    text = "".join(p for p, _ in pieces)
    assert text.startswith("“…") and text.endswith("next week”")
    assert len(text.split("ship")[0]) <= 30  # the match shows on a narrow card
    assert "Found by what is said (transcribed)" in describe(_found_by_words(()))


def test_transcribing_progress_counts_recordings_and_audio_left():
    event = ProgressEvent(3, 1, 0, Path("/x/talk.mp3"), 0.1, 360, stage="transcribing", audio_left_s=4800)
    assert progress(event) == "1 / 3 recordings · 1.3 h of audio left · about 6 min left · talk.mp3"


def test_the_transcript_follows_playback_marks_the_query_and_seeks(qtbot):
    view = TranscriptView()
    qtbot.addWidget(view)
    lines = [
        LineRow(1, 1, Path("t.mp4"), 2.0, 4.0, "Welcome everyone", "en", "speech"),
        LineRow(2, 1, Path("t.mp4"), 10.0, 13.0, "we should ship it now", "en", "speech"),
        LineRow(3, 1, Path("t.mp4"), 20.0, 22.0, "thank you", "en", "speech"),
    ]
    view.set_lines(lines, "ship it")
    assert _bold(view) == ["ship", "it"]
    view.follow(11.5)
    assert view.current == 1
    view.follow(1.0)
    assert view.current == -1  # before anything is said
    with qtbot.waitSignal(view.seek) as sought:
        view.anchorClicked.emit(QUrl("t:20.0"))
    assert sought.args == [20.0]


def _bold(view: TranscriptView) -> list[str]:
    """The words the view shows in bold."""
    bold, block = [], view.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().fontWeight() >= QFont.Weight.Bold:
                bold.append(fragment.text())
            fragments += 1
        block = block.next()
    return bold
