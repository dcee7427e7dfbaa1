"""Table models for the attendance import preview: the problems found, and each meeting's marks.

``AttendanceProblemsModel`` has one row per problem (row, column, what is wrong);
``AttendanceMeetingsModel`` one row per day of the file and what the import does to it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from peercircle.services.attendance_import_types import (
    AttendancePreview,
    AttendanceProblem,
    MeetingPreview,
)
from peercircle.ui.preview_table_model import (
    NEW_COLOUR,
    RIGHT_ALIGNED,
    PreviewTableModel,
    counts_text,
    muted_brush,
)


def day_text(day: dt.date) -> str:
    """“Tue 3 Mar 2026”."""
    return f"{day:%a} {day.day} {day:%b %Y}"


class AttendanceProblemsModel(PreviewTableModel[AttendanceProblem]):
    """The problems that stop an import, in file order."""

    HEADERS = ("Row", "Column", "Problem")

    def set_preview(self, preview: AttendancePreview | None) -> None:
        self.set_rows(preview.problems if preview else ())

    def text(self, row: AttendanceProblem, column: int) -> str:
        return (str(row.row), row.column, row.message)[column]

    def role_data(self, row: AttendanceProblem, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return row.message
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return RIGHT_ALIGNED
        return None


class AttendanceMeetingsModel(PreviewTableModel[MeetingPreview]):
    """One row per day with marks: the meeting (new or existing) and its marks."""

    HEADERS = ("Date", "Meeting", "Present", "Late", "Excused", "Absent", "What happens")
    _COUNTS = ("present", "late", "excused", "absent")

    def set_preview(self, preview: AttendancePreview | None) -> None:
        self.set_rows(preview.meetings if preview else ())

    def text(self, row: MeetingPreview, column: int) -> str:
        if column == 0:
            return day_text(row.date)
        if column == 1:
            return "New" if row.creates else "Already in PeerCircle"
        if column <= 5:
            return str(getattr(row, self._COUNTS[column - 2]))
        return _what_happens(row)

    def role_data(self, row: MeetingPreview, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 1 and row.creates:
                return QBrush(NEW_COLOUR)
            if not (row.added or row.changed):
                return muted_brush()
        if role == Qt.ItemDataRole.TextAlignmentRole and 2 <= column <= 5:
            return RIGHT_ALIGNED
        return None


def _what_happens(meeting: MeetingPreview) -> str:
    return counts_text(
        (
            (meeting.added, "to add"),
            (meeting.changed, "to change"),
            (meeting.unchanged, "already recorded"),
        ),
        nothing="Nothing to record",
    )
