"""A full or read-only disk while the window is open: one calm message, never a traceback;
nothing half-saved; a dialog whose save failed inside its accept keeps what was typed."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy import Engine, event, select

from peercircle.db import Database
from peercircle.db.models import Member
from peercircle.services.roster import MemberDraft, RosterService
from peercircle.services.storage_errors import StorageError, StorageProblem
from peercircle.ui.main_window import MainWindow
from peercircle.ui.roster.member_dialog import MemberDialog
from peercircle.ui.storage_alert import StorageAlert

Answer = Callable[[Callable[[QWidget], None]], None]
FULL_MESSAGE = (
    "PeerCircle could not save: the disk is full. Free some space and try again — "
    "everything saved before is safe."
)


class PreviousHook:
    """Stands in for the hook the alert wraps: records what reaches it."""

    def __init__(self) -> None:
        self.seen: list[BaseException] = []

    def __call__(
        self, _type: type[BaseException], exc: BaseException, _tb: TracebackType | None
    ) -> None:
        self.seen.append(exc)


@pytest.fixture
def previous(monkeypatch: pytest.MonkeyPatch) -> PreviousHook:
    hook = PreviousHook()
    monkeypatch.setattr(sys, "excepthook", hook)
    return hook


@pytest.fixture
def alert(previous: PreviousHook) -> Iterator[StorageAlert]:
    """The alert with its real message box, wrapping ``previous``."""
    alert = StorageAlert()
    alert.install()
    yield alert
    alert.uninstall()
    assert sys.excepthook is previous


def raise_in_slot(exc: BaseException) -> None:
    """Raise ``exc`` the way Qt meets it: from a slot (Qt hands it to sys.excepthook)."""
    action = QAction()

    def fail() -> None:
        raise exc

    action.triggered.connect(fail)
    action.trigger()


def test_storage_failures_in_slots_are_told_and_others_go_on(qtbot, previous: PreviousHook) -> None:
    told: list[str] = []
    alert = StorageAlert(show=told.append)
    alert.install()
    try:
        raise_in_slot(StorageError(StorageProblem.FULL))
        raise_in_slot(sqlite3.OperationalError("database or disk is full"))  # no code: not ours
        raise_in_slot(KeyError("a bug"))
        qtbot.waitUntil(lambda: bool(told))
    finally:
        alert.uninstall()
    assert told == [FULL_MESSAGE]
    assert alert.shown == 1
    assert [type(e) for e in previous.seen] == [sqlite3.OperationalError, KeyError]


def test_failures_in_a_row_are_one_message(qtbot, previous: PreviousHook) -> None:
    """A save that fails, then a timer that fails the same way: one message, not two."""
    told: list[str] = []
    alert = StorageAlert(show=told.append)
    alert.install()
    try:
        raise_in_slot(StorageError(StorageProblem.FULL))
        raise_in_slot(StorageError(StorageProblem.READ_ONLY))
        qtbot.waitUntil(lambda: bool(told))
        qtbot.wait(20)
        assert told == [FULL_MESSAGE]
        raise_in_slot(StorageError(StorageProblem.READ_ONLY))  # later: told again
        qtbot.waitUntil(lambda: len(told) == 2)
    finally:
        alert.uninstall()
    assert "can only be read right now" in told[1]
    assert previous.seen == []


# ---- the real member dialog on a disk that is full or read-only ------------------------------


@pytest.fixture
def limit_disk(db: Database, roster: RosterService) -> Iterator[Callable[[str], None]]:
    """``limit_disk("full")`` fills the database until no member fits any more (SQLite's
    page limit set to the file's size); ``limit_disk("read-only")`` makes every connection
    read-only. Both make SQLite fail exactly as a real full or read-only disk does."""
    limits: list[str] = []

    def connect(dbapi_connection: Any, _record: Any) -> None:
        if "full" in limits:
            (pages,) = dbapi_connection.execute("PRAGMA page_count").fetchone()
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")
        if "read-only" in limits:
            dbapi_connection.execute("PRAGMA query_only = ON")

    engine: Engine = db.engine
    event.listen(engine, "connect", connect)

    def limit(kind: str) -> None:
        limits.append(kind)
        engine.dispose()
        if kind == "full":
            while True:  # fill the last free space with small members
                try:
                    roster.save_member(None, MemberDraft(display_name="Kai"), {})
                except StorageError:
                    break

    yield limit
    event.remove(engine, "connect", connect)


def stored(db: Database) -> list[tuple[int, str, str]]:
    with db.session() as s:
        rows = s.execute(select(Member.id, Member.display_name, Member.full_name)).all()
    return [tuple(r) for r in rows]


def integrity(db: Database) -> list[tuple[str]]:
    assert db.path is not None
    con = sqlite3.connect(db.path)
    try:
        return con.execute("PRAGMA integrity_check").fetchall()
    finally:
        con.close()


@pytest.fixture
def window(qtbot, db: Database, roster: RosterService, dialogs) -> MainWindow:
    roster.save_member(None, MemberDraft(display_name="Ágnes", full_name="Ágnes Kovács"), {})
    w = MainWindow(db, roster, dialogs)
    qtbot.addWidget(w)
    w.show()
    return w


def close_message_box(seen: list[tuple[str, str]]) -> None:
    """Once a message box is the active modal window, note its title and text and close it."""

    def check() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, check)
            return
        seen.append((box.windowTitle(), box.text()))
        box.accept()

    QTimer.singleShot(0, check)


@pytest.mark.parametrize(
    ("kind", "words"),
    [("full", "the disk is full"), ("read-only", "can only be read right now")],
)
def test_adding_a_member_on_a_full_or_read_only_disk_keeps_the_dialog_and_what_was_typed(
    qtbot,
    window: MainWindow,
    db: Database,
    dialogs,
    alert: StorageAlert,
    previous: PreviousHook,
    limit_disk: Callable[[str], None],
    answer_dialog: Answer,
    kind: str,
    words: str,
) -> None:
    """The roster's Add Member, end to end: one calm message, then the same dialog again with
    everything as typed (so it can be saved once there is room), and nothing half-saved."""
    limit_disk(kind)
    before = stored(db)
    full_name = "Nguyễn Thị Lan, who joined in spring " + "and more " * 4
    reopened: list[tuple[str, str]] = []

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, MemberDialog)
        dialog.display_name.insert("Nguyễn Thị Lan")
        dialog.full_name.insert(full_name)
        answer_dialog(look_then_cancel)
        dialog.save_button.click()

    def look_then_cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, MemberDialog)
        reopened.append((dialog.display_name.text(), dialog.full_name.text()))
        dialog.reject()

    answer_dialog(fill)
    window.roster_screen.add_action.trigger()
    qtbot.waitUntil(lambda: bool(reopened))

    assert len(dialogs.errors) == 1
    title, text = dialogs.errors[0]
    assert title == "Not saved"
    assert words in text and text.endswith("everything saved before is safe.")
    assert reopened == [("Nguyễn Thị Lan", full_name)]
    assert previous.seen == [], "no traceback"
    assert stored(db) == before
    assert integrity(db) == [("ok",)]
    assert window.isVisible(), "the app goes on"


def test_a_dialog_whose_save_fails_inside_accept_keeps_what_was_typed(
    qtbot,
    window: MainWindow,
    db: Database,
    roster: RosterService,
    alert: StorageAlert,
    previous: PreviousHook,
    limit_disk: Callable[[str], None],
) -> None:
    """The member dialog, saving inside its accept as a dialog may: the failure leaves it
    open with every field as typed, and saving works once there is room again."""

    class SavingMemberDialog(MemberDialog):
        saved: int | None = None

        def accept(self) -> None:
            self.saved = roster.save_member(None, self.draft(), self.memberships()).id
            super().accept()

    limit_disk("full")
    before = stored(db)
    dialog = SavingMemberDialog([], parent=window)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.display_name.insert("Ольга")
    dialog.full_name.insert("Ольга Петрова")
    dialog.email.insert("olga@example.org")
    boxes: list[tuple[str, str]] = []
    close_message_box(boxes)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: bool(boxes))

    assert boxes == [("Not saved", FULL_MESSAGE)]
    assert previous.seen == []
    assert dialog.isVisible()
    assert (dialog.display_name.text(), dialog.full_name.text(), dialog.email.text()) == (
        "Ольга",
        "Ольга Петрова",
        "olga@example.org",
    )
    assert stored(db) == before
    assert integrity(db) == [("ok",)]

    with db.session() as s:  # room again: the person deletes something and saves again
        for member in s.scalars(select(Member).where(Member.display_name == "Kai")):
            s.delete(member)
    dialog.save_button.click()
    assert not dialog.isVisible()
    assert dialog.saved is not None
    assert (dialog.saved, "Ольга", "Ольга Петрова") in stored(db)
