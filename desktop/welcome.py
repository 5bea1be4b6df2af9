"""First run: which folders to index (suggesting the usual media folders that exist)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from desktop.assets import app_icon
from desktop.folder_list import FolderList
from desktop.format import size
from indexer import download_bytes

SUGGESTED = (
    QStandardPaths.StandardLocation.PicturesLocation,
    QStandardPaths.StandardLocation.MoviesLocation,
    QStandardPaths.StandardLocation.MusicLocation,
)


def suggested_folders() -> list[Path]:
    """Pictures, Videos and Music, where this user has them."""
    found = []
    for location in SUGGESTED:
        for place in QStandardPaths.standardLocations(location):
            path = Path(place)
            if path.is_dir() and path != Path.home() and path not in found:
                found.append(path)
    return found


translate = QCoreApplication.translate


def download_note(downloads: list[str]) -> str:
    """What the first run fetches: nothing when the models are already here (a local folder,
    or the Hugging Face cache)."""
    if not downloads:
        return translate("WelcomeDialog", "The models are already on this computer: nothing is downloaded.")
    return translate("WelcomeDialog", "The first run downloads {models} (about {size} in all).").format(
        models=", ".join(downloads), size=size(download_bytes(downloads))
    )


class WelcomeDialog(QDialog):
    def __init__(self, suggestions: list[Path], downloads: list[str], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome to Framefind"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(520)
        intro = QLabel(
            self.tr(
                "<h3>Find anything in your photos, videos and audio</h3>"
                "<p>Framefind indexes the folders you choose, on this computer: nothing is uploaded. "
                "Indexing runs in the background and you can search while it works. "
                "{downloads} They load while you choose.</p>"
                "<p>Which folders should it cover?</p>"
            ).format(downloads=download_note(downloads))
        )
        intro.setWordWrap(True)
        self.folders = FolderList([], checkable=True)
        for folder in suggestions:
            self.folders.add(folder)
        buttons = QDialogButtonBox()
        start = buttons.addButton(self.tr("Start indexing"), QDialogButtonBox.ButtonRole.AcceptRole)
        start.setDefault(True)
        buttons.addButton(self.tr("Later"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.folders)
        layout.addWidget(QLabel(self.tr("You can change this later in Settings.")))
        layout.addWidget(buttons)

    def chosen(self) -> list[Path]:
        return self.folders.folders()
