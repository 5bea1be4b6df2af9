"""The main window: search bar, result grid, preview pane, indexing status.

It wires the widgets to one Session (engine, indexer, searcher) and holds no search logic.
Signals are connected in `_connect`; keyboard handling is in `eventFilter` and `_shortcuts`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QSettings, QSize, Qt
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDropEvent,
    QImage,
    QKeyEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.assets import app_icon, icon
from desktop.banner import Banner
from desktop.confirm_forget import ask_to_forget
from desktop.elided_label import ElidedLabel
from desktop.errors_dialog import ErrorsDialog
from desktop.format import space_name
from desktop.messages import engine_message, held_message, said
from desktop.pasted import save_pasted
from desktop.preview import PreviewPane
from desktop.result_grid import ResultGrid
from desktop.results_model import CARD_ROLE, ROW_ROLE, ResultsModel
from desktop.reveal import open_file, show_in_folder
from desktop.search_bar import SearchBar
from desktop.session import Session
from desktop.settings_dialog import SettingsDialog
from desktop.status_bar import IndexStatus
from desktop.thumbnails import Card, Key, card_key
from desktop.welcome import WelcomeDialog, suggested_folders
from indexer import (
    FramefindError,
    IndexReport,
    ModelLoading,
    ProgressEvent,
    SearchResponse,
    SearchResult,
    Settings,
    Status,
    environment_overrides,
    example_refusal,
    is_on_disk,
    save_settings,
)

SettingsLoader = Callable[[Path | None], Settings]  # data folder (None: the default) → settings
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff"}


class MainWindow(QMainWindow):
    def __init__(self, load: SettingsLoader, state: QSettings) -> None:
        super().__init__()
        self._load = load
        self._state = state
        self.session: Session | None = None
        self.model: ResultsModel | None = None
        self._request = 0  # the newest search sent
        self._answered_request = 0  # the newest search answered
        self._response: SearchResponse | None = None
        self._query_text: str | None = None  # of the search last asked for: its words marked
        self._longer_request = 0  # the search that asked the same query for more results
        self._base_failures = 0
        self._last_status: Status | None = None  # from the indexer's thread
        self._loading: str | None = None  # the model loading ("models" before the first says which)
        self.setWindowTitle("Framefind")  # a name: the same in every language
        self.setWindowIcon(app_icon())
        self.setMinimumSize(QSize(720, 480))
        self.setAcceptDrops(True)
        self._build()
        self._connect_static()
        self._shortcuts()
        self._restore_state()

    # building --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.banner = Banner()
        self.search_bar = SearchBar()
        self.search_bar.field.setAcceptDrops(False)  # a dropped file is an example, not text
        self.settings_button = QToolButton()
        self.settings_button.setIcon(icon("settings"))
        self.settings_button.setToolTip(self.tr("Settings"))
        top = QHBoxLayout()
        top.addWidget(self.search_bar, 1)
        top.addWidget(self.settings_button)
        self.summary = ElidedLabel()
        self.show_weaker = QPushButton()
        self.show_weaker.setFlat(True)
        # A flat button draws no focus frame: a keyboard user could not see it had focus.
        self.show_weaker.setStyleSheet(
            "QPushButton:focus { border: 1px solid palette(highlight); border-radius: 3px; padding: 2px 6px }"
        )
        self.show_weaker.hide()
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.search_bar.filters)
        summary_row.addWidget(self.summary, 1)
        summary_row.addWidget(self.show_weaker)
        self.view = ResultGrid()
        self.placeholder = QLabel()
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.results = QStackedWidget()
        self.results.addWidget(self.placeholder)
        self.results.addWidget(self.view)
        self.drop_hint = QLabel()
        self.drop_hint.setObjectName("drop_hint")
        self.drop_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_hint.setWordWrap(True)
        self.drop_hint.setStyleSheet(
            "#drop_hint { border: 2px dashed palette(highlight); border-radius: 8px; padding: 12px; }"
        )
        self.drop_hint.hide()
        left = QWidget()
        column = QVBoxLayout(left)
        column.addWidget(self.drop_hint)
        column.addWidget(self.banner)
        column.addLayout(top)
        column.addLayout(summary_row)
        column.addWidget(self.results, 1)
        self.preview = PreviewPane()
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.setCentralWidget(self.splitter)
        self.status = IndexStatus()
        self.setStatusBar(self.status)
        self._placeholder(self._start_hint())

    def _start_hint(self) -> str:
        return self.tr("Type what you are looking for, or drop a photo, a sound or a video here.")

    def _connect_static(self) -> None:
        self.search_bar.changed.connect(self.search)
        self.settings_button.clicked.connect(self.open_settings)
        self.banner.action.connect(self.open_settings)
        self.show_weaker.clicked.connect(self._toggle_weaker)
        self.view.activated.connect(lambda index: self._preview(index, play=True))
        self.preview.more_like_this.connect(self.more_like_this)
        self.preview.open_requested.connect(self.open_path)
        self.preview.reveal_requested.connect(self.reveal_path)
        self.preview.similar_toggled.connect(self._toggle_similar)
        self.status.pause_toggled.connect(self._pause)
        self.status.errors_clicked.connect(self.show_errors)
        self.view.installEventFilter(self)
        self.view.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.search_bar.field.installEventFilter(self)

    def _shortcuts(self) -> None:
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        QShortcut(QKeySequence("Ctrl+O"), self, self._open_current)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self._escape)

    # the session -------------------------------------------------------------------------------

    def start(self, data_dir: Path | None = None) -> None:
        """Open the engine for these settings and start indexing; on first run, ask which
        folders to cover first (the models load meanwhile)."""
        try:
            settings = self._load(data_dir)
            first_run = not settings.folders and not settings.settings_path.exists()
            self.session = Session(settings, folders_chosen=not first_run)
        except FramefindError as exc:
            self.banner.show_message(engine_message(exc), self._settings_action())
            self.status.ready(self.tr("Not indexing."))
            return
        self._connect_session(self.session)
        self._loading = "models"
        self.session.start()
        if first_run:
            settings = self._welcome(settings)
            if self.session is None:
                return  # the window was closed while the dialog was open (logging out)
            self.session.cover(settings)
        self.search_bar.set_folders(list(settings.folders))
        missing = self._missing_folders()
        if not self.banner.isHidden():
            pass  # what went wrong while the welcome dialog was open (a model that cannot load) stays
        elif self.session.busy:
            self.banner.show_message(self.session.busy)
        elif missing:
            self.banner.show_message(
                self.tr(
                    "{folders} is not there (an unplugged drive, or moved?). What was indexed there "
                    "stays searchable, and it is indexed again once it is back; remove it in Settings "
                    "if it is gone for good."
                ).format(folders=", ".join(missing)),
                self._settings_action(),
                topic="missing",
            )
        elif not settings.folders:
            self.banner.show_message(
                self.tr("No folders to index yet: add some in Settings."), self._settings_action()
            )
        self.search_bar.field.setFocus()  # typing searches, whatever else the window shows

    def _settings_action(self) -> str:
        return self.tr("Settings…")

    def _missing_folders(self) -> list[str]:
        folders = self.session.settings.folders if self.session else ()
        return [str(f) for f in folders if not f.is_dir()]

    def _welcome(self, settings: Settings) -> Settings:
        # the words model downloads later, on the indexer, once there are lines to embed
        loaded = [s for s in settings.spaces if s.reads("image") or s.reads("audio")]
        models = [(s.model, s.revision) for s in loaded]
        models += [(s.query_model, None) for s in loaded if s.query_model]  # picture queries' own
        if settings.query_translator.lower() != "none" and any(s.reads("audio") for s in loaded):
            models.append((settings.query_translator, None))  # sound queries in other languages
        downloads = [model for model, revision in models if not is_on_disk(model, revision)]
        dialog = WelcomeDialog(suggested_folders(), downloads, self)
        chosen = dialog.chosen() if dialog.exec() else []
        save_settings(settings.data_dir, {"folders": [str(p) for p in chosen]})
        return self._load(settings.data_dir)

    def _connect_session(self, session: Session) -> None:
        # Bound methods of this window, so Qt queues them to the UI thread.
        worker = session.indexer.worker
        worker.model_loading.connect(self._model_loading)
        worker.queries_ready.connect(self._queries_ready)
        worker.models_ready.connect(self._models_ready)
        worker.progress.connect(self._progress)
        worker.updated.connect(self._indexed)
        worker.status.connect(self._status_changed)
        worker.failed.connect(self._indexer_failed)
        session.searcher.worker.answered.connect(self._answered)
        session.searcher.worker.failed.connect(self._search_failed)
        session.thumbnails.loaded.connect(self._card_loaded)
        self.model = ResultsModel(session.thumbnails)
        self.view.setModel(self.model)
        self.view.selectionModel().currentChanged.connect(lambda index, _: self._preview(index, play=False))

    def close_session(self) -> None:
        if self.session is not None:
            self.preview.show_result(None)
            self.session.close()
            self.session = None

    def _from_session(self) -> bool:
        """Signals of a closed session may still be queued: they are ignored."""
        return self.session is not None and self.sender() in self.session.senders()

    def _model_loading(self, event: ModelLoading) -> None:
        if self._from_session():
            if self._loading is not None:  # None: text searches already answer without it
                self._loading = event.space
            self.status.model_loading(event)
            if self.searching:
                self.summary.setText(self._waiting_for_models())

    def _waiting_for_models(self) -> str:
        if self._loading == "models":
            return self.tr("Loading the models… your search runs when they are ready.")
        return self.tr("Loading the {space} model… your search runs when it is ready.").format(
            space=space_name(self._loading or "")
        )

    def _indexer_failed(self, message: str) -> None:
        if self._from_session():
            self._loading = None  # a search now says why it cannot run
            self.banner.show_message(message, self._settings_action())
            self.status.ready(self.tr("Not indexing: see the message above."))
            if self.search_bar.query() is not None:
                self.search()

    def _queries_ready(self) -> None:
        """Text searches answer from here on; a search typed meanwhile runs now."""
        if self._from_session():
            self._search_waiting()

    def _search_waiting(self) -> None:
        waiting, self._loading = self._loading is not None, None
        if waiting and self.search_bar.query() is not None:
            self.search()

    def _models_ready(self) -> None:
        if not self._from_session():
            return
        assert self.session is not None
        if self.session.busy:
            self.status.ready(self.tr("Ready to search what the other Framefind has indexed."))
        elif not self.session.settings.folders:
            self.status.ready(self.tr("Models loaded. Nothing is indexed yet: add folders in Settings."))
        else:
            self.status.ready(self.tr("Models loaded; looking for new and changed files…"))
        self._search_waiting()

    def _progress(self, event: ProgressEvent) -> None:
        if not self._from_session():
            return
        self.status.show_progress(event)
        self.status.set_failures(self._base_failures + event.failed)

    def _indexed(self, report: IndexReport) -> None:
        if not self._from_session():
            return
        self.status.show_report(report)
        if not self._missing_folders():  # a folder that was missing is back, and indexed
            self.banner.resolved("missing")
        if report.changed_results and self.search_bar.query() is not None:
            self.search()  # what is on screen follows what the indexer committed

    def _status_changed(self, status: Status) -> None:
        if not self._from_session():
            return
        self._last_status = status
        self._base_failures = status.failed
        self.status.set_failures(status.failed)
        if status.held:
            hold = status.held[0]
            self.banner.show_message(
                held_message(hold),
                self.tr("Forget them…"),
                lambda: ask_to_forget(self, status.held, lambda: self._prune([h.path for h in status.held])),
                topic="held",
            )
        else:
            self.banner.resolved("held")

    def _prune(self, roots: list[Path]) -> None:
        if self.session is not None and self.session.indexer.prune(roots):
            self.banner.hide()

    def _pause(self, paused: bool) -> None:
        if self.session is not None:
            (self.session.indexer.pause if paused else self.session.indexer.resume)()

    # searching ------------------------------------------------------------------------------

    def search(self) -> None:
        try:
            query = self.search_bar.query()
        except FramefindError as exc:
            self._drop_pending()
            self.summary.setText(engine_message(exc))
            return
        if query is None:
            self._drop_pending()
            self.preview.show_result(None)
            if self.model is not None:
                self.model.set_results([])
            self.summary.clear()
            self.show_weaker.hide()
            self._placeholder(self._start_hint())
            return
        if self.session is None:
            return
        self._request += 1
        self._query_text = query.text
        if self._loading is not None:  # sent once the models are ready (see _models_ready)
            self.summary.setText(self._waiting_for_models())
            return
        self.summary.setText(self.tr("Searching…"))
        self.session.searcher.submit(self._request, query)

    def _drop_pending(self) -> None:
        """Answers still on their way are now stale."""
        self._request += 1
        self._answered_request = self._request

    def _answered(self, request: int, response: SearchResponse) -> None:
        if request != self._request or self.model is None or not self._from_session():
            return  # the user has typed on since
        self._answered_request = request
        self._response = response
        self.banner.resolved("search")  # a search that failed has been replaced by one that worked
        longer = request == self._longer_request  # the same query, longer: the user keeps their place
        scrolled, current = self.view.verticalScrollBar().value(), self.view.currentIndex().row()
        self.model.set_results(response.results, response.calibrated, response.cleared)
        self.preview.calibrated = response.calibrated
        previewed = self.preview.result
        if previewed is not None and not any(_same(previewed, r) for r in response.results):
            self.preview.show_result(None)  # not one of these results: it stops playing and goes
        else:
            self.preview.refresh()
        shown, hidden = len(response.results), len(response.hidden)
        self.summary.setText(self._summary(response))
        self.show_weaker.setVisible(bool(response.weaker) or self.search_bar.show_all)
        weaker = self.tr("Show %n weaker", None, response.weaker)
        self.show_weaker.setText(self.tr("Hide weaker") if self.search_bar.show_all else weaker)
        if shown and longer:
            if current >= 0:
                self.view.setCurrentIndex(self.model.index(current))
            self.view.verticalScrollBar().setValue(scrolled)
        elif shown:
            self.results.setCurrentWidget(self.view)
            self.view.scrollToTop()
        elif hidden:
            self._placeholder(self.tr("Nothing matched clearly. The weaker matches may still hold it."))
        else:
            self._placeholder(self._nothing_found())

    @property
    def searching(self) -> bool:
        """A search is on its way (or the user paused typing and one is about to be sent)."""
        return self._answered_request != self._request or self.search_bar.pending()

    def _nothing_found(self) -> str:
        status = self._last_status
        if status is not None and not sum(status.indexed.values()):
            return self.tr(
                "Nothing is indexed yet. Results appear here as the indexer works through your folders."
            )
        return self.tr("Nothing matched. Try other words, fewer filters, or drop an example file.")

    def _summary(self, response: SearchResponse) -> str:
        shown = len(response.results)
        if not shown:
            return ""
        if not response.good_match:
            return self.tr("No good match — showing the closest")
        if shown > response.cleared:
            good = self.tr("%n good", None, response.cleared)
            return self.tr("{good}, then %n weaker (faded)", None, response.weaker).format(good=good)
        return self.tr("%n result(s)", None, shown)

    def _search_failed(self, request: int, message: str, in_settings: bool) -> None:
        if request == self._request and self._from_session():
            self._answered_request = request
            self.summary.setText(self.tr("The search failed."))
            self.banner.show_message(
                message, self._settings_action() if in_settings else None, topic="search"
            )

    def _scrolled(self, value: int) -> None:
        """Near the end of the first page: ask for the longer list (a search of 60 results
        answers in a fraction of the time of 300, and most searches stop at the first screen)."""
        bar = self.view.verticalScrollBar()
        if value < bar.maximum() - bar.pageStep() or self.searching or self._response is None:
            return
        if len(self._response.results) >= self.search_bar.limit and self.search_bar.more():
            self.search()
            self._longer_request = self._request

    def _toggle_similar(self, result: SearchResult) -> None:
        """Open "+N similar" under its photo (or fold it again), keeping that photo selected."""
        if self.model is None:
            return
        self.model.toggle_similar(result)
        rows = [i for i in range(self.model.rowCount()) if self.model.row(i).result == result]
        if rows:
            self.view.setCurrentIndex(self.model.index(rows[0]))

    def _toggle_weaker(self) -> None:
        self.search_bar.show_all = not self.search_bar.show_all
        self.search()

    def _placeholder(self, text: str) -> None:
        self.placeholder.setText(text)
        self.results.setCurrentWidget(self.placeholder)

    def search_by_file(self, path: Path) -> None:
        """`path` becomes the example; one that cannot be (a text file) is refused before it
        replaces the example in hand, and the status bar says why."""
        refusal = example_refusal(path)
        if refusal is not None:
            self.status.showMessage(said(refusal), 8000)
            return
        picture = QImage(str(path)) if path.suffix.lower() in IMAGE_SUFFIXES else None
        self.search_bar.set_example(path, picture)

    def more_like_this(self, result: SearchResult) -> None:
        card = self.session.thumbnails.card(result) if self.session else None
        self.search_bar.set_like(result, card.picture if card else None)

    # results --------------------------------------------------------------------------------

    def current_result(self) -> SearchResult | None:
        index = self.view.currentIndex()
        return index.data(ROW_ROLE).result if index.isValid() else None

    def _preview(self, index: QModelIndex, play: bool) -> None:
        if not index.isValid():
            return
        card = index.data(CARD_ROLE)
        result = index.data(ROW_ROLE).result
        self.preview.show_result(result, play, card.picture if card else None)
        if result.start is not None and self.session is not None:  # what is said, beside the player
            lines = self.session.engine.transcript_or_none(result.path)
            self.preview.show_transcript(lines, self._query_text)

    def _card_loaded(self, key: Key, card: Card) -> None:
        if self._from_session() and self.preview.result is not None and card_key(self.preview.result) == key:
            self.preview.set_picture(card.picture)

    def _open_current(self) -> None:
        result = self.current_result()
        if result is not None:
            self.open_path(result.path)

    def open_path(self, path: Path) -> None:
        """Open with the default app, or say why nothing opened and what to do."""
        if not self._still_there(path):
            return
        if not open_file(path):
            kind = path.suffix.lower() or path.name
            self.banner.show_message(
                self.tr(
                    "No app is set to open {kind} files on this computer. Choose one in your system's "
                    "settings (default applications), or use Show in folder."
                ).format(kind=kind),
                self.tr("Show in folder"),
                lambda: self.reveal_path(path),
            )

    def reveal_path(self, path: Path) -> None:
        """Show the file in its folder, or say why nothing showed it (the path goes to the
        clipboard, so it can be pasted where it is needed)."""
        if self._still_there(path) and not show_in_folder(path):
            QApplication.clipboard().setText(str(path))
            self.banner.show_message(
                self.tr(
                    "No file manager is set up to show folders on this computer. {name} is in "
                    "{folder} (the path is copied to the clipboard)."
                ).format(name=path.name, folder=path.parent)
            )

    def _still_there(self, path: Path) -> bool:
        if path.exists():
            return True
        self.banner.show_message(
            self.tr("{path} is no longer there: it was moved or deleted.").format(path=path)
        )
        return False

    def show_errors(self) -> None:
        if self.session is None:
            return
        unknown = self.tr("unknown reason")
        failures = [(r.path, said(r.error) if r.error else unknown) for r in self.session.engine.failures()]
        dialog = ErrorsDialog(failures, can_retry=self.session.engine.writer, parent=self)
        if dialog.exec() and dialog.retry_chosen and self.session is not None:
            self.session.indexer.retry()

    def open_settings(self) -> None:
        settings = self.session.settings if self.session else self._load(self._data_dir())
        dialog = SettingsDialog(settings, self, environment_overrides())
        if not dialog.exec():
            return
        choices = dialog.choices()
        try:
            save_settings(choices.data_dir, choices.stored())
        except FramefindError as exc:
            self.banner.show_message(engine_message(exc), self._settings_action())
            return
        self._state.setValue("data_dir", str(choices.data_dir))
        self.banner.hide()
        self.close_session()
        self.start(choices.data_dir)

    def _data_dir(self) -> Path | None:
        stored = self._state.value("data_dir")
        return Path(str(stored)) if stored else None

    # keyboard, drops and paste ---------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_bar.field.setFocus()
        self.search_bar.field.selectAll()

    def _escape(self) -> None:
        if self.preview.player.isPlaying():
            self.preview.player.pause()
        elif self.search_bar.field.text() or self.search_bar.has_example():
            self.search_bar.field.clear()
            self.search_bar.clear_example()
            self.focus_search()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.FocusIn:
            self._select_on_focus()
            return False
        if event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        if event.matches(QKeySequence.StandardKey.Paste) and self._paste_image():
            return True
        if watched is self.view and event.key() == Qt.Key.Key_Space:
            self._space()
            return True
        if watched is self.view and _typed(event):  # words typed on a card go on the query
            self.search_bar.field.setFocus()
            self.search_bar.field.insert(event.text())
            return True
        if (
            watched is self.search_bar.field
            and event.key() == Qt.Key.Key_Down
            and self.model
            and self.model.rowCount()
        ):
            self.view.setFocus()
            self.view.selectionModel().setCurrentIndex(
                self.model.index(0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            return True
        return False

    def _select_on_focus(self) -> None:
        """Tab into the grid: the card previewed (else the first) becomes the current one,
        shown selected, so what Space and Enter act on is the card that looks chosen."""
        if self.model is None or not self.model.rowCount() or self.view.selectionModel().hasSelection():
            return
        rows = (i for i in range(self.model.rowCount()) if self.model.row(i).result is self.preview.result)
        index = self.model.index(next(rows, 0))
        self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _space(self) -> None:
        """Space previews the current result; on a playing one it pauses and resumes."""
        index = self.view.currentIndex()
        if not index.isValid():
            return
        if self.preview.result is index.data(ROW_ROLE).result and self.preview.result.start is not None:
            self.preview.toggle_play()
        else:
            self._preview(index, play=True)

    def _paste_image(self) -> bool:
        """An image on the clipboard becomes the example (text pastes as usual)."""
        mime = QApplication.clipboard().mimeData()
        if mime is None or not mime.hasImage() or mime.hasText() or self.session is None:
            return False
        image = QImage(mime.imageData())
        path = save_pasted(image, self.session.settings.data_dir / "pasted")
        self.search_bar.set_example(path, image)
        return True

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        files = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            event.acceptProposedAction()  # a refused file too: its hint says why, and goes on leaving
            refusal = example_refusal(files[0])
            hint = self.tr("Drop to find what looks or sounds like {name}").format(name=files[0].name)
            self._drag_hint(said(refusal) if refusal else hint)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._drag_hint(None)

    def dropEvent(self, event: QDropEvent) -> None:
        self._drag_hint(None)
        files = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.search_by_file(files[0])

    def _drag_hint(self, text: str | None) -> None:
        """While a file is dragged over the window, the results area says what a drop does."""
        self.drop_hint.setText(text or "")
        self.drop_hint.setVisible(text is not None)

    # window state ---------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self._state.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 760)
        splitter = self._state.value("splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._state.setValue("geometry", self.saveGeometry())
        self._state.setValue("splitter", self.splitter.saveState())
        self.close_session()
        QApplication.processEvents()  # the player's queued stop (see PreviewPane) runs now
        super().closeEvent(event)


def _typed(event: QKeyEvent) -> bool:
    """A key that types a character (not a shortcut, not navigation or Space)."""
    text = event.text()
    shortcut = event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    return bool(text) and text.isprintable() and not text.isspace() and not shortcut


def _same(a: SearchResult, b: SearchResult) -> bool:
    """The same file and moment (in either list: further moments count)."""
    return any(a.path == r.path and a.start == r.start for r in (b, *b.moments))
