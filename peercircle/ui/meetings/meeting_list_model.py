"""The group's meetings, newest first, as a list with a one-line summary each."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from peercircle.services.meeting_types import MeetingInfo

MeetingInfoRole = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


def meeting_summary(meeting: MeetingInfo) -> str:
    """“7 came · 2 guests · round held” — what the list shows under the date."""
    parts = [f"{meeting.attended} came"]
    if meeting.guest_count:
        parts.append(f"{meeting.guest_count} guest" + ("s" if meeting.guest_count != 1 else ""))
    if meeting.rounds:
        parts.append("round held")
    return " · ".join(parts)


class MeetingListModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._meetings: list[MeetingInfo] = []

    def set_meetings(self, meetings: list[MeetingInfo]) -> None:
        self.beginResetModel()
        self._meetings = list(meetings)
        self.endResetModel()

    def replace(self, meeting: MeetingInfo) -> None:
        """Update one meeting's row (after check-in changed its counts)."""
        for row, old in enumerate(self._meetings):
            if old.id == meeting.id:
                self._meetings[row] = meeting
                index = self.index(row)
                self.dataChanged.emit(index, index)
                return

    def row_of(self, meeting_id: int | None) -> int:
        for row, meeting in enumerate(self._meetings):
            if meeting.id == meeting_id:
                return row
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._meetings)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._meetings):
            return None
        meeting = self._meetings[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            first = f"{meeting.date:%a} {meeting.date.day} {meeting.date:%b %Y}"
            if meeting.topic:
                first += f" — {meeting.topic}"
            return f"{first}\n{meeting_summary(meeting)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{meeting.when}. {meeting.topic}. {meeting_summary(meeting)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return meeting.when + (f"\n{meeting.place}" if meeting.place else "")
        if role == MeetingInfoRole:
            return meeting
        return None
