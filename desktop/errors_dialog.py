"""The files that could not be indexed, each with its reason."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout


class ErrorsDialog(QDialog):
    def __init__(self, failures: Sequence[tuple[Path, str]], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Files not indexed")
        self.resize(760, 420)
        intro = QLabel(
            f"{len(failures)} files could not be indexed. Each is tried again when it changes "
            "(or all at once with `framefind retry`)."
        )
        intro.setWordWrap(True)
        self.table = QTreeWidget()
        self.table.setHeaderLabels(["File", "Why"])
        self.table.setRootIsDecorated(False)
        self.table.setColumnWidth(0, 380)
        for path, reason in failures:
            item = QTreeWidgetItem([str(path), reason])
            item.setToolTip(0, str(path))
            item.setToolTip(1, reason)
            self.table.addTopLevelItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
