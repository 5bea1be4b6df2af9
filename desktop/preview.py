"""The preview pane: a photo large with its details, or a video or recording playing from the
moment that matched, the moment marked on the timeline."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDateTime, QLocale, QRectF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QImage, QImageReader, QPainter, QPalette, QPen, QPixmap, QResizeEvent
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.action_row import ActionRow
from desktop.assets import icon
from desktop.format import clock, describe, kind_name, match, moment, number, size
from desktop.timeline import Timeline
from desktop.transcript_view import TranscriptView
from indexer import LineRow, SearchResult

PHOTO, VIDEO, AUDIO = range(3)


class ScaledPicture(QLabel):
    """A picture that fits the label, keeping its aspect, as the pane resizes."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(QSize(160, 120))
        self._image = QImage()
        self._box: tuple[float, float, float, float] | None = None

    def set_image(self, image: QImage, box: tuple[float, float, float, float] | None = None) -> None:
        """`box`: a block of text to outline, in shares of the picture (a match written there)."""
        self._image, self._box = image, box
        self._rescale()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._image.isNull():
            self.clear()
            return
        ratio = self.devicePixelRatioF()  # sharp on high-DPI screens
        pixmap = QPixmap.fromImage(self._image).scaled(
            self.size() * ratio,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        if self._box is not None:
            self._outline(pixmap, self._box, ratio)
        pixmap.setDevicePixelRatio(ratio)
        self.setPixmap(pixmap)

    def _outline(self, pixmap: QPixmap, box: tuple[float, float, float, float], ratio: float) -> None:
        left, top, right, bottom = box
        w, h = pixmap.width(), pixmap.height()
        painter = QPainter(pixmap)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), max(2.0, 3 * ratio)))
        margin = 3 * ratio
        width, height = (right - left) * w + 2 * margin, (bottom - top) * h + 2 * margin
        painter.drawRect(QRectF(left * w - margin, top * h - margin, width, height))
        painter.end()


def read_photo(path: Path, fit: QSize) -> QImage:
    """The photo decoded at about the size shown (JPEGs decode scaled), upright."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and (size.width() > fit.width() or size.height() > fit.height()):
        reader.setScaledSize(size.scaled(fit, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


class PreviewPane(QWidget):
    more_like_this = Signal(object)  # SearchResult
    open_requested = Signal(object)  # Path: the window opens it and says when it cannot
    reveal_requested = Signal(object)  # Path: the window shows it in its folder, or says why not
    similar_toggled = Signal(object)  # SearchResult whose near-duplicates to show or fold
    # Qt's FFmpeg backend tears a pipeline down on its own thread, which needs Python's GIL
    # while the player's stop()/setSource() waits for it: called from Python they deadlock.
    # Through queued connections Qt calls them from its event loop, with the GIL released.
    _set_source = Signal(QUrl)
    _stop = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumWidth(280)
        self.result: SearchResult | None = None
        self._there = False  # whether the shown result's file was there when it was shown
        self.calibrated = True  # whether the results' scores say how good a match is (set by the window)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.photo = ScaledPicture()
        self.video = QVideoWidget()
        self.video.setMinimumSize(QSize(160, 120))
        self.waveform = ScaledPicture()
        self.stage = QStackedWidget()
        for page in (self.photo, self.video, self.waveform):
            self.stage.addWidget(page)
        self.player = QMediaPlayer(self)
        self.audio = QAudioOutput(self)
        self.player.setAudioOutput(self.audio)
        self.player.setVideoOutput(self.video)
        self._set_source.connect(self.player.setSource, Qt.ConnectionType.QueuedConnection)
        self._stop.connect(self.player.stop, Qt.ConnectionType.QueuedConnection)
        self._seek_on_load: int | None = None
        self._requested = QUrl()  # the source last asked for (the player's changes later)
        self._play_on_load = False
        self.controls = self._build_controls()
        self.transcript = TranscriptView()
        self.transcript.seek.connect(lambda s: self.result and self.cue(round(s * 1000), play=True))
        self.details = QFormLayout()
        self.details.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.open_button = QPushButton(icon("open"), self.tr("Open"))
        self.open_button.setToolTip(self.tr("Open with the default app (Ctrl+O)"))
        self.folder_button = QPushButton(icon("folder"), self.tr("Show in folder"))
        self.like_button = QPushButton(icon("similar"), self.tr("More like this"))
        self.similar_button = QPushButton(icon("similar"), "")
        self.similar_button.setToolTip(self.tr("List the near-duplicate photos folded into this one"))
        self.action_row = ActionRow(
            [self.open_button, self.folder_button, self.like_button, self.similar_button]
        )
        self.empty = QLabel(
            self.tr(
                "Choose a result to see it here.\n\nEnter or a double-click plays a moment from where it "
                "matched; Space pauses; Ctrl+O opens the file."
            )
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)  # drawn in the muted colour of a hint
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.stage, 1)
        layout.addWidget(self.controls)
        layout.addWidget(self.transcript, 1)
        layout.addLayout(self.details)
        layout.addWidget(self.action_row)
        self.open_button.clicked.connect(lambda: self.result and self.open_requested.emit(self.result.path))
        reveal = self.reveal_requested
        self.folder_button.clicked.connect(lambda: self.result and reveal.emit(self.result.path))
        self.like_button.clicked.connect(lambda: self.result and self.more_like_this.emit(self.result))
        self.similar_button.clicked.connect(lambda: self.result and self.similar_toggled.emit(self.result))
        self.player.mediaStatusChanged.connect(self._media_status)
        self.player.durationChanged.connect(self._duration)
        self.player.positionChanged.connect(self._position)
        self.player.playbackStateChanged.connect(self._state)
        self.timeline.seek.connect(self.player.setPosition)
        self.show_result(None)

    def _build_controls(self) -> QWidget:
        self.play_button = QToolButton()
        self.play_button.setIcon(icon("play"))
        self.play_button.setToolTip(self.tr("Play or pause (Space)"))
        self.play_button.clicked.connect(self.toggle_play)
        self.timeline = Timeline()
        self.time_label = QLabel("0:00")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.play_button)
        row.addWidget(self.timeline, 1)
        row.addWidget(self.time_label)
        self.no_sound = QLabel(
            self.tr("No sound output was found: playing without sound. Check the system's sound settings.")
        )
        self.no_sound.setWordWrap(True)
        self.no_sound.hide()
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.no_sound)
        outer = QWidget()
        outer.setLayout(column)
        return outer

    def show_result(
        self, result: SearchResult | None, play: bool = False, picture: QImage | None = None
    ) -> None:
        """Show a result; a moment is cued at its start, and plays when `play`."""
        self.result = result
        self._there = result is not None and result.path.exists()
        for button in (self.open_button, self.folder_button, self.like_button):
            button.setEnabled(result is not None)
        similar = len(result.similar) if result is not None else 0
        self.similar_button.setVisible(bool(similar))
        self.action_row.set_text(self.similar_button, self.tr("%n similar", None, similar))
        self._fill_details(result)
        for part in (self.title, self.stage, self.action_row):  # no empty frame while nothing is chosen
            part.setVisible(result is not None)
        self.empty.setVisible(result is None)
        self.transcript.hide()  # until the window hands over what this one says
        if result is None:
            self._unload()
            self.photo.set_image(QImage())
            self.stage.setCurrentIndex(PHOTO)
            self.controls.hide()
            return
        self.title.setText(result.path.name)
        if result.start is None:
            self._unload()
            self.stage.setCurrentIndex(PHOTO)
            box = result.quote.box if result.quote is not None else None
            self.photo.set_image(read_photo(result.path, QSize(2048, 2048)), box)
            self.controls.hide()
            return
        self.stage.setCurrentIndex(AUDIO if result.kind == "audio" else VIDEO)
        self.set_picture(picture)
        self.controls.show()
        self.no_sound.setVisible(not QMediaDevices.audioOutputs())  # silence, explained
        self.timeline.set_moment(round(result.start * 1000), round((result.end or result.start) * 1000))
        said = result.t if result.quote is not None and result.t is not None else result.start
        self.cue(round(said * 1000), play)  # found by what is said: from the first word matched

    def show_transcript(self, lines: list[LineRow], query: str | None) -> None:
        """What the video or recording on show says, beside it (hidden when nothing is known)."""
        self.transcript.set_lines(lines, query)
        self.transcript.setVisible(bool(lines))

    def set_picture(self, picture: QImage | None) -> None:
        """The waveform shown while a recording plays (it loads after the card is chosen)."""
        self.waveform.set_image(picture if picture is not None else QImage())

    def cue(self, ms: int, play: bool) -> None:
        """Seek to `ms` once the media is loaded (at once if it already is)."""
        assert self.result is not None
        url = QUrl.fromLocalFile(str(self.result.path))
        loaded = self.player.source() == url and self.player.mediaStatus() in (
            QMediaPlayer.MediaStatus.LoadedMedia,
            QMediaPlayer.MediaStatus.BufferedMedia,
            QMediaPlayer.MediaStatus.BufferingMedia,
            QMediaPlayer.MediaStatus.EndOfMedia,
        )
        if loaded and self._seek_on_load is None:
            self._seek_and_play(ms, play)
            return
        self._seek_on_load, self._play_on_load = ms, play
        if url != self._requested:  # the same file still loading: only the cue changes
            self._requested = url
            self._set_source.emit(url)

    def _media_status(self, status: QMediaPlayer.MediaStatus) -> None:
        current = self.player.source() == self._requested  # not a file the user has left
        if status == QMediaPlayer.MediaStatus.LoadedMedia and self._seek_on_load is not None and current:
            ms, self._seek_on_load = self._seek_on_load, None
            self._seek_and_play(ms, self._play_on_load)
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            self.title.setText(
                self.tr("{name}: cannot be played here ({error}); try Open.").format(
                    name=self.result.path.name if self.result else "",
                    error=self.player.errorString() or self.tr("unsupported format"),
                )
            )

    def _seek_and_play(self, ms: int, play: bool) -> None:
        if play:
            self.player.setPosition(ms)
            self.player.play()
        else:
            # Paused first: Qt's FFmpeg player seeking while it plays and pausing at once moves
            # the clock but keeps the old frame on screen; seeking while paused shows the new one.
            self.player.pause()
            self.player.setPosition(ms)

    def toggle_play(self) -> None:
        if self.result is None or self.result.start is None:
            return
        if self._seek_on_load is not None:  # still loading: change what happens once loaded
            self._play_on_load = not self._play_on_load
            return
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        else:
            self.player.play()

    def _position(self, ms: int) -> None:
        self.timeline.set_position(ms)
        self.transcript.follow(ms / 1000)
        total = self.timeline.duration_ms
        self.time_label.setText(f"{clock(ms / 1000)} / {clock(total / 1000)}" if total else clock(ms / 1000))

    def _duration(self, ms: int) -> None:
        self.timeline.set_duration(ms)
        self._position(self.player.position())

    def _state(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        self.play_button.setIcon(icon("pause" if playing else "play"))

    def refresh(self) -> None:
        """Show the result again when its file came back (or went) since it was shown: "no
        longer there" stayed after the file was back."""
        if self.result is not None and self._there != self.result.path.exists():
            self.show_result(self.result)

    def _fill_details(self, result: SearchResult | None) -> None:
        while self.details.rowCount():
            self.details.removeRow(0)
        if result is None:
            return
        rows = [(self.tr("Kind"), kind_name(result.kind)), (self.tr("Folder"), str(result.path.parent))]
        if result.start is not None:
            best = clock(result.t or result.start)
            at = self.tr("{moment} (best at {time})").format(moment=moment(result), time=best)
            rows.append((self.tr("Moment"), at))
        try:
            stat = result.path.stat()
            rows.append((self.tr("Size"), size(stat.st_size)))
            modified = QDateTime.fromSecsSinceEpoch(int(stat.st_mtime))
            rows.append((self.tr("Modified"), QLocale().toString(modified, QLocale.FormatType.ShortFormat)))
        except OSError:
            rows.append((self.tr("File"), self.tr("no longer there: it was moved or deleted")))
        if result.start is None:
            dims = QImageReader(str(result.path)).size()
            if dims.isValid():
                rows.append((self.tr("Dimensions"), f"{number(dims.width())} × {number(dims.height())}"))
        rows.append((self.tr("Match"), match(result, self.calibrated)))
        for i, (label, value) in enumerate(rows):
            field = QLabel(value)
            field.setToolTip(describe(result) if i == len(rows) - 1 else "")  # the match: its numbers
            field.setWordWrap(True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.details.addRow(label, field)

    def _unload(self) -> None:
        self._seek_on_load = None
        if not self._requested.isEmpty():
            self._requested = QUrl()
            self._stop.emit()
            self._set_source.emit(QUrl())
