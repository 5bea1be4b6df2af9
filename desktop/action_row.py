"""Buttons that keep every one whole: in one row with their words where the pane has the
room, in two rows where it has not, and as icons with the words in their tooltips where even
two rows do not fit (in German, "Im Ordner zeigen" and "Mehr davon" were cut at the window's
default and minimum sizes)."""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget


class ActionRow(QWidget):
    def __init__(self, buttons: list[QPushButton]) -> None:
        super().__init__()
        self._buttons = buttons
        self._words = {id(b): b.text() for b in buttons}
        self._tips = {id(b): b.toolTip() for b in buttons}
        self._columns = 0
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._place(len(buttons))

    def set_text(self, button: QPushButton, text: str) -> None:
        self._words[id(button)] = text
        self.fit()

    def text(self, button: QPushButton) -> str:
        """The button's words, whether shown on it or in its tooltip."""
        return self._words[id(button)]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        for button in self._buttons:
            button.setText(self._words[id(button)])
        room = self.contentsRect().width()
        one_row, two_rows = len(self._buttons), (len(self._buttons) + 1) // 2
        words = self._needed(two_rows) <= room
        self._place(one_row if self._needed(one_row) <= room or not words else two_rows)
        for button in self._buttons:
            said, tip = self._words[id(button)], self._tips[id(button)]
            button.setText(said if words else "")
            button.setToolTip(tip if words else "\n".join(t for t in (said, tip) if t))

    def _needed(self, columns: int) -> int:
        """The width the shown buttons take in a grid of `columns`, with their words."""
        widest = [0] * columns
        for i, button in enumerate(self._buttons):
            if not button.isHidden():
                widest[i % columns] = max(widest[i % columns], button.sizeHint().width())
        used = [w for w in widest if w]
        return sum(used) + self._grid.horizontalSpacing() * max(0, len(used) - 1)

    def _place(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for i, button in enumerate(self._buttons):
            self._grid.addWidget(button, i // columns, i % columns)
