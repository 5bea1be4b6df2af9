"""A playback timeline with the matching moment marked on it; click or drag to seek."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget


class Timeline(QWidget):
    seek = Signal(int)  # milliseconds

    def __init__(self) -> None:
        super().__init__()
        self.duration_ms = 0
        self.position_ms = 0
        self.moment_ms: tuple[int, int] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(22)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("The highlighted span is the moment that matched; click to jump")

    def sizeHint(self) -> QSize:
        return QSize(300, 22)

    def set_duration(self, ms: int) -> None:
        self.duration_ms = max(0, ms)
        self.update()

    def set_position(self, ms: int) -> None:
        self.position_ms = ms
        self.update()

    def set_moment(self, start_ms: int | None, end_ms: int | None) -> None:
        self.moment_ms = None if start_ms is None else (start_ms, max(end_ms or start_ms, start_ms))
        self.update()

    def _x(self, ms: int, track: QRectF) -> float:
        return track.left() + track.width() * (ms / self.duration_ms if self.duration_ms else 0.0)

    def _track(self) -> QRectF:
        return QRectF(6, self.height() / 2 - 3, self.width() - 12, 6)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        track = self._track()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.Mid))
        painter.drawRoundedRect(track, 3, 3)
        if self.moment_ms and self.duration_ms:
            start, end = (self._x(ms, track) for ms in self.moment_ms)
            band = QColor(palette.color(QPalette.ColorRole.Highlight))
            band.setAlpha(150)
            painter.setBrush(band)
            painter.drawRoundedRect(
                QRectF(start, track.top() - 4, max(4.0, end - start), track.height() + 8), 3, 3
            )
        x = self._x(self.position_ms, track)
        painter.setBrush(palette.color(QPalette.ColorRole.Text))
        painter.drawEllipse(QRectF(x - 6, track.center().y() - 6, 12, 12))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._seek_to(event.position().x())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._seek_to(event.position().x())

    def _seek_to(self, x: float) -> None:
        track = self._track()
        if self.duration_ms and track.width() > 0:
            fraction = min(1.0, max(0.0, (x - track.left()) / track.width()))
            self.seek.emit(round(fraction * self.duration_ms))
