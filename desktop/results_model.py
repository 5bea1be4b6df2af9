"""The result list as a Qt model: one row per result, the moments of one file kept together
under its best one, pictures filled in as they load."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.format import describe, strength
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
    strength: float  # 0–1, for the score bar
    similar: bool = False  # a near-duplicate photo folded under the result above, opened
    weaker: bool = False  # below the relevance cutoff, listed because the user asked for all


def arrange(
    results: list[SearchResult],
    calibrated: bool = True,
    opened: frozenset[Path] = frozenset(),
    cleared: int | None = None,
) -> list[Row]:
    """Rows in rank order of files, each file's further moments right under its best one,
    and under a photo whose near-duplicates were `opened`, those photos. Files ranked past
    `cleared` are marked weaker."""
    rows = []
    for rank, result in enumerate(results):
        group = (result, *result.moments)
        weaker = cleared is not None and rank >= cleared
        rows += [
            Row(r, i, len(group), rank, strength(r, calibrated), weaker=weaker) for i, r in enumerate(group)
        ]
        if result.path in opened:
            rows += [
                Row(r, 0, 1, rank, strength(r, calibrated), similar=True, weaker=weaker)
                for r in result.similar
            ]
    return rows


class ResultsModel(QAbstractListModel):
    def __init__(self, thumbnails: ThumbnailLoader) -> None:
        super().__init__()
        self._rows: list[Row] = []
        self._results: list[SearchResult] = []
        self._calibrated = True
        self._cleared: int | None = None
        self._opened: frozenset[Path] = frozenset()
        self._where: dict[Key, list[int]] = {}
        self._thumbnails = thumbnails
        thumbnails.loaded.connect(self._picture_loaded)

    def set_results(
        self, results: list[SearchResult], calibrated: bool = True, cleared: int | None = None
    ) -> None:
        """`cleared`: how many files cleared the cutoff (the rest are shown as weaker)."""
        self._results, self._calibrated, self._opened = results, calibrated, frozenset()
        self._cleared = cleared
        self._arrange()

    def toggle_similar(self, result: SearchResult) -> None:
        """Show or fold the near-duplicate photos held under `result` ("+N similar")."""
        self._opened ^= {result.path}
        self._arrange()

    def is_open(self, result: SearchResult) -> bool:
        return result.path in self._opened

    def _arrange(self) -> None:
        self.beginResetModel()
        self._rows = arrange(self._results, self._calibrated, self._opened, self._cleared)
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
