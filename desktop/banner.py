"""A message across the top of the window: what went wrong and what to do, with a button for
the fix when there is one. Not a modal box: searching goes on around it."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton

from desktop.assets import icon


class Banner(QFrame):
    action = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("banner")
        self.setStyleSheet("#banner { background: rgba(217, 119, 6, 40); border-radius: 6px; }")
        mark = QLabel()
        mark.setPixmap(icon("warning").pixmap(QSize(20, 20)))
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.button = QPushButton()
        self.button.clicked.connect(self.action)
        close = QToolButton()
        close.setIcon(icon("close"))
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.addWidget(mark)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        layout.addWidget(close)
        self.hide()

    def show_message(self, text: str, action: str | None = None) -> None:
        self.label.setText(text)
        self.button.setText(action or "")
        self.button.setVisible(action is not None)
        self.show()

    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()
