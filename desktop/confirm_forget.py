"""Asking before the files of a folder that is not there leave the index: one click used to
drop them all (57 in a test), with no way back but indexing them again."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.phrases import Phrases
from indexer import HeldRoot

OBJECT_NAME = "confirm-forget"


def ask_to_forget(parent: QWidget, held: list[HeldRoot], forget: Callable[[], None]) -> QMessageBox:
    """A window-modal question naming the count; `forget` runs only on "Forget them"."""
    files = sum(h.files for h in held)
    if len(held) == 1:
        question = Phrases.tr("Forget the %n indexed file(s) of {folder}?", None, files)
    else:
        question = Phrases.tr("Forget the %n indexed file(s) of {folders} folders?", None, files)
    title = Phrases.tr("Forget these files?")
    box = QMessageBox(QMessageBox.Icon.Warning, title, "", parent=parent)
    box.setObjectName(OBJECT_NAME)
    box.setText(question.format(folder=held[0].path, folders=len(held)))
    box.setInformativeText(
        Phrases.tr(
            "Searches stop finding them. The files themselves are not touched: if the folder comes "
            "back, they are indexed again from the start.",
        )
    )
    confirm = box.addButton(Phrases.tr("Forget them"), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
    box.buttonClicked.connect(lambda button: forget() if button is confirm else None)
    box.open()
    return box
