"""A list of folders with Add and Remove, shared by the welcome and the settings dialogs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.assets import icon
from desktop.choose_folder import choose_folder


class FolderList(QWidget):
    def __init__(self, folders: list[Path], checkable: bool = False) -> None:
        super().__init__()
        self._checkable = checkable
        self.list = QListWidget()
        self.list.setMinimumHeight(110)
        add = QPushButton(icon("folder"), self.tr("Add folder…"))
        remove = QPushButton(self.tr("Remove"))
        add.clicked.connect(self._choose)
        remove.clicked.connect(
            lambda: [self.list.takeItem(self.list.row(i)) for i in self.list.selectedItems()]
        )
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        for folder in folders:
            self.add(folder)

    def add(self, folder: Path, checked: bool = True) -> None:
        if str(folder) in (self.list.item(i).text() for i in range(self.list.count())):
            return
        item = QListWidgetItem(icon("folder"), str(folder))
        if self._checkable:
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.list.addItem(item)

    def _choose(self) -> None:
        picked = choose_folder(self, self.tr("Add a folder to index"))
        if picked is not None:
            self.add(picked)

    def folders(self) -> list[Path]:
        """The listed folders (only the ticked ones, when the list has boxes)."""
        items = [self.list.item(i) for i in range(self.list.count())]
        return [
            Path(item.text())
            for item in items
            if not self._checkable or item.checkState() == Qt.CheckState.Checked
        ]
