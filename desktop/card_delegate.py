"""Paints one result card: picture, filmstrip or waveform, name, kind and moment, score bar.

Colours come from the palette, so cards follow the system's light or dark theme. The moments
of one file share a tinted background and say which moment they are.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.assets import icon
from desktop.format import detail, moment, quote_pieces
from desktop.results_model import CARD_ROLE, ROW_ROLE, Row
from desktop.thumbnails import Card

CARD = QSize(208, 228)
MARGIN = 6
PICTURE_H = 128
STRIP_H = 26
TEXT_H = 18
BAR_H = 5
WEAKER_OPACITY = 0.55
KIND_ICONS = {"photo": "photo", "video": "video", "audio": "audio"}


@lru_cache(maxsize=64)
def icon_pixmap(name: str, side: int, ratio: float) -> QPixmap:
    """An icon rendered once per size and screen scale (rendering SVG on every paint is slow)."""
    pixmap = icon(name).pixmap(QSize(side, side), ratio)
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


class CardDelegate(QStyledItemDelegate):
    """Paints a card into its grid cell: CARD at least, wider when the grid spreads out."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        view = self.parent()
        return view.gridSize() if isinstance(view, QListView) and view.gridSize().isValid() else CARD

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        row: Row = index.data(ROW_ROLE)
        card: Card | None = index.data(CARD_ROLE)
        palette = option.palette  # type: ignore[attr-defined]
        rect: QRect = option.rect.adjusted(3, 3, -3, -3)  # type: ignore[attr-defined]
        painter.save()
        if row.weaker:  # below the cutoff, listed on request: faded, so the good ones stand out
            painter.setOpacity(WEAKER_OPACITY)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self._background(painter, option, rect, row, palette)
        inner = rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        picture = QRect(inner.left(), inner.top(), inner.width(), PICTURE_H)
        self._picture(painter, picture, card.picture if card else None, row, palette)
        y = picture.bottom() + 4
        if row.result.start is not None:
            strip = QRect(inner.left(), y, inner.width(), STRIP_H)
            if card is not None and not card.strip.isNull():
                self._fit(painter, strip, card.strip, crop=True)
            y += STRIP_H + 2
        self._text(painter, QRect(inner.left(), y, inner.width(), TEXT_H * 2), row, palette, option)
        bar = QRect(inner.left(), inner.bottom() - BAR_H + 1, inner.width(), BAR_H)
        self._score_bar(painter, bar, row.strength, palette)
        painter.restore()

    @staticmethod
    def _background(painter: QPainter, option, rect: QRect, row: Row, palette: QPalette) -> None:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        base = palette.color(QPalette.ColorRole.Base)
        if row.moments > 1:  # one file's moments share a tint
            base = palette.color(QPalette.ColorRole.AlternateBase)
        painter.setPen(
            palette.color(QPalette.ColorRole.Highlight) if selected else palette.color(QPalette.ColorRole.Mid)
        )
        painter.setBrush(base)
        painter.drawRoundedRect(rect, 8, 8)
        if selected:
            highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
            highlight.setAlpha(60)
            painter.setBrush(highlight)
            painter.drawRoundedRect(rect, 8, 8)

    def _picture(self, painter: QPainter, rect: QRect, image: QImage | None, row: Row, palette) -> None:
        painter.fillRect(rect, palette.color(QPalette.ColorRole.Window))
        if image is not None and not image.isNull():
            # a waveform fits whole
            shown = self._fit(painter, rect, image, crop=row.result.modality != "audio")
            quote = row.result.quote
            if quote is not None and quote.box is not None:  # the matched block of written text
                self._outline(painter, rect, shown, quote.box, palette)
        else:  # still loading, or not decodable: the kind's icon
            placeholder = rect.adjusted(70, 40, -70, -40)
            side = min(placeholder.width(), placeholder.height())
            pixmap = icon_pixmap(
                KIND_ICONS.get(row.result.kind, "photo"), side, painter.device().devicePixelRatioF()
            )
            painter.drawPixmap(
                placeholder.center().x() - side // 2, placeholder.center().y() - side // 2, pixmap
            )
        if row.result.start is not None:
            self._badge(painter, rect, moment(row.result), palette)

    @staticmethod
    def _outline(
        painter: QPainter, rect: QRect, shown: QRect, box: tuple[float, float, float, float], palette
    ) -> None:
        """A frame around a block of text, `box` in shares of the picture drawn at `shown`."""
        left, top, right, bottom = box
        block = QRect(
            round(shown.left() + left * shown.width()),
            round(shown.top() + top * shown.height()),
            max(2, round((right - left) * shown.width())),
            max(2, round((bottom - top) * shown.height())),
        ).adjusted(-2, -2, 2, 2)
        painter.save()
        painter.setClipRect(rect)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
        painter.drawRect(block)
        painter.restore()

    @staticmethod
    def _fit(painter: QPainter, rect: QRect, image: QImage, crop: bool) -> QRect:
        """Fill the rect (cropping the middle) or fit inside it (letterbox); where the whole
        image went."""
        size = image.size().scaled(
            rect.size(),
            Qt.AspectRatioMode.KeepAspectRatioByExpanding if crop else Qt.AspectRatioMode.KeepAspectRatio,
        )
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(rect.center())
        painter.save()
        painter.setClipRect(rect)
        painter.drawImage(target, image)
        painter.restore()
        return target

    @staticmethod
    def _badge(painter: QPainter, rect: QRect, text: str, palette) -> None:
        font = QFont(painter.font())
        font.setPointSizeF(font.pointSizeF() * 0.85)
        painter.setFont(font)
        width = painter.fontMetrics().horizontalAdvance(text) + 10
        badge = QRect(rect.right() - width - 4, rect.bottom() - 20, width, 17)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 170))
        painter.drawRoundedRect(badge, 4, 4)
        painter.setPen(QColor(255, 255, 255))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)

    @staticmethod
    def _text(painter: QPainter, rect: QRect, row: Row, palette, option) -> None:
        result = row.result
        font = QFont(option.font)
        font.setBold(row.moment == 0)
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        first = QRect(rect.left() + 20, rect.top(), rect.width() - 20, TEXT_H)
        dpr = painter.device().devicePixelRatioF()
        painter.drawPixmap(
            rect.left(), rect.top() + 1, icon_pixmap(KIND_ICONS.get(result.kind, "photo"), 16, dpr)
        )
        if row.moment == 0:
            name = result.path.name
        else:
            which = QCoreApplication.translate("CardDelegate", "↳ moment {n} of {count}")
            name = which.format(n=row.moment + 1, count=row.moments)
        if row.similar:
            name = f"≈ {name}"
        painter.drawText(
            first,
            Qt.AlignmentFlag.AlignVCenter,
            painter.fontMetrics().elidedText(name, Qt.TextElideMode.ElideMiddle, first.width()),
        )
        font.setBold(False)
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        second = QRect(rect.left(), rect.top() + TEXT_H, rect.width(), TEXT_H)
        pieces = quote_pieces(result) or [(detail(result), False)]
        x = second.left()
        for text, matched in pieces:  # a quote's matched words in bold, the rest elided
            font.setBold(matched)
            painter.setFont(font)
            role = QPalette.ColorRole.Text if matched else QPalette.ColorRole.PlaceholderText
            painter.setPen(palette.color(role))
            room = second.right() - x
            shown = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, room)
            width = painter.fontMetrics().horizontalAdvance(shown)
            painter.drawText(QRect(x, second.top(), width, TEXT_H), Qt.AlignmentFlag.AlignVCenter, shown)
            x += width
            if shown != text or x >= second.right():
                break

    @staticmethod
    def _score_bar(painter: QPainter, rect: QRect, strength: float, palette) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.Midlight))
        painter.drawRoundedRect(rect, 2, 2)
        filled = QRect(rect.left(), rect.top(), max(4, round(rect.width() * strength)), rect.height())
        painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
        painter.drawRoundedRect(filled, 2, 2)
