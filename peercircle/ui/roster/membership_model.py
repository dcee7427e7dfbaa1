"""MembershipTableModel: which groups a member belongs to, and where they co-facilitate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from peercircle.domain import Role
from peercircle.services.roster_types import GroupInfo
from peercircle.ui.model_helpers import horizontal_header

_Index = QModelIndex | QPersistentModelIndex
GROUP_COLUMN, CO_FACILITATOR_COLUMN = 0, 1


class MembershipTableModel(QAbstractTableModel):
    """Rows are groups; column 0 is “in this group”, column 1 “co-facilitates it”."""

    def __init__(
        self, groups: Sequence[GroupInfo], memberships: Mapping[int, Role], parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._groups = list(groups)
        self._roles: dict[int, Role] = dict(memberships)

    def memberships(self) -> dict[int, Role]:
        return dict(self._roles)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._groups)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        return horizontal_header(("Group", "Co-facilitator"), section, orientation, role)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable
        group = self._groups[index.row()]
        if index.column() == GROUP_COLUMN or group.id in self._roles:
            flags |= Qt.ItemFlag.ItemIsEnabled
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._groups):
            return None
        group = self._groups[index.row()]
        member_role = self._roles.get(group.id)
        if role == Qt.ItemDataRole.DisplayRole:
            return group.name if index.column() == GROUP_COLUMN else ""
        if role == Qt.ItemDataRole.CheckStateRole:
            if index.column() == GROUP_COLUMN:
                checked = member_role is not None
            else:
                checked = member_role == Role.CO_FACILITATOR
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if index.column() == GROUP_COLUMN:
                return f"Member of {group.name}"
            return f"Co-facilitator of {group.name}"
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        group_id = self._groups[index.row()].id
        if index.column() == GROUP_COLUMN:
            if checked:
                self._roles.setdefault(group_id, Role.MEMBER)
            else:
                self._roles.pop(group_id, None)
        elif group_id in self._roles:
            self._roles[group_id] = Role.CO_FACILITATOR if checked else Role.MEMBER
        else:
            return False
        row = index.row()
        self.dataChanged.emit(self.index(row, 0), self.index(row, 1))
        return True
