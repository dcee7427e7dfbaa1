"""RosterTableModel: members as rows, for a QTableView behind a RosterFilterProxy.

Sorting is done here, on plain Python keys, because QSortFilterProxyModel's own sort
would call ``data()`` across the Python boundary for every comparison — far too slow
for 10,000 members. The proxy hands sort requests down to this model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from peercircle.domain import MemberStatus, Role
from peercircle.services.roster_types import MemberRow, fold_for_search, name_sort_key
from peercircle.ui.model_helpers import RowTableModel, italic_font, rows_reordered

MemberIdRole = Qt.ItemDataRole.UserRole + 1
MemberRowRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ACCESSIBLE_TEXT = Qt.ItemDataRole.AccessibleTextRole

STATUS_LABELS = {
    MemberStatus.ACTIVE: "Active",
    MemberStatus.INACTIVE: "Inactive",
    MemberStatus.ALUMNI: "Alumni",
}
ROLE_LABELS = {Role.MEMBER: "Member", Role.CO_FACILITATOR: "Co-facilitator"}


def _joined(m: MemberRow) -> str:
    return m.joined_on.isoformat() if m.joined_on else ""


def _status(m: MemberRow) -> str:
    label = STATUS_LABELS[m.status]
    return f"{label} · archived" if m.archived else label


class Column:
    """One table column: its header, how to show a member, and how to sort by it."""

    def __init__(
        self,
        title: str,
        text: Callable[[MemberRow], str],
        sort_key: Callable[[MemberRow], Any] | None = None,
    ) -> None:
        self.title = title
        self.text = text
        self.sort_key = sort_key or (lambda m: name_sort_key(text(m)))


NAME = Column("Name", lambda m: m.display_name)
PRONOUNS = Column("Pronouns", lambda m: m.pronouns)
ROLE = Column(
    "Role",
    lambda m: ROLE_LABELS[m.role] if m.role else "",
    lambda m: (m.role != Role.CO_FACILITATOR, m.seat or 0),
)
GROUPS = Column("Groups", lambda m: ", ".join(m.groups))
EMAIL = Column("E-mail", lambda m: m.email)
PHONE = Column("Phone", lambda m: m.phone)
JOINED = Column("Joined", _joined, lambda m: m.joined_on or dt.date.max)
STATUS = Column("Status", _status, lambda m: (m.archived, m.status.value))

GROUP_COLUMNS: tuple[Column, ...] = (NAME, PRONOUNS, ROLE, EMAIL, PHONE, JOINED, STATUS)
ALL_MEMBERS_COLUMNS: tuple[Column, ...] = (NAME, PRONOUNS, GROUPS, EMAIL, PHONE, JOINED, STATUS)


class RosterTableModel(RowTableModel[MemberRow]):
    """Read-only table of MemberRow values.

    Custom roles: ``MemberIdRole`` (int id) and ``MemberRowRole`` (the MemberRow).
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        # The order the rows came in (seating order in a group), restored by sort(-1).
        self._natural: tuple[MemberRow, ...] = ()
        self._columns: tuple[Column, ...] = ALL_MEMBERS_COLUMNS
        self._titles = tuple(c.title for c in self._columns)
        self._search_keys: list[str] = []
        self._needle = ""
        # One flag per row: does it match the current search? Read by RosterFilterProxy.
        self.accepted: list[bool] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # ---- loading ------------------------------------------------------------------------

    def set_members(
        self, rows: Sequence[MemberRow], columns: tuple[Column, ...] = ALL_MEMBERS_COLUMNS
    ) -> None:
        self.beginResetModel()
        self._natural = tuple(rows)
        self._rows = list(rows)
        self._columns = columns
        self._titles = tuple(c.title for c in columns)
        if self._sort is not None and self._sort[0] < len(columns):
            self._sort_rows(*self._sort)
        self._reindex()
        self.endResetModel()

    def member_at(self, row: int) -> MemberRow:
        return self._rows[row]

    def set_search(self, text: str) -> bool:
        """Mark the rows matching ``text`` (any case); return whether anything changed."""
        needle = fold_for_search(text.strip())
        if needle == self._needle:
            return False
        self._needle = needle
        self._match()
        return True

    def _reindex(self) -> None:
        self._search_keys = [m.search_text() for m in self._rows]
        self._match()

    def _match(self) -> None:
        needle = self._needle
        if needle:
            self.accepted = [needle in key for key in self._search_keys]
        else:
            self.accepted = [True] * len(self._search_keys)

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    # ---- QAbstractTableModel --------------------------------------------------------------

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every visible cell and role on each repaint: keep the common path short.
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        member = self._rows[row]
        if role in (_DISPLAY, _ACCESSIBLE_TEXT):
            return self._columns[index.column()].text(member)
        if role == Qt.ItemDataRole.ToolTipRole and self._columns[index.column()] is NAME:
            return member.full_name or None
        if role == Qt.ItemDataRole.FontRole and member.archived:
            return italic_font()
        if role == MemberIdRole:
            return member.id
        if role == MemberRowRole:
            return member
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column``; a column of -1 goes back to the order the rows came in."""
        if column >= len(self._columns) or (column < 0 and self._sort is None):
            return
        with rows_reordered(self, lambda: self._rows):
            self._sort = (column, order) if column >= 0 else None
            self._sort_rows(column, order)
            self._reindex()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        if column < 0:
            self._rows = list(self._natural)
            return
        key = self._columns[column].sort_key
        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
