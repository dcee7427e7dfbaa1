"""Choosing a group's handout: tick the resources it lists and put them in order.

``HandoutListModel`` holds every resource that can be chosen, with a tick for those on the
handout; the ticked ones, top to bottom, are the handout's order. ``HandoutListView`` (a
table, so it looks like the library) ticks with Space and turns Alt+Up/Down into move
requests, like the round's queue. ``choose_group_resources`` runs the
whole step for the main window: load, ask, save, and say so if it could not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from peercircle.services.resource_types import (
    ChangedElsewhereError,
    NotFoundError,
    ResourceRow,
    ValidationError,
)
from peercircle.services.roster_types import GroupInfo, name_sort_key
from peercircle.ui.dialog_service import DialogService
from peercircle.ui.model_helpers import RowTableModel

if TYPE_CHECKING:
    from peercircle.services.resources import ResourceService

_Index = QModelIndex | QPersistentModelIndex
ResourceIdRole = Qt.ItemDataRole.UserRole + 1
ORDER, TITLE, KIND = range(3)
_TITLES = ("#", "Resource", "Kind")


class HandoutListModel(RowTableModel[ResourceRow]):
    """Resources that can be handed out, each ticked or not, in the order they would print:
    a list with three columns, the place on the handout (ticked ones only), the title with
    its tick, and the kind.

    Archived resources are not offered. The chosen ones come first, in their order, then
    the others by title. Custom role: ``ResourceIdRole`` (int id).
    """

    def __init__(
        self,
        resources: Sequence[ResourceRow],
        chosen_ids: Sequence[int],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        offered = {r.id: r for r in resources if not r.archived}
        chosen = [offered[rid] for rid in dict.fromkeys(chosen_ids) if rid in offered]
        others = sorted(
            (r for r in offered.values() if r.id not in {c.id for c in chosen}),
            key=lambda r: name_sort_key(r.title),
        )
        self._rows = chosen + others
        self._titles = _TITLES
        self._ticked: set[int] = {r.id for r in chosen}

    def resource_at(self, row: int) -> ResourceRow:
        return self._rows[row]

    def chosen_ids(self) -> list[int]:
        """The ticked resources' ids, top to bottom: the handout's order."""
        return [r.id for r in self._rows if r.id in self._ticked]

    def is_chosen(self, row: int) -> bool:
        return self._rows[row].id in self._ticked

    def set_chosen(self, row: int, chosen: bool) -> None:
        state = Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked
        self.setData(self.index(row, TITLE), state, Qt.ItemDataRole.CheckStateRole)

    def move(self, row: int, to_row: int) -> bool:
        """Move the resource at ``row`` to ``to_row``; False if either is out of range."""
        last = len(self._rows) - 1
        if row == to_row or not (0 <= row <= last and 0 <= to_row <= last):
            return False
        # beginMoveRows counts the destination before the move: one further when moving down.
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), to_row + (to_row > row))
        self._rows.insert(to_row, self._rows.pop(row))
        self.endMoveRows()
        self._places_changed()
        return True

    def _places_changed(self) -> None:
        """The numbers in the # column follow every tick and move."""
        if self._rows:
            self.dataChanged.emit(
                self.index(0, ORDER),
                self.index(len(self._rows) - 1, ORDER),
                [Qt.ItemDataRole.DisplayRole],
            )

    def place(self, row: int) -> int | None:
        """Where the resource at ``row`` comes on the handout (1 is first), if it is ticked."""
        if not self.is_chosen(row):
            return None
        return sum(self.is_chosen(r) for r in range(row)) + 1

    # ---- QAbstractTableModel --------------------------------------------------------------

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        resource = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == ORDER:
                place = self.place(index.row())
                return "" if place is None else str(place)
            return resource.title if column == TITLE else resource.kind_label
        if role == Qt.ItemDataRole.AccessibleTextRole:
            place = self.place(index.row())
            if column == KIND:
                return resource.kind_label
            if column == ORDER:
                return "" if place is None else f"number {place} on the handout"
            return f"{resource.title}, " + (
                "not on the handout" if place is None else f"number {place} on the handout"
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            return resource.description or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == ORDER:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.CheckStateRole and column == TITLE:
            ticked = resource.id in self._ticked
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if role == ResourceIdRole:
            return resource.id
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or index.column() != TITLE:
            return False
        resource_id = self._rows[index.row()].id
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._ticked.add(resource_id)
        else:
            self._ticked.discard(resource_id)
        self.dataChanged.emit(
            index, index, [Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.AccessibleTextRole]
        )
        self._places_changed()
        return True

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsUserCheckable if index.column() == TITLE else flags


class HandoutListView(QTableView):
    """The chooser's list: Space ticks or unticks the current resource (in either column),
    Alt+Up/Down moves it.

    Signals:
        move_requested(int row, int to_row): Alt+Up / Alt+Down on a row.
    """

    move_requested = Signal(int, int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, alt = event.key(), event.modifiers() & Qt.KeyboardModifier.AltModifier
        row = self.currentIndex().row()
        model = self.model()
        if row >= 0 and alt and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_requested.emit(row, row - 1 if key == Qt.Key.Key_Up else row + 1)
            return
        if row >= 0 and key == Qt.Key.Key_Space and isinstance(model, HandoutListModel):
            model.set_chosen(row, not model.is_chosen(row))
            return
        super().keyPressEvent(event)


class GroupResourcesDialog(QDialog):
    """Choose and order the resources on ``group``'s handout; ``chosen_ids()`` once accepted."""

    def __init__(
        self,
        group: GroupInfo,
        all_resources: Sequence[ResourceRow],
        chosen_ids: Sequence[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.group = group
        self.setWindowTitle("Handout resources")
        self.setMinimumSize(620, 480)
        self.resize(700, 520)

        heading = QLabel(f"Handout resources for {group.name}", self)
        heading.setObjectName("dialogTitle")
        heading.setWordWrap(True)
        hint = QLabel(
            "Tick what this group's handout should list (Space ticks or unticks). The numbers "
            "show the order they print in: move the selected one with Alt+Up and Alt+Down.",
            self,
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)

        self.model = HandoutListModel(all_resources, chosen_ids, self)
        self.list = HandoutListView(self)
        self.list.setModel(self.model)
        self.list.setAccessibleName("Resources for the handout")
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setAlternatingRowColors(True)
        self.list.setShowGrid(False)
        self.list.setWordWrap(False)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.verticalHeader().hide()
        header = self.list.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(ORDER, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(ORDER, 40)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(KIND, QHeaderView.ResizeMode.ResizeToContents)

        self.empty_message = QLabel(
            "Your resource library is empty.\n\nAdd helplines, local services and readings "
            "with View → Resource Library…, then choose them here.",
            self,
        )
        self.empty_message.setObjectName("emptyMessage")
        self.empty_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_message.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty_message)
        if self.model.rowCount() == 0:
            self.stack.setCurrentWidget(self.empty_message)

        self.up_button = QPushButton("Move up", self)
        self.up_button.setAccessibleName("Move selected resource up")
        self.up_button.setToolTip("Alt+Up")
        self.down_button = QPushButton("Move down", self)
        self.down_button.setAccessibleName("Move selected resource down")
        self.down_button.setToolTip("Alt+Down")
        self.count = QLabel(self)
        self.count.setObjectName("countLabel")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)

        side = QVBoxLayout()
        side.addWidget(self.up_button)
        side.addWidget(self.down_button)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.stack, 1)
        middle.addLayout(side)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addLayout(middle, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)

        self._connect_signals()
        if self.model.rowCount():
            self.list.selectionModel().setCurrentIndex(
                self.model.index(0, TITLE),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self.list.setFocus()
        self._update()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.move_requested.connect(self.move_resource)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.list.selectionModel().currentRowChanged.connect(lambda _cur, _prev: self._update())
        self.model.dataChanged.connect(lambda *_args: self._update())
        self.model.rowsMoved.connect(lambda *_args: self._update())

    def chosen_ids(self) -> list[int]:
        return self.model.chosen_ids()

    def move_current(self, step: int) -> None:
        row = self.list.currentIndex().row()
        if row >= 0:
            self.move_resource(row, row + step)
        self.list.setFocus()

    def move_resource(self, row: int, to_row: int) -> None:
        if self.model.move(row, to_row):
            self.list.scrollTo(self.model.index(to_row, TITLE))

    def _update(self) -> None:
        chosen = len(self.model.chosen_ids())
        self.count.setText("Nothing ticked yet." if chosen == 0 else f"{chosen} on the handout")
        row, last = self.list.currentIndex().row(), self.model.rowCount() - 1
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < last)


def choose_group_resources(
    service: ResourceService, group: GroupInfo, dialogs: DialogService, parent: QWidget
) -> bool:
    """Ask which resources ``group`` hands out, and in what order, and save the answer.

    Returns True if a new choice was saved; problems are shown through ``dialogs``.
    """
    try:
        everything = service.list_resources()
        chosen = [r.id for r in service.group_resources(group.id)]
    except NotFoundError as exc:
        dialogs.error("Handout resources", str(exc))
        return False
    dialog = GroupResourcesDialog(group, everything, chosen, parent)
    saved = False
    if dialog.exec():
        try:
            service.set_group_resources(group.id, dialog.chosen_ids())
            saved = True
        except ValidationError as exc:
            dialogs.error("Not saved", " ".join(exc.errors.values()))
        except NotFoundError as exc:
            dialogs.error("Not saved", f"{exc} Nothing was changed; please try again.")
        except ChangedElsewhereError as exc:
            dialogs.error("Not saved", str(exc))
    dialog.deleteLater()
    return saved
