"""The catalogue context of what the window says outside a widget: formatting, reports,
messages."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject


class Phrases(QObject):
    """`Phrases.tr(text)` says `text` in the window's language. A class's `tr`, because
    pyside6-lupdate gives a string its plural forms ("%n file(s)") only from `X.tr(...)` calls,
    not from `QCoreApplication.translate`."""

    @classmethod
    def tr(  # type: ignore[override]  # a class's phrase book: called on the class, not an instance
        cls, text: object, disambiguation: str | None = None, n: int = -1
    ) -> str:
        """`text` may be a `QT_TRANSLATE_NOOP("Phrases", …)` constant (typed `object`)."""
        return QCoreApplication.translate(cls.__name__, str(text), disambiguation, n)
