"""The grid of result cards: as many columns as fit, the spare width shared between them, so
no blank gutter is left at the right edge whatever the window's width."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QListView, QStyle, QWidget

from desktop.card_delegate import CARD, CardDelegate


class ResultGrid(QListView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)  # layout stays O(1) per item: 50k results scroll
        self.setGridSize(CARD)
        self.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.setItemDelegate(CardDelegate(self))
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._spread()
        super().resizeEvent(event)

    def _spread(self) -> None:
        width = self.viewport().width() - 1  # Qt wraps a row that fills the width exactly
        if not self.verticalScrollBar().isVisible():  # Qt's layout keeps room for one that may come
            width -= self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        columns = max(1, width // CARD.width())
        self.setGridSize(QSize(max(CARD.width(), width // columns), CARD.height()))
