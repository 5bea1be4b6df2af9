"""The files that could not be indexed, each with its reason."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout


class ErrorsDialog(QDialog):
    """`retry_chosen` is True once the dialog closes through "Try all again"."""

    def __init__(self, failures: Sequence[tuple[Path, str]], can_retry: bool = True, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Files not indexed"))
        self.resize(760, 420)
        self.retry_chosen = False
        intro = QLabel(
            self.tr(
                "%n file(s) could not be indexed. Each is tried again by itself when it changes; after "
                "fixing something else (a missing codec, a drive that was busy), try them all again.",
                None,
                len(failures),
            )
        )
        intro.setWordWrap(True)
        self.table = QTreeWidget()
        self.table.setHeaderLabels([self.tr("File"), self.tr("Why")])
        self.table.setRootIsDecorated(False)
        self.table.setColumnWidth(0, 380)
        for path, reason in failures:
            item = QTreeWidgetItem([str(path), reason])
            item.setToolTip(0, str(path))
            item.setToolTip(1, reason)
            self.table.addTopLevelItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.retry_button = buttons.addButton(
            self.tr("Try all again"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.retry_button.setEnabled(can_retry and bool(failures))
        if not can_retry:
            self.retry_button.setToolTip(
                self.tr("Another Framefind indexes this data folder: try them again there.")
            )
        buttons.accepted.connect(self._retry)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def _retry(self) -> None:
        self.retry_chosen = True
        self.accept()
