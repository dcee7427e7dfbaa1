"""The Notes screen: locked and unlocked, writing and keeping notes, searching and filtering,
and leaving no note text anywhere once the vault locks or the panels are hidden."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from peercircle.db import Database
from peercircle.db.models import Note
from peercircle.domain import NOTE_TITLE_MAX
from peercircle.services.meeting_types import MeetingDraft
from peercircle.services.meetings import MeetingService
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import DAMAGED_TEXT, NoteDraft, NoteInfo
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams
from peercircle.ui.notes.note_editor import DAMAGED_EXPLANATION, HINT
from peercircle.ui.notes.note_list_model import NoteInfoRole
from peercircle.ui.notes.notes_screen import NotesScreen
from peercircle.ui.vault.vault_controller import VaultController

PASSPHRASE = "blue kettle on the stairs"
TODAY = dt.date(2026, 11, 24)  # a Tuesday
NOW = dt.datetime(2026, 11, 24, 19, 30, tzinfo=dt.UTC)


class Clock:
    """The notes service's clock (naive UTC): a minute later at every call."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 24, 18, 0)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now


class Circle:
    """A group with members and meetings, and its services."""

    def __init__(self, db: Database, roster: RosterService) -> None:
        self.roster = roster
        self.group = roster.create_group(GroupDraft("Tuesday Circle", 1, dt.time(18, 30), "Hall"))
        self.members = {
            name: roster.create_member(MemberDraft(name), group_id=self.group.id).id
            for name in ("Ágnes", "Nguyễn", "Ольга", "Kwame")
        }
        self.meetings = MeetingService(db)
        self.last_week = self.meetings.create_meeting(
            self.group.id, MeetingDraft(TODAY - dt.timedelta(days=7), topic="Sleep")
        ).id
        self.today = self.meetings.create_meeting(self.group.id, MeetingDraft(TODAY)).id
        self.vault = VaultService(db, kdf_params=KdfParams(memory_kib=1024, iterations=1, lanes=1))
        self.vault.set_up(PASSPHRASE)
        self.notes = NoteService(db, self.vault, now=Clock())

    def note(self, title: str, body: str = "", **links: object) -> NoteInfo:
        return self.notes.create(NoteDraft(self.group.id, title, body, **links))  # type: ignore[arg-type]


@pytest.fixture
def circle(db: Database, roster: RosterService) -> Circle:
    return Circle(db, roster)


@pytest.fixture
def controller(circle: Circle, tmp_path: Path) -> Iterator[VaultController]:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    ctl = VaultController(circle.vault, settings=settings, watch_activity=False)
    yield ctl
    ctl.stop_watching()


@pytest.fixture
def secret(request: pytest.FixtureRequest) -> str:
    """Text only this test's note holds (widgets of other tests may still be around)."""
    return f"Zanzibar-quokka-77-{request.node.name}"


def make_screen(qtbot, circle: Circle, controller: VaultController, dialogs) -> NotesScreen:  # type: ignore[no-untyped-def]
    screen = NotesScreen(
        controller, circle.notes, circle.meetings, circle.roster, dialogs, now=lambda: NOW
    )
    qtbot.addWidget(screen)
    screen.resize(1100, 700)
    screen.show_group(circle.roster.get_group(circle.group.id))
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is screen)
    return screen


@pytest.fixture
def screen(qtbot, circle: Circle, controller: VaultController, dialogs) -> NotesScreen:  # type: ignore[no-untyped-def]
    return make_screen(qtbot, circle, controller, dialogs)


def listed(screen: NotesScreen) -> list[str]:
    model = screen.page.list.model()
    return [model.index(row, 0).data(NoteInfoRole).label for row in range(model.rowCount())]


def choose(combo: QComboBox, item_id: int | None) -> None:
    combo.setCurrentIndex(combo.findData(item_id))


def click_row(qtbot, screen: NotesScreen, label: str) -> None:  # type: ignore[no-untyped-def]
    row = listed(screen).index(label)
    rect = screen.page.list.visualRect(screen.page.list.model().index(row, 0))
    qtbot.mouseClick(screen.page.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def ctrl(qtbot, widget: QWidget, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(widget, key, Qt.KeyboardModifier.ControlModifier)


# ---- locked and unlocked -----------------------------------------------------------------


def test_locked_shows_the_locked_panel_and_unlocking_there_shows_the_notes(
    qtbot, circle: Circle, controller: VaultController, dialogs, secret: str
) -> None:  # type: ignore[no-untyped-def]
    circle.note("Sleep", secret, member_id=circle.members["Ágnes"])
    controller.lock()
    screen = make_screen(qtbot, circle, controller, dialogs)
    assert screen.pages.currentWidget() is screen.locked_panel
    assert "Your private notes are locked" in screen.locked_panel.title.text()
    assert not screen.page.save_button.isEnabled()

    screen.locked_panel.passphrase.insert(PASSPHRASE)
    qtbot.keyClick(screen.locked_panel.passphrase, Qt.Key.Key_Return)
    assert screen.pages.currentWidget() is screen.page
    assert listed(screen) == ["Sleep"]
    assert screen.page.title.text() == "Tuesday Circle"
    assert "1 note" in screen.page.subtitle.text()
    # A fresh note is ready to write, about today's meeting.
    assert screen.page.editor.note is None
    assert screen.page.editor.meeting.currentData() == circle.today
    assert screen.page.editor.hint.text() == HINT and screen.page.editor.hint.isVisible()


def test_not_set_up_offers_to_set_up(
    qtbot, db: Database, roster: RosterService, dialogs, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    group = roster.create_group(GroupDraft("Circle"))
    vault = VaultService(db, kdf_params=KdfParams(1024, 1, 1))
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    controller = VaultController(vault, settings=settings, watch_activity=False)
    screen = NotesScreen(controller, NoteService(db, vault), MeetingService(db), roster, dialogs)
    qtbot.addWidget(screen)
    screen.show_group(group)
    screen.show()
    assert screen.pages.currentWidget() is screen.locked_panel
    assert screen.locked_panel.setup_button.isVisibleTo(screen)
    controller.stop_watching()


# ---- writing -----------------------------------------------------------------------------


def test_write_save_edit_and_delete_with_the_keyboard(
    qtbot, screen: NotesScreen, circle: Circle, dialogs
) -> None:  # type: ignore[no-untyped-def]
    editor = screen.page.editor
    ctrl(qtbot, screen.page.search, Qt.Key.Key_N)  # from anywhere in the screen
    assert editor.title.hasFocus()
    qtbot.keyClicks(editor.title, "Check in about work")
    choose(editor.member, circle.members["Nguyễn"])
    qtbot.keyClicks(editor.tags, "work, sleep")
    qtbot.keyClick(editor.title, Qt.Key.Key_Return)  # Enter in the title: on to the writing
    assert editor.body.hasFocus()
    editor.body.insertPlainText("Nguyễn starts the new job on Monday.")
    assert screen.has_unsaved_changes()
    assert screen.page.save_button.isEnabled()
    ctrl(qtbot, editor.body, Qt.Key.Key_S)

    [saved] = circle.notes.notes(circle.group.id)
    assert (saved.title, saved.body, saved.tags) == (
        "Check in about work",
        "Nguyễn starts the new job on Monday.",
        ("work", "sleep"),
    )
    assert saved.member_name == "Nguyễn" and saved.meeting_id == circle.today
    assert not screen.has_unsaved_changes()
    assert not screen.page.save_button.isEnabled()
    assert listed(screen) == ["Check in about work"]
    assert screen.page.list.currentIndex().row() == 0
    assert "Saved" in editor.status.text()
    # Writing goes on in the same note: the cursor stays, Ctrl+S saves again.
    qtbot.keyClicks(editor.body, " Wants to talk after.")
    assert editor.status.text() == "Changes not saved yet"
    ctrl(qtbot, editor.body, Qt.Key.Key_S)
    assert circle.notes.note(saved.id).body.endswith("on Monday. Wants to talk after.")
    assert len(circle.notes.notes(circle.group.id)) == 1

    dialogs.confirm_answer = False
    screen.page.delete_button.click()
    assert circle.notes.count(circle.group.id) == 1
    dialogs.confirm_answer = True
    screen.page.list.setFocus()
    qtbot.keyClick(screen.page.list, Qt.Key.Key_Delete)
    assert circle.notes.count(circle.group.id) == 0
    assert dialogs.asked[-1] == ("Delete note", "Delete this note? This cannot be undone.")
    assert listed(screen) == []
    assert "No notes yet" in screen.page.empty_message.text()
    assert screen.page.editor.note is None and screen.page.editor.title.text() == ""


def test_problems_show_under_their_fields(qtbot, screen: NotesScreen, circle: Circle) -> None:  # type: ignore[no-untyped-def]
    editor = screen.page.editor
    editor.title.insert("Ágnes " * 40)
    screen.page.save_button.click()
    assert circle.notes.count(circle.group.id) == 0
    assert editor.errors["title"].isVisible()
    assert "The title is too long" in editor.errors["title"].text()
    editor.title.setText("Ágnes")  # fixed: the message goes as soon as it is right
    assert not editor.errors["title"].isVisible()
    screen.page.save_button.click()
    assert circle.notes.count(circle.group.id) == 1


def test_a_note_changed_elsewhere_keeps_the_writing(
    qtbot, screen: NotesScreen, circle: Circle, dialogs
) -> None:  # type: ignore[no-untyped-def]
    first = circle.note("Sleep", "First words.")
    screen.show_group(circle.group)
    click_row(qtbot, screen, "Sleep")
    elsewhere = NoteDraft(circle.group.id, "Sleep", "Changed elsewhere.")
    circle.notes.update(first.id, elsewhere, first.version)
    screen.page.editor.body.setPlainText("My words.")
    assert not screen.save()
    assert dialogs.errors[-1][0] == "Not saved"
    assert screen.page.editor.note is None and screen.page.editor.body.toPlainText() == "My words."
    assert screen.save()
    bodies = sorted(n.body for n in circle.notes.notes(circle.group.id))
    assert bodies == ["Changed elsewhere.", "My words."]


def test_follow_up_carries_the_saved_note(qtbot, screen: NotesScreen, circle: Circle) -> None:  # type: ignore[no-untyped-def]
    screen.page.editor.title.insert("Ask Kwame how the move went")
    choose(screen.page.editor.member, circle.members["Kwame"])
    with qtbot.waitSignal(screen.follow_up_requested) as signal:
        screen.page.follow_up_button.click()
    [note] = signal.args
    assert isinstance(note, NoteInfo)
    assert note == circle.notes.note(note.id)  # it was saved first
    assert note.member_id == circle.members["Kwame"]


def test_a_damaged_note_is_shown_read_only(
    qtbot, db: Database, circle: Circle, controller: VaultController, dialogs
) -> None:  # type: ignore[no-untyped-def]
    note = circle.note("Sleep", "Slept badly all week.")
    with db.session() as s:
        row = s.get(Note, note.id)
        assert row is not None
        body = bytearray(row.body)
        body[-1] ^= 0x01
        row.body = bytes(body)
    screen = make_screen(qtbot, circle, controller, dialogs)
    click_row(qtbot, screen, "Sleep")
    editor = screen.page.editor
    assert editor.body.toPlainText() == DAMAGED_TEXT
    assert editor.body.isReadOnly() and editor.title.isReadOnly()
    assert editor.damaged.isVisible() and editor.damaged.text() == DAMAGED_EXPLANATION
    assert not screen.page.save_button.isEnabled() and screen.page.delete_button.isEnabled()
    assert "partly damaged" in screen.page.list.model().index(0, 0).data()


# ---- finding -----------------------------------------------------------------------------


def test_search_as_you_type_with_or_without_accents(
    qtbot, circle: Circle, screen: NotesScreen
) -> None:  # type: ignore[no-untyped-def]
    circle.note("Ágnes and the garden", "Planting tomatoes.")
    circle.note("Money worries", "Ольга is looking for work.", tags=("WORK",))
    circle.note("Sleep", "Better this week.")
    screen.show_group(circle.group)
    assert len(listed(screen)) == 3
    qtbot.keyClicks(screen.page.search, "agnes")
    assert listed(screen) == ["Ágnes and the garden"]
    screen.page.search.setText("")
    screen.page.search.insert("ОЛЬГА")
    assert listed(screen) == ["Money worries"]
    screen.page.search.setText("work better")
    assert listed(screen) == []
    assert "No notes match" in screen.page.empty_message.text()
    assert screen.page.count.text() == "0 of 3 notes"
    screen.page.search.setText("week")
    assert listed(screen) == ["Sleep"]


def test_member_and_meeting_filters(qtbot, circle: Circle, screen: NotesScreen) -> None:  # type: ignore[no-untyped-def]
    agnes, olga = circle.members["Ágnes"], circle.members["Ольга"]
    circle.note("Garden", member_id=agnes, meeting_id=circle.last_week)
    circle.note("Job", member_id=olga, meeting_id=circle.today)
    circle.note("Group mood", meeting_id=circle.today)
    screen.show_group(circle.group)
    choose(screen.page.member_filter, agnes)
    assert listed(screen) == ["Garden"]
    choose(screen.page.member_filter, None)
    choose(screen.page.meeting_filter, circle.today)
    assert listed(screen) == ["Group mood", "Job"]

    screen.page.search.insert("mood")
    screen.show_member(olga)  # clears the search and the meeting filter
    assert screen.page.search.text() == ""
    assert screen.page.member_filter.currentData() == olga
    assert screen.page.meeting_filter.currentData() is None
    assert listed(screen) == ["Job"]
    screen.new_note()  # about the member shown, at today's meeting
    assert screen.page.editor.member.currentData() == olga
    assert screen.page.editor.meeting.currentData() == circle.today

    screen.show_meeting(circle.last_week)
    assert listed(screen) == ["Garden"]
    screen.new_note(member_id=circle.members["Kwame"])
    assert screen.page.editor.meeting.currentData() == circle.last_week
    assert screen.page.editor.member.currentData() == circle.members["Kwame"]


def test_a_new_note_asked_for_while_locked_starts_after_unlocking(
    qtbot, circle: Circle, controller: VaultController, screen: NotesScreen
) -> None:  # type: ignore[no-untyped-def]
    controller.lock()
    screen.new_note(member_id=circle.members["Ágnes"])
    assert screen.locked_panel.passphrase.hasFocus()
    screen.locked_panel.passphrase.insert(PASSPHRASE)
    screen.locked_panel.unlock_button.click()
    assert screen.page.editor.note is None
    assert screen.page.editor.member.currentData() == circle.members["Ágnes"]


# ---- never losing writing ----------------------------------------------------------------


def test_switching_notes_saves_the_writing(qtbot, circle: Circle, screen: NotesScreen) -> None:  # type: ignore[no-untyped-def]
    first = circle.note("First", "One.")
    circle.note("Second", "Two.")
    screen.show_group(circle.group)
    click_row(qtbot, screen, "First")
    qtbot.keyClicks(screen.page.editor.body, " More.")
    click_row(qtbot, screen, "Second")
    assert circle.notes.note(first.id).body == "One. More."
    assert screen.page.editor.note is not None and screen.page.editor.note.title == "Second"
    assert listed(screen) == ["First", "Second"]  # the one just saved is now the newest
    assert screen.page.list.currentIndex().data(NoteInfoRole).title == "Second"


def test_switching_with_writing_that_cannot_be_saved_asks(
    qtbot, circle: Circle, screen: NotesScreen, dialogs
) -> None:  # type: ignore[no-untyped-def]
    first = circle.note("First", "One.")
    circle.note("Second", "Two.")
    screen.show_group(circle.group)
    click_row(qtbot, screen, "First")
    screen.page.editor.title.setText("x" * (NOTE_TITLE_MAX + 1))
    dialogs.confirm_answer = False  # go back and fix it
    click_row(qtbot, screen, "Second")
    assert dialogs.asked[-1][0] == "This note is not saved"
    assert screen.page.editor.note is not None and screen.page.editor.note.id == first.id
    assert screen.page.list.currentIndex().data(NoteInfoRole).id == first.id
    assert screen.page.editor.errors["title"].isVisible()
    assert not screen.save_pending()

    dialogs.confirm_answer = True  # discard the changes
    click_row(qtbot, screen, "Second")
    assert screen.page.editor.note is not None and screen.page.editor.note.title == "Second"
    assert circle.notes.note(first.id).title == "First"


def test_locking_saves_the_writing_first(
    qtbot, circle: Circle, controller: VaultController, screen: NotesScreen, secret: str
) -> None:  # type: ignore[no-untyped-def]
    screen.page.editor.title.insert("Before the lock")
    screen.page.editor.body.insertPlainText(secret)
    controller.lock()  # about_to_lock: saved while the key is still there
    circle.vault.unlock(PASSPHRASE)
    [note] = circle.notes.notes(circle.group.id)
    assert (note.title, note.body) == ("Before the lock", secret)
    controller.notify_unlocked()
    reopened = screen.page.editor.note
    assert reopened is not None and reopened.id == note.id  # the note is open again


def test_writing_that_cannot_be_saved_is_still_kept_on_locking(
    qtbot, circle: Circle, controller: VaultController, screen: NotesScreen
) -> None:  # type: ignore[no-untyped-def]
    long_title = "Ольга " * 38  # longer than a title may be (a message would say so)
    screen.page.editor.title.insert(long_title)
    screen.page.editor.body.insertPlainText("Asked for the phone number of the food bank.")
    controller.lock()
    circle.vault.unlock(PASSPHRASE)
    [note] = circle.notes.notes(circle.group.id)
    assert len(note.title) == NOTE_TITLE_MAX
    assert note.body == f"{long_title.strip()}\n\nAsked for the phone number of the food bank."


def test_another_group_saves_the_writing(
    qtbot, circle: Circle, screen: NotesScreen, roster: RosterService
) -> None:  # type: ignore[no-untyped-def]
    screen.page.editor.body.insertPlainText("Remember the room key.")
    other = roster.create_group(GroupDraft("Thursday Circle"))
    screen.show_group(other)
    assert [n.body for n in circle.notes.notes(circle.group.id)] == ["Remember the room key."]
    assert listed(screen) == [] and screen.page.title.text() == "Thursday Circle"
    assert screen.page.editor.body.toPlainText() == ""


def test_leaving_the_screen_saves_the_writing(qtbot, circle: Circle, screen: NotesScreen) -> None:  # type: ignore[no-untyped-def]
    screen.page.editor.body.insertPlainText("Bring the leaflets.")
    screen.hide()
    assert [n.body for n in circle.notes.notes(circle.group.id)] == ["Bring the leaflets."]


# ---- leaving nothing behind --------------------------------------------------------------


def item_texts(model: QAbstractItemModel, parent: QModelIndex | None = None) -> Iterator[str]:
    parent = parent or QModelIndex()
    roles = (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.EditRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.UserRole,
        NoteInfoRole,
    )
    for row in range(model.rowCount(parent)):
        column = 0
        while (index := model.index(row, column, parent)).isValid():
            column += 1
            for role in roles:
                value = index.data(role)
                if value is not None:
                    yield str(value)
            if column == 1:
                yield from item_texts(model, index)


def texts_anywhere() -> list[str]:
    """Every text any widget of the application holds."""
    found: list[str] = []
    for widget in QApplication.allWidgets():
        if isinstance(widget, QLineEdit):
            found.append(widget.text())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            found.append(widget.toPlainText())
        elif isinstance(widget, QLabel):
            found.append(widget.text())
        elif isinstance(widget, QComboBox):
            found.extend(widget.itemText(i) for i in range(widget.count()))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            found.extend(item_texts(widget.model()))
        found.append(widget.toolTip())
        found.append(widget.accessibleName())
        found.append(widget.windowTitle())
    return found


def write_and_open(qtbot, circle: Circle, screen: NotesScreen, secret: str) -> None:  # type: ignore[no-untyped-def]
    """A saved note open, searched for, with more typed into it (so there is undo history)."""
    circle.note(f"Title {secret}", f"Body {secret}", tags=(f"tag-{secret}",))
    screen.show_group(circle.group)
    qtbot.keyClicks(screen.page.search, secret)
    click_row(qtbot, screen, f"Title {secret}")
    qtbot.keyClicks(screen.page.editor.title, " more")
    qtbot.keyClicks(screen.page.editor.tags, ", more")
    qtbot.keyClicks(screen.page.editor.body, " more")
    assert any(secret in text for text in texts_anywhere())
    assert screen.page.editor.title.isUndoAvailable()


def assert_nothing_left(screen: NotesScreen, secret: str) -> None:
    assert not [text for text in texts_anywhere() if secret in text]
    assert screen.page.list.model().rowCount() == 0
    editor = screen.page.editor
    for edit in (editor.title, editor.tags, screen.page.search):
        assert not edit.isUndoAvailable() and not edit.isRedoAvailable()
    assert not editor.body.document().isUndoAvailable()
    assert not editor.body.document().isRedoAvailable()
    assert editor.member.count() == 0 and editor.meeting.count() == 0
    assert screen.page.member_filter.count() == 0 and screen.page.meeting_filter.count() == 0


def test_locking_leaves_no_note_text_in_any_widget(
    qtbot, circle: Circle, controller: VaultController, screen: NotesScreen, secret: str
) -> None:  # type: ignore[no-untyped-def]
    write_and_open(qtbot, circle, screen, secret)
    controller.lock()
    assert screen.pages.currentWidget() is screen.locked_panel
    assert_nothing_left(screen, secret)
    screen.page.editor.title.undo()  # and Ctrl+Z brings nothing back
    screen.page.editor.body.undo()
    assert_nothing_left(screen, secret)


def test_hiding_blanks_everything_and_showing_again_brings_the_notes_back(
    qtbot, circle: Circle, controller: VaultController, screen: NotesScreen, secret: str
) -> None:  # type: ignore[no-untyped-def]
    write_and_open(qtbot, circle, screen, secret)
    controller.set_hidden(True)
    assert screen.pages.currentWidget() is screen.locked_panel
    assert "hidden" in screen.locked_panel.title.text()
    assert_nothing_left(screen, secret)
    # What was typed before hiding was kept.
    [saved] = circle.notes.notes(circle.group.id)
    assert saved.title == f"Title {secret} more" and saved.tags == (f"tag-{secret}", "more")

    controller.set_hidden(False)
    assert screen.pages.currentWidget() is screen.page
    assert listed(screen) == [f"Title {secret} more"]
    assert screen.page.editor.note is not None and screen.page.editor.note.id == saved.id
    assert screen.page.editor.body.toPlainText() == f"Body {secret} more"
