"""ResourceTableModel: the library's resources as rows, filtered by ResourceFilterProxy.

The model matches every row against the search words and kind in one pass of plain Python
and keeps a flag per row; the proxy only reads the flags. A library holds tens or hundreds
of items, so the proxy sorts by ``SortKeyRole`` directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from peercircle.domain import ResourceKind
from peercircle.services.resource_types import ResourceRow, search_words
from peercircle.services.roster_types import name_sort_key
from peercircle.ui.model_helpers import RowTableModel, italic_font

ResourceIdRole = Qt.ItemDataRole.UserRole + 1
ResourceRowRole = Qt.ItemDataRole.UserRole + 2
SortKeyRole = Qt.ItemDataRole.UserRole + 3

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ACCESSIBLE_TEXT = Qt.ItemDataRole.AccessibleTextRole


def _kind(r: ResourceRow) -> str:
    return f"{r.kind_label} · archived" if r.archived else r.kind_label


class Column:
    """One table column: its header, and how to show and sort a resource in it."""

    def __init__(
        self,
        title: str,
        text: Callable[[ResourceRow], str],
    ) -> None:
        self.title = title
        self.text = text

    def sort_key(self, r: ResourceRow) -> str:
        """Folded text, then the title for rows that tie (a string: Qt compares these)."""
        return f"{name_sort_key(self.text(r))}\x00{name_sort_key(r.title)}"


TITLE = Column("Title", lambda r: r.title)
KIND = Column("Kind", _kind)
PHONE = Column("Phone", lambda r: r.phone)
URL = Column("Web address", lambda r: r.url)
TAGS = Column("Tags", lambda r: r.tags)
GROUPS = Column("Handed out in", lambda r: ", ".join(r.groups))
COLUMNS: tuple[Column, ...] = (TITLE, KIND, PHONE, URL, TAGS, GROUPS)


class ResourceTableModel(RowTableModel[ResourceRow]):
    """Read-only table of ResourceRow values.

    Custom roles: ``ResourceIdRole`` (int id), ``ResourceRowRole`` (the ResourceRow) and
    ``SortKeyRole`` (what the column sorts by).
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._search_keys: list[str] = []
        self._titles = tuple(c.title for c in COLUMNS)
        self._words: tuple[str, ...] = ()
        self._kind: ResourceKind | None = None
        # One flag per row: does it match the search and kind? Read by ResourceFilterProxy.
        self.accepted: list[bool] = []

    def set_resources(self, rows: Sequence[ResourceRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._search_keys = [r.search_text() for r in self._rows]
        self._match()
        self.endResetModel()

    def resource_at(self, row: int) -> ResourceRow:
        return self._rows[row]

    def set_filter(self, text: str, kind: ResourceKind | None = None) -> bool:
        """Mark the rows with every word of ``text`` (any case or accents) and of ``kind``;
        return whether anything changed."""
        words = search_words(text)
        if (words, kind) == (self._words, self._kind):
            return False
        self._words, self._kind = words, kind
        self._match()
        return True

    def _match(self) -> None:
        self.accepted = [
            (self._kind is None or r.kind == self._kind) and r.matches(self._words, key)
            for r, key in zip(self._rows, self._search_keys, strict=True)
        ]

    # ---- QAbstractTableModel --------------------------------------------------------------

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        resource = self._rows[row]
        column = COLUMNS[index.column()]
        if role in (_DISPLAY, _ACCESSIBLE_TEXT):
            return column.text(resource)
        if role == Qt.ItemDataRole.ToolTipRole:
            # The description for the title; the whole text where a long column is cut short.
            if column is TITLE:
                return resource.description or None
            return column.text(resource) if column in (URL, TAGS, GROUPS) else None
        if role == Qt.ItemDataRole.FontRole and resource.archived:
            return italic_font()
        if role == ResourceIdRole:
            return resource.id
        if role == ResourceRowRole:
            return resource
        if role == SortKeyRole:
            return column.sort_key(resource)
        return None


class ResourceFilterProxy(QSortFilterProxyModel):
    """Shows the rows ResourceTableModel marked as matching; sorts by ``SortKeyRole``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._resources: ResourceTableModel | None = None
        self.setSortRole(SortKeyRole)

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        assert isinstance(model, ResourceTableModel)
        self._resources = model
        super().setSourceModel(model)

    def set_filter(self, text: str, kind: ResourceKind | None = None) -> None:
        if self._resources is not None and self._resources.set_filter(text, kind):
            self.invalidate()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        return self._resources is None or self._resources.accepted[source_row]
