"""Settings: folders, the model of each space, device, reranker, video sampling, data folder.

The dialog only collects choices; the window saves them through the engine's API and
restarts the engine, which re-indexes in the background when a model changed.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.choose_folder import choose_folder
from desktop.folder_list import FolderList
from desktop.format import decimal
from indexer import MachineChoice, Settings, image_query_choice, machine_choice, stored_settings

DEVICES = ("auto", "cpu", "cuda", "mps")
OCR_CHOICES = ("auto", "none")
QUERY_CHOICES = ("auto", "none")


@dataclass(frozen=True)
class Choices:
    folders: list[Path]
    image_model: str
    image_query_model: str
    audio_model: str
    speech_model: str
    words_model: str
    vlm_model: str
    ocr: str
    device: str
    reranker: str
    video_interval_s: float
    data_dir: Path
    fixed: frozenset[str] = frozenset()  # decided by the environment: not saved

    def stored(self) -> dict:
        """The settings-file values (the data folder is kept by the app, not in itself),
        without those the environment decides: its values stay out of the file."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("data_dir", "fixed")}
        values["folders"] = [str(p) for p in self.folders]
        return {key: value for key, value in values.items() if key not in self.fixed}


def _with_browse(edit: QLineEdit, caption: str) -> QWidget:
    browse = QPushButton(QCoreApplication.translate("SettingsDialog", "Folder…"))

    def pick() -> None:
        picked = choose_folder(edit, caption, Path(edit.text()).expanduser() if edit.text() else None)
        if picked is not None:
            edit.setText(str(picked))

    browse.clicked.connect(pick)
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit, 1)
    row.addWidget(browse)
    return box


def _model_of(settings: Settings, space: str) -> str:
    return next((s.model for s in settings.spaces if s.name == space), "none")


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent=None, overrides: dict[str, str] | None = None) -> None:
        """`overrides`: the settings the environment decides (setting → variable), shown fixed."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Framefind settings"))
        self.setMinimumWidth(560)
        self._settings = settings
        self._overrides = dict(overrides or {})
        self.folders = FolderList(list(settings.folders))
        self.image_model = QLineEdit(_model_of(settings, "image"))
        self.audio_model = QLineEdit(_model_of(settings, "audio"))
        self.words_model = QLineEdit(_model_of(settings, "words"))
        for edit in (self.image_model, self.audio_model, self.words_model):
            edit.setToolTip(self.tr("A Hugging Face hub id, a local model folder, or none to turn this off"))
        self.image_query_model = QComboBox()
        self.image_query_model.setEditable(True)  # or a text model of one's own, by hub id or folder
        self.image_query_model.addItems(QUERY_CHOICES)
        self.image_query_model.setCurrentText(image_query_choice(settings))
        self.image_query_model.setToolTip(
            self.tr(
                "What reads picture searches: auto understands 50+ languages with the default image "
                "model (a multilingual model made for it; nothing is indexed again); none uses the image "
                "model's own, English; or a hub id or folder of a text model made for your image model"
            )
        )
        self.vlm_model = QComboBox()
        self.vlm_model.setEditable(True)  # a hub id or folder of one's own
        self.vlm_model.addItems(QUERY_CHOICES)
        self.vlm_model.setCurrentText(str(stored_settings(settings.data_dir).get("vlm_model", "auto")))
        self.vlm_model.setToolTip(
            self.tr(
                "Videos as video (a few seconds of motion at a time), with a video-language model: auto "
                "takes Qwen3-VL-Embedding-2B (a 4.3 GB download) on an NVIDIA GPU with 12 GB or more, "
                "the 8B (17.5 GB) with 24 GB, and none on a CPU, where it is far too slow; none turns it "
                "off; or a hub id or folder"
            )
        )
        self.machine = QLabel(self._machine_words(machine_choice(settings.device)))
        self.machine.setWordWrap(True)  # what auto takes here, by the GPU found
        self.speech_model = QLineEdit(settings.speech_model)
        self.speech_model.setToolTip(
            self.tr(
                "What is said is transcribed with this Whisper model: a size (base, small, large-v3-turbo), "
                "a hub id or a folder; auto picks by device, none turns it off"
            )
        )
        self.ocr = QComboBox()
        self.ocr.setEditable(True)  # another script's recogniser: korean, cyrillic, arabic, el…
        self.ocr.addItems(OCR_CHOICES)
        self.ocr.setCurrentText(settings.ocr)
        self.ocr.setToolTip(
            self.tr(
                "Text in photos and video frames is read with RapidOCR: auto uses the models it ships "
                "(Latin scripts, Chinese, Japanese); type korean, cyrillic, arabic or el for another "
                "script (downloaded on first use); none turns it off"
            )
        )
        self.device = QComboBox()
        self.device.setEditable(True)  # cuda:1 and the like
        self.device.addItems(DEVICES)
        self.device.setCurrentText(settings.device)
        self.rerank = QCheckBox(self.tr("Rerank the top results with a multimodal reranker (best on a GPU)"))
        self.rerank.setChecked(settings.reranker != "none")
        self.rerank.setToolTip(
            self.tr(
                "On an NVIDIA GPU, Qwen3-VL-Reranker re-scores the top results: the 8B (17.5 GB download) "
                "where 20 GB are left beside the video model, which judges a video moment by its clip; "
                "else the 2B (4.3 GB) where 6 GB are left, which judges its frame. Nothing on a CPU"
            )
        )
        self.interval = QDoubleSpinBox()
        self.interval.setRange(0.5, 60.0)
        self.interval.setSingleStep(0.5)
        self.interval.setSuffix(self.tr(" s"))
        self.interval.setValue(settings.video_interval_s)
        self.interval.setToolTip(
            self.tr(
                "Videos: keyframes, and at least one frame this often. Videos already indexed are "
                "sampled again in the background; search goes on meanwhile"
            )
        )
        self.data_dir = QLineEdit(str(settings.data_dir))
        form = QFormLayout()
        form.addRow(self.tr("Folders"), self.folders)
        form.addRow(
            self.tr("Image model"), _with_browse(self.image_model, self.tr("Image–text model folder"))
        )
        form.addRow(self.tr("Picture searches in"), self.image_query_model)
        form.addRow(
            self.tr("Audio model"), _with_browse(self.audio_model, self.tr("Audio–text model folder"))
        )
        speech_folder = self.tr("Whisper model folder (CTranslate2)")
        form.addRow(self.tr("Speech model"), _with_browse(self.speech_model, speech_folder))
        words_folder = self.tr("Sentence model folder (said, by meaning)")
        form.addRow(self.tr("Words model"), _with_browse(self.words_model, words_folder))
        form.addRow(self.tr("Video as video"), self.vlm_model)
        form.addRow("", self.machine)
        form.addRow(self.tr("Text in pictures"), self.ocr)
        form.addRow(self.tr("Device"), self.device)
        form.addRow(self.tr("Reranking"), self.rerank)
        form.addRow(self.tr("Video frame every"), self.interval)
        data_folder = self.tr("Where Framefind keeps its index")
        form.addRow(self.tr("Data folder"), _with_browse(self.data_dir, data_folder))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if self._overrides:
            layout.addWidget(self._environment_note())
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _environment_note(self) -> QLabel:
        """Fields the environment decides are greyed, saying which variable to change."""
        for key, variable in self._overrides.items():
            # Each field is named for its setting (the reranker's box for whether to rerank).
            field = getattr(self, "rerank" if key == "reranker" else key, None)
            if isinstance(field, QWidget):
                field.setEnabled(False)
                says = self.tr("Set by {variable} in the environment: change or unset it there.")
                field.setToolTip(says.format(variable=variable))
        names = ", ".join(sorted(set(self._overrides.values())))
        note = QLabel(
            self.tr(
                "Greyed settings come from the environment ({names}), which wins over this dialog; "
                "unset the variable to choose here."
            ).format(names=names)
        )
        note.setWordWrap(True)
        return note

    def _machine_words(self, choice: MachineChoice) -> str:
        if choice.memory_gib is None:
            return self.tr(
                "No NVIDIA GPU for Framefind here: auto keeps videos to their frames and does not rerank."
            )
        return self.tr("This GPU has {gib} GB: auto takes {vlm} for videos and {reranker} to rerank.").format(
            gib=decimal(choice.memory_gib, 0),
            vlm=_short(choice.vlm) if choice.vlm else self.tr("no video model"),
            reranker=_short(choice.reranker) if choice.reranker else self.tr("no reranker"),
        )

    def choices(self) -> Choices:
        reranker = self._settings.reranker
        if not self.rerank.isChecked():
            reranker = "none"
        elif reranker == "none":
            reranker = "auto"
        return Choices(
            folders=self.folders.folders(),
            image_model=self.image_model.text().strip() or "none",
            image_query_model=self.image_query_model.currentText().strip() or "auto",
            audio_model=self.audio_model.text().strip() or "none",
            speech_model=self.speech_model.text().strip() or "none",
            words_model=self.words_model.text().strip() or "none",
            vlm_model=self.vlm_model.currentText().strip() or "auto",
            ocr=self.ocr.currentText().strip() or "none",
            device=self.device.currentText().strip() or "auto",
            reranker=reranker,
            video_interval_s=self.interval.value(),
            data_dir=Path(self.data_dir.text().strip() or str(self._settings.data_dir)).expanduser(),
            fixed=frozenset(self._overrides),
        )


def _short(model: str) -> str:
    """Qwen3-VL-Embedding-2B, not Qwen/Qwen3-VL-Embedding-2B."""
    return model.rsplit("/", 1)[-1]
