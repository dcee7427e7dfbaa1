"""Pieces shared by the main screens: the page layout and heading, and the base of the list
screens (the roster and the resource library) that add, edit, archive and restore rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from peercircle.services.roster_types import ChangedElsewhereError, NotFoundError
from peercircle.services.storage_errors import StorageError
from peercircle.services.validation import ValidationError
from peercircle.ui.dialog_service import DialogService
from peercircle.ui.form_helpers import CheckedFormDialog
from peercircle.ui.table_helpers import (
    empty_message_label,
    read_only_table,
    select_source_row,
    selected_value,
)

SavedT = TypeVar("SavedT")


def screen_heading(title: QLabel, subtitle: QLabel) -> QVBoxLayout:
    """A screen's title with its subtitle close under it."""
    heading = QVBoxLayout()
    heading.setSpacing(2)
    heading.addWidget(title)
    heading.addWidget(subtitle)
    return heading


def screen_layout(screen: QWidget) -> QVBoxLayout:
    """The layout of a whole screen: the same margins and spacing on every screen."""
    layout = QVBoxLayout(screen)
    layout.setContentsMargins(24, 20, 24, 16)
    layout.setSpacing(12)
    return layout


class ArchivableListScreen(QWidget):
    """A searchable table of rows that are archived rather than deleted, with Add, Edit,
    Archive and Restore. Subclasses build their widgets in this order (the order Tab
    follows): ``_make_search``, their own filters, ``_make_archive_toggle_and_add``, their
    model and proxy, ``_make_table``, then ``_make_bottom``.

    ``noun`` names a row in labels ("member" gives "Add member", "Search members");
    ``row_role`` is the model role that holds a row's value (with ``id`` and ``archived``).
    """

    def __init__(
        self, noun: str, row_role: int, dialogs: DialogService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._noun = noun
        self._row_role = row_role
        self._dialogs = dialogs

    # ---- building ------------------------------------------------------------------------

    def _make_search(self, placeholder: str) -> None:
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(placeholder)
        self.search.setAccessibleName(f"Search {self._noun}s")
        self.search.setClearButtonEnabled(True)

    def _make_archive_toggle_and_add(self) -> None:
        noun = self._noun
        self.show_archived = QCheckBox("Show a&rchived", self)
        self.show_archived.setAccessibleName(f"Show archived {noun}s")
        self.add_button = QPushButton(f"&Add {noun}…", self)
        self.add_button.setObjectName("primaryButton")
        self.add_button.setAccessibleName(f"Add {noun}")

    def _make_table(self, proxy: QSortFilterProxyModel, name: str) -> None:
        """The table over ``proxy``, and the message shown instead of it when it is empty.
        The caller sets up sorting and column sizes."""
        self._proxy = proxy
        self.table = read_only_table(self, name)
        self.table.setModel(proxy)
        self.empty_message = empty_message_label(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_message)

    def _make_bottom(self) -> None:
        """The count, the Edit, Archive and Restore buttons, and the actions for the menus."""
        noun, title = self._noun, self._noun.capitalize()
        self.count = QLabel(self)
        self.count.setObjectName("countLabel")
        self.edit_button = QPushButton("&Edit…", self)
        self.edit_button.setAccessibleName(f"Edit selected {noun}")
        self.archive_button = QPushButton("Arc&hive", self)
        self.archive_button.setAccessibleName(f"Archive selected {noun}")
        self.restore_button = QPushButton("Re&store", self)
        self.restore_button.setAccessibleName(f"Restore selected {noun}")

        self.add_action = QAction(f"&Add {title}…", self)
        self.add_action.setShortcut(QKeySequence.StandardKey.New)
        self.edit_action = QAction(f"&Edit {title}…", self)
        self.edit_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.archive_action = QAction(f"Arc&hive {title}", self)
        self.archive_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.find_action = QAction(f"&Find {title}", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)

    def _lay_out(self, top: QLayout, *filters: QWidget) -> None:
        """``top`` (the heading), the tools row with ``filters`` after the search, the table,
        and the count with the buttons."""
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        for widget in filters:
            tools.addWidget(widget)
        tools.addWidget(self.show_archived)
        tools.addSpacing(12)
        tools.addWidget(self.add_button)

        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.edit_button)
        bottom.addWidget(self.archive_button)
        bottom.addWidget(self.restore_button)

        layout = screen_layout(self)
        layout.addLayout(top)
        layout.addLayout(tools)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

    def _connect_common_signals(self, add: Callable[[], None]) -> None:
        """Wire the buttons and actions to ``add``, ``edit_selected``, ``archive_selected``,
        ``restore_selected`` and ``focus_search``."""
        self.show_archived.toggled.connect(lambda _on: self.reload())
        self.add_button.clicked.connect(add)
        self.add_action.triggered.connect(add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.edit_action.triggered.connect(self.edit_selected)
        self.archive_button.clicked.connect(self.archive_selected)
        self.archive_action.triggered.connect(self.archive_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.find_action.triggered.connect(self.focus_search)
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().currentRowChanged.connect(
            lambda _cur, _prev: self._update_actions()
        )

    # ---- what subclasses provide ---------------------------------------------------------

    def reload(self) -> None:
        raise NotImplementedError

    def edit_selected(self) -> None:
        raise NotImplementedError

    def archive_selected(self) -> None:
        raise NotImplementedError

    def restore_selected(self) -> None:
        raise NotImplementedError

    # ---- what is shown -------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _show_count(
        self, counted: Callable[[int], str], nothing_yet: str, nothing_matches: str
    ) -> None:
        """The table, or ``nothing_yet`` / ``nothing_matches`` when it shows no rows; and
        the count (“3 of 12 people”), worded by ``counted``."""
        total, shown = self._proxy.sourceModel().rowCount(), self._proxy.rowCount()
        if total == 0:
            self.empty_message.setText(nothing_yet)
            self.stack.setCurrentWidget(self.empty_message)
        elif shown == 0:
            self.empty_message.setText(nothing_matches)
            self.stack.setCurrentWidget(self.empty_message)
        else:
            self.stack.setCurrentWidget(self.table)
        self.count.setText(counted(total) if shown == total else f"{shown} of {counted(total)}")

    def _update_actions(self) -> None:
        row = self._selected_row()
        self.edit_button.setEnabled(row is not None)
        self.edit_action.setEnabled(row is not None)
        archived = row is not None and row.archived
        self.archive_button.setVisible(not archived)
        self.archive_button.setEnabled(row is not None)
        self.archive_action.setEnabled(row is not None and not archived)
        self.restore_button.setVisible(archived)

    # ---- selection -----------------------------------------------------------------------

    def _selected_row(self) -> Any:
        """The selected row's value (from ``row_role``), or None."""
        return selected_value(self.table, self._row_role)

    def _select_source_row(self, row: int | None) -> bool:
        return select_source_row(self.table, self._proxy, row)

    # ---- actions -------------------------------------------------------------------------

    def _run_editor(
        self,
        dialog: CheckedFormDialog,
        save: Callable[[], SavedT],
        after_error: Callable[[], None] | None = None,
    ) -> SavedT | None:
        """Show ``dialog`` until ``save()`` succeeds or it is cancelled; return what was
        saved, or None. A problem with the form goes back to the dialog's inline messages;
        a row changed or removed elsewhere is said in a message box (then ``after_error``)."""
        try:
            while dialog.exec():
                try:
                    return save()
                except ValidationError as exc:
                    dialog.show_errors(exc.errors)
                except StorageError as exc:  # the disk, not the form: try again when it can
                    self._dialogs.error("Not saved", str(exc))
                except (ChangedElsewhereError, NotFoundError) as exc:
                    self._dialogs.error("Not saved", str(exc))
                    if after_error is not None:
                        after_error()
                    return None
            return None
        finally:
            dialog.deleteLater()
