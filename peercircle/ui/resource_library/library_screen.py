"""The resource library: every helpline, service, reading, worksheet and website to hand
out, searchable, editable, archived rather than deleted.

Signals (ResourceLibraryScreen):
    resources_changed(): a resource was added, edited, archived or restored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from peercircle.domain import ResourceKind
from peercircle.services.resource_types import (
    ChangedElsewhereError,
    NotFoundError,
    ResourceRow,
    ValidationError,
)
from peercircle.ui.dialog_service import DialogService
from peercircle.ui.resource_library.resource_dialog import ResourceDialog
from peercircle.ui.resource_library.table_model import (
    COLUMNS,
    KIND,
    PHONE,
    TITLE,
    ResourceFilterProxy,
    ResourceRowRole,
    ResourceTableModel,
)

if TYPE_CHECKING:
    from peercircle.services.resources import ResourceService

_PLURAL_KINDS = {
    ResourceKind.HELPLINE: "Helplines",
    ResourceKind.LOCAL_SERVICE: "Local services",
    ResourceKind.READING: "Readings",
    ResourceKind.WORKSHEET: "Worksheets",
    ResourceKind.WEBSITE: "Websites",
}


def _resources(n: int) -> str:
    return f"{n} resource" if n == 1 else f"{n} resources"


class ResourceLibraryScreen(QWidget):
    resources_changed = Signal()

    def __init__(
        self, service: ResourceService, dialogs: DialogService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._dialogs = dialogs

        self.title = QLabel("Resource library", self)
        self.title.setObjectName("screenTitle")
        self.subtitle = QLabel(
            "Helplines, local services, readings, worksheets and websites to hand out. "
            "To choose what a group's handout lists, use Edit → Handout Resources…",
            self,
        )
        self.subtitle.setObjectName("screenSubtitle")
        self.subtitle.setWordWrap(True)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search by title, kind, tag, description or address")
        self.search.setAccessibleName("Search resources")
        self.search.setClearButtonEnabled(True)
        self.kind_filter = QComboBox(self)
        self.kind_filter.setAccessibleName("Show kind")
        self.kind_filter.addItem("All kinds", None)
        for kind, label in _PLURAL_KINDS.items():
            self.kind_filter.addItem(label, kind)
        self.show_archived = QCheckBox("Show a&rchived", self)
        self.show_archived.setAccessibleName("Show archived resources")
        self.add_button = QPushButton("&Add resource…", self)
        self.add_button.setObjectName("primaryButton")
        self.add_button.setAccessibleName("Add resource")

        self.model = ResourceTableModel(self)
        self.proxy = ResourceFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Resources")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COLUMNS.index(TITLE), QHeaderView.ResizeMode.Stretch)

        self.empty_message = QLabel(self)
        self.empty_message.setObjectName("emptyMessage")
        self.empty_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_message.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_message)

        self.count = QLabel(self)
        self.count.setObjectName("countLabel")
        self.edit_button = QPushButton("&Edit…", self)
        self.edit_button.setAccessibleName("Edit selected resource")
        self.archive_button = QPushButton("Arc&hive", self)
        self.archive_button.setAccessibleName("Archive selected resource")
        self.restore_button = QPushButton("Re&store", self)
        self.restore_button.setAccessibleName("Restore selected resource")

        self.add_action = QAction("&Add Resource…", self)
        self.add_action.setShortcut(QKeySequence.StandardKey.New)
        self.edit_action = QAction("&Edit Resource…", self)
        self.edit_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.archive_action = QAction("Arc&hive Resource", self)
        self.archive_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.find_action = QAction("&Find Resource", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        for action in (self.add_action, self.edit_action, self.archive_action, self.find_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

        self._layout()
        self._connect_signals()
        self.reload()

    def _layout(self) -> None:
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addWidget(self.kind_filter)
        tools.addWidget(self.show_archived)
        tools.addSpacing(12)
        tools.addWidget(self.add_button)

        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.edit_button)
        bottom.addWidget(self.archive_button)
        bottom.addWidget(self.restore_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title)
        heading.addWidget(self.subtitle)
        layout.addLayout(heading)
        layout.addLayout(tools)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(lambda _text: self._apply_filter())
        self.kind_filter.currentIndexChanged.connect(lambda _index: self._apply_filter())
        self.show_archived.toggled.connect(lambda _on: self.reload())
        self.add_button.clicked.connect(self.add_resource)
        self.add_action.triggered.connect(self.add_resource)
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

    # ---- what is shown -------------------------------------------------------------------

    def reload(self, select_resource: int | None = None) -> None:
        keep = select_resource if select_resource is not None else self.selected_resource_id()
        rows = self._service.list_resources(include_archived=self.show_archived.isChecked())
        self.model.set_resources(rows)
        self._resize_columns()
        if keep is not None:
            self.select_resource(keep)
        self._update_count()
        self._update_actions()

    def _resize_columns(self) -> None:
        """The title takes the spare width; the other columns fit their text, the long
        ones (web address, tags, groups) up to a point (the full text is in a tooltip)."""
        for column, spec in enumerate(COLUMNS):
            if spec is not TITLE:
                self.table.resizeColumnToContents(column)
                if spec not in (KIND, PHONE):
                    self.table.setColumnWidth(column, min(self.table.columnWidth(column), 210))

    def _apply_filter(self) -> None:
        kind = self.kind_filter.currentData()  # Qt hands the enum back as its plain text
        self.proxy.set_filter(self.search.text(), ResourceKind(kind) if kind else None)
        self._update_count()
        self._update_actions()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if total == 0:
            self.empty_message.setText(
                "Your library is empty.\n\nAdd the helplines, local services, readings, "
                "worksheets and websites you like to hand out, then choose a few for each group."
            )
            self.stack.setCurrentWidget(self.empty_message)
        elif shown == 0:
            self.empty_message.setText("Nothing in the library matches your search.")
            self.stack.setCurrentWidget(self.empty_message)
        else:
            self.stack.setCurrentWidget(self.table)
        self.count.setText(
            _resources(total) if shown == total else f"{shown} of {_resources(total)}"
        )

    def _update_actions(self) -> None:
        resource = self.selected_resource()
        self.edit_button.setEnabled(resource is not None)
        self.edit_action.setEnabled(resource is not None)
        archived = resource is not None and resource.archived
        self.archive_button.setVisible(not archived)
        self.archive_button.setEnabled(resource is not None)
        self.archive_action.setEnabled(resource is not None and not archived)
        self.restore_button.setVisible(archived)

    # ---- selection -----------------------------------------------------------------------

    def selected_resource(self) -> ResourceRow | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        resource = index.data(ResourceRowRole)
        return resource if isinstance(resource, ResourceRow) else None

    def selected_resource_id(self) -> int | None:
        resource = self.selected_resource()
        return resource.id if resource else None

    def select_resource(self, resource_id: int) -> bool:
        row = self.model.row_of(resource_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def shown_titles(self) -> list[str]:
        """The titles in the table, top to bottom, as the facilitator sees them."""
        return [self.proxy.index(r, 0).data() for r in range(self.proxy.rowCount())]

    # ---- actions -------------------------------------------------------------------------

    def add_resource(self) -> None:
        self._edit(None)

    def edit_selected(self) -> None:
        resource = self.selected_resource()
        if resource is not None:
            self._edit(resource)

    def _edit(self, resource: ResourceRow | None) -> None:
        dialog = ResourceDialog(resource, self)
        while dialog.exec():
            try:
                if resource is None:
                    saved = self._service.create_resource(dialog.draft())
                else:
                    saved = self._service.update_resource(
                        resource.id, dialog.draft(), expected_version=resource.version
                    )
            except ValidationError as exc:
                dialog.show_errors(exc.errors)
                continue
            except (ChangedElsewhereError, NotFoundError) as exc:
                self._dialogs.error("Not saved", str(exc))
                self.reload()
                break
            if saved.archived:
                self.show_archived.setChecked(True)  # reloads
            self._reveal(saved.id)
            self.resources_changed.emit()
            break
        dialog.deleteLater()

    def _reveal(self, resource_id: int) -> None:
        """Reload and select ``resource_id``, clearing a search or kind that would hide it."""
        self.reload(select_resource=resource_id)
        if self.selected_resource_id() != resource_id:
            self.search.clear()
            self.kind_filter.setCurrentIndex(0)
            self.select_resource(resource_id)

    def archive_selected(self) -> None:
        resource = self.selected_resource()
        if resource is None or resource.archived:
            return
        handed_out = (
            f" It is no longer printed on the handouts of {', '.join(resource.groups)}."
            if resource.groups
            else ""
        )
        if not self._dialogs.confirm(
            "Archive resource",
            f"Archive “{resource.title}”?\n\nIt will be hidden from the library and can't be "
            f"chosen for handouts.{handed_out} Nothing is deleted: restore it at any time with "
            "“Show archived”, and it returns to those handouts.",
            "Archive",
        ):
            return
        try:
            self._service.archive_resource(resource.id)
        except NotFoundError as exc:
            self._dialogs.error("Not archived", str(exc))
        self.reload()
        self.resources_changed.emit()

    def restore_selected(self) -> None:
        resource = self.selected_resource()
        if resource is None or not resource.archived:
            return
        try:
            self._service.restore_resource(resource.id)
        except NotFoundError as exc:
            self._dialogs.error("Not restored", str(exc))
        self.reload(select_resource=resource.id)
        self.resources_changed.emit()


class ResourceLibraryDialog(QDialog):
    """The library in a window of its own, opened from View → Resource Library…."""

    def __init__(
        self, service: ResourceService, dialogs: DialogService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Resource library")
        self.resize(1120, 620)
        self.screen_widget = ResourceLibraryScreen(service, dialogs, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 12)
        layout.addWidget(self.screen_widget, 1)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(24, 0, 24, 0)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.screen_widget.search.setFocus()
