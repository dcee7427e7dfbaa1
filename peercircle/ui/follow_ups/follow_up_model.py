"""The models behind the Follow-ups screen: the due list as a tree (one parent row a bucket:
Overdue, Today, This week, Later, Done recently) and the suggestions as a list.

Both hold decrypted or personal text only while the screen shows it; ``clear()`` drops it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from peercircle.services.notes_types import DueBucket, FollowUpInfo, Suggestion
from peercircle.ui.follow_ups.wording import due_text, long_day_text
from peercircle.ui.model_helpers import horizontal_header

SuggestionRole = Qt.ItemDataRole.UserRole + 1
"""The Suggestion of a suggestions row."""

_R = Qt.ItemDataRole
_Index = QModelIndex | QPersistentModelIndex

WHO, GROUP, WHEN, ABOUT = range(4)
TITLES = ("Who", "Group", "When", "About")

BUCKET_TITLES = {**{b: b.label for b in DueBucket}, DueBucket.DONE: "Done recently"}
_SECTION = 0
"""The internal id of a bucket row; an item row's id is its bucket row + 1."""


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def about_text(info: FollowUpInfo) -> str:
    """The reason; for a done follow-up, with how it went after it."""
    if info.outcome:
        return f"{info.reason} — {info.outcome}" if info.reason else info.outcome
    return info.reason


class FollowUpTreeModel(QAbstractItemModel):
    """Follow-ups under their buckets: open ones in the order the service gives them (by due
    date), done ones latest first. Empty buckets are left out. Read-only."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._sections: list[tuple[DueBucket, list[FollowUpInfo]]] = []
        self._today = dt.date.today()

    # ---- loading -------------------------------------------------------------------------

    def set_follow_ups(self, items: Sequence[FollowUpInfo], today: dt.date) -> None:
        by_bucket: dict[DueBucket, list[FollowUpInfo]] = {b: [] for b in DueBucket}
        for info in items:
            by_bucket[info.bucket(today)].append(info)
        self.beginResetModel()
        self._today = today
        self._sections = [(b, rows) for b, rows in by_bucket.items() if rows]
        self.endResetModel()

    def clear(self) -> None:
        """Forget every follow-up (the vault locked or the panels were hidden)."""
        self.beginResetModel()
        self._sections = []
        self.endResetModel()

    def follow_up_count(self) -> int:
        return sum(len(rows) for _bucket, rows in self._sections)

    def buckets(self) -> list[DueBucket]:
        return [bucket for bucket, _rows in self._sections]

    def follow_ups_in(self, bucket: DueBucket) -> list[FollowUpInfo]:
        return next((list(rows) for b, rows in self._sections if b is bucket), [])

    def index_of(self, follow_up_id: int) -> QModelIndex:
        """The index (first column) of the follow-up with ``follow_up_id``, or an invalid one."""
        for section, (_bucket, rows) in enumerate(self._sections):
            for row, info in enumerate(rows):
                if info.id == follow_up_id:
                    return self.createIndex(row, 0, section + 1)
        return QModelIndex()

    def follow_up_at(self, index: _Index) -> FollowUpInfo | None:
        if not index.isValid() or index.internalId() == _SECTION:
            return None
        rows = self._sections[index.internalId() - 1][1]
        return rows[index.row()] if 0 <= index.row() < len(rows) else None

    # ---- QAbstractItemModel ----------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _SECTION)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _SECTION:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _SECTION)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._sections)
        if parent.internalId() == _SECTION and parent.column() == 0:
            return len(self._sections[parent.row()][1])
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(TITLES)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == _SECTION:
            # A heading: disabled, so arrow keys step over it (it is drawn in the normal
            # text colour, not greyed out: see _section_data).
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = _R.DisplayRole
    ) -> Any:
        return horizontal_header(TITLES, section, orientation, role)

    def data(self, index: _Index, role: int = _R.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _SECTION:
            return self._section_data(index, role)
        info = self.follow_up_at(index)
        if info is None:
            return None
        column = index.column()
        if role in (_R.DisplayRole, _R.AccessibleTextRole):
            return self._text(info, column)
        if role == _R.ToolTipRole:
            return self._tooltip(info, column)
        if role == _R.FontRole and column == WHEN and info.bucket(self._today) is DueBucket.OVERDUE:
            return _bold()
        if role == _R.ForegroundRole and info.done:
            return QGuiApplication.palette().brush(QPalette.ColorRole.PlaceholderText)
        return None

    def _section_data(self, index: _Index, role: int) -> Any:
        bucket, rows = self._sections[index.row()]
        if index.column() != 0:
            return None
        if role in (_R.DisplayRole, _R.AccessibleTextRole):
            return f"{BUCKET_TITLES[bucket]} · {len(rows)}"
        if role == _R.FontRole:
            return _bold()
        if role == _R.ForegroundRole:
            return QGuiApplication.palette().brush(QPalette.ColorRole.Text)
        return None

    def _text(self, info: FollowUpInfo, column: int) -> str:
        if column == WHO:
            return info.member_name
        if column == GROUP:
            return info.group_name or ""
        if column == WHEN:
            return due_text(info, self._today)
        return about_text(info)

    def _tooltip(self, info: FollowUpInfo, column: int) -> str | None:
        if column == WHEN:
            return f"Due {long_day_text(info.due_date)}"
        if column == ABOUT and (info.reason or info.outcome):
            lines = [info.reason] if info.reason else []
            if info.done:
                lines.append(f"How it went: {info.outcome or '(nothing written)'}")
            return "\n".join(lines)
        return None


class SuggestionListModel(QAbstractListModel):
    """Suggestions (“Missed the last 2 meetings…”), each with who it is about. Read-only."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Suggestion] = []

    def set_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        self.beginResetModel()
        self._rows = list(suggestions)
        self.endResetModel()

    def clear(self) -> None:
        self.set_suggestions([])

    def suggestion_at(self, row: int) -> Suggestion:
        return self._rows[row]

    def suggestions(self) -> list[Suggestion]:
        return list(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = _R.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        suggestion = self._rows[index.row()]
        if role in (_R.DisplayRole, _R.AccessibleTextRole, _R.ToolTipRole):
            return f"{suggestion.member_name} — {suggestion.text}"
        if role == SuggestionRole:
            return suggestion
        return None
