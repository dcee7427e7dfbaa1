"""Small pieces shared by the table models."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtCore import QAbstractItemModel, Qt


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
