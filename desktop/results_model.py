"""The result list as a Qt model: one row per result, the moments of one file kept together
under its best one, pictures filled in as they load."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.format import describe
from desktop.thumbnails import Card, Key, ThumbnailLoader, card_key
from indexer import SearchResult

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
CARD_ROLE = Qt.ItemDataRole.UserRole + 2

Index: TypeAlias = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Row:
    result: SearchResult
    moment: int  # 0 for a file's first (best) result, 1… for its further moments
    moments: int  # how many of this file's moments are listed
    file_rank: int  # position of the file in the list, for alternating group shading
    strength: float  # 0–1: the score relative to the best result, for the score bar


def arrange(results: list[SearchResult]) -> list[Row]:
    """Rows in rank order of each file's best result, a file's moments together under it."""
    by_file: dict[str, list[SearchResult]] = {}
    for result in results:
        by_file.setdefault(str(result.path), []).append(result)
    top = max((r.score for r in results), default=0.0)
    low = min((r.score for r in results), default=0.0)
    span = (top - min(low, 0.0)) or 1.0
    rows = []
    for rank, moments in enumerate(by_file.values()):
        for i, result in enumerate(moments):
            strength = max(0.05, min(1.0, (result.score - min(low, 0.0)) / span))
            rows.append(Row(result, i, len(moments), rank, strength))
    return rows


class ResultsModel(QAbstractListModel):
    def __init__(self, thumbnails: ThumbnailLoader) -> None:
        super().__init__()
        self._rows: list[Row] = []
        self._where: dict[Key, list[int]] = {}
        self._thumbnails = thumbnails
        thumbnails.loaded.connect(self._picture_loaded)

    def set_results(self, results: list[SearchResult]) -> None:
        self.beginResetModel()
        self._rows = arrange(results)
        self._where = {}
        for i, row in enumerate(self._rows):
            self._where.setdefault(card_key(row.result), []).append(i)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.result.path.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return describe(row.result)
        if role == ROW_ROLE:
            return row
        if role == CARD_ROLE:
            return self._thumbnails.card(row.result)
        return None

    def row(self, i: int) -> Row:
        return self._rows[i]

    def _picture_loaded(self, key: Key, card: Card) -> None:
        for i in self._where.get(key, ()):
            index = self.index(i)
            self.dataChanged.emit(index, index, [CARD_ROLE])
