"""Small pieces shared by the table models."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont


def horizontal_header(
    titles: Sequence[str], section: int, orientation: Qt.Orientation, role: int
) -> str | None:
    """The column title for ``headerData``: horizontal display text only."""
    if (
        orientation == Qt.Orientation.Horizontal
        and role == Qt.ItemDataRole.DisplayRole
        and 0 <= section < len(titles)
    ):
        return titles[section]
    return None


def italic_font() -> QFont:
    """The font for an archived row: the usual one, in italics."""
    font = QFont()
    font.setItalic(True)
    return font


@contextmanager
def rows_reordered(
    model: QAbstractItemModel, rows: Callable[[], Sequence[object]]
) -> Iterator[None]:
    """Re-order ``model``'s rows inside the ``with`` block; selections and other persistent
    indexes follow their rows. ``rows()`` returns the model's row objects in order."""
    model.layoutAboutToBeChanged.emit()
    old_rows = list(rows())  # a copy: the block may sort the list in place
    persistent = model.persistentIndexList()
    old_positions = [(p.row(), p.column()) for p in persistent]
    yield
    new_row_of = {id(item): i for i, item in enumerate(rows())}
    model.changePersistentIndexList(
        persistent,
        [model.index(new_row_of[id(old_rows[r])], c) for r, c in old_positions],
    )
    model.layoutChanged.emit()


class _HasId(Protocol):
    @property
    def id(self) -> int: ...


T = TypeVar("T")
RowT = TypeVar("RowT", bound=_HasId)
_Index = QModelIndex | QPersistentModelIndex


class FlatTableModel(QAbstractTableModel, Generic[T]):
    """A flat table with one value a row: subclasses keep the values in ``_rows`` and the
    column titles in ``_titles``, and give ``data()``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []
        self._titles: tuple[str, ...] = ()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._titles)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        return horizontal_header(self._titles, section, orientation, role)


class RowTableModel(FlatTableModel[RowT]):
    """A flat table whose row values have an ``id``, so a row can be found again."""

    def row_of(self, row_id: int) -> int | None:
        """The row that holds the value with ``row_id``, if any."""
        return next((i for i, r in enumerate(self._rows) if r.id == row_id), None)
