"""A group's private notes: search, filters and the list on the left, the note being written
on the right. While the vault is locked or the private panels are hidden the screen shows
the locked panel instead, and keeps no note text in any widget.

Writing is never lost: moving to another note, group or screen saves it (asking only when it
cannot be saved as it is), and so does locking or hiding — then without asking anything.

Signals:
    follow_up_requested(object): a follow-up is wanted for this saved ``NoteInfo``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from peercircle.services.notes_types import NoteInfo
from peercircle.services.roster_types import ChangedElsewhereError, GroupInfo, NotFoundError
from peercircle.services.validation import ValidationError
from peercircle.services.vault_types import VaultError
from peercircle.ui.dialog_service import DialogService
from peercircle.ui.notes.note_list_model import NoteInfoRole
from peercircle.ui.notes.note_rescue import keep_writing
from peercircle.ui.notes.notes_page import NotesPage, meeting_choices
from peercircle.ui.vault.locked_panel import LockedPanel
from peercircle.ui.vault.vault_controller import VaultController

if TYPE_CHECKING:
    from peercircle.services.meetings import MeetingService
    from peercircle.services.notes import NoteService
    from peercircle.services.roster import RosterService

log = logging.getLogger(__name__)


def _local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


class NotesScreen(QWidget):
    follow_up_requested = Signal(object)

    def __init__(
        self,
        controller: VaultController,
        notes: NoteService,
        meetings: MeetingService,
        roster: RosterService,
        dialogs: DialogService,
        parent: QWidget | None = None,
        *,
        now: Callable[[], dt.datetime] = _local_now,
    ) -> None:
        """``now`` gives the local time (aware): “updated …” texts and today's meeting."""
        super().__init__(parent)
        self._controller = controller
        self._notes = notes
        self._meetings = meetings
        self._roster = roster
        self._dialogs = dialogs
        self._now = now
        self._group: GroupInfo | None = None
        self._member_filter: int | None = None
        self._meeting_filter: int | None = None
        self._meeting_days: dict[int, dt.date] = {}
        self._stale = True  # the content must be filled in from the services before it shows
        self._resume: int | None = None  # the note to open again after a lock or hide
        self._pending_new: tuple[int | None, int | None] | None = None
        self._syncing = False  # the list or filters are being refilled, not chosen

        self.locked_panel = LockedPanel(controller, "Your private notes", self)
        self.page = NotesPage(now, self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.locked_panel)
        self.pages.addWidget(self.page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)

        self._make_actions()
        self._connect_signals()
        self._on_state_changed()

    # ---- building ------------------------------------------------------------------------

    def _make_actions(self) -> None:
        # Within this screen only: the roster has its own Ctrl+N for a new member.
        self.new_action = QAction("&New Note", self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.save_action = QAction("&Save Note", self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        for action in (self.new_action, self.save_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.delete_action = QAction("&Delete Note…", self.page.list)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.page.list.addAction(self.delete_action)

    def _connect_signals(self) -> None:
        controller = self._controller
        controller.about_to_lock.connect(self._keep_writing)
        controller.state_changed.connect(self._on_state_changed)
        self.page.new_button.clicked.connect(lambda: self.new_note())
        self.new_action.triggered.connect(lambda: self.new_note())
        self.page.save_button.clicked.connect(self.save)
        self.save_action.triggered.connect(self.save)
        self.page.delete_button.clicked.connect(self.delete_note)
        self.delete_action.triggered.connect(self.delete_note)
        self.page.follow_up_button.clicked.connect(self.request_follow_up)
        self.page.search.textChanged.connect(lambda _text: self._on_filters_changed())
        self.page.member_filter.currentIndexChanged.connect(lambda _i: self._on_filters_changed())
        self.page.meeting_filter.currentIndexChanged.connect(lambda _i: self._on_filters_changed())
        self.page.list.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._on_list_choice(current)
        )
        self.page.editor.edited.connect(self._on_edited)

    # ---- the public face -----------------------------------------------------------------

    def show_group(self, group: GroupInfo | None) -> None:
        """Show ``group``'s notes (or nothing). Unsaved writing for the group shown before is
        saved; call ``save_pending()`` first to let the facilitator fix or discard it."""
        if group is not None and self._group is not None and group.id == self._group.id:
            self._group = group
            self._stale = True
            self._refresh_when_shown()
            return
        self._keep_writing()
        self._blank()
        self._group = group
        self._member_filter = self._meeting_filter = None
        self._resume = None
        self._pending_new = None
        self._refresh_when_shown()

    def show_member(self, member_id: int) -> None:
        """Show the notes about one member (the search and meeting filter are cleared)."""
        self._set_filters(member_id=member_id, meeting_id=None)

    def show_meeting(self, meeting_id: int) -> None:
        """Show the notes of one meeting (the search and member filter are cleared)."""
        self._set_filters(member_id=None, meeting_id=meeting_id)

    def new_note(self, *, meeting_id: int | None = None, member_id: int | None = None) -> None:
        """Start a new note (about ``meeting_id``/``member_id`` if given) once the writing
        shown is saved. While locked, it starts right after unlocking."""
        if self._group is None:
            return
        if not self._controller.shows_private:
            self._pending_new = (meeting_id, member_id)
            self.locked_panel.focus_passphrase()
            return
        self._refresh_if_stale()
        if not self.save_pending() or not self._controller.shows_private:
            return
        self._start_new(meeting_id, member_id)
        self.page.editor.focus_title()

    def has_unsaved_changes(self) -> bool:
        return self.page.editor.is_modified()

    def save_pending(self) -> bool:
        """Save unsaved changes now. If they cannot be saved as they are, ask whether to
        discard them; False means the facilitator goes on editing (do not move away)."""
        if not self.has_unsaved_changes():
            return True
        try:
            self._save_or_explain()
            return True
        except ValidationError as exc:
            self.page.editor.show_errors(exc.errors)
            problems = "\n".join(exc.errors.values())
            discard = self._dialogs.confirm(
                "This note is not saved",
                f"This note cannot be saved as it is:\n\n{problems}\n\n"
                "Discard your changes, or go back and fix them?",
                "Discard changes",
            )
            if not discard:
                self.page.editor.focus_title()
                return False
            if self._controller.shows_private:  # (nothing is left to discard once locked)
                self._discard_changes()
            return True
        except (ChangedElsewhereError, NotFoundError, VaultError):
            return False

    def save(self) -> bool:
        """Save the note shown; problems show under their fields. True if it is saved."""
        try:
            self._save_or_explain()
        except ValidationError as exc:
            self.page.editor.show_errors(exc.errors)
            return False
        except (ChangedElsewhereError, NotFoundError, VaultError):
            return False
        return True

    def delete_note(self) -> None:
        """Delete the note shown (after asking), or throw away a new one not yet saved."""
        note = self.page.editor.note
        if note is None:
            discard = self.page.editor.has_words() and self._dialogs.confirm(
                "Discard note", "Throw away this new note? It has not been saved.", "Discard"
            )
            if discard and self._controller.shows_private:
                self._start_new(None, None)
            return
        # The question never quotes the note: it may still be open when the vault locks.
        if not self._dialogs.confirm(
            "Delete note", "Delete this note? This cannot be undone.", "Delete"
        ):
            return
        try:
            self._notes.delete(note.id)
        except (ChangedElsewhereError, NotFoundError) as exc:
            self._dialogs.error("Not deleted", str(exc))
        if self._controller.shows_private:
            self._start_new(None, None)
            self._reload_list()

    def request_follow_up(self) -> None:
        """Ask for a follow-up on the note shown, saving it first."""
        if not self.save():
            return
        if self.page.editor.note is not None:
            self.follow_up_requested.emit(self.page.editor.note)

    def focus_search(self) -> None:
        self.page.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.page.search.selectAll()

    # ---- the vault -----------------------------------------------------------------------

    def _on_state_changed(self) -> None:
        if self._controller.shows_private:
            self.pages.setCurrentWidget(self.page)
            self._refresh_when_shown()
        else:
            if self._controller.is_unlocked:
                self._keep_writing()
            self._blank()
            self.pages.setCurrentWidget(self.locked_panel)

    def _blank(self) -> None:
        """Drop every copy of note text: the list, the search, the filters, the editors and
        their undo history. The note that was open is remembered by its id only."""
        if self.page.editor.note is not None:
            self._resume = self.page.editor.note.id
        with self._quietly():
            self.page.blank()
        self._stale = True
        self._update_actions()

    def _keep_writing(self) -> None:
        """Save unsaved changes at once, asking nothing (the vault is about to lock, the
        panels are being hidden, another group or screen is chosen)."""
        group = self._group
        if group is None or not self.page.editor.is_modified() or not self._controller.is_unlocked:
            return
        try:
            saved = keep_writing(
                self._notes, self.page.editor.note, self.page.editor.draft(group.id)
            )
        except (NotFoundError, VaultError) as exc:  # the group itself is gone, or no key
            log.warning("A note could not be kept: %s", type(exc).__name__)
            return
        if saved is not None:
            self._resume = saved.id
            self.page.editor.mark_saved(saved)

    # ---- filling in ----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._refresh_if_stale()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        # Another screen was chosen (or the window closed): the writing is kept.
        self._keep_writing()
        super().hideEvent(event)

    def _refresh_when_shown(self) -> None:
        # A hidden tab waits until it is looked at: nothing is decrypted for nothing.
        self._stale = True
        if self.isVisible():
            self._refresh_if_stale()

    def _refresh_if_stale(self) -> None:
        if self._stale:
            self._refresh()

    def _refresh(self) -> None:
        """Fill the content in from the services, if it may show."""
        group = self._group
        if group is None:
            self.page.title.setText("")
            self._update_actions()
            return
        self.page.title.setText(group.name)
        if not self._controller.shows_private:
            return
        try:
            members = [(m.id, m.display_name) for m in self._roster.list_members(group.id)]
            meetings = self._meetings.list_meetings(group.id)
            all_notes = self._notes.notes(group.id)
        except VaultError:
            self._vault_closed()
            return
        self._meeting_days = {m.id: m.date for m in meetings}
        meetings_offered = meeting_choices(meetings)
        known = {m_id for m_id, _name in members}
        about_others = {
            n.member_id: n.member_name or "A former member"
            for n in all_notes
            if n.member_id is not None and n.member_id not in known
        }
        with self._quietly():
            self.page.set_filter_choices(
                [*members, *about_others.items()],
                meetings_offered,
                self._member_filter,
                self._meeting_filter,
            )
            self.page.editor.set_choices(members, meetings_offered)
        self._stale = False
        self._reload_list()
        self._restore_editor(group.id)

    def _restore_editor(self, group_id: int) -> None:
        """After filling in: a new note that was asked for, the note open before a lock or
        hide, or a fresh new note."""
        if self._pending_new is not None:
            meeting_id, member_id = self._pending_new
            self._pending_new = None
            self._start_new(meeting_id, member_id)
            self.page.editor.focus_title()
            return
        if self.page.editor.note is not None or self.page.editor.has_words():
            self._update_actions()
            return
        resume, self._resume = self._resume, None
        if resume is not None:
            try:
                note = self._notes.note(resume)
            except NotFoundError:
                note = None
            except VaultError:
                self._vault_closed()
                return
            if note is not None and note.group_id == group_id:
                self._open(note)
                self._select_in_list(note.id)
                return
        self._start_new(None, None)

    def _reload_list(self) -> None:
        """Refill the list from the service's notes, as searched and filtered now."""
        group = self._group
        if group is None or not self._controller.shows_private:
            return
        try:
            found = self._notes.search(group.id, self.page.search.text())
            total = self._notes.count(group.id)
        except VaultError:
            self._vault_closed()
            return
        shown = [
            n
            for n in found
            if (self._member_filter is None or n.member_id == self._member_filter)
            and (self._meeting_filter is None or n.meeting_id == self._meeting_filter)
        ]
        with self._quietly():
            self.page.model.set_notes(shown)
        self._select_in_list(self.page.editor.note.id if self.page.editor.note else None)
        self.page.show_counts(total, len(shown))

    def _select_in_list(self, note_id: int | None) -> None:
        """Show which note is open (none: a new one), without opening it again."""
        row = self.page.model.row_of(note_id)
        selection = self.page.list.selectionModel()
        with self._quietly():
            if row < 0:
                selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
                return
            index = self.page.model.index(row)
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.page.list.scrollTo(index)

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        """Refill or re-select without taking it as the facilitator's choice."""
        self._syncing = True
        try:
            yield
        finally:
            self._syncing = False

    def _vault_closed(self) -> None:
        """The vault turned out to be locked (locked elsewhere): show the locked panel."""
        self._blank()
        self.pages.setCurrentWidget(self.locked_panel)
        self.locked_panel.refresh()

    # ---- choosing ------------------------------------------------------------------------

    def _set_filters(self, *, member_id: int | None, meeting_id: int | None) -> None:
        self._member_filter = member_id
        self._meeting_filter = meeting_id
        with self._quietly():
            self.page.search.setText("")
            self.page.choose_filters(member_id, meeting_id)
        if self._stale:
            self._refresh_when_shown()
        else:
            self._reload_list()

    def _on_filters_changed(self) -> None:
        if self._syncing:
            return
        self._member_filter = self.page.member_filter.currentData()
        self._meeting_filter = self.page.meeting_filter.currentData()
        self._reload_list()

    def _on_list_choice(self, current: QModelIndex) -> None:
        if self._syncing:
            return
        note = current.data(NoteInfoRole)
        if not isinstance(note, NoteInfo):
            return
        shown = self.page.editor.note
        if shown is not None and shown.id == note.id:
            return
        self.open_note(note.id)

    def open_note(self, note_id: int) -> bool:
        """Show note ``note_id`` once the writing shown is saved (or discarded)."""
        if not self.save_pending() or not self._controller.shows_private:
            self._select_in_list(self.page.editor.note.id if self.page.editor.note else None)
            return False
        try:
            note = self._notes.note(note_id)
        except NotFoundError as exc:
            self._dialogs.error("Note not found", str(exc))
            self._reload_list()
            return False
        except VaultError:
            self._vault_closed()
            return False
        self._open(note)
        self._select_in_list(note.id)
        return True

    def _open(self, note: NoteInfo) -> None:
        self.page.editor.load(note)

    def _start_new(self, meeting_id: int | None, member_id: int | None) -> None:
        if meeting_id is None:
            meeting_id = self._meeting_filter
        if meeting_id is None:
            today = self._now().date()
            meeting_id = next((m for m, day in self._meeting_days.items() if day == today), None)
        if member_id is None:
            member_id = self._member_filter
        self.page.editor.start_new(meeting_id=meeting_id, member_id=member_id)
        self._select_in_list(None)

    # ---- saving --------------------------------------------------------------------------

    def _save_or_explain(self) -> None:
        """Save the note shown. Raises ValidationError (for the caller to show or ask
        about); a note changed or removed elsewhere is explained here, the writing staying
        in the editor to be saved again, and re-raised."""
        group = self._group
        note = self.page.editor.note
        if group is None or (note is not None and not self.page.editor.is_modified()):
            return
        draft = self.page.editor.draft(group.id)
        try:
            if note is None:
                saved = self._notes.create(draft)
            else:
                saved = self._notes.update(note.id, draft, note.version)
        except ChangedElsewhereError:
            self.page.editor.detach()
            self._dialogs.error(
                "Not saved",
                "This note was changed somewhere else since you opened it, so your changes "
                "were not saved over it. Your writing is still here: press Save to keep it "
                "as a new note.",
            )
            self._reload_list()
            raise
        except NotFoundError as exc:
            if note is not None and not self._note_exists(note.id):
                self.page.editor.detach()
            self._dialogs.error(
                "Not saved", f"{exc} Your writing is still here: check it and press Save again."
            )
            self._refresh()  # a member or meeting that went away is no longer offered
            raise
        except VaultError:
            self._vault_closed()
            raise
        self.page.editor.mark_saved(saved)
        self._reload_list()

    def _note_exists(self, note_id: int) -> bool:
        try:
            self._notes.note(note_id)
        except NotFoundError:
            return False
        return True

    def _discard_changes(self) -> None:
        note = self.page.editor.note
        if note is None:
            self._start_new(None, None)
            return
        try:
            self._open(self._notes.note(note.id))
        except NotFoundError:
            self._start_new(None, None)

    # ---- what can be done ----------------------------------------------------------------

    def _on_edited(self) -> None:
        if self._group is not None:
            self.page.editor.recheck(self._group.id)
        self._update_actions()

    def _update_actions(self) -> None:
        shows = self._controller.shows_private and self._group is not None
        editor = self.page.editor
        note = editor.note
        can_save = shows and editor.is_modified()
        has_note = note is not None or editor.has_words()
        self.page.new_button.setEnabled(shows)
        self.new_action.setEnabled(self._group is not None)
        self.page.save_button.setEnabled(can_save)
        self.save_action.setEnabled(can_save)
        self.page.delete_button.setEnabled(shows and has_note)
        self.delete_action.setEnabled(shows and note is not None)
        self.page.follow_up_button.setEnabled(shows and has_note)
        editor.set_status(editor.status_text(self._now()) if shows else "")
