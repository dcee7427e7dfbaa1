"""ImportPreviewModel: one row per line of the file and what the import will do with it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from peercircle.services.roster_csv import ImportAction, ImportPreview, PreviewRow
from peercircle.ui.preview_table_model import (
    NEW_COLOUR,
    RIGHT_ALIGNED,
    PreviewTableModel,
    muted_brush,
)

ACTION_LABELS = {
    ImportAction.ADD: "Add",
    ImportAction.UPDATE: "Update",
    ImportAction.UNCHANGED: "No change",
    ImportAction.REJECT: "Not imported",
}
HEADERS = ("Row", "Name", "What happens", "Details")
# Muted, readable on light and dark backgrounds alike.
_REJECT_COLOUR = QColor("#c0533f")


class ImportPreviewModel(PreviewTableModel[PreviewRow]):
    HEADERS = HEADERS

    def set_preview(self, preview: ImportPreview | None) -> None:
        self.set_rows(preview.rows if preview else ())

    def text(self, row: PreviewRow, column: int) -> str:
        return (
            str(row.row_number),
            row.display_name or "—",
            ACTION_LABELS[row.action],
            row.reason,
        )[column]

    def role_data(self, row: PreviewRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == 3 and row.reason:
            return row.reason
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            if row.action is ImportAction.REJECT:
                return QBrush(_REJECT_COLOUR)
            if row.action is ImportAction.ADD:
                return QBrush(NEW_COLOUR)
        if role == Qt.ItemDataRole.ForegroundRole and row.action is ImportAction.UNCHANGED:
            return muted_brush()
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return RIGHT_ALIGNED
        return None
