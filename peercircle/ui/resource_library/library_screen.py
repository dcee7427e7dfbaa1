"""The resource library: every helpline, service, reading, worksheet and website to hand
out, searchable, editable, archived rather than deleted.

Signals (ResourceLibraryScreen):
    resources_changed(): a resource was added, edited, archived or restored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from peercircle.domain import ResourceKind
from peercircle.services.resource_types import NotFoundError, ResourceRow
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
from peercircle.ui.screen_helpers import ArchivableListScreen, screen_heading

if TYPE_CHECKING:
    from peercircle.db import Database
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


class ResourceLibraryScreen(ArchivableListScreen):
    resources_changed = Signal()

    def __init__(
        self, service: ResourceService, dialogs: DialogService, parent: QWidget | None = None
    ) -> None:
        super().__init__("resource", ResourceRowRole, dialogs, parent)
        self._service = service

        self.title = QLabel("Resource library", self)
        self.title.setObjectName("screenTitle")
        self.subtitle = QLabel(
            "Helplines, local services, readings, worksheets and websites to hand out. "
            "To choose what a group's handout lists, use Edit → Handout Resources…",
            self,
        )
        self.subtitle.setObjectName("screenSubtitle")
        self.subtitle.setWordWrap(True)

        self._make_search("Search by title, kind, tag, description or address")
        self.kind_filter = QComboBox(self)
        self.kind_filter.setAccessibleName("Show kind")
        self.kind_filter.addItem("All kinds", None)
        for kind, label in _PLURAL_KINDS.items():
            self.kind_filter.addItem(label, kind)
        self._make_archive_toggle_and_add()

        self.model = ResourceTableModel(self)
        self.proxy = ResourceFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._make_table(self.proxy, "Resources")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COLUMNS.index(TITLE), QHeaderView.ResizeMode.Stretch)

        self._make_bottom()
        for action in (self.add_action, self.edit_action, self.archive_action, self.find_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

        self._lay_out(screen_heading(self.title, self.subtitle), self.kind_filter)
        self._connect_signals()
        self.reload()

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(lambda _text: self._apply_filter())
        self.kind_filter.currentIndexChanged.connect(lambda _index: self._apply_filter())
        self._connect_common_signals(self.add_resource)

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

    def _update_count(self) -> None:
        self._show_count(
            _resources,
            "Your library is empty.\n\nAdd the helplines, local services, readings, "
            "worksheets and websites you like to hand out, then choose a few for each group.",
            "Nothing in the library matches your search.",
        )

    # ---- selection -----------------------------------------------------------------------

    def selected_resource(self) -> ResourceRow | None:
        resource = self._selected_row()
        return resource if isinstance(resource, ResourceRow) else None

    def selected_resource_id(self) -> int | None:
        resource = self.selected_resource()
        return resource.id if resource else None

    def select_resource(self, resource_id: int) -> bool:
        return self._select_source_row(self.model.row_of(resource_id))

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

        def save() -> ResourceRow:
            if resource is None:
                return self._service.create_resource(dialog.draft())
            return self._service.update_resource(
                resource.id, dialog.draft(), expected_version=resource.version
            )

        saved = self._run_editor(dialog, save, after_error=self.reload)
        if saved is None:
            return
        if saved.archived:
            self.show_archived.setChecked(True)  # reloads
        self._reveal(saved.id)
        self.resources_changed.emit()

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


def show_resource_library(db: Database, dialogs: DialogService, parent: QWidget) -> None:
    """The library as a dialog, on ``db``."""
    from peercircle.services.resources import ResourceService

    dialog = ResourceLibraryDialog(ResourceService(db), dialogs, parent)
    dialog.exec()
    dialog.deleteLater()
