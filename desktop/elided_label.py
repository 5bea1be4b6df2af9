"""A one-line label that, when its text does not fit, ends it with "…" and holds the whole
text in its tooltip: messages were cut mid-word ("No good match — showi")."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

LEAST_CHARS = 12  # never narrower than this: a label squeezed to nothing vanished


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self._detail = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * LEAST_CHARS)
        self.setText(text)

    def text(self) -> str:  # type: ignore[override]
        """The whole text, however much of it shows."""
        return self._full

    def setText(self, text: str) -> None:  # type: ignore[override]
        self._full = text
        self._fit()

    def clear(self) -> None:
        self.setText("")

    def set_detail(self, detail: str) -> None:
        """More to say in the tooltip (a file's whole path), under the whole text when cut."""
        self._detail = detail
        self._fit()

    def is_cut(self) -> bool:
        return super().text() != self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, max(self.width(), 1))
        super().setText(shown)
        cut = shown != self._full
        self.setToolTip("\n".join(part for part in (self._full if cut else "", self._detail) if part))
