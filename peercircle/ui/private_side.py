"""The private side of the main window: the notes vault, a group's Notes tab, the
Follow-ups page, the Private menu, and the ways in from members and meetings.

Kept apart from ``main_window.py`` so the window shell stays about layout; built in
``MainWindow.attach()``, after the first paint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

from peercircle.domain import FollowUpSource
from peercircle.services.follow_ups import FollowUpService
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import DueCounts, NoteInfo
from peercircle.services.prompts import PromptDeck, load_deck
from peercircle.services.roster_types import GroupInfo
from peercircle.services.vault import VaultService
from peercircle.ui.dialog_service import DialogService
from peercircle.ui.follow_ups.follow_ups_screen import FollowUpsScreen
from peercircle.ui.notes.notes_screen import NotesScreen
from peercircle.ui.round.prompts_dialog import edit_prompts
from peercircle.ui.vault.vault_controller import VaultController
from peercircle.ui.vault.vault_menu import VaultMenu

if TYPE_CHECKING:
    from pathlib import Path

    from peercircle.db import Database
    from peercircle.services.meetings import MeetingService
    from peercircle.services.roster import RosterService
    from peercircle.ui.main_window import MainWindow


class PrivateSide(QObject):
    def __init__(
        self,
        window: MainWindow,
        db: Database,
        roster: RosterService,
        meetings: MeetingService,
        dialogs: DialogService,
        *,
        vault: VaultService | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._dialogs = dialogs
        self._today = today
        self._data_dir: Path | None = db.path.parent if db.path is not None else None
        self.vault = vault if vault is not None else VaultService(db)
        self.controller = VaultController(self.vault, self)
        self.notes = NoteService(db, self.vault)
        self.follow_ups = FollowUpService(db, self.vault)

        self.menu = VaultMenu(self.controller, dialogs, window)
        window.menuBar().insertMenu(window.help_menu.menuAction(), self.menu.menu)
        self.notes_screen = NotesScreen(
            self.controller, self.notes, meetings, roster, dialogs, window
        )
        window.group_tabs.addTab(self.notes_screen, "Notes")
        self.follow_ups_screen = FollowUpsScreen(
            self.controller, self.follow_ups, roster, dialogs, window, today=today
        )
        window.content.addWidget(self.follow_ups_screen)
        for panel in (self.notes_screen.locked_panel, self.follow_ups_screen.locked_panel):
            panel.setup_requested.connect(self.menu.setup)
            panel.recovery_requested.connect(self.menu.recover)

        self._create_actions()
        screen = window.roster_screen
        self._roster_keys = {
            action: action.shortcut()
            for action in (
                screen.add_action,
                screen.edit_action,
                screen.archive_action,
                screen.find_action,
            )
        }
        window.group_tabs.currentChanged.connect(lambda _index: self._update_roster_shortcuts())
        window.group_tabs.currentChanged.connect(
            lambda _index: (
                self._focus_into(self.notes_screen)
                if window.group_tabs.currentWidget() is self.notes_screen
                else None
            )
        )
        window.content.currentChanged.connect(lambda _index: self._update_roster_shortcuts())
        self.notes_screen.follow_up_requested.connect(self.follow_up_from_note)
        # The page counts again at every change of the vault's state, and says so.
        self.follow_ups_screen.counts_changed.connect(self._show_due)
        window.follow_ups_button.setEnabled(True)
        self._show_due(self.follow_ups_screen.counts)
        group = window.current_group()  # when built after the window showed a group
        self.show_group(group)
        window.group_tabs.setTabVisible(window.group_tabs.indexOf(self.notes_screen), bool(group))

    def _create_actions(self) -> None:
        window = self._window
        self.show_notes_action = QAction("&Notes", self)
        self.show_notes_action.setShortcut(QKeySequence("Ctrl+4"))
        self.show_notes_action.triggered.connect(self.show_notes)
        self.show_follow_ups_action = QAction("&Follow-ups", self)
        self.show_follow_ups_action.setShortcut(QKeySequence("Ctrl+5"))
        self.show_follow_ups_action.triggered.connect(window.show_follow_ups)
        window.view_menu.insertAction(window.view_separator, self.show_notes_action)
        window.view_menu.insertAction(window.view_separator, self.show_follow_ups_action)

        self.member_notes_action = QAction("Notes About This &Member", self)
        self.member_notes_action.triggered.connect(self.notes_about_member)
        self.member_follow_up_action = QAction("&Follow Up With This Member…", self)
        self.member_follow_up_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.member_follow_up_action.triggered.connect(self.follow_up_with_member)
        window.edit_menu.insertAction(window.edit_group_separator, self.member_notes_action)
        window.edit_menu.insertAction(window.edit_group_separator, self.member_follow_up_action)

        self.meeting_notes_action = QAction("&Notes for This Meeting", self)
        self.meeting_notes_action.triggered.connect(self.notes_for_meeting)
        self.prompts_action = QAction("Facilitator &Prompts…", self)
        self.prompts_action.triggered.connect(self.edit_prompts)
        window.meeting_menu.addSeparator()
        window.meeting_menu.addAction(self.meeting_notes_action)
        window.meeting_menu.addAction(self.prompts_action)
        self.prompts_action.setEnabled(self._data_dir is not None)

    # ---- what the window asks -------------------------------------------------------------

    def show_group(self, group: GroupInfo | None) -> None:
        self.notes_screen.show_group(group)
        has_group = group is not None
        self.show_notes_action.setEnabled(has_group)
        self.meeting_notes_action.setEnabled(has_group)

    def prompt_deck(self) -> PromptDeck:
        """The facilitator's prompts (their edited copy, or ours)."""
        if self._data_dir is None:
            from peercircle.services.prompts import shipped_deck

            return shipped_deck()
        return load_deck(self._data_dir).deck

    def refresh_due(self) -> None:
        self._show_due(self.follow_ups.due_counts(self._today()))

    def data_changed(self) -> None:
        """Sample data may have set up a (locked) notes vault and added follow-ups: the
        state change makes every private panel, and the due count, look again."""
        self.controller.refresh_state()

    def before_close(self) -> None:
        """The window is closing: keep what is being written, then lock."""
        self.notes_screen.save_pending()
        self.controller.lock()
        self.controller.stop_watching()

    # ---- ways in ------------------------------------------------------------------------

    def show_notes(self) -> None:
        if self._window.current_group() is not None:
            self._window.show_group_screens()
            self._window.group_tabs.setCurrentWidget(self.notes_screen)
            self._focus_into(self.notes_screen)

    def focus_follow_ups(self) -> None:
        """Arriving at the Follow-ups page: its keys (Ctrl+N, F2, Ctrl+D) work at once."""
        self._focus_into(self.follow_ups_screen)

    def _focus_into(self, screen: NotesScreen | FollowUpsScreen) -> None:
        """Put the keyboard inside ``screen`` (its keys only work there): the passphrase
        field while locked, else the notes search or the follow-up list."""
        focused = QApplication.focusWidget()
        if focused is not None and screen.isAncestorOf(focused):
            return
        if not self.controller.shows_private:
            screen.locked_panel.focus_passphrase()
        elif isinstance(screen, NotesScreen):
            screen.focus_search()
        else:
            screen.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def notes_about_member(self) -> None:
        member = self._window.roster_screen.selected_member()
        if member is None or self._window.current_group() is None:
            return
        self.show_notes()
        self.notes_screen.show_member(member.id)

    def notes_for_meeting(self) -> None:
        meeting = self._window.meetings_screen.current_meeting()
        if meeting is None:
            return
        self.show_notes()
        self.notes_screen.show_meeting(meeting.id)

    def follow_up_with_member(self) -> None:
        member = self._window.roster_screen.selected_member()
        if member is None:
            return
        group = self._window.current_group()
        self._new_follow_up(
            member_id=member.id,
            group_id=group.id if group is not None else None,
            source=FollowUpSource.MEMBER,
        )

    def follow_up_from_note(self, note: NoteInfo) -> None:
        self._new_follow_up(
            member_id=note.member_id,
            group_id=note.group_id,
            note_id=note.id,
            meeting_id=note.meeting_id,
            source=FollowUpSource.NOTE,
        )

    def edit_prompts(self) -> None:
        if self._data_dir is not None:
            edit_prompts(self._data_dir, self._dialogs, self._window)

    # ---- inside ---------------------------------------------------------------------------

    def _update_roster_shortcuts(self) -> None:
        """The roster's keys (Ctrl+N, F2, Delete, Ctrl+F) work window-wide, except on the
        Notes tab and the Follow-ups page, which have their own: two window-wide keys would
        cancel each other out."""
        window = self._window
        own_keys = (
            window.content.currentWidget() is self.follow_ups_screen
            or window.group_tabs.currentWidget() is self.notes_screen
        )
        for action, key in self._roster_keys.items():
            action.setShortcut(QKeySequence() if own_keys else key)

    def _new_follow_up(self, **where: object) -> None:
        if not self.controller.shows_private:
            self._window.show_follow_ups()
            self.follow_ups_screen.locked_panel.focus_passphrase()
            self._window.statusBar().showMessage(
                "Press F9 to show private panels again, then add the follow-up."
                if self.controller.is_hidden
                else "Unlock your private notes to add a follow-up.",
                8000,
            )
            return
        created = self.follow_ups_screen.new_follow_up(**where)  # type: ignore[arg-type]
        if created is not None:
            self._window.statusBar().showMessage(
                f"Follow-up saved for {created.due_date:%a %d %b}.", 8000
            )

    def _show_due(self, counts: DueCounts) -> None:
        self._window.sidebar_panel.show_due(
            counts.due_now,
            f"{counts.overdue} overdue, {counts.today} today, {counts.this_week} this week",
        )
