"""The roster screen: one group's people (or everyone), searchable, sortable, editable.

Signals:
    members_changed(): members were added, edited, archived or restored.
    edit_group_requested(): the user asked to edit the group shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
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

from peercircle.domain import Role
from peercircle.services.roster_types import (
    ChangedElsewhereError,
    GroupInfo,
    MemberRow,
    NotFoundError,
)
from peercircle.services.validation import ValidationError
from peercircle.ui.dialog_service import DialogService
from peercircle.ui.roster.filter_proxy import RosterFilterProxy
from peercircle.ui.roster.member_dialog import MemberDialog
from peercircle.ui.roster.table_model import (
    ALL_MEMBERS_COLUMNS,
    GROUP_COLUMNS,
    MemberRowRole,
    RosterTableModel,
)

if TYPE_CHECKING:
    from peercircle.services.roster import RosterService


def _people(n: int) -> str:
    return f"{n} person" if n == 1 else f"{n} people"


class RosterScreen(QWidget):
    members_changed = Signal()
    edit_group_requested = Signal()

    def __init__(
        self,
        roster: RosterService | None,
        dialogs: DialogService,
        parent: QWidget | None = None,
    ) -> None:
        """``roster`` may be given later with ``set_roster`` (the window paints first)."""
        super().__init__(parent)
        self._roster = roster
        self._dialogs = dialogs
        self._group: GroupInfo | None = None

        self.title = QLabel(self)
        self.title.setObjectName("screenTitle")
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("screenSubtitle")
        self.edit_group_button = QPushButton("Edit &group…", self)
        self.edit_group_button.setAccessibleName("Edit group")

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search by name, pronouns, e-mail, phone or group")
        self.search.setAccessibleName("Search members")
        self.search.setClearButtonEnabled(True)
        self.show_archived = QCheckBox("Show a&rchived", self)
        self.show_archived.setAccessibleName("Show archived members")
        self.add_button = QPushButton("&Add member…", self)
        self.add_button.setObjectName("primaryButton")
        self.add_button.setAccessibleName("Add member")

        self.model = RosterTableModel(self)
        self.proxy = RosterFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Members")
        # Rows come in seating order; a third click on a header goes back to it.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSortIndicatorClearable(True)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # Size columns to their text from the first rows only: fast with 10,000 members.
        self.table.verticalHeader().setResizeContentsPrecision(100)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

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
        self.edit_button.setAccessibleName("Edit selected member")
        self.archive_button = QPushButton("Arc&hive", self)
        self.archive_button.setAccessibleName("Archive selected member")
        self.restore_button = QPushButton("Re&store", self)
        self.restore_button.setAccessibleName("Restore selected member")

        self.add_action = QAction("&Add Member…", self)
        self.add_action.setShortcut(QKeySequence.StandardKey.New)
        self.edit_action = QAction("&Edit Member…", self)
        self.edit_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.archive_action = QAction("Arc&hive Member", self)
        self.archive_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.archive_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.restore_action = QAction("Re&store Member", self)
        self.find_action = QAction("&Find Member", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.addAction(self.archive_action)

        self._layout()
        self._connect_signals()

    def _layout(self) -> None:
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title)
        heading.addWidget(self.subtitle)
        top = QHBoxLayout()
        top.addLayout(heading, 1)
        top.addWidget(self.edit_group_button, 0, Qt.AlignmentFlag.AlignTop)

        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
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
        layout.addLayout(top)
        layout.addLayout(tools)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._on_search)
        self.show_archived.toggled.connect(lambda _on: self.reload())
        self.add_button.clicked.connect(self.add_member)
        self.add_action.triggered.connect(self.add_member)
        self.edit_button.clicked.connect(self.edit_selected)
        self.edit_action.triggered.connect(self.edit_selected)
        self.archive_button.clicked.connect(self.archive_selected)
        self.archive_action.triggered.connect(self.archive_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_action.triggered.connect(self.restore_selected)
        self.find_action.triggered.connect(self.focus_search)
        self.edit_group_button.clicked.connect(self.edit_group_requested)
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().currentRowChanged.connect(
            lambda _cur, _prev: self._update_actions()
        )
        self.proxy.layoutChanged.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)

    # ---- what is shown -------------------------------------------------------------------

    def set_roster(self, roster: RosterService) -> None:
        """Give the screen its service; the next ``show_group`` fills it in."""
        self._roster = roster

    @property
    def group(self) -> GroupInfo | None:
        return self._group

    def show_group(self, group: GroupInfo | None) -> None:
        """Show one group's roster, or everyone when ``group`` is None."""
        self._group = group
        self.search.clear()
        self.reload()

    def reload(self, select_member: int | None = None) -> None:
        if self._roster is None:
            return
        keep = select_member if select_member is not None else self.selected_member_id()
        group = self._group
        if group is not None:
            try:
                group = self._group = self._roster.get_group(group.id)
            except NotFoundError:
                group = self._group = None
        rows = self._roster.list_members(
            group.id if group else None, include_archived=self.show_archived.isChecked()
        )
        self.model.set_members(rows, GROUP_COLUMNS if group else ALL_MEMBERS_COLUMNS)
        self._resize_columns()
        self.title.setText(group.name if group else "All members")
        self.subtitle.setText(self._subtitle(group, rows))
        self.edit_group_button.setVisible(group is not None)
        if keep is not None:
            self.select_member(keep)
        self._update_count()
        self._update_actions()

    @staticmethod
    def _subtitle(group: GroupInfo | None, rows: list[MemberRow]) -> str:
        active = sum(not m.archived for m in rows)
        parts = [_people(active)]
        if group is None:
            parts.append("in all your groups")
        else:
            co = [m.display_name for m in rows if m.role == Role.CO_FACILITATOR and not m.archived]
            if group.schedule:
                parts.append(group.schedule)
            if co:
                parts.append("with " + ", ".join(co))
            if group.archived:
                parts.append("archived")
        return " · ".join(parts)

    def _resize_columns(self) -> None:
        # Names and e-mail addresses share the spare width; short columns are sized to
        # their text once per load (not on every keystroke, which would sample rows).
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column, spec in enumerate(self.model.columns):
            if spec.title in ("Name", "E-mail", "Groups"):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                self.table.resizeColumnToContents(column)

    def _on_search(self, text: str) -> None:
        self.proxy.set_search_text(text)
        self._update_count()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if total == 0:
            if self._group is not None:
                self.empty_message.setText(
                    "No one in this group yet.\n\nAdd a member, or import the list you keep "
                    "in a spreadsheet (File → Import Roster…)."
                )
            else:
                self.empty_message.setText("No members yet. Add your first member to begin.")
            self.stack.setCurrentWidget(self.empty_message)
        elif shown == 0:
            self.empty_message.setText(f"No one matches “{self.search.text().strip()}”.")
            self.stack.setCurrentWidget(self.empty_message)
        else:
            self.stack.setCurrentWidget(self.table)
        self.count.setText(_people(total) if shown == total else f"{shown} of {_people(total)}")

    def _update_actions(self) -> None:
        member = self.selected_member()
        self.edit_button.setEnabled(member is not None)
        self.edit_action.setEnabled(member is not None)
        archived = member is not None and member.archived
        self.archive_button.setVisible(not archived)
        self.archive_button.setEnabled(member is not None)
        self.archive_action.setEnabled(member is not None and not archived)
        self.restore_button.setVisible(archived)
        self.restore_action.setEnabled(archived)

    # ---- selection -----------------------------------------------------------------------

    def selected_member(self) -> MemberRow | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        member = index.data(MemberRowRole)
        return member if isinstance(member, MemberRow) else None

    def selected_member_id(self) -> int | None:
        member = self.selected_member()
        return member.id if member else None

    def select_member(self, member_id: int) -> bool:
        row = self.model.row_of(member_id)
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

    # ---- actions -------------------------------------------------------------------------

    def add_member(self) -> None:
        memberships = {self._group.id: Role.MEMBER} if self._group else {}
        self._edit(None, memberships)

    def edit_selected(self) -> None:
        member = self.selected_member()
        if member is None or self._roster is None:
            return
        memberships = {g.id: role for g, role in self._roster.groups_of(member.id)}
        self._edit(member, memberships)

    def _edit(self, member: MemberRow | None, memberships: dict[int, Role]) -> None:
        if self._roster is None:
            return
        groups = self._roster.list_groups(include_archived=False)
        dialog = MemberDialog(groups, member, memberships, self)
        while dialog.exec():
            try:
                saved = self._roster.save_member(
                    member.id if member else None,
                    dialog.draft(),
                    dialog.memberships(),
                    expected_version=member.version if member else None,
                )
            except ValidationError as exc:
                dialog.show_errors(exc.errors)
                continue
            except (ChangedElsewhereError, NotFoundError) as exc:
                self._dialogs.error("Not saved", str(exc))
                break
            self.reload(select_member=saved.id)
            self.members_changed.emit()
            break
        dialog.deleteLater()

    def archive_selected(self) -> None:
        member = self.selected_member()
        if member is None or member.archived or self._roster is None:
            return
        if not self._dialogs.confirm(
            "Archive member",
            f"Archive {member.display_name}?\n\nThey will be hidden from rosters and rounds. "
            "Nothing is deleted: you can restore them at any time with “Show archived”.",
            "Archive",
        ):
            return
        self._roster.archive_member(member.id)
        self.reload()
        self.members_changed.emit()

    def restore_selected(self) -> None:
        member = self.selected_member()
        if member is None or not member.archived or self._roster is None:
            return
        self._roster.restore_member(member.id)
        self.reload(select_member=member.id)
        self.members_changed.emit()
