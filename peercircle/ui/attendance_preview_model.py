"""Table models for the attendance import preview: the problems found, and each meeting's marks.

``AttendanceProblemsModel`` has one row per problem (row, column, what is wrong);
``AttendanceMeetingsModel`` one row per day of the file and what the import does to it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QApplication

from peercircle.services.attendance_import_types import (
    AttendancePreview,
    AttendanceProblem,
    MeetingPreview,
)
from peercircle.ui.model_helpers import horizontal_header

_Index = QModelIndex | QPersistentModelIndex
# Muted, readable on light and dark backgrounds alike (the roster import's "Add" colour).
_NEW_COLOUR = QColor("#2f7d6d")
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def day_text(day: dt.date) -> str:
    """“Tue 3 Mar 2026”."""
    return f"{day:%a} {day.day} {day:%b %Y}"


class AttendanceProblemsModel(QAbstractTableModel):
    """The problems that stop an import, in file order."""

    HEADERS = ("Row", "Column", "Problem")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._problems: list[AttendanceProblem] = []

    def set_preview(self, preview: AttendancePreview | None) -> None:
        self.beginResetModel()
        self._problems = list(preview.problems) if preview else []
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        return horizontal_header(self.HEADERS, section, orientation, role)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._problems):
            return None
        problem = self._problems[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (str(problem.row), problem.column, problem.message)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return problem.message
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return _RIGHT
        return None


class AttendanceMeetingsModel(QAbstractTableModel):
    """One row per day with marks: the meeting (new or existing) and its marks."""

    HEADERS = ("Date", "Meeting", "Present", "Late", "Excused", "Absent", "What happens")
    _COUNTS = ("present", "late", "excused", "absent")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._meetings: list[MeetingPreview] = []

    def set_preview(self, preview: AttendancePreview | None) -> None:
        self.beginResetModel()
        self._meetings = list(preview.meetings) if preview else []
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._meetings)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        return horizontal_header(self.HEADERS, section, orientation, role)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._meetings):
            return None
        meeting = self._meetings[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == 0:
                return day_text(meeting.date)
            if column == 1:
                return "New" if meeting.creates else "Already in PeerCircle"
            if column <= 5:
                return str(getattr(meeting, self._COUNTS[column - 2]))
            return _what_happens(meeting)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 1 and meeting.creates:
                return QBrush(_NEW_COLOUR)
            if not (meeting.added or meeting.changed):
                return QApplication.palette().brush(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.TextAlignmentRole and 2 <= column <= 5:
            return _RIGHT
        return None


def _what_happens(meeting: MeetingPreview) -> str:
    parts = []
    if meeting.added:
        parts.append(f"{meeting.added} to add")
    if meeting.changed:
        parts.append(f"{meeting.changed} to change")
    if meeting.unchanged:
        parts.append(f"{meeting.unchanged} already recorded")
    return " · ".join(parts) or "Nothing to record"
