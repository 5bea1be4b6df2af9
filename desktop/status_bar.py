"""The indexer's state in the status bar: models loading, progress (done/total, rate, ETA,
current file), the errors count with their list, and pause/resume."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QProgressBar, QStatusBar, QToolButton

from desktop.assets import icon
from desktop.elided_label import ElidedLabel
from desktop.format import progress, space_name, stage_title
from desktop.report_words import report_summary
from indexer import IndexReport, ModelLoading, ProgressEvent


class IndexStatus(QStatusBar):
    pause_toggled = Signal(bool)  # True: pause
    errors_clicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.label = ElidedLabel(self.tr("Starting…"))
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(200)
        self.bar.setTextVisible(False)
        self.bar.hide()
        self.errors = QToolButton()
        self.errors.setIcon(icon("warning"))
        self.errors.setToolTip(self.tr("Files that could not be indexed, and why"))
        self.errors.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.errors.setAutoRaise(True)
        self.errors.hide()
        self.pause = QToolButton()
        self.pause.setCheckable(True)
        self.pause.setAutoRaise(True)
        self.pause.setIcon(icon("pause"))
        self.pause.setToolTip(self.tr("Pause indexing"))
        self.pause.setEnabled(False)
        self.addWidget(self.label, 1)
        self.addPermanentWidget(self.errors)
        self.addPermanentWidget(self.bar)
        self.addPermanentWidget(self.pause)
        self.pause.toggled.connect(self._pause_toggled)
        self.errors.clicked.connect(self.errors_clicked)

    def model_loading(self, event: ModelLoading) -> None:
        folder = Path(event.model)
        name = folder.name if folder.is_absolute() else event.model  # a folder by its name, a hub id whole
        if event.downloading:
            text = self.tr("Downloading the {space} model {name}… (first use; this can take a few minutes)")
        else:
            text = self.tr("Loading the {space} model {name}…")
        self.label.setText(text.format(space=space_name(event.space), name=name))
        self.label.set_detail(event.model)
        self.bar.setRange(0, 0)  # busy
        self.bar.show()

    def ready(self, text: str) -> None:
        self.label.set_detail("")
        self.label.setText(text)
        self.bar.hide()

    def show_progress(self, event: ProgressEvent) -> None:
        if self.pause.isChecked():  # an event sent before the indexer saw the pause says so too
            event = replace(event, paused=True)
        self.pause.setEnabled(True)
        self.bar.setRange(0, max(1, event.total))
        self.bar.setValue(event.done)
        self.bar.setVisible(event.done < event.total)
        self.label.setText(
            self.tr("{stage}: {progress}").format(stage=stage_title(event), progress=progress(event))
        )
        self.label.set_detail(str(event.current) if event.current else "")

    def show_report(self, report: IndexReport) -> None:
        """After a pass of the indexer, which then follows changes."""
        self.bar.hide()
        self.label.set_detail("")
        self.label.setText(self.tr("{summary} Watching for changes.").format(summary=report_summary(report)))

    def set_failures(self, count: int) -> None:
        self.errors.setText(self.tr("%n not indexed", None, count))
        self.errors.setVisible(count > 0)

    def _pause_toggled(self, paused: bool) -> None:
        self.pause.setIcon(icon("play" if paused else "pause"))
        self.pause.setToolTip(self.tr("Resume indexing") if paused else self.tr("Pause indexing"))
        if paused:
            self.label.setText(self.tr("Indexing paused."))
        self.pause_toggled.emit(paused)
