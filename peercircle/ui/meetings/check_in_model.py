"""The check-in table: the group's members in seating order, their mark and welcome notes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from peercircle.domain import AttendanceStatus, Role
from peercircle.services.meeting_types import CheckInRow, MarkerKind
from peercircle.ui.model_helpers import horizontal_header

NAME, STATUS, WELCOME = range(3)
COLUMNS = ("Name", "Attendance", "Welcome")

CheckInRowRole = Qt.ItemDataRole.UserRole + 1
StatusRole = Qt.ItemDataRole.UserRole + 2

STATUS_LABELS = {
    AttendanceStatus.PRESENT: "Present",
    AttendanceStatus.LATE: "Late",
    AttendanceStatus.EXCUSED: "Excused",
    AttendanceStatus.ABSENT: "Absent",
}

WELCOME_COLOUR = QBrush(QColor("#2f7d6d"))

Index = QModelIndex | QPersistentModelIndex
MarkSetter = Callable[[int, AttendanceStatus | None], bool]
"""Stores a member's mark; returns False (having told the user why) if it could not."""


def _name(row: CheckInRow) -> str:
    name = f"{row.display_name} ({row.pronouns})" if row.pronouns else row.display_name
    if row.role is Role.CO_FACILITATOR:
        name += " · co-facilitator"
    return name


class CheckInModel(QAbstractTableModel):
    """Members at one meeting. Setting StatusRole on a row stores the mark through ``setter``."""

    def __init__(self, setter: MarkSetter, parent: Any = None) -> None:
        super().__init__(parent)
        self._setter = setter
        self._rows: list[CheckInRow] = []

    def set_rows(self, rows: list[CheckInRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[CheckInRow]:
        return list(self._rows)

    def add_row(self, row: CheckInRow) -> None:
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(row)
        self.endInsertRows()

    def row_of(self, member_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.member_id == member_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return horizontal_header(COLUMNS, section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == STATUS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == CheckInRowRole:
            return row
        if role == StatusRole:
            return row.status
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == NAME:
                return _name(row)
            if column == STATUS:
                return STATUS_LABELS[row.status] if row.status else "Not marked yet"
            if column == WELCOME:
                return "  ·  ".join(f"✦ {m.text}" for m in row.markers)
        if role == Qt.ItemDataRole.ForegroundRole and column == WELCOME:
            return WELCOME_COLOUR
        if role == Qt.ItemDataRole.ToolTipRole and column == WELCOME and row.markers:
            if any(m.kind is MarkerKind.FIRST_VISIT for m in row.markers):
                return "Their first time here: a warm welcome by name helps."
            return "Worth a word of welcome."
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role not in (StatusRole, Qt.ItemDataRole.EditRole):
            return False
        if value is not None and not isinstance(value, AttendanceStatus):
            return False
        row = self._rows[index.row()]
        if row.status == value:
            return True
        if not self._setter(row.member_id, value):
            return False
        self._rows[index.row()] = replace(row, status=value)
        self.dataChanged.emit(self.index(index.row(), NAME), self.index(index.row(), WELCOME))
        return True
