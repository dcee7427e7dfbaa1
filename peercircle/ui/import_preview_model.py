"""ImportPreviewModel: one row per line of the file and what the import will do with it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QApplication

from peercircle.services.roster_csv import ImportAction, ImportPreview, PreviewRow
from peercircle.ui.model_helpers import horizontal_header

_Index = QModelIndex | QPersistentModelIndex
ACTION_LABELS = {
    ImportAction.ADD: "Add",
    ImportAction.UPDATE: "Update",
    ImportAction.UNCHANGED: "No change",
    ImportAction.REJECT: "Not imported",
}
HEADERS = ("Row", "Name", "What happens", "Details")
# Muted, readable on light and dark backgrounds alike.
_REJECT_COLOUR = QColor("#c0533f")
_ADD_COLOUR = QColor("#2f7d6d")


class ImportPreviewModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PreviewRow] = []

    def set_preview(self, preview: ImportPreview | None) -> None:
        self.beginResetModel()
        self._rows = list(preview.rows) if preview else []
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        return horizontal_header(HEADERS, section, orientation, role)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (
                str(row.row_number),
                row.display_name or "—",
                ACTION_LABELS[row.action],
                row.reason,
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 3 and row.reason:
            return row.reason
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            if row.action is ImportAction.REJECT:
                return QBrush(_REJECT_COLOUR)
            if row.action is ImportAction.ADD:
                return QBrush(_ADD_COLOUR)
        if role == Qt.ItemDataRole.ForegroundRole and row.action is ImportAction.UNCHANGED:
            return QApplication.palette().brush(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
