"""Choosing a backup to restore: when it was made, why, and how big it is.

Used by File → Restore from Backup… and, at start-up, by the damaged-database dialog's
“Choose Another Backup…”. The words for a backup's time and reason live here too, so every
screen says them the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peercircle.ui.model_helpers import FlatTableModel
from peercircle.ui.preview_table_model import RIGHT_ALIGNED
from peercircle.ui.table_helpers import read_only_table

if TYPE_CHECKING:
    from peercircle.db.backup import BackupInfo

_Index = QModelIndex | QPersistentModelIndex

REASON_LABELS = {
    "on-close": "When PeerCircle closed",
    "daily": "Daily",
    "manual": "You asked",
    "before-restore": "Before restoring",
    "before-upgrade": "Before updating",
}
"""Why a backup was made, in plain words, by ``BackupReason`` value."""

BackupInfoRole = Qt.ItemDataRole.UserRole + 1


def backup_when(taken_at: dt.datetime, *, year: bool = True) -> str:
    """“Tuesday 24 November 2026, 19:30” in local time; without ``year``, “Tuesday 24
    November, 19:30”."""
    local = taken_at.astimezone()
    day = f"{local:%A} {local.day} {local:%B}"
    if year:
        day = f"{day} {local:%Y}"
    return f"{day}, {local:%H:%M}"


def size_text(size: int) -> str:
    """“212 KB”, “61.3 MB”: a size as file managers show it."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{round(size / 1000)} KB"
    return f"{size / 1_000_000:.1f} MB"


class BackupTableModel(FlatTableModel["BackupInfo"]):
    """The backups, newest first: When, Why, Size. ``BackupInfoRole`` gives the BackupInfo."""

    WHEN, WHY, SIZE = range(3)

    def __init__(self, backups: Sequence[BackupInfo] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._titles = ("When", "Why", "Size")
        self._rows = list(backups)

    def set_backups(self, backups: Sequence[BackupInfo]) -> None:
        self.beginResetModel()
        self._rows = list(backups)
        self.endResetModel()

    def backup_at(self, row: int) -> BackupInfo | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        info = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == self.WHEN:
                return backup_when(info.taken_at)
            if column == self.WHY:
                return REASON_LABELS.get(info.reason, str(info.reason))
            return size_text(info.size)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.SIZE:
            return RIGHT_ALIGNED
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(info.path)
        if role == BackupInfoRole:
            return info
        return None


class RestoreDialog(QDialog):
    """Pick one of ``backups`` (newest first, the newest selected); ``chosen()`` is it once
    the dialog is accepted. ``damaged``: the data it replaces is damaged and is moved aside
    rather than backed up, and the words say so."""

    def __init__(
        self,
        backups: Sequence[BackupInfo],
        folder: Path,
        parent: QWidget | None = None,
        *,
        damaged: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from Backup")
        self.setMinimumSize(560, 360)

        heading = QLabel("Choose a backup to restore", self)
        heading.setObjectName("screenTitle")
        kept = (
            "The damaged data file is moved aside and kept, unchanged."
            if damaged
            else "A copy of your data as it is now is kept as a backup first, so nothing is lost."
        )
        explanation = QLabel(
            "Your groups, members, meetings and notes go back to how they were when the "
            f"backup was made. {kept}",
            self,
        )
        explanation.setWordWrap(True)

        self.model = BackupTableModel(backups, self)
        self.table = read_only_table(self, "Backups")
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(BackupTableModel.WHEN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(BackupTableModel.WHY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(BackupTableModel.SIZE, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _index: self.accept())

        where = QLabel(f"Backups are kept in {folder}", self)
        where.setObjectName("hint")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = QPushButton("&Restore", self)
        self.restore_button.setObjectName("primaryButton")
        self.restore_button.setDefault(True)
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explanation)
        layout.addWidget(self.table, 1)
        layout.addWidget(where)
        layout.addWidget(self.buttons)

        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        if backups:
            self.table.selectRow(0)
        self._update()
        self.table.setFocus()

    def _update(self) -> None:
        self.restore_button.setEnabled(self.chosen() is not None)

    def chosen(self) -> BackupInfo | None:
        """The backup selected (None if none is)."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.backup_at(rows[0].row()) if rows else None

    def accept(self) -> None:
        if self.chosen() is not None:
            super().accept()


def choose_backup(
    backups: Sequence[BackupInfo], folder: Path, parent: QWidget | None, *, damaged: bool = False
) -> BackupInfo | None:
    """Show the RestoreDialog; the backup chosen, or None if it was cancelled."""
    dialog = RestoreDialog(backups, folder, parent, damaged=damaged)
    try:
        return dialog.chosen() if dialog.exec() else None
    finally:
        dialog.deleteLater()


__all__ = [
    "REASON_LABELS",
    "BackupInfoRole",
    "BackupTableModel",
    "RestoreDialog",
    "backup_when",
    "choose_backup",
    "size_text",
]
