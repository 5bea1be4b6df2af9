"""Asking before the files of a folder that is not there leave the index: one click used to
drop them all (57 in a test), with no way back but indexing them again."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from indexer import HeldRoot

OBJECT_NAME = "confirm-forget"


def ask_to_forget(parent: QWidget, held: list[HeldRoot], forget: Callable[[], None]) -> QMessageBox:
    """A window-modal question naming the count; `forget` runs only on "Forget them"."""
    files = sum(h.files for h in held)
    where = str(held[0].path) if len(held) == 1 else f"{len(held)} folders"
    box = QMessageBox(QMessageBox.Icon.Warning, "Forget these files?", "", parent=parent)
    box.setObjectName(OBJECT_NAME)
    box.setText(f"Forget the {files} indexed file{'s' * (files != 1)} of {where}?")
    box.setInformativeText(
        "Searches stop finding them. The files themselves are not touched: if the folder comes "
        "back, they are indexed again from the start."
    )
    confirm = box.addButton("Forget them", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
    box.buttonClicked.connect(lambda button: forget() if button is confirm else None)
    box.open()
    return box
