"""The search field, its filters, and the example being searched by (a dropped or pasted
file, or "More like this" on a result). It turns what the user set into an engine Query."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from desktop.assets import icon
from desktop.choose_folder import choose_folder
from indexer import Query, SearchResult, parse_query

DEBOUNCE_MS = 80  # a search per pause in typing; 200 ms alone took most of the 250 ms budget
FIRST_PAGE = 60  # results asked for first: a few screens of cards, found in a fraction of the time
RESULT_LIMIT = 300  # asked for once the user scrolls to the end of the first page
KINDS = [
    (QT_TRANSLATE_NOOP("SearchBar", "All kinds"), frozenset()),
    (QT_TRANSLATE_NOOP("SearchBar", "Photos"), frozenset({"photo"})),
    (QT_TRANSLATE_NOOP("SearchBar", "Videos"), frozenset({"video"})),
    (QT_TRANSLATE_NOOP("SearchBar", "Audio"), frozenset({"audio"})),
]
# said: and shown: in the query
FOUND_BY = [
    (QT_TRANSLATE_NOOP("SearchBar", "Any match"), {}),
    (QT_TRANSLATE_NOOP("SearchBar", "Only what is said"), {"said": True}),
    (QT_TRANSLATE_NOOP("SearchBar", "Only what is written"), {"shown": True}),
]
PERIODS = [
    (QT_TRANSLATE_NOOP("SearchBar", "Any time"), None),
    (QT_TRANSLATE_NOOP("SearchBar", "Past week"), 7),
    (QT_TRANSLATE_NOOP("SearchBar", "Past month"), 31),
    (QT_TRANSLATE_NOOP("SearchBar", "Past year"), 366),
]
# The order of the good matches (sort: in the query wins); the engine's names, the user's words.
SORTS = [
    (QT_TRANSLATE_NOOP("SearchBar", "Best match"), "relevance"),
    (QT_TRANSLATE_NOOP("SearchBar", "Newest first"), "date"),
    (QT_TRANSLATE_NOOP("SearchBar", "Oldest first"), "oldest"),
    (QT_TRANSLATE_NOOP("SearchBar", "By name"), "name"),
]
DAY_S = 86_400
CHIP_TEXT_PX = 140
FILTER_CHARS = 8  # a filter box shrinks to this many characters in a narrow window


class ExampleChip(QWidget):
    """Shows what the search is "like"; its ✕ drops it."""

    removed = Signal()

    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        self.picture = QLabel()
        self.picture.setFixedSize(QSize(32, 32))
        self.label = QLabel()
        close = QToolButton()
        close.setIcon(icon("close"))
        close.setToolTip(self.tr("Stop searching by this example"))
        close.setAutoRaise(True)
        close.clicked.connect(self.removed)
        for widget in (self.picture, self.label, close):
            layout.addWidget(widget)
        self.hide()

    def show_example(self, text: str, picture: QImage | None) -> None:
        """`text` cut with an ellipsis to CHIP_TEXT_PX (the whole of it in the tooltip), so a
        long file name leaves the search field its room."""
        self.label.setText(
            self.label.fontMetrics().elidedText(text, Qt.TextElideMode.ElideMiddle, CHIP_TEXT_PX)
        )
        self.setToolTip(text)
        if picture is not None and not picture.isNull():
            scaled = QPixmap.fromImage(picture).scaled(
                self.picture.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            self.picture.setPixmap(scaled)
        else:
            self.picture.setPixmap(icon("similar").pixmap(self.picture.size()))
        self.show()


class SearchBar(QWidget):
    changed = Signal()  # the query changed and the user paused typing (or pressed Enter)

    def __init__(self) -> None:
        super().__init__()
        self.field = QLineEdit()
        self.field.setPlaceholderText(self._placeholder())
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumWidth(160)
        self.chip = ExampleChip()
        self.kinds = QComboBox()
        for label, kinds in KINDS:
            self.kinds.addItem(self.tr(str(label)), kinds)
        self.period = QComboBox()
        for label, days in PERIODS:
            self.period.addItem(self.tr(str(label)), days)
        self.said = QComboBox()
        for label, said in FOUND_BY:
            self.said.addItem(self.tr(str(label)), said)
        self.said.setToolTip(
            self.tr(
                "Only what is said (transcripts, subtitles), as said: in the query, or only text "
                "written in pictures (slides, screenshots, signs), as shown:"
            )
        )
        self.sort = QComboBox()
        for label, sort in SORTS:
            self.sort.addItem(self.tr(str(label)), sort)
        self.sort.setToolTip(self.tr("The order of the good matches; weaker ones stay after them"))
        self.folder = QComboBox()
        self.folder.addItem(self.tr("Any folder"), None)
        self.folder.addItem(self.tr("Choose a folder…"), "choose")
        self.folder.setMaximumWidth(220)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.chip)
        layout.addWidget(self.field, 1)
        # The filters sit on a row of their own (the window places it): on the query's row
        # they squeezed the field to nothing and overlapped it in a narrow window.
        self.filters = QWidget()
        row = QHBoxLayout(self.filters)
        row.setContentsMargins(0, 0, 0, 0)
        for combo in (self.kinds, self.said, self.folder, self.period, self.sort):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(FILTER_CHARS)
            row.addWidget(combo)
        self._examples: tuple[Path, ...] = ()
        self._like: tuple[int, ...] = ()
        self.show_all = False
        self._kinds_typed = False  # the kind box shows a kind: typed in the field
        self.limit = FIRST_PAGE  # FIRST_PAGE for each new query; RESULT_LIMIT once scrolled down
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.changed)
        self.field.textChanged.connect(lambda _: self._timer.start())
        self.changed.connect(self._first_page)
        self.field.returnPressed.connect(self.now)
        self.kinds.currentIndexChanged.connect(self.now)
        self.period.currentIndexChanged.connect(self.now)
        self.sort.currentIndexChanged.connect(self.now)
        self.said.currentIndexChanged.connect(self.now)
        self.folder.activated.connect(self._folder_chosen)
        self.chip.removed.connect(self.clear_example)

    def _first_page(self) -> None:
        """A new query: its first page, and only what clears the cutoff until asked again."""
        self.limit = FIRST_PAGE
        self.show_all = False

    def more(self) -> bool:
        """Ask for the longer list (the user scrolled to the end); False when it was asked for."""
        if self.limit >= RESULT_LIMIT:
            return False
        self.limit = RESULT_LIMIT
        return True

    def pending(self) -> bool:
        """The user typed and the pause that sends the query has not passed yet."""
        return self._timer.isActive()

    def now(self) -> None:
        self._timer.stop()
        self.changed.emit()

    def set_example(self, path: Path, picture: QImage | None = None) -> None:
        self._examples, self._like = (path,), ()
        self._show_example(self.tr("Like {name}").format(name=path.name), picture)

    def set_like(self, result: SearchResult, picture: QImage | None = None) -> None:
        self._examples, self._like = (), (result.segment_id,)
        self._show_example(self.tr("Like {name}").format(name=result.path.name), picture)

    def _show_example(self, text: str, picture: QImage | None) -> None:
        """A new example starts a new search: words typed for the last one would quietly
        narrow it (a photo dropped after "a yellow circle" found one result), so they go; words
        typed now refine the example, as the placeholder says."""
        self.chip.show_example(text, picture)
        self.field.blockSignals(True)
        self.field.clear()
        self.field.blockSignals(False)
        self.field.setPlaceholderText(self.tr("Add words to narrow the example down (optional)"))
        self.now()

    def clear_example(self) -> None:
        self._examples, self._like = (), ()
        self.chip.hide()
        self.field.setPlaceholderText(self._placeholder())
        self.now()

    def has_example(self) -> bool:
        return bool(self._examples or self._like)

    def set_folders(self, folders: list[Path]) -> None:
        """Offer the configured folders as filters (keeping a chosen one)."""
        chosen = self.folder.currentData()
        self.folder.blockSignals(True)
        while self.folder.count() > 2:
            self.folder.removeItem(1)
        for i, folder in enumerate(folders, start=1):
            self.folder.insertItem(i, folder.name or str(folder), folder)
            self.folder.setItemData(i, str(folder), Qt.ItemDataRole.ToolTipRole)
        if isinstance(chosen, Path):
            self._select_folder(chosen)
        self.folder.blockSignals(False)

    def _folder_chosen(self, index: int) -> None:
        if self.folder.itemData(index) == "choose":
            picked = choose_folder(self, self.tr("Search only in folder"))
            if picked is not None:
                self._select_folder(picked)
            else:
                self.folder.setCurrentIndex(0)
        self.now()

    def _select_folder(self, folder: Path) -> None:
        found = self.folder.findData(folder)
        if found < 0:
            found = self.folder.count() - 1
            self.folder.insertItem(found, folder.name or str(folder), folder)
        self.folder.setCurrentIndex(found)

    def query(self) -> Query | None:
        """The query for what the user set; None when there is nothing to search for.
        Raises FramefindError for a filter that makes no sense (the message says why)."""
        text = self.field.text().strip()
        if not text and not self.has_example():
            return None
        days = self.period.currentData()
        folder = self.folder.currentData()
        query = parse_query(
            text,
            examples=self._examples,
            like=self._like,
            folder=folder if isinstance(folder, Path) else None,
            after=time.time() - days * DAY_S if days else None,
            limit=self.limit,
            show_all=self.show_all,
            sort=self.sort.currentData(),
        )
        if self.said.currentData() and query.text:  # an example alone is not something said
            query = replace(query, **self.said.currentData())
        if query.kinds:  # typed (kind:video): it wins, and the box shows it
            self._show_kinds(query.kinds)
            return query
        if self._kinds_typed:  # the typed kind was deleted: so is what it set
            self._show_kinds(frozenset())
        return replace(query, kinds=self.kinds.currentData())

    def _show_kinds(self, kinds: frozenset[str]) -> None:
        """The kind box set to match what was typed, without searching again."""
        found = next((i for i in range(self.kinds.count()) if self.kinds.itemData(i) == kinds), -1)
        self._kinds_typed = bool(kinds) and found >= 0
        self.kinds.blockSignals(True)
        self.kinds.setCurrentIndex(max(found, 0))
        self.kinds.blockSignals(False)

    def _placeholder(self) -> str:
        return self.tr("Search photos, videos and audio… or drop a file here")
