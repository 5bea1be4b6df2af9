"""A message across the top of the window: what went wrong and what to do, with a button for
the fix when there is one. Not a modal box: searching goes on around it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton

from desktop.assets import icon


class Banner(QFrame):
    action = Signal()  # the button, for messages shown without a callback of their own

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
        # Reached by Tab or a click, never by default: a banner shown at start must not take
        # the keys the user types into the search field.
        self.button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self._clicked)
        self._then: Callable[[], object] | None = None
        self.topic: str | None = None  # what the message is about, so it goes when that is resolved
        close = QToolButton()
        close.setIcon(icon("close"))
        close.setAutoRaise(True)
        close.setToolTip(self.tr("Dismiss"))
        close.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.addWidget(mark)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        layout.addWidget(close)
        self.hide()

    def show_message(
        self,
        text: str,
        action: str | None = None,
        then: Callable[[], object] | None = None,
        topic: str | None = None,
    ) -> None:
        """Show `text`; the button `action`, when given, calls `then` (else emits `action`).
        `topic` names what it is about, for `resolved`."""
        self._then = then
        self.topic = topic
        self.label.setText(text)
        self.button.setText(action or "")
        self.button.setVisible(action is not None)
        self.show()

    def resolved(self, topic: str) -> None:
        """What a message about `topic` reported is no longer so: it goes (another stays)."""
        if self.topic == topic:
            self.hide()

    def _clicked(self) -> None:
        if self._then is not None:
            self._then()
        else:
            self.action.emit()

    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()
