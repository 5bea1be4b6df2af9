"""A video's or recording's transcript beside the player: a line per row with its time, the
line being said marked as it plays, a click on a line plays from there, and the words of
the query in bold."""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Sequence

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QTextBrowser

from desktop.format import clock
from indexer import LineRow


class TranscriptView(QTextBrowser):
    seek = Signal(float)  # seconds: a line was clicked

    def __init__(self) -> None:
        super().__init__()
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._clicked)
        self.setPlaceholderText(self.tr("Nothing said here is known yet."))
        self._lines: list[LineRow] = []
        self._starts: list[float] = []
        self._words: re.Pattern[str] | None = None
        self._current = -1

    def set_lines(self, lines: Sequence[LineRow], query: str | None) -> None:
        """Show these lines; the query's words (of two letters or more) are marked."""
        self._lines = list(lines)
        self._starts = [line.start for line in self._lines]
        words = [re.escape(w) for w in re.findall(r"\w{2,}", query or "")]
        self._words = re.compile(rf"\b({'|'.join(words)})\b", re.IGNORECASE) if words else None
        self._current = -1
        self._render()

    def follow(self, seconds: float) -> None:
        """Mark the line being said at `seconds` (the last one begun), and keep it in view."""
        current = bisect.bisect_right(self._starts, seconds) - 1
        if current != self._current:
            self._current = current
            self._render()
            if current >= 0:
                self.scrollToAnchor(f"line{current}")

    @property
    def current(self) -> int:
        return self._current

    def _render(self) -> None:
        rows = []
        back = self.palette().color(QPalette.ColorRole.Highlight).name()
        fore = self.palette().color(QPalette.ColorRole.HighlightedText).name()
        style = f' style="background-color: {back}; color: {fore}"'
        for i, line in enumerate(self._lines):
            text = html.escape(line.text)
            if self._words is not None:
                text = self._words.sub(r"<b>\1</b>", text)
            rows.append(
                f'<p{style if i == self._current else ""}><a name="line{i}"></a>'
                f'<a href="t:{line.start}">{clock(line.start)}</a>&nbsp; {text}</p>'
            )
        self.setHtml("".join(rows))

    def _clicked(self, url: QUrl) -> None:
        if url.scheme() == "t":
            self.seek.emit(float(url.path()))
