"""The main window shell: menus, the groups sidebar, a group's members, meetings, attendance
and private notes, and the follow-ups page (or the welcome screen).

The window is built and painted before the database layer is imported (that import is
the slowest part of start-up); ``attach()`` then gives it the services and fills it in.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTabWidget,
)

from peercircle import APP_NAME, __version__
from peercircle.services.roster_types import GroupInfo
from peercircle.ui.backup_actions import BackupActions
from peercircle.ui.dialog_service import DialogService
from peercircle.ui.first_run import FirstRunScreen
from peercircle.ui.groups.group_actions import GroupActions
from peercircle.ui.groups.group_list_model import GroupInfoRole, GroupListModel
from peercircle.ui.groups.sidebar import Sidebar
from peercircle.ui.roster.roster_screen import RosterScreen

if TYPE_CHECKING:
    from peercircle.db import Database
    from peercircle.services.meetings import MeetingService
    from peercircle.services.roster import RosterService
    from peercircle.services.rounds import RoundService
    from peercircle.services.vault import VaultService
    from peercircle.ui.meetings.history_screen import HistoryScreen
    from peercircle.ui.meetings.meetings_screen import MeetingsScreen
    from peercircle.ui.meetings.round_launcher import RoundLauncher
    from peercircle.ui.private_side import PrivateSide


class MainWindow(QMainWindow):
    def __init__(
        self,
        db: Database | None = None,
        roster: RosterService | None = None,
        dialogs: DialogService | None = None,
    ) -> None:
        super().__init__()
        self._db: Database | None = None
        self._roster: RosterService | None = None
        self._meetings: MeetingService | None = None
        self._rounds: RoundService | None = None
        self._round_launcher: RoundLauncher | None = None
        self._history_stale = True
        self._group_actions: GroupActions | None = None
        self._dialogs = dialogs or DialogService(self)
        self.setWindowTitle(APP_NAME)
        self.resize(1180, 740)

        self.groups_model = GroupListModel(self)
        self.sidebar_panel = Sidebar(self.groups_model, self)
        self.sidebar = self.sidebar_panel.groups
        self.new_group_button = self.sidebar_panel.new_group_button
        self.follow_ups_button = self.sidebar_panel.follow_ups_button

        self.roster_screen = RosterScreen(None, self._dialogs, self)
        self.group_tabs = QTabWidget(self)
        self.group_tabs.setObjectName("groupTabs")
        self.group_tabs.setDocumentMode(True)
        self.group_tabs.addTab(self.roster_screen, "Members")
        # The Meetings, Attendance and Notes tabs and the follow-ups page are built in
        # attach(), after the first paint.
        self.meetings_screen: MeetingsScreen
        self.history_screen: HistoryScreen
        self.private: PrivateSide | None = None
        self.content = QStackedWidget(self)
        self.content.addWidget(self.group_tabs)
        self.splitter = QSplitter(self)
        self.splitter.addWidget(self.sidebar_panel)
        self.splitter.addWidget(self.content)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([240, 860])
        self.splitter.setChildrenCollapsible(False)

        self.first_run = FirstRunScreen(self)
        self.loading = QLabel("Opening your groups…", self)
        self.loading.setObjectName("emptyMessage")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.loading)
        self.stack.addWidget(self.first_run)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)

        self.backup_actions = BackupActions(self._dialogs, self)
        self._create_actions()
        self._create_menus()
        self._connect_signals()
        self.menuBar().setEnabled(False)
        if db is not None and roster is not None:
            self.attach(db, roster)

    def attach(
        self,
        db: Database,
        roster: RosterService,
        *,
        vault: VaultService | None = None,
        defer_private: bool = False,
    ) -> None:
        """Give the window its data (until then: a quiet “Opening…” page). ``vault``: the notes
        vault (tests pass a fast one); ``defer_private``: build notes just after the roster."""
        from peercircle.services.meetings import MeetingService
        from peercircle.services.rounds import RoundService

        self._db = db
        self._roster = roster
        self._meetings = MeetingService(db)
        self._rounds = RoundService(db)
        self.menuBar().setEnabled(True)
        self.roster_screen.set_roster(roster)
        self._group_actions = GroupActions(roster, self._dialogs, self)
        self._group_actions.saved.connect(lambda group_id: self.refresh(select_group=group_id))
        self._group_actions.status.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self._connect_file_actions(db, roster)
        self.backup_actions.set_database(db)
        self._build_group_screens(self._meetings, self._rounds)
        self._build_print_menu(db)
        meetings = self._meetings
        if defer_private:
            QTimer.singleShot(0, lambda: self._build_private_side(db, roster, meetings, vault))
        else:
            self._build_private_side(db, roster, meetings, vault)
        self.refresh()

    def _connect_file_actions(self, db: Database, roster: RosterService) -> None:
        from peercircle.ui.file_actions import FileActions
        from peercircle.ui.roster.member_data_dialogs import MemberData

        member_data = MemberData(db, self._dialogs, self, lambda: self.private)
        self.roster_screen.set_member_data(member_data)

        files = FileActions(db, roster, self._dialogs, self.current_group, self)
        self.import_action.triggered.connect(lambda: files.import_roster())
        self.import_attendance_action.triggered.connect(lambda: files.import_attendance())
        self.export_action.triggered.connect(files.export_roster)

        def add_sample_data() -> None:  # its notes vault gets the window's vault's key costs
            files.add_sample_data(
                kdf_params=self.private.vault.kdf_params if self.private else None
            )

        self.sample_action.triggered.connect(add_sample_data)
        self.first_run.import_requested.connect(lambda: files.import_roster())
        self.first_run.sample_data_requested.connect(add_sample_data)
        files.data_changed.connect(lambda group_id: self.refresh(select_group=group_id))
        files.data_changed.connect(lambda _group_id: self.private and self.private.data_changed())
        files.status.connect(lambda text: self.statusBar().showMessage(text, 8000))

    def _build_print_menu(self, db: Database) -> None:
        from peercircle.ui.printing.print_menu import PrintMenu

        def meeting_day() -> dt.date | None:
            meeting = self.meetings_screen.current_meeting()
            return meeting.date if meeting is not None else None

        self.print_menu = PrintMenu(db, self._dialogs, self, meeting_day=meeting_day)
        self.menuBar().insertMenu(self.help_menu.menuAction(), self.print_menu.menu)

    def _build_private_side(
        self,
        db: Database,
        roster: RosterService,
        meetings: MeetingService,
        vault: VaultService | None,
    ) -> None:
        from peercircle.ui.private_side import PrivateSide

        self.private = PrivateSide(self, db, roster, meetings, self._dialogs, vault=vault)

    def _build_group_screens(self, meetings: MeetingService, rounds: RoundService) -> None:
        """The Meetings and Attendance tabs and the round launcher (kept out of start-up)."""
        from peercircle.ui.meetings.history_screen import HistoryScreen
        from peercircle.ui.meetings.meetings_screen import MeetingsScreen

        self.meetings_screen = MeetingsScreen(self._dialogs, self)
        self.meetings_screen.set_services(meetings)
        self.group_tabs.addTab(self.meetings_screen, "Meetings")
        self.history_screen = HistoryScreen(self)
        self.history_screen.set_services(meetings, rounds)
        self.group_tabs.addTab(self.history_screen, "Attendance")
        for action in (
            self.meetings_screen.new_action,
            self.meetings_screen.edit_action,
            self.meetings_screen.delete_action,
        ):
            self.meeting_menu.addAction(action)
        self.roster_screen.members_changed.connect(self.meetings_screen.reload)
        self.meetings_screen.members_added.connect(self._on_newcomer_added)
        self.meetings_screen.attendance_changed.connect(self._history_out_of_date)
        self.meetings_screen.round_requested.connect(self.start_round)
        self.meetings_screen.summary_requested.connect(self.show_round_summary)

    # ---- actions and menus ---------------------------------------------------------------

    def _create_actions(self) -> None:
        self.new_group_action = QAction("&New Group…", self)
        self.new_group_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.edit_group_action = QAction("Edit &Group…", self)
        self.archive_group_action = QAction("Archive Group", self)
        self.restore_group_action = QAction("Restore Group", self)
        self.import_action = QAction("&Import Roster…", self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_attendance_action = QAction("Import &Attendance…", self)
        self.export_action = QAction("E&xport Roster…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.sample_action = QAction("Add &Sample Data", self)
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.show_archived_groups_action = QAction("Show &Archived Groups", self)
        self.show_archived_groups_action.setCheckable(True)
        self.show_members_action = QAction("&Members", self)
        self.show_members_action.setShortcut(QKeySequence("Ctrl+1"))
        self.show_meetings_action = QAction("M&eetings", self)
        self.show_meetings_action.setShortcut(QKeySequence("Ctrl+2"))
        self.show_history_action = QAction("&Attendance", self)
        self.show_history_action.setShortcut(QKeySequence("Ctrl+3"))
        self.resource_library_action = QAction("&Resource Library…", self)
        self.handout_resources_action = QAction("Handout &Resources…", self)
        self.about_action = QAction(f"&About {APP_NAME}", self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _create_menus(self) -> None:
        screen = self.roster_screen
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.new_group_action)
        file_menu.addAction(screen.add_action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.import_attendance_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_actions.back_up_action)
        file_menu.addAction(self.backup_actions.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.sample_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.edit_menu = edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(screen.edit_action)
        edit_menu.addAction(screen.archive_action)
        edit_menu.addAction(screen.restore_action)
        edit_menu.addAction(screen.export_member_action)
        edit_menu.addAction(screen.erase_member_action)
        edit_menu.addSeparator()
        edit_menu.addAction(screen.find_action)
        # The private side adds its member actions above this separator.
        self.edit_group_separator = edit_menu.addSeparator()
        edit_menu.addAction(self.edit_group_action)
        edit_menu.addAction(self.handout_resources_action)
        edit_menu.addAction(self.archive_group_action)
        edit_menu.addAction(self.restore_group_action)
        self.view_menu = view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.show_members_action)
        view_menu.addAction(self.show_meetings_action)
        view_menu.addAction(self.show_history_action)
        # The private side adds Notes and Follow-ups above this separator.
        self.view_separator = view_menu.addSeparator()
        view_menu.addAction(self.resource_library_action)
        view_menu.addSeparator()
        view_menu.addAction(self.show_archived_groups_action)
        self.meeting_menu = self.menuBar().addMenu("&Meeting")  # filled in by attach()
        self.help_menu = self.menuBar().addMenu("&Help")
        self.help_menu.addAction(self.about_action)

    def _connect_signals(self) -> None:
        self.new_group_action.triggered.connect(self.new_group)
        self.new_group_button.clicked.connect(self.new_group)
        self.edit_group_action.triggered.connect(self.edit_group)
        self.archive_group_action.triggered.connect(self.archive_group)
        self.restore_group_action.triggered.connect(self.restore_group)
        self.quit_action.triggered.connect(self.close)
        self.backup_actions.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.show_archived_groups_action.toggled.connect(lambda _on: self.refresh())
        self.about_action.triggered.connect(self.show_about)
        self.first_run.create_group_requested.connect(self.new_group)
        self.roster_screen.members_changed.connect(self._refresh_groups_keep_selection)
        self.roster_screen.members_changed.connect(self._history_out_of_date)
        self.roster_screen.edit_group_requested.connect(self.edit_group)
        self.show_members_action.triggered.connect(
            lambda: self.group_tabs.setCurrentWidget(self.roster_screen)
        )
        self.show_meetings_action.triggered.connect(self.show_meetings)
        self.show_history_action.triggered.connect(self.show_history)
        self.resource_library_action.triggered.connect(self.show_resource_library)
        self.handout_resources_action.triggered.connect(self.choose_handout_resources)
        self.group_tabs.currentChanged.connect(lambda _index: self._refresh_history_if_shown())
        self.sidebar.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_group_at(current.row())
        )
        self.sidebar.clicked.connect(lambda _index: self.show_group_screens())
        self.follow_ups_button.clicked.connect(lambda _checked: self.show_follow_ups())

    # ---- what is shown -------------------------------------------------------------------

    def current_group(self) -> GroupInfo | None:
        group = self.sidebar.currentIndex().data(GroupInfoRole)
        return group if isinstance(group, GroupInfo) else None

    def refresh(self, select_group: int | None = None) -> None:
        """Reload groups; show the welcome screen while there is nothing at all yet."""
        if self._roster is None:
            return
        current = self.current_group()
        if select_group is None and current is not None:
            select_group = current.id
        groups, members = self._reload_groups_model(self._roster)
        if not groups and not members and not self._roster.list_groups(include_archived=True):
            self.stack.setCurrentWidget(self.first_run)
            self.first_run.setFocus()
        else:
            self.stack.setCurrentWidget(self.splitter)
        row = self.groups_model.row_of(select_group)
        if row == 0 and select_group is None and groups:
            row = 1
        self._select_row(row)

    def _reload_groups_model(self, roster: RosterService) -> tuple[list[GroupInfo], int]:
        """Refill the sidebar; return the groups shown and how many members there are."""
        groups = roster.list_groups(include_archived=self.show_archived_groups_action.isChecked())
        members = roster.count_members()
        self.groups_model.set_groups(groups, members)
        return groups, members

    def _refresh_groups_keep_selection(self) -> None:
        """After members change: update counts without reloading the roster shown."""
        if self._roster is None:
            return
        current = self.current_group()
        blocker = self.sidebar.selectionModel().blockSignals(True)
        self._reload_groups_model(self._roster)
        self.sidebar.selectionModel().setCurrentIndex(
            self.groups_model.index(self.groups_model.row_of(current.id if current else None)),
            QItemSelectionModel.SelectionFlag.ClearAndSelect,
        )
        self.sidebar.selectionModel().blockSignals(blocker)

    def _select_row(self, row: int) -> None:
        if self.sidebar.currentIndex().row() == row:
            self._show_group_at(row)  # already current: no signal would come
            return
        self.sidebar.selectionModel().setCurrentIndex(  # currentRowChanged shows it
            self.groups_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def _show_group_at(self, row: int) -> None:
        group = self.groups_model.index(row).data(GroupInfoRole) if row > 0 else None
        group = group if isinstance(group, GroupInfo) else None
        self.show_group_screens()
        self.roster_screen.show_group(group)
        self.meetings_screen.show_group(group)
        self.print_menu.show_group(group)
        if self.private is not None:
            self.private.show_group(group)
        self._history_stale = True
        self._refresh_history_if_shown()
        # Meetings belong to a group; “All members” is the roster alone.
        for index in range(1, self.group_tabs.count()):
            self.group_tabs.setTabVisible(index, group is not None)
        if group is None:
            self.group_tabs.setCurrentWidget(self.roster_screen)
        self._update_group_actions()

    def show_group_screens(self) -> None:
        """Back from the follow-ups page to the group chosen in the sidebar."""
        self.content.setCurrentWidget(self.group_tabs)
        self.follow_ups_button.setChecked(False)
        current = self.sidebar.currentIndex()
        if current.isValid() and not self.sidebar.selectionModel().isSelected(current):
            self.sidebar.selectionModel().select(
                current, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    def show_follow_ups(self) -> None:
        if self.private is None:
            return
        self.content.setCurrentWidget(self.private.follow_ups_screen)
        self.follow_ups_button.setChecked(True)
        self.sidebar.selectionModel().clearSelection()  # the group stays current, unhighlighted
        self.private.follow_ups_screen.refresh()
        self.private.focus_follow_ups()

    def show_meetings(self) -> None:
        if self.current_group() is not None:
            self.group_tabs.setCurrentWidget(self.meetings_screen)

    def show_history(self) -> None:
        if self.current_group() is not None:
            self.group_tabs.setCurrentWidget(self.history_screen)

    @property
    def round_launcher(self) -> RoundLauncher | None:
        """Starts rounds; made on first use, since its windows are not needed at start-up."""
        meetings, rounds = self._meetings, self._rounds
        if self._round_launcher is None and meetings is not None and rounds is not None:
            from peercircle.ui.meetings.round_launcher import RoundLauncher

            self._round_launcher = RoundLauncher(
                meetings,
                rounds,
                self._dialogs,
                self,
                prompts=self.private.prompt_deck if self.private is not None else None,
            )
            self._round_launcher.round_saved.connect(self._on_round_saved)
            if self.private is not None:
                # Nothing private may be open while the projector shows the round.
                self._round_launcher.presenter_opened.connect(self.private.controller.lock)
        return self._round_launcher

    def start_round(self, meeting_id: int) -> None:
        group = self.current_group()
        launcher = self.round_launcher
        if launcher is not None and group is not None:
            launcher.start(meeting_id, group)

    def _on_round_saved(self, meeting_id: int) -> None:
        self.meetings_screen.reload()
        if self.private is not None:
            self.private.refresh_due()  # a "check in later" flag is a new suggestion
        self._history_out_of_date()
        self._refresh_history_if_shown()
        self.statusBar().showMessage("The round's log was saved with its meeting.", 8000)

    def show_round_summary(self, meeting_id: int) -> None:
        from peercircle.ui.meetings.round_history_dialog import show_round_summary

        if self._meetings is not None and self._rounds is not None:
            show_round_summary(self._meetings, self._rounds, meeting_id, self._dialogs, self)

    def _history_out_of_date(self) -> None:
        self._history_stale = True

    def _refresh_history_if_shown(self) -> None:
        """The history is rebuilt only when it is looked at, not at every check-in click."""
        if self._history_stale and self.group_tabs.currentWidget() is self.history_screen:
            self._history_stale = False
            self.history_screen.show_group(self.current_group())

    def _on_newcomer_added(self) -> None:
        self._refresh_groups_keep_selection()
        self.roster_screen.reload()

    def _update_group_actions(self) -> None:
        group = self.current_group()
        self.edit_group_action.setEnabled(group is not None)
        self.handout_resources_action.setEnabled(group is not None)
        self.show_meetings_action.setEnabled(group is not None)
        self.show_history_action.setEnabled(group is not None)
        self.archive_group_action.setEnabled(group is not None and not group.archived)
        self.restore_group_action.setEnabled(group is not None and group.archived)

    # ---- groups --------------------------------------------------------------------------

    def new_group(self) -> None:
        if self._group_actions is not None:
            self._group_actions.edit(None)

    def edit_group(self) -> None:
        group = self.current_group()
        if group is not None and self._group_actions is not None:
            self._group_actions.edit(group)

    def archive_group(self) -> None:
        group = self.current_group()
        if group is not None and self._group_actions is not None:
            self._group_actions.archive(group)

    def restore_group(self) -> None:
        group = self.current_group()
        if group is not None and self._group_actions is not None:
            self._group_actions.restore(group)

    # ---- resources -----------------------------------------------------------------------

    def show_resource_library(self) -> None:
        from peercircle.ui.resource_library.library_screen import show_resource_library

        if self._db is not None:
            show_resource_library(self._db, self._dialogs, self)

    def choose_handout_resources(self) -> None:
        from peercircle.services.resources import ResourceService
        from peercircle.ui.resource_library.group_resources_dialog import choose_group_resources

        group = self.current_group()
        if self._db is None or group is None:
            return
        if choose_group_resources(ResourceService(self._db), group, self._dialogs, self):
            self.statusBar().showMessage(f"Saved the handout resources for “{group.name}”.", 5000)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.private is not None:
            self.private.before_close()  # what is being written is saved, then all locks
        super().closeEvent(event)

    def show_about(self) -> None:
        self._dialogs.info(
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\n\nA calm companion for people who facilitate peer "
            "support groups. Everything stays on this computer.",
        )
