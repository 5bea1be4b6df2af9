"""A playback timeline with the matching moment marked on it; click or drag to seek."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

MIN_BAND_PX = 12.0


class Timeline(QWidget):
    seek = Signal(int)  # milliseconds

    def __init__(self) -> None:
        super().__init__()
        self.duration_ms = 0
        self.position_ms = 0
        self.moment_ms: tuple[int, int] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(24)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("The highlighted span is the moment that matched; click to jump"))

    def sizeHint(self) -> QSize:
        return QSize(300, 24)

    def set_duration(self, ms: int) -> None:
        self.duration_ms = max(0, ms)
        self.update()

    def set_position(self, ms: int) -> None:
        self.position_ms = ms
        self.update()

    def set_moment(self, start_ms: int | None, end_ms: int | None) -> None:
        self.moment_ms = None if start_ms is None else (start_ms, max(end_ms or start_ms, start_ms))
        self.update()

    def band(self) -> QRectF | None:
        """Where the moment is drawn: never narrower than MIN_BAND_PX, so a 6 s moment of a
        5-minute video stays visible (and clickable) beside the playhead."""
        if not self.moment_ms or not self.duration_ms:
            return None
        track = self._track()
        start, end = (self._x(ms, track) for ms in self.moment_ms)
        width = max(MIN_BAND_PX, end - start)
        left = min(max(track.left(), (start + end - width) / 2), track.right() - width)
        return QRectF(left, track.top() - 5, width, track.height() + 10)

    def track_colour(self) -> QColor:
        """The text colour, faint: visible on light and dark themes alike (the palette's Mid
        is nearly the window's colour in dark themes)."""
        colour = QColor(self.palette().color(QPalette.ColorRole.WindowText))
        colour.setAlpha(70)
        return colour

    def _x(self, ms: int, track: QRectF) -> float:
        return track.left() + track.width() * (ms / self.duration_ms if self.duration_ms else 0.0)

    def _track(self) -> QRectF:
        return QRectF(6, self.height() / 2 - 2, self.width() - 12, 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        track = self._track()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.track_colour())
        painter.drawRoundedRect(track, 2, 2)
        band = self.band()
        if band is not None:
            painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRoundedRect(band, 3, 3)
        # The playhead: a thin line with a small knob, so the band around it stays in sight.
        x = self._x(self.position_ms, track)
        painter.setBrush(palette.color(QPalette.ColorRole.WindowText))
        painter.drawRect(QRectF(x - 1, 2, 2, self.height() - 4))
        painter.drawEllipse(QRectF(x - 4, track.center().y() - 4, 8, 8))

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
