"""The private side in the main window, end to end: the Notes tab, the Follow-ups page, the
Private menu and the ways in, driven through real widgets, actions and keys on a real
database with a real (fast) vault. Locking, hiding, idling, the presenter view and closing
the window must each leave no private text in any widget."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fakes import CountingChime, FakeClock
from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QSettings,
    QStandardPaths,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStatusBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from peercircle.db import Database
from peercircle.domain import AttendanceStatus, FollowUpSource
from peercircle.services.follow_ups import FollowUpService
from peercircle.services.meeting_types import MeetingDraft
from peercircle.services.meetings import MeetingService
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import FollowUpDraft, NoteDraft
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams
from peercircle.services.vault_types import DEFAULT_IDLE_MINUTES, VaultState
from peercircle.ui.follow_ups.follow_up_dialog import FollowUpDialog
from peercircle.ui.main_window import MainWindow
from peercircle.ui.private_side import PrivateSide
from peercircle.ui.round.presenter_window import PresenterWindow
from peercircle.ui.round.round_setup_dialog import RoundSetupDialog
from peercircle.ui.round.round_window import RoundWindow
from peercircle.ui.vault.setup_dialog import SetupVaultDialog

FAST = KdfParams(memory_kib=1024, iterations=1, lanes=1)
PASSPHRASE = "lanterns over the quiet harbour"
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
SAMPLE_PASSPHRASE = re.compile(
    r"^Sample private notes are locked with the passphrase: (.+)$", re.MULTILINE
)

Answer = Callable[[Callable[[QWidget], None]], None]


# ---- the window and its circle ------------------------------------------------------------


@dataclass
class Circle:
    group_id: int
    meeting_id: int
    agnes: int
    an: int
    olga: int
    kwame: int


def make_circle(db: Database, roster: RosterService) -> Circle:
    """A group meeting today: Ágnes, Nguyễn Văn An and Ольга are checked in, Kwame is not."""
    group = roster.create_group(
        GroupDraft("Tuesday Circle", 1, agreements="It is always okay to pass.")
    )
    ids = [
        roster.create_member(MemberDraft(name), group_id=group.id).id
        for name in ("Ágnes", "Nguyễn Văn An", "Ольга", "Kwame")
    ]
    meetings = MeetingService(db)
    meeting = meetings.create_meeting(group.id, MeetingDraft(dt.date.today())).id
    for member in ids[:3]:
        meetings.set_attendance(meeting, member, AttendanceStatus.PRESENT)
    meetings.set_attendance(meeting, ids[3], AttendanceStatus.ABSENT)
    return Circle(group.id, meeting, *ids)


def show_circle(
    window: MainWindow, db: Database, roster: RosterService
) -> tuple[Circle, PrivateSide]:
    """The circle made and shown in ``window``; the window's private side."""
    circle = make_circle(db, roster)
    window.refresh(select_group=circle.group_id)
    assert window.private is not None
    return circle, window.private


@pytest.fixture
def settings_dir(tmp_path: Path) -> Iterator[Path]:
    """The window's own ``QSettings()`` (vault idle time, print choices) write ini files
    here, not in the real user's configuration."""
    folder = tmp_path / "config"
    native, user = QSettings.Format.NativeFormat, QSettings.Scope.UserScope
    QSettings.setPath(native, user, str(folder))
    yield folder
    home = QStandardPaths.StandardLocation.GenericConfigLocation
    QSettings.setPath(native, user, QStandardPaths.writableLocation(home))


@pytest.fixture
def clock() -> FakeClock:
    """The vault's clock (idle time)."""
    return FakeClock(1000.0)


@pytest.fixture
def open_window(
    qtbot: QtBot,
    db: Database,
    roster: RosterService,
    dialogs: Any,
    clock: FakeClock,
    tmp_path: Path,
    settings_dir: Path,
) -> Callable[[], MainWindow]:
    """Open the window on what the database holds now (as the app does at start)."""

    def make() -> MainWindow:
        w = MainWindow(dialogs=dialogs)
        qtbot.addWidget(w)
        w.attach(db, roster, vault=VaultService(db, kdf_params=FAST, clock=clock))
        launcher = w.round_launcher
        assert launcher is not None
        launcher.clock = FakeClock(500.0)
        launcher.chime = CountingChime()
        launcher.now = lambda: dt.datetime.combine(dt.date.today(), dt.time(19, 30))
        launcher.settings = QSettings(str(tmp_path / "round.ini"), QSettings.Format.IniFormat)
        activate(qtbot, w)
        return w

    return make


@pytest.fixture
def window(open_window: Callable[[], MainWindow]) -> MainWindow:
    return open_window()


@pytest.fixture
def secret(request: pytest.FixtureRequest) -> str:
    """Note text only this test writes (widgets of earlier tests may linger until deleted)."""
    return f"Ágnes spoke about her mother's garden in Pécs — {request.node.name}"


@pytest.fixture
def answer(answer_dialog: Answer) -> Answer:
    """Like ``answer_dialog``, but a failing check closes the dialog (so the test fails
    instead of waiting for ever on an open dialog)."""

    def schedule(handler: Callable[[QWidget], None]) -> None:
        def run(dialog: QWidget) -> None:
            try:
                handler(dialog)
            except BaseException:
                if dialog.isVisible():
                    dialog.close()
                raise

        answer_dialog(run)

    return schedule


# ---- helpers ------------------------------------------------------------------------------


def activate(qtbot: QtBot, widget: QWidget) -> None:
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


def press(
    qtbot: QtBot,
    window: QWidget,
    key: Qt.Key,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """A key as the facilitator presses it: to whatever has the focus in ``window``, which
    must be the active window (the offscreen platform does not give a window back its
    activation after a dialog closed: ``activate`` it again)."""
    assert QApplication.activeWindow() is window
    qtbot.keyClick(window.focusWidget() or window, key, modifiers)


@contextmanager
def no_dialog_may_open() -> Iterator[list[str]]:
    """Fail (rather than hang) if a modal dialog opens: it is closed and its class noted."""
    opened: list[str] = []

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            opened.append(type(dialog).__name__)
            dialog.close()

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(check)
    timer.start()
    try:
        yield opened
    finally:
        timer.stop()


def model_texts(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[str]:
    """Every text a model gives for display, editing, tooltips and screen readers."""
    parent = parent or QModelIndex()
    texts: list[str] = []
    for row in range(model.rowCount(parent)):
        column = 0  # (list models do not say how many columns they have)
        while (index := model.index(row, column, parent)).isValid():
            column += 1
            for role in (
                Qt.ItemDataRole.DisplayRole,
                Qt.ItemDataRole.EditRole,
                Qt.ItemDataRole.ToolTipRole,
                Qt.ItemDataRole.StatusTipRole,
                Qt.ItemDataRole.WhatsThisRole,
                Qt.ItemDataRole.AccessibleTextRole,
                Qt.ItemDataRole.AccessibleDescriptionRole,
            ):
                value = index.data(role)
                if value is not None:
                    texts.append(str(value))
        texts += model_texts(model, model.index(row, 0, parent))
    return texts


def all_texts() -> str:
    """What every widget of the application shows or holds as text, and every item view's
    model, all levels down (widgets already closed and deleted are gone first)."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    texts: list[str] = []
    for widget in QApplication.allWidgets():
        texts += [
            widget.windowTitle(),
            widget.toolTip(),
            widget.statusTip(),
            widget.whatsThis(),
            widget.accessibleName(),
            widget.accessibleDescription(),
        ]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts += [widget.text(), widget.placeholderText()]
        if isinstance(widget, QPlainTextEdit | QTextEdit):
            texts.append(widget.toPlainText())
        if isinstance(widget, QAbstractSpinBox):
            texts.append(widget.text())
        if isinstance(widget, QComboBox):
            texts.append(widget.currentText())
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QStatusBar):
            texts.append(widget.currentMessage())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts += model_texts(widget.model())
        if isinstance(widget, PresenterWindow):
            texts += widget.drawn_texts()
    return "\n".join(texts)


def shown_of(private: tuple[str, ...]) -> list[str]:
    shown = all_texts()
    return [text for text in private if text in shown]


def set_up_now(window: MainWindow) -> None:
    """Set the vault up without the dialog (tests about other things)."""
    assert window.private is not None
    window.private.vault.set_up(PASSPHRASE)
    window.private.controller.notify_unlocked()


def click_group(qtbot: QtBot, window: MainWindow, group_id: int) -> None:
    index = window.groups_model.index(window.groups_model.row_of(group_id))
    rect = window.sidebar.visualRect(index)
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def write_new_note(
    qtbot: QtBot, window: MainWindow, title: str, body: str, member_id: int | None
) -> None:
    """Ctrl+4, then Ctrl+N in the notes, and write (not saved yet)."""
    assert window.private is not None
    press(qtbot, window, Qt.Key.Key_4, CTRL)
    screen = window.private.notes_screen
    assert window.group_tabs.currentWidget() is screen
    # A click in the notes first: from the sidebar, Ctrl+N belongs to no screen.
    qtbot.mouseClick(screen.page.search, Qt.MouseButton.LeftButton)
    assert screen.page.search.hasFocus()
    with no_dialog_may_open() as opened:
        press(qtbot, window, Qt.Key.Key_N, CTRL)
    assert opened == [], "Ctrl+N opened a dialog instead of a new note"
    editor = screen.page.editor
    assert editor.note is None and editor.title.hasFocus()
    editor.title.insert(title)
    if member_id is not None:
        editor.member.setCurrentIndex(editor.member.findData(member_id))
    qtbot.keyClick(editor.title, Qt.Key.Key_Return)  # on to the writing
    assert editor.body.hasFocus()
    editor.body.insertPlainText(body)


def run_round(qtbot: QtBot, window: MainWindow, answer: Answer) -> RoundWindow:
    """Start a round from the Meetings tab with everyone checked in; return its window,
    active and ready."""
    press(qtbot, window, Qt.Key.Key_2, CTRL)
    assert window.group_tabs.currentWidget() is window.meetings_screen

    def set_up(dialog: QWidget) -> None:
        assert isinstance(dialog, RoundSetupDialog)
        assert [s.name for s in dialog.speakers()] == ["Ágnes", "Nguyễn Văn An", "Ольга"]
        dialog.ok_button.click()

    answer(set_up)
    window.meetings_screen.check_in.round_button.click()
    launcher = window.round_launcher
    assert launcher is not None and launcher.window is not None
    round_window = launcher.window  # (the launcher deletes it once it has closed)
    activate(qtbot, round_window)
    return round_window


# ---- 1. the way in, and closed at the start -----------------------------------------------


def test_the_private_side_is_in_the_window_and_starts_closed(
    qtbot: QtBot,
    open_window: Callable[[], MainWindow],
    db: Database,
    roster: RosterService,
    secret: str,
) -> None:
    circle = make_circle(db, roster)
    earlier = VaultService(db, kdf_params=FAST)  # set up on an earlier day
    earlier.set_up(PASSPHRASE)
    NoteService(db, earlier).create(NoteDraft(circle.group_id, "Garden", secret))
    reason = "ask Ольга how the move to Szeged went"
    FollowUpService(db, earlier).create(
        FollowUpDraft(circle.olga, dt.date.today(), reason, group_id=circle.group_id)
    )
    earlier.lock()
    window = open_window()
    private = window.private
    assert private is not None
    assert private.vault.state is VaultState.LOCKED

    menus = [action.text() for action in window.menuBar().actions()]
    assert "Pri&vate" in menus
    assert private.menu.unlock_action.isEnabled()
    assert not private.controller.lock_action.isEnabled()
    assert not private.menu.setup_action.isEnabled()
    button = window.follow_ups_button
    assert button.isVisible() and button.isEnabled()
    assert button.text() == "Follow-ups · 1 due"  # the count needs no key

    window.refresh(select_group=circle.group_id)
    tabs = window.group_tabs
    notes_tab = tabs.indexOf(private.notes_screen)
    assert tabs.tabText(notes_tab) == "Notes" and tabs.isTabVisible(notes_tab)
    press(qtbot, window, Qt.Key.Key_4, CTRL)
    assert tabs.currentWidget() is private.notes_screen
    assert private.notes_screen.pages.currentWidget() is private.notes_screen.locked_panel
    panel = private.notes_screen.locked_panel
    assert panel.title.text() == "Your private notes are locked"
    assert panel.passphrase.isVisible() and not panel.setup_button.isVisible()
    assert shown_of((secret, "Garden", reason)) == []

    # “All members” is the roster alone: no Notes tab, and Ctrl+4 does nothing.
    window.sidebar.setCurrentIndex(window.groups_model.index(0))
    assert not tabs.isTabVisible(notes_tab)
    assert tabs.currentWidget() is window.roster_screen
    press(qtbot, window, Qt.Key.Key_4, CTRL)
    assert tabs.currentWidget() is window.roster_screen
    assert not private.show_notes_action.isEnabled()


# ---- 2. set up, write, lock, unlock -------------------------------------------------------


def test_set_up_write_lock_and_unlock_leave_nothing_behind(
    qtbot: QtBot,
    window: MainWindow,
    db: Database,
    roster: RosterService,
    answer: Answer,
    secret: str,
) -> None:
    circle, private = show_circle(window, db, roster)
    assert private.vault.state is VaultState.NOT_SET_UP
    screen = private.notes_screen
    press(qtbot, window, Qt.Key.Key_4, CTRL)
    assert screen.locked_panel.setup_button.isVisible()  # offered where the notes will be
    assert not private.menu.unlock_action.isEnabled()

    codes: list[bool] = []

    def set_up(dialog: QWidget) -> None:
        assert isinstance(dialog, SetupVaultDialog)
        dialog.fields.passphrase.insert(PASSPHRASE)
        dialog.fields.repeated.insert(PASSPHRASE)
        qtbot.mouseClick(dialog.set_up_button, Qt.MouseButton.LeftButton)
        page = dialog.code_page
        codes.append(page.has_code)
        assert not page.done_button.isEnabled()
        page.written_down.setChecked(True)
        qtbot.mouseClick(page.done_button, Qt.MouseButton.LeftButton)

    answer(set_up)
    private.menu.setup_action.trigger()
    activate(qtbot, window)
    assert codes == [True]
    assert private.vault.state is VaultState.UNLOCKED
    assert screen.pages.currentWidget() is screen.page
    assert private.controller.lock_action.isEnabled()

    # Ctrl+N in the notes is a new note (the roster's Ctrl+N steps aside here).
    assert window.roster_screen.add_action.shortcut().isEmpty()
    write_new_note(qtbot, window, "Mother's garden", secret, circle.agnes)
    editor = screen.page.editor
    press(qtbot, window, Qt.Key.Key_S, CTRL)
    [saved] = private.notes.notes(circle.group_id)
    assert (saved.title, saved.body, saved.member_name) == ("Mother's garden", secret, "Ágnes")
    assert editor.note is not None and editor.note.id == saved.id
    assert not screen.has_unsaved_changes()
    assert shown_of((secret,)) == [secret]  # (the walk finds it while it is shown)

    press(qtbot, window, Qt.Key.Key_L, CTRL | SHIFT)
    assert private.vault.state is VaultState.LOCKED
    assert shown_of((secret, "Mother's garden")) == []
    assert not editor.body.document().isUndoAvailable()
    assert not editor.title.isUndoAvailable()
    assert screen.pages.currentWidget() is screen.locked_panel
    assert screen.locked_panel.isVisible()
    assert screen.locked_panel.title.text() == "Your private notes are locked"

    screen.locked_panel.passphrase.insert(PASSPHRASE)
    qtbot.keyClick(screen.locked_panel.passphrase, Qt.Key.Key_Return)
    assert private.vault.is_unlocked
    assert screen.locked_panel.passphrase.text() == ""
    assert screen.pages.currentWidget() is screen.page
    assert editor.note is not None and editor.note.id == saved.id  # the note open before
    assert editor.body.toPlainText() == secret
    assert screen.page.model.rowCount() == 1

    # Ctrl+N again: a fresh note; the saved one stays in the list.
    qtbot.mouseClick(screen.page.search, Qt.MouseButton.LeftButton)
    with no_dialog_may_open() as opened:
        press(qtbot, window, Qt.Key.Key_N, CTRL)
    assert opened == []
    assert editor.note is None and editor.body.toPlainText() == "" and editor.title.hasFocus()
    assert screen.page.model.rowCount() == 1


# ---- 3. the presenter view locks ----------------------------------------------------------


def test_opening_the_presenter_view_locks_everything_private(
    qtbot: QtBot,
    window: MainWindow,
    db: Database,
    roster: RosterService,
    answer: Answer,
    secret: str,
) -> None:
    circle, private = show_circle(window, db, roster)
    set_up_now(window)
    note = private.notes.create(
        NoteDraft(circle.group_id, "Garden", secret, member_id=circle.agnes)
    )
    press(qtbot, window, Qt.Key.Key_4, CTRL)
    assert private.notes_screen.open_note(note.id)
    assert shown_of((secret,)) == [secret]

    round_window = run_round(qtbot, window, answer)
    assert private.vault.is_unlocked  # a round alone does not lock
    with qtbot.waitSignal(round_window.presenter_opened):
        qtbot.keyClick(round_window, Qt.Key.Key_F5)
    presenter = round_window.presenter
    assert presenter is not None and presenter.isVisible()

    assert private.vault.state is VaultState.LOCKED
    screen = private.notes_screen
    assert screen.pages.currentWidget() is screen.locked_panel
    assert shown_of((secret, "Garden")) == []
    assert all(secret not in text for text in presenter.drawn_texts())
    assert "Ágnes" in presenter.drawn_texts()  # (the circle itself is drawn)
    round_window.close()


# ---- 4. idle lock -------------------------------------------------------------------------


def test_idle_lock_through_the_window(
    qtbot: QtBot,
    window: MainWindow,
    db: Database,
    roster: RosterService,
    clock: FakeClock,
    secret: str,
) -> None:
    circle, private = show_circle(window, db, roster)
    controller = private.controller
    assert controller.idle_minutes == DEFAULT_IDLE_MINUTES == 5
    set_up_now(window)
    write_new_note(qtbot, window, "Garden", secret, None)
    screen = private.notes_screen

    clock.now += 5 * 60 - 1
    assert not controller.check_idle()
    assert private.vault.is_unlocked
    qtbot.keyClick(screen.page.editor.body, Qt.Key.Key_Period)  # typing is activity
    clock.now += 5 * 60 - 1
    assert not controller.check_idle()
    assert shown_of((secret,)) == [secret]

    clock.now += 2
    assert controller.check_idle()
    assert private.vault.state is VaultState.LOCKED
    assert screen.pages.currentWidget() is screen.locked_panel
    assert shown_of((secret, "Garden")) == []
    # What was being written was kept before the key went.
    vault = VaultService(db, kdf_params=FAST)
    vault.unlock(PASSPHRASE)
    [kept] = NoteService(db, vault).notes(circle.group_id)
    assert kept.body == secret + "."


# ---- 5. F9 hides every private panel at once ----------------------------------------------


def test_f9_blanks_the_notes_and_the_follow_ups_at_once(
    qtbot: QtBot,
    window: MainWindow,
    db: Database,
    roster: RosterService,
    secret: str,
) -> None:
    circle, private = show_circle(window, db, roster)
    set_up_now(window)
    reason = "bring Nguyễn the leaflet about the carers' café"
    private.follow_ups.create(
        FollowUpDraft(circle.an, dt.date.today(), reason, group_id=circle.group_id)
    )
    note = private.notes.create(NoteDraft(circle.group_id, "Garden", secret))
    private.follow_ups_screen.refresh()
    press(qtbot, window, Qt.Key.Key_4, CTRL)
    notes = private.notes_screen
    assert notes.open_note(note.id)
    follow_ups = private.follow_ups_screen
    assert follow_ups.model.follow_up_count() == 1
    assert shown_of((secret, reason)) == [secret, reason]

    press(qtbot, window, Qt.Key.Key_F9)
    assert private.controller.is_hidden
    assert private.vault.is_unlocked  # hidden, not locked
    assert notes.pages.currentWidget() is notes.locked_panel
    assert notes.locked_panel.title.text() == "Private panels are hidden"
    assert follow_ups.pages.currentWidget() is follow_ups.locked_panel
    assert shown_of((secret, reason, "Garden")) == []
    assert private.menu.menu.isEnabled() and private.controller.hide_action.isChecked()

    press(qtbot, window, Qt.Key.Key_F9)
    assert not private.controller.is_hidden
    assert private.vault.is_unlocked
    assert notes.pages.currentWidget() is notes.page
    assert notes.page.editor.body.toPlainText() == secret  # the note open before
    assert follow_ups.pages.currentWidget() is follow_ups.content
    assert [i.reason for i in follow_ups.model.follow_ups_in(follow_ups.model.buckets()[0])] == [
        reason
    ]


# ---- 6. follow-ups ------------------------------------------------------------------------


def test_follow_ups_page_count_and_the_ways_to_a_follow_up(
    qtbot: QtBot,
    window: MainWindow,
    db: Database,
    roster: RosterService,
    answer: Answer,
    secret: str,
) -> None:
    circle, private = show_circle(window, db, roster)
    set_up_now(window)
    today = dt.date.today()
    reason = "ask Kwame whether Thursdays suit him better"
    FollowUpService(db, private.vault).create(
        FollowUpDraft(circle.kwame, today, reason, group_id=circle.group_id)
    )
    press(qtbot, window, Qt.Key.Key_L, CTRL | SHIFT)
    assert private.vault.state is VaultState.LOCKED
    button = window.follow_ups_button
    assert button.text() == "Follow-ups · 1 due"
    assert button.toolTip() == "0 overdue, 1 today, 0 this week"

    # Locked, the page shows how many are due and nothing else.
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    page = private.follow_ups_screen
    assert window.content.currentWidget() is page and button.isChecked()
    assert page.pages.currentWidget() is page.locked_panel
    assert page.subtitle.text() == "1 today"
    assert page.model.rowCount() == 0 and page.suggestion_model.rowCount() == 0
    assert shown_of((reason,)) == []

    # The group in the sidebar leads back to its tabs.
    click_group(qtbot, window, circle.group_id)
    assert window.content.currentWidget() is window.group_tabs
    assert not button.isChecked()
    assert window.roster_screen.title.text() == "Tuesday Circle"

    # From a member: Edit → Follow Up With This Member….
    page.locked_panel.passphrase.insert(PASSPHRASE)
    qtbot.keyClick(page.locked_panel.passphrase, Qt.Key.Key_Return)
    assert private.vault.is_unlocked
    press(qtbot, window, Qt.Key.Key_1, CTRL)
    assert window.roster_screen.select_member(circle.an)
    [from_menu] = [a for a in window.edit_menu.actions() if a.text().startswith("&Follow Up")]
    assert from_menu.text() == "&Follow Up With This Member…"

    def for_member(dialog: QWidget) -> None:
        assert isinstance(dialog, FollowUpDialog)
        assert dialog.windowTitle() == "New follow-up"
        assert dialog.member.currentText() == "Nguyễn Văn An"
        dialog.reason.insert("lend An the book about grief")
        qtbot.mouseClick(dialog.quick_dates["Tomorrow"], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer(for_member)
    from_menu.trigger()
    activate(qtbot, window)
    service = FollowUpService(db, private.vault)
    [member_made] = service.follow_ups(today, member_id=circle.an)
    assert (member_made.reason, member_made.due_date, member_made.source) == (
        "lend An the book about grief",
        today + dt.timedelta(days=1),
        FollowUpSource.MEMBER,
    )
    assert member_made.group_id == circle.group_id and member_made.note_id is None

    # From a note: “Follow up…” saves the note and links it.
    write_new_note(qtbot, window, "Garden", secret, circle.agnes)

    def for_note(dialog: QWidget) -> None:
        assert isinstance(dialog, FollowUpDialog)
        assert dialog.member.currentText() == "Ágnes"
        dialog.reason.insert("ask Ágnes how the garden is")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer(for_note)
    qtbot.mouseClick(private.notes_screen.page.follow_up_button, Qt.MouseButton.LeftButton)
    [note] = private.notes.notes(circle.group_id)
    assert note.body == secret
    [note_made] = service.follow_ups(today, member_id=circle.agnes)
    assert note_made.source is FollowUpSource.NOTE
    assert note_made.note_id == note.id
    assert note_made.meeting_id == circle.meeting_id  # the note is about today's meeting
    assert note_made.reason == "ask Ágnes how the garden is"
    assert button.text() == "Follow-ups · 1 due"  # the two new ones are due later


# ---- 7. a round's flag becomes a suggestion -----------------------------------------------


def test_a_round_flag_becomes_a_suggestion_to_accept(
    qtbot: QtBot,
    window: MainWindow,
    db: Database,
    roster: RosterService,
    answer: Answer,
) -> None:
    circle, private = show_circle(window, db, roster)
    set_up_now(window)
    round_window = run_round(qtbot, window, answer)
    launcher = window.round_launcher
    assert launcher is not None and isinstance(launcher.clock, FakeClock)
    qtbot.keyClick(round_window, Qt.Key.Key_Space)  # Ágnes has the stick
    launcher.clock.now += 90
    qtbot.keyClick(round_window, Qt.Key.Key_F)  # check in later with Ágnes
    for _ in range(3):  # An, Ольга, and the round is over
        qtbot.keyClick(round_window, Qt.Key.Key_Space)
        launcher.clock.now += 60
    assert round_window.snapshot.phase.value == "finished"
    with qtbot.waitSignal(launcher.round_saved):
        qtbot.keyClick(round_window, Qt.Key.Key_Escape)  # save and close
    activate(qtbot, window)

    qtbot.mouseClick(window.follow_ups_button, Qt.MouseButton.LeftButton)
    page = private.follow_ups_screen
    assert window.content.currentWidget() is page
    assert page.pages.currentWidget() is page.content
    suggestions = page.suggestion_model.suggestions()
    assert [(s.member_name, s.source) for s in suggestions] == [("Ágnes", FollowUpSource.ROUND)]
    page.suggestion_list.setCurrentIndex(page.suggestion_model.index(0))

    def accept(dialog: QWidget) -> None:
        assert isinstance(dialog, FollowUpDialog)
        assert dialog.member.currentText() == "Ágnes" and not dialog.member.isEnabled()
        assert dialog.reason.text().startswith("Flagged “check in later” in the round")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer(accept)
    qtbot.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)
    [made] = FollowUpService(db, private.vault).follow_ups(dt.date.today())
    assert (made.member_id, made.source) == (circle.agnes, FollowUpSource.ROUND)
    assert made.meeting_id == circle.meeting_id and made.group_id == circle.group_id
    assert page.suggestion_model.rowCount() == 0
    assert page.selected_follow_up() == made


# ---- 8. closing keeps the writing and locks -----------------------------------------------


def test_closing_the_window_saves_the_note_being_written_and_locks(
    qtbot: QtBot,
    window: MainWindow,
    db: Database,
    roster: RosterService,
    secret: str,
) -> None:
    circle, private = show_circle(window, db, roster)
    set_up_now(window)
    write_new_note(qtbot, window, "Garden", secret, circle.olga)
    assert private.notes_screen.has_unsaved_changes()

    assert window.close()
    assert private.vault.state is VaultState.LOCKED
    assert shown_of((secret,)) == []
    vault = VaultService(db, kdf_params=FAST)
    vault.unlock(PASSPHRASE)
    [kept] = NoteService(db, vault).notes(circle.group_id)
    assert (kept.title, kept.body, kept.member_name) == ("Garden", secret, "Ольга")


# ---- 9. sample data brings a locked demo vault ----------------------------------------------


def test_sample_data_on_first_run_brings_a_locked_demo_vault(
    qtbot: QtBot,
    window: MainWindow,
    dialogs: Any,
) -> None:
    private = window.private
    assert private is not None
    assert window.stack.currentWidget() is window.first_run
    assert private.vault.state is VaultState.NOT_SET_UP
    file_menu = window.menuBar().actions()[0].menu()
    assert window.sample_action in file_menu.actions()
    window.sample_action.trigger()  # File → Add Sample Data
    assert window.stack.currentWidget() is window.splitter
    assert private.vault.state is VaultState.LOCKED

    counts = private.follow_ups.due_counts(dt.date.today())
    assert counts.due_now > 0
    assert window.follow_ups_button.text() == f"Follow-ups · {counts.due_now} due"
    assert private.menu.unlock_action.isEnabled() and not private.menu.setup_action.isEnabled()

    assert window.current_group() is not None
    press(qtbot, window, Qt.Key.Key_4, CTRL)
    screen = private.notes_screen
    panel = screen.locked_panel
    assert screen.pages.currentWidget() is panel
    assert panel.title.text() == "Your private notes are locked"
    assert panel.passphrase.isVisible() and not panel.setup_button.isVisible()

    title, text = dialogs.infos[-1]
    found = SAMPLE_PASSPHRASE.search(text)
    assert title == "Sample data" and found
    panel.passphrase.insert(found.group(1))
    qtbot.keyClick(panel.passphrase, Qt.Key.Key_Return)
    assert private.vault.is_unlocked
    assert screen.pages.currentWidget() is screen.page
    assert screen.page.model.rowCount() > 0


# ---- 10. F2 on the Follow-ups page ----------------------------------------------------------


def test_f2_on_the_follow_ups_page_edits_the_follow_up(
    qtbot: QtBot,
    window: MainWindow,
    db: Database,
    roster: RosterService,
    answer: Answer,
) -> None:
    circle, private = show_circle(window, db, roster)
    set_up_now(window)
    made = private.follow_ups.create(
        FollowUpDraft(circle.olga, dt.date.today(), "ask about the choir", group_id=circle.group_id)
    )
    roster_f2 = window.roster_screen.edit_action
    assert roster_f2.shortcut() == QKeySequence(Qt.Key.Key_F2)
    press(qtbot, window, Qt.Key.Key_5, CTRL)
    page = private.follow_ups_screen
    assert window.content.currentWidget() is page
    assert roster_f2.shortcut().isEmpty()  # the page's own F2 works here
    assert page.select_follow_up(made.id)
    page.tree.setFocus()

    titles: list[str] = []

    def edit(dialog: QWidget) -> None:
        titles.append(dialog.windowTitle())
        assert isinstance(dialog, FollowUpDialog)
        assert dialog.member.currentText() == "Ольга"
        dialog.reason.selectAll()
        dialog.reason.insert("ask Ольга how the choir concert went")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer(edit)
    press(qtbot, window, Qt.Key.Key_F2)
    assert titles == ["Edit follow-up"]
    assert private.follow_ups.follow_up(made.id).reason == "ask Ольга how the choir concert went"

    click_group(qtbot, window, circle.group_id)  # back to the members: F2 is theirs again
    assert roster_f2.shortcut() == QKeySequence(Qt.Key.Key_F2)


def test_arriving_by_keyboard_puts_the_keys_to_work(
    qtbot: QtBot, window: MainWindow, db: Database, roster: RosterService
) -> None:
    circle, private = show_circle(window, db, roster)
    window.sidebar.setFocus()
    press(qtbot, window, Qt.Key.Key_4, CTRL)  # Notes, not set up: to “Set up…”
    assert window.focusWidget() is private.notes_screen.locked_panel.setup_button
    private.vault.set_up(PASSPHRASE)
    private.controller.lock()
    window.sidebar.setFocus()
    press(qtbot, window, Qt.Key.Key_1, CTRL)
    press(qtbot, window, Qt.Key.Key_4, CTRL)  # locked: straight to the passphrase
    assert window.focusWidget() is private.notes_screen.locked_panel.passphrase
    private.vault.unlock(PASSPHRASE)
    private.controller.notify_unlocked()
    window.sidebar.setFocus()
    press(qtbot, window, Qt.Key.Key_1, CTRL)
    press(qtbot, window, Qt.Key.Key_4, CTRL)  # unlocked: the search, so Ctrl+N works
    assert private.notes_screen.isAncestorOf(window.focusWidget())
    press(qtbot, window, Qt.Key.Key_N, CTRL)
    assert private.notes_screen.page.editor.isAncestorOf(window.focusWidget())  # writing
    window.follow_ups_button.click()  # the Follow-ups page: its list has the keys
    assert private.follow_ups_screen.isAncestorOf(window.focusWidget())
