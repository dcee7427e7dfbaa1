"""The Follow-ups home screen: who to check in with and by when, across all groups, with
suggestions from attendance and round flags.

While the vault is locked or private panels are hidden it shows only how many are due
(dates are not secret; names and reasons are) above the unlock panel.

Signals:
    counts_changed(DueCounts): after every refresh and change (for “Follow-ups · 3 due”).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from peercircle.domain import FollowUpSource
from peercircle.services.follow_ups import suggested_due_date
from peercircle.services.notes_types import DueCounts, FollowUpDraft, FollowUpInfo, Suggestion
from peercircle.services.roster_types import NotFoundError
from peercircle.services.vault_types import VaultError
from peercircle.ui.dialog_service import DialogService
from peercircle.ui.follow_ups.editor_guard import SERVICE_ERRORS, EditorGuard
from peercircle.ui.follow_ups.follow_up_dialog import (
    DoneDialog,
    FollowUpDialog,
    follow_up_members,
)
from peercircle.ui.follow_ups.follow_up_model import (
    ABOUT,
    GROUP,
    WHEN,
    WHO,
    FollowUpTreeModel,
)
from peercircle.ui.follow_ups.suggestions_panel import SuggestionsPanel
from peercircle.ui.follow_ups.wording import counts_text
from peercircle.ui.screen_helpers import screen_heading, screen_layout
from peercircle.ui.table_helpers import empty_message_label
from peercircle.ui.vault.locked_panel import LockedPanel
from peercircle.ui.vault.vault_controller import VaultController

if TYPE_CHECKING:
    from peercircle.services.follow_ups import FollowUpService
    from peercircle.services.roster import RosterService

NOTHING_YET = "Nothing to follow up.\n\nAdd one with “New follow-up”, or from a suggestion below."


class FollowUpsScreen(QWidget):
    counts_changed = Signal(object)

    def __init__(
        self,
        controller: VaultController,
        follow_ups: FollowUpService,
        roster: RosterService,
        dialogs: DialogService,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._follow_ups = follow_ups
        self._roster = roster
        self._dialogs = dialogs
        self._today = today
        self._editors = EditorGuard(dialogs, self.refresh)
        self._counts = DueCounts()
        self._day_shown: dt.date | None = None

        self.title = QLabel("Follow-ups", self)
        self.title.setObjectName("screenTitle")
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("screenSubtitle")
        self.new_button = QPushButton("&New follow-up…", self)
        self.new_button.setObjectName("primaryButton")
        self.new_button.setAccessibleName("New follow-up")

        self.locked_panel = LockedPanel(controller, "Your follow-ups", self)
        self._make_due_list()
        self._make_suggestions()
        self._make_actions()
        self._lay_out()
        self._connect_signals()
        self.refresh()

    # ---- building ------------------------------------------------------------------------

    def _make_due_list(self) -> None:
        self.model = FollowUpTreeModel(self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("followUpList")
        self.tree.setAccessibleName("Follow-ups")
        self.tree.setModel(self.model)
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.setIndentation(14)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        for column in (WHO, GROUP, WHEN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ABOUT, QHeaderView.ResizeMode.Stretch)
        self.empty_message = empty_message_label(self, NOTHING_YET)
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.tree)
        self.list_stack.addWidget(self.empty_message)

        self.edit_button = QPushButton("Edi&t…", self)
        self.edit_button.setAccessibleName("Edit selected follow-up")
        self.done_button = QPushButton("&Done…", self)
        self.done_button.setAccessibleName("Mark selected follow-up done")
        self.reopen_button = QPushButton("Re&open", self)
        self.reopen_button.setAccessibleName("Reopen selected follow-up")
        self.delete_button = QPushButton("De&lete…", self)
        self.delete_button.setAccessibleName("Delete selected follow-up")

    def _make_suggestions(self) -> None:
        self.suggestions = SuggestionsPanel(self)
        # Short names for what the tests and the window reach for most.
        self.suggestion_model = self.suggestions.model
        self.suggestion_list = self.suggestions.list
        self.accept_button = self.suggestions.accept_button
        self.dismiss_button = self.suggestions.dismiss_button

    def _make_actions(self) -> None:
        def action(text: str, *keys: QKeySequence | QKeySequence.StandardKey) -> QAction:
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(act)
            return act

        self.new_action = action("&New Follow-up…", QKeySequence("Ctrl+N"))
        self.edit_action = action("&Edit Follow-up…", QKeySequence(Qt.Key.Key_F2))
        self.done_action = action("Mark Follow-up &Done…", QKeySequence("Ctrl+D"))
        self.reopen_action = action("&Reopen Follow-up")
        self.delete_action = QAction("De&lete Follow-up…", self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        # Only in the list: Delete in a text field (the passphrase) must stay a key.
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.tree.addAction(self.delete_action)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addLayout(screen_heading(self.title, self.subtitle), 1)
        top.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignTop)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.edit_button, self.done_button, self.reopen_button, self.delete_button):
            buttons.addWidget(button)
        self.content = QWidget(self)
        content = QVBoxLayout(self.content)
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(8)
        content.addWidget(self.list_stack, 3)
        content.addLayout(buttons)
        content.addSpacing(8)
        content.addWidget(self.suggestions)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.locked_panel)
        self.pages.addWidget(self.content)

        layout = screen_layout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)

    def _connect_signals(self) -> None:
        self.new_button.clicked.connect(lambda: self.new_follow_up())
        self.new_action.triggered.connect(lambda: self.new_follow_up())
        self.edit_button.clicked.connect(self.edit_selected)
        self.edit_action.triggered.connect(self.edit_selected)
        self.done_button.clicked.connect(self.complete_selected)
        self.done_action.triggered.connect(self.complete_selected)
        self.reopen_button.clicked.connect(self.reopen_selected)
        self.reopen_action.triggered.connect(self.reopen_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.delete_action.triggered.connect(self.delete_selected)
        self.tree.activated.connect(self._on_activated)
        self.tree.selectionModel().selectionChanged.connect(
            lambda _selected, _deselected: self._update_actions()
        )
        self.model.modelReset.connect(self._after_reset)
        self.accept_button.clicked.connect(self.accept_selected_suggestion)
        self.dismiss_button.clicked.connect(self.dismiss_selected_suggestion)
        self.suggestion_list.activated.connect(lambda _index: self.accept_selected_suggestion())
        self._controller.about_to_lock.connect(lambda: self._editors.close(save=True))
        self._controller.hidden_changed.connect(self._on_hidden_changed)
        self._controller.state_changed.connect(self.refresh)

    # ---- what is shown -------------------------------------------------------------------

    @property
    def counts(self) -> DueCounts:
        """The counts shown now (open follow-ups by when they are due)."""
        return self._counts

    def refresh(self) -> None:
        """Count again and, when private panels may show, reload the lists (keeping the
        selected follow-up)."""
        today = self._day_shown = self._today()
        self._counts = self._follow_ups.due_counts(today)
        self.subtitle.setText(counts_text(self._counts))
        if self._controller.shows_private and self._load(today):
            self.pages.setCurrentWidget(self.content)
        else:
            self._forget()
        self._update_actions()
        self.counts_changed.emit(self._counts)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._today() != self._day_shown:  # left open overnight: “today” moved on
            self.refresh()

    def _load(self, today: dt.date) -> bool:
        keep = self.selected_follow_up()
        try:
            items = self._follow_ups.follow_ups(today)
        except VaultError:
            return False
        self.model.set_follow_ups(items, today)
        self.suggestions.set_suggestions(self._follow_ups.suggestions(today))
        if keep is not None:
            self.select_follow_up(keep.id)
        return True

    def _forget(self) -> None:
        """Drop every name, reason and outcome: the vault locked or panels are hidden."""
        self._editors.close(save=False)
        self.model.clear()
        self.suggestions.clear()
        self.pages.setCurrentWidget(self.locked_panel)

    def _on_hidden_changed(self, hidden: bool) -> None:
        if hidden:
            self._editors.close(save=True)

    def _after_reset(self) -> None:
        # Bucket rows span the whole width; every bucket stays open.
        root = QModelIndex()
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, root, True)
        self.tree.expandAll()
        has_rows = self.model.rowCount() > 0
        self.list_stack.setCurrentWidget(self.tree if has_rows else self.empty_message)

    def _update_actions(self) -> None:
        private = self._controller.shows_private
        info = self.selected_follow_up()
        self.new_button.setVisible(private)
        self.new_action.setEnabled(private)
        for widget in (self.edit_button, self.edit_action, self.delete_button, self.delete_action):
            widget.setEnabled(info is not None)
        done = info is not None and info.done
        self.done_button.setVisible(not done)
        self.done_button.setEnabled(info is not None and not done)
        self.done_action.setEnabled(info is not None and not done)
        self.reopen_button.setVisible(done)
        self.reopen_action.setEnabled(done)

    # ---- selection -----------------------------------------------------------------------

    def selected_follow_up(self) -> FollowUpInfo | None:
        rows = self.tree.selectionModel().selectedRows(0)
        return self.model.follow_up_at(rows[0]) if rows else None

    def select_follow_up(self, follow_up_id: int) -> bool:
        index = self.model.index_of(follow_up_id)
        if not index.isValid():
            return False
        self.tree.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tree.scrollTo(index)
        return True

    def selected_suggestion(self) -> Suggestion | None:
        return self.suggestions.selected()

    def _on_activated(self, index: QModelIndex) -> None:
        info = self.model.follow_up_at(index)
        if info is not None:
            self.select_follow_up(info.id)
            self.edit_selected()

    # ---- follow-ups ----------------------------------------------------------------------

    def new_follow_up(
        self,
        *,
        member_id: int | None = None,
        group_id: int | None = None,
        note_id: int | None = None,
        meeting_id: int | None = None,
        source: FollowUpSource = FollowUpSource.MEMBER,
        reason: str = "",
    ) -> FollowUpInfo | None:
        """Ask for a new follow-up (prefilled with what is given) and save it; None if
        cancelled, or while private panels cannot show."""
        if not self._controller.shows_private:
            return None
        today = self._today()
        include = None
        if member_id is not None:
            try:
                include = (member_id, self._roster.get_member(member_id).display_name)
            except NotFoundError as exc:
                self._dialogs.error("Cannot add a follow-up", str(exc))
                return None
        members = follow_up_members(self._roster, group_id, include=include)
        context = FollowUpDraft(
            member_id=member_id or 0,
            due_date=suggested_due_date(today),
            reason=reason,
            group_id=group_id,
            note_id=note_id,
            meeting_id=meeting_id,
            source=source,
        )
        dialog = FollowUpDialog(members, self, draft=context, today=today)

        def save(draft: FollowUpDraft) -> FollowUpInfo:
            group = self._group_for(draft.member_id, group_id)
            return self._follow_ups.create(replace(draft, group_id=group))

        return self._saved(self._run_follow_up_dialog(dialog, save))

    def edit_selected(self) -> FollowUpInfo | None:
        info = self.selected_follow_up()
        if info is None or not self._controller.shows_private:
            return None
        members = follow_up_members(
            self._roster, info.group_id, include=(info.member_id, info.member_name)
        )
        dialog = FollowUpDialog(
            members, self, draft=info.draft(), today=self._today(), editing=True
        )

        def save(draft: FollowUpDraft) -> FollowUpInfo:
            if draft.member_id != info.member_id:
                group_id = self._group_for(draft.member_id, info.group_id)
                if group_id != info.group_id:
                    draft = replace(draft, group_id=group_id, meeting_id=None)
            return self._follow_ups.update(info.id, draft, info.version)

        return self._saved(self._run_follow_up_dialog(dialog, save))

    def complete_selected(self) -> FollowUpInfo | None:
        """Ask how it went, then mark the selected follow-up done."""
        info = self.selected_follow_up()
        if info is None or info.done or not self._controller.shows_private:
            return None
        dialog = DoneDialog(self, who=info.member_name, reason=info.reason)
        return self._saved(
            self._editors.run(
                dialog, lambda: self._follow_ups.complete(info.id, dialog.outcome(), info.version)
            )
        )

    def reopen_selected(self) -> FollowUpInfo | None:
        info = self.selected_follow_up()
        if info is None or not info.done or not self._controller.shows_private:
            return None
        try:
            saved = self._follow_ups.reopen(info.id, info.version)
        except SERVICE_ERRORS as exc:
            self._dialogs.error("Not reopened", str(exc))
            self.refresh()
            return None
        return self._saved(saved)

    def delete_selected(self) -> bool:
        info = self.selected_follow_up()
        if info is None or not self._controller.shows_private:
            return False
        if not self._dialogs.confirm(
            "Delete follow-up",
            f"Delete the follow-up with {info.member_name}?\n\nIt will be gone for good. "
            "To keep a record, mark it done instead.",
            "Delete",
        ):
            return False
        try:
            self._follow_ups.delete(info.id)
        except SERVICE_ERRORS as exc:
            self._dialogs.error("Not deleted", str(exc))
            self.refresh()
            return False
        self.refresh()
        return True

    # ---- suggestions ---------------------------------------------------------------------

    def accept_selected_suggestion(self) -> FollowUpInfo | None:
        """Open the follow-up dialog prefilled from the selected suggestion; save accepts it."""
        suggestion = self.selected_suggestion()
        if suggestion is None or not self._controller.shows_private:
            return None
        today = self._today()
        draft = FollowUpDraft(
            member_id=suggestion.member_id,
            due_date=suggested_due_date(today),
            reason=suggestion.reason,
            group_id=suggestion.group_id,
            meeting_id=suggestion.meeting_id,
            source=suggestion.source,
        )
        dialog = FollowUpDialog(
            [(suggestion.member_id, suggestion.member_name)],
            self,
            draft=draft,
            today=today,
            fixed_member=True,
            about=suggestion.text,
        )
        return self._saved(
            self._run_follow_up_dialog(
                dialog, lambda d: self._follow_ups.accept(suggestion, d.due_date, d.reason)
            )
        )

    def dismiss_selected_suggestion(self) -> bool:
        suggestion = self.selected_suggestion()
        if suggestion is None or not self._controller.shows_private:
            return False
        row = self.suggestion_model.suggestions().index(suggestion)
        try:
            self._follow_ups.dismiss(suggestion)
        except SERVICE_ERRORS as exc:
            self._dialogs.error("Not dismissed", str(exc))
        self.refresh()
        # The next suggestion takes the dismissed one's place, ready for the next key press.
        self.suggestions.select_row(row)
        return True

    # ---- running the dialogs -------------------------------------------------------------

    def _run_follow_up_dialog(
        self, dialog: FollowUpDialog, save: Callable[[FollowUpDraft], FollowUpInfo]
    ) -> FollowUpInfo | None:
        return self._editors.run(dialog, lambda: save(dialog.draft()))

    def _saved(self, saved: FollowUpInfo | None) -> FollowUpInfo | None:
        """After a save: show the lists again with the saved follow-up selected."""
        if saved is None:
            return None
        self.refresh()
        if self.select_follow_up(saved.id):
            self.tree.setFocus()
        return saved

    def _group_for(self, member_id: int, group_id: int | None) -> int | None:
        """``group_id`` if the member is in that group; else their one group, if just one."""
        groups = [g for g, _role in self._roster.groups_of(member_id) if not g.archived]
        if any(g.id == group_id for g in groups):
            return group_id
        return groups[0].id if len(groups) == 1 else None
