"""GroupListModel: the sidebar — “All members” first, then each group."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from peercircle.services.roster_types import GroupInfo

GroupIdRole = Qt.ItemDataRole.UserRole + 1
GroupInfoRole = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex

ALL_MEMBERS_LABEL = "All members"


class GroupListModel(QAbstractListModel):
    """Row 0 is “All members” (GroupIdRole None); rows after it are groups by name."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._groups: list[GroupInfo] = []
        self._total_members = 0

    def set_groups(self, groups: Sequence[GroupInfo], total_members: int) -> None:
        self.beginResetModel()
        self._groups = list(groups)
        self._total_members = total_members
        self.endResetModel()

    def groups(self) -> list[GroupInfo]:
        return list(self._groups)

    def row_of(self, group_id: int | None) -> int:
        if group_id is None:
            return 0
        for row, group in enumerate(self._groups, start=1):
            if group.id == group_id:
                return row
        return 0

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._groups) + 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() <= len(self._groups):
            return None
        group = self._groups[index.row() - 1] if index.row() else None
        if role == Qt.ItemDataRole.DisplayRole:
            if group is None:
                return ALL_MEMBERS_LABEL
            return f"{group.name} (archived)" if group.archived else group.name
        if role == Qt.ItemDataRole.ToolTipRole:
            if group is None:
                return f"Everyone: {self._total_members} people"
            people = "person" if group.member_count == 1 else "people"
            return " · ".join(p for p in (f"{group.member_count} {people}", group.schedule) if p)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            if group is None:
                font.setBold(True)
            elif group.archived:
                font.setItalic(True)
            return font
        if role == GroupIdRole:
            return group.id if group else None
        if role == GroupInfoRole:
            return group
        return None
