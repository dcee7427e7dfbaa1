"""PreviewTableModel: the read-only table behind an import preview, one row per item.

Subclasses give the column titles (``HEADERS``), the text of a cell (``text``) and, if they
need them, other roles of a cell (``role_data``); this class does the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QApplication

from peercircle.ui.model_helpers import FlatTableModel

_Index = QModelIndex | QPersistentModelIndex
RowT = TypeVar("RowT")

# Muted, readable on light and dark backgrounds alike: what an import adds or creates.
NEW_COLOUR = QColor("#2f7d6d")
RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def muted_brush() -> QBrush:
    """Text for rows the import leaves as they are."""
    return QApplication.palette().brush(QPalette.ColorRole.PlaceholderText)


def counts_text(counts: Iterable[tuple[int, str]], nothing: str) -> str:
    """“2 to add · 1 to update”: the counts that are not zero, or ``nothing``."""
    return " · ".join(f"{count} {what}" for count, what in counts if count) or nothing


class PreviewTableModel(FlatTableModel[RowT]):
    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._titles = self.HEADERS

    def set_rows(self, rows: Iterable[RowT]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def text(self, row: RowT, column: int) -> str:
        """The cell's display (and accessible) text."""
        raise NotImplementedError

    def role_data(self, row: RowT, column: int, role: int) -> Any:
        """The cell's data for any role but the display and accessible text."""
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(row, index.column())
        return self.role_data(row, index.column(), role)
