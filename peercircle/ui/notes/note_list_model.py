"""The group's notes as a list: the label on the first line, then who or which meeting it is
about, its tags and when it was last changed (“updated today 14:05”)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from peercircle.services.notes_types import NoteInfo, format_tags
from peercircle.ui.dates import weekday_and_day

NoteInfoRole = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


def friendly_updated(updated_utc: dt.datetime, now: dt.datetime) -> str:
    """When a note was last changed, in ``now``'s time zone, the way a person says it:
    “updated just now”, “updated today 14:05”, “updated yesterday 09:10”, “updated Mon
    18:30”, “updated 3 Mar”, “updated 3 Mar 2025”. ``updated_utc`` is naive UTC (as stored);
    ``now`` is aware (local time)."""
    local = updated_utc.replace(tzinfo=dt.UTC).astimezone(now.tzinfo)
    age = now - local
    today = now.date()
    if dt.timedelta(0) <= age < dt.timedelta(minutes=1):
        return "updated just now"
    days = (today - local.date()).days
    if days == 0:
        return f"updated today {local:%H:%M}"
    if days == 1:
        return f"updated yesterday {local:%H:%M}"
    if 1 < days < 7:
        return f"updated {local:%a} {local:%H:%M}"
    if local.year == today.year:
        return f"updated {local.day} {local:%b}"
    return f"updated {local.day} {local:%b %Y}"


def note_details(note: NoteInfo, now: dt.datetime) -> str:
    """The list's second line: “Ágnes · Tue 3 Mar · updated today 14:05 · sleep, family”
    (the tags last: a narrow list cuts them first)."""
    parts = []
    if note.member_name:
        parts.append(note.member_name)
    if note.meeting_date is not None:
        parts.append(weekday_and_day(note.meeting_date, now.date()))
    if note.damaged:
        parts.append("partly damaged")
    parts.append(friendly_updated(note.updated_at, now))
    if note.tags:
        parts.append(format_tags(note.tags))
    return " · ".join(parts)


class NoteListModel(QAbstractListModel):
    """Notes newest first, as the service gives them. ``now`` gives the local time (aware)
    the “updated …” text is measured from."""

    def __init__(self, now: Callable[[], dt.datetime], parent: Any = None) -> None:
        super().__init__(parent)
        self._now = now
        self._notes: list[NoteInfo] = []

    def set_notes(self, notes: list[NoteInfo]) -> None:
        self.beginResetModel()
        self._notes = list(notes)
        self.endResetModel()

    def clear(self) -> None:
        """Drop every note (the vault locked or the panels were hidden)."""
        self.set_notes([])

    def row_of(self, note_id: int | None) -> int:
        for row, note in enumerate(self._notes):
            if note.id == note_id:
                return row
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._notes)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._notes):
            return None
        note = self._notes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{note.label}\n{note_details(note, self._now())}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{note.label}. {note_details(note, self._now())}"
        if role == NoteInfoRole:
            return note
        return None
