"""Small pieces shared by the screens that show a table: how it is set up, and selection."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget


def read_only_table(parent: QWidget, name: str) -> QTableView:
    """A read-only table that selects one whole row, in the app's calm style: alternating
    rows, no grid, one line a row, no row numbers, headers that do not light up."""
    table = QTableView(parent)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setHighlightSections(False)
    return table


def fix_row_heights(table: QTableView) -> None:
    """Rows keep one height, and columns are sized to the text of the first 100 rows only:
    fast with thousands of rows."""
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setResizeContentsPrecision(100)


def sortable_in_natural_order(table: QTableView) -> None:
    """Sortable by a click on a header; rows come in the model's own order (seating, newest
    first), and a third click on a header goes back to it."""
    header = table.horizontalHeader()
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    header.setSortIndicatorClearable(True)
    table.setSortingEnabled(True)


def empty_message_label(parent: QWidget, text: str = "") -> QLabel:
    """The calm, centred message shown instead of a table that has nothing to show."""
    label = QLabel(text, parent)
    label.setObjectName("emptyMessage")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


def selected_value(table: QTableView, role: int) -> Any:
    """``role``'s data for the selected row's current cell, or None when no row is selected."""
    index = table.selectionModel().currentIndex()
    if not index.isValid() or not table.selectionModel().isRowSelected(index.row()):
        return None
    return index.data(role)


def select_source_row(table: QTableView, proxy: QSortFilterProxyModel, row: int | None) -> bool:
    """Select and show the proxy's source-model ``row``; False if there is no such row or the
    proxy hides it."""
    source = proxy.sourceModel()
    if row is None or source is None:
        return False
    index = proxy.mapFromSource(source.index(row, 0))
    if not index.isValid():
        return False
    table.selectionModel().setCurrentIndex(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    table.scrollTo(index)
    return True
