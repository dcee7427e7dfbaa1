"""The roster screen: one group's people (or everyone), searchable, sortable, editable.

Signals:
    members_changed(): members were added, edited, archived, restored or erased.
    edit_group_requested(): the user asked to edit the group shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QWidget,
)

from peercircle.domain import Role
from peercircle.services.roster_types import (
    GroupInfo,
    MemberRow,
    NotFoundError,
)
from peercircle.ui.dialog_service import DialogService
from peercircle.ui.roster.filter_proxy import RosterFilterProxy
from peercircle.ui.roster.member_dialog import MemberDialog
from peercircle.ui.roster.table_model import (
    ALL_MEMBERS_COLUMNS,
    GROUP_COLUMNS,
    MemberRowRole,
    RosterTableModel,
)
from peercircle.ui.screen_helpers import ArchivableListScreen, screen_heading
from peercircle.ui.table_helpers import fix_row_heights, sortable_in_natural_order

if TYPE_CHECKING:
    from peercircle.services.roster import RosterService
    from peercircle.ui.roster.member_data_dialogs import MemberData


def _people(n: int) -> str:
    return f"{n} person" if n == 1 else f"{n} people"


class RosterScreen(ArchivableListScreen):
    members_changed = Signal()
    edit_group_requested = Signal()

    def __init__(
        self,
        roster: RosterService | None,
        dialogs: DialogService,
        parent: QWidget | None = None,
    ) -> None:
        """``roster`` may be given later with ``set_roster`` (the window paints first)."""
        super().__init__("member", MemberRowRole, dialogs, parent)
        self._roster = roster
        self._member_data: MemberData | None = None
        self._group: GroupInfo | None = None

        self.title = QLabel(self)
        self.title.setObjectName("screenTitle")
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("screenSubtitle")
        self.edit_group_button = QPushButton("Edit &group…", self)
        self.edit_group_button.setAccessibleName("Edit group")

        self._make_search("Search by name, pronouns, e-mail, phone or group")
        self._make_archive_toggle_and_add()

        self.model = RosterTableModel(self)
        self.proxy = RosterFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._make_table(self.proxy, "Members")
        sortable_in_natural_order(self.table)  # seating order
        fix_row_heights(self.table)  # fast with 10,000 members
        self.table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )

        self._make_bottom()
        self.archive_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.restore_action = QAction("Re&store Member", self)
        self.export_member_action = QAction("E&xport Member…", self)
        self.erase_member_action = QAction("Erase Member…", self)
        self.export_member_action.setEnabled(False)
        self.erase_member_action.setEnabled(False)
        self.addAction(self.archive_action)

        self._layout()
        self._connect_signals()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addLayout(screen_heading(self.title, self.subtitle), 1)
        top.addWidget(self.edit_group_button, 0, Qt.AlignmentFlag.AlignTop)
        self._lay_out(top)

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._on_search)
        self._connect_common_signals(self.add_member)
        self.restore_action.triggered.connect(self.restore_selected)
        self.export_member_action.triggered.connect(self.export_selected)
        self.erase_member_action.triggered.connect(self.erase_selected)
        self.edit_group_button.clicked.connect(self.edit_group_requested)
        self.proxy.layoutChanged.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)

    # ---- what is shown -------------------------------------------------------------------

    def set_roster(self, roster: RosterService) -> None:
        """Give the screen its service; the next ``show_group`` fills it in."""
        self._roster = roster

    def set_member_data(self, member_data: MemberData) -> None:
        """Give the screen Export Member… and Erase Member… (made once the data is open)."""
        self._member_data = member_data
        self._update_actions()

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

    def _update_count(self) -> None:
        self._show_count(
            _people,
            "No one in this group yet.\n\nAdd a member, or import the list you keep "
            "in a spreadsheet (File → Import Roster…)."
            if self._group is not None
            else "No members yet. Add your first member to begin.",
            f"No one matches “{self.search.text().strip()}”.",
        )

    def _update_actions(self) -> None:
        super()._update_actions()
        member = self.selected_member()
        self.restore_action.setEnabled(member is not None and member.archived)
        for action in (self.export_member_action, self.erase_member_action):
            action.setEnabled(member is not None and self._member_data is not None)

    # ---- selection -----------------------------------------------------------------------

    def selected_member(self) -> MemberRow | None:
        member = self._selected_row()
        return member if isinstance(member, MemberRow) else None

    def selected_member_id(self) -> int | None:
        member = self.selected_member()
        return member.id if member else None

    def select_member(self, member_id: int) -> bool:
        return self._select_source_row(self.model.row_of(member_id))

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
        roster = self._roster
        saved = self._run_editor(
            dialog,
            lambda: roster.save_member(
                member.id if member else None,
                dialog.draft(),
                dialog.memberships(),
                expected_version=member.version if member else None,
            ),
        )
        if saved is not None:
            self.reload(select_member=saved.id)
            self.members_changed.emit()

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

    def export_selected(self) -> None:
        member = self.selected_member()
        if member is not None and self._member_data is not None:
            self._member_data.export(member)

    def erase_selected(self) -> None:
        member = self.selected_member()
        if member is None or self._member_data is None:
            return
        if self._member_data.erase(member):
            self.reload()
            self.members_changed.emit()
