"""File → Back Up Now and Restore from Backup…, driven through the menu; the automatic
backups (daily, on closing after changes); the backup list's model."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from startup_helpers import T0, Clock, Starter, answer_when, make_members, shown_members, starter

from peercircle.db import Database
from peercircle.db.backup import (
    BackupInfo,
    BackupReason,
    backups_dir,
    list_backups,
    take_backup,
    verify_backup,
)
from peercircle.db.schema import HEAD_REVISION
from peercircle.paths import database_path
from peercircle.services.roster import MemberDraft, RosterService
from peercircle.ui.backup_actions import ELSEWHERE_MESSAGE, SERVER_MESSAGE, BackupActions
from peercircle.ui.main_window import MainWindow
from peercircle.ui.restore_dialog import (
    BackupInfoRole,
    BackupTableModel,
    RestoreDialog,
    backup_when,
    size_text,
)

Answer = Callable[[Callable[[QWidget], None]], None]
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(name="starter")
def starter_fixture(qtbot, dialogs, clock: Clock) -> Iterator[Starter]:
    yield from starter(qtbot, dialogs, clock)


def reasons(data_dir: Path) -> list[BackupReason]:
    return [info.reason for info in list_backups(data_dir)]


def backup_members(info: BackupInfo) -> list[str]:
    con = sqlite3.connect(f"{info.path.as_uri()}?mode=ro", uri=True)
    try:
        return sorted(row[0] for row in con.execute("SELECT display_name FROM members"))
    finally:
        con.close()


# ---- the menu -----------------------------------------------------------------------------


@pytest.fixture
def window(qtbot, db: Database, roster: RosterService, dialogs) -> MainWindow:
    w = MainWindow(db, roster, dialogs)
    qtbot.addWidget(w)
    w.show()
    return w


def test_the_file_menu_has_the_backup_actions_after_export(window: MainWindow) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() or "—" for a in file_menu.actions()]
    export = texts.index("E&xport Roster…")
    assert texts[export : export + 5] == [
        "E&xport Roster…",
        "—",
        "&Back Up Now",
        "Restore from Bac&kup…",
        "—",
    ]
    assert texts[export + 5] == "Add &Sample Data"


def test_back_up_now_makes_a_checked_backup_and_says_where(
    window: MainWindow, db: Database, roster: RosterService, data_dir: Path
) -> None:
    roster.save_member(None, MemberDraft(display_name="Ágnes"), {})
    window.backup_actions.back_up_action.trigger()
    (info,) = list_backups(data_dir)
    assert info.reason is BackupReason.MANUAL
    assert verify_backup(info.path) == HEAD_REVISION
    assert backup_members(info) == ["Ágnes"]
    assert window.statusBar().currentMessage() == (
        f"Backed up and checked ({size_text(info.size)}), in {backups_dir(data_dir)}."
    )


def test_a_backup_that_cannot_be_written_is_said_and_changes_nothing(
    window: MainWindow, data_dir: Path, dialogs
) -> None:
    backups_dir(data_dir).write_text("a file where the backups folder goes")
    window.backup_actions.back_up_action.trigger()
    ((title, text),) = dialogs.errors
    assert title == "Backup not made"
    assert "Your data is unchanged." in text
    assert backups_dir(data_dir).read_text() == "a file where the backups folder goes"


def test_restoring_with_no_backups_says_how_backups_are_made(
    window: MainWindow, data_dir: Path, dialogs
) -> None:
    window.backup_actions.restore_action.trigger()
    ((title, text),) = dialogs.infos
    assert title == "Restore from Backup"
    assert text.startswith("There are no backups yet.")
    assert str(backups_dir(data_dir)) in text


class _ServerDatabase:
    """What BackupActions asks of a Database, for one on a PostgreSQL server."""

    backend = "postgresql"
    path = None


def test_a_server_database_is_backed_up_by_its_server(qtbot, dialogs) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    actions = BackupActions(dialogs, parent)
    actions.set_database(_ServerDatabase())  # type: ignore[arg-type]
    actions.back_up_action.trigger()
    actions.restore_action.trigger()
    assert dialogs.infos == [
        ("Back Up Now", SERVER_MESSAGE),
        ("Restore from Backup", SERVER_MESSAGE),
    ]
    assert actions.data_dir is None


# ---- restoring while the app is open --------------------------------------------------------


def test_restore_from_backup_through_the_menu_replaces_the_window_and_keeps_a_copy(
    qtbot, data_dir: Path, starter: Starter, clock: Clock, dialogs
) -> None:
    make_members(data_dir, "Ágnes", "Ольга")
    older = take_backup(data_dir, BackupReason.MANUAL, now=T0 - 2 * HOUR)
    make_members(data_dir, "Kwame")
    app = starter.start(data_dir)
    old_window = app.window
    assert shown_members(old_window) == ["Kwame", "Ágnes", "Ольга"]
    RosterService(app.startup.db).save_member(  # type: ignore[arg-type]
        None, MemberDraft(display_name="Nguyễn"), {}
    )
    clock.now = T0 + HOUR
    listed: list[tuple[str, str, str]] = []

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, RestoreDialog)
        model = dialog.model
        listed.extend(
            tuple(model.index(r, c).data() for c in range(3))  # type: ignore[misc]
            for r in range(model.rowCount())
        )
        row = next(
            r for r in range(model.rowCount()) if model.index(r, 0).data(BackupInfoRole) == older
        )
        dialog.table.selectRow(row)
        dialog.restore_button.click()

    answer_when(lambda d: isinstance(d, RestoreDialog), choose)
    with qtbot.waitSignal(app.startup.loaded, timeout=10_000):
        old_window.backup_actions.restore_action.trigger()

    assert (backup_when(older.taken_at), "You asked", size_text(older.size)) in listed
    ((title, question),) = dialogs.asked
    assert title == "Restore this backup?"
    assert "A copy of your data as it is now is kept as a backup first" in question
    assert app.window is not old_window
    assert not old_window.isVisible()
    assert shown_members(app.window) == ["Ágnes", "Ольга"]
    assert app.window.statusBar().currentMessage() == (
        f"Restored the backup from {backup_when(older.taken_at)}; the data you had is kept "
        "as a backup too."
    )
    safety = next(i for i in list_backups(data_dir) if i.reason is BackupReason.BEFORE_RESTORE)
    assert backup_members(safety) == ["Kwame", "Nguyễn", "Ágnes", "Ольга"]
    assert app.startup.lock.held


def test_a_restore_not_confirmed_changes_nothing(
    qtbot, data_dir: Path, starter: Starter, dialogs
) -> None:
    make_members(data_dir, "Siobhán")
    take_backup(data_dir, BackupReason.MANUAL, now=T0 - HOUR)
    app = starter.start(data_dir)
    window = app.window
    dialogs.confirm_answer = False
    requested: list[object] = []
    window.backup_actions.restore_requested.connect(requested.append)

    def choose_first(dialog: QWidget) -> None:
        assert isinstance(dialog, RestoreDialog)
        dialog.restore_button.click()

    answer_when(lambda d: isinstance(d, RestoreDialog), choose_first)
    window.backup_actions.restore_action.trigger()
    assert dialogs.asked and requested == []
    assert app.window is window
    assert reasons(data_dir) == [BackupReason.MANUAL]


# ---- automatic backups ------------------------------------------------------------------------


def test_a_daily_backup_is_taken_after_the_data_is_shown_when_one_is_due(
    qtbot, data_dir: Path, starter: Starter, clock: Clock
) -> None:
    make_members(data_dir, "Ágnes")
    first = starter.start(data_dir)
    qtbot.waitUntil(lambda: reasons(data_dir) == [BackupReason.DAILY])
    assert list_backups(data_dir)[0].taken_at == T0
    first.close()

    clock.now = T0 + 23 * HOUR  # within a day: not again
    second = starter.start(data_dir)
    qtbot.wait(50)
    assert second.startup.take_daily_backup() is None
    assert reasons(data_dir) == [BackupReason.DAILY]
    second.close()

    clock.now = T0 + 25 * HOUR
    starter.start(data_dir)
    qtbot.waitUntil(lambda: len(list_backups(data_dir)) == 2)
    assert list_backups(data_dir)[0].taken_at == T0 + 25 * HOUR


def test_closing_backs_up_only_after_changes(
    qtbot, data_dir: Path, starter: Starter, clock: Clock
) -> None:
    make_members(data_dir, "Ágnes")
    take_backup(data_dir, BackupReason.MANUAL, now=T0 - HOUR)  # no daily one due
    looked = starter.start(data_dir)
    shown_members(looked.window)  # only looking: reading is not a change
    clock.now = T0 + HOUR
    looked.close()
    assert reasons(data_dir) == [BackupReason.MANUAL]

    changed = starter.start(data_dir)
    RosterService(changed.startup.db).save_member(  # type: ignore[arg-type]
        None, MemberDraft(display_name="Ольга"), {}
    )
    clock.now = T0 + 2 * HOUR
    changed.close()
    newest = list_backups(data_dir)[0]
    assert (newest.reason, newest.taken_at) == (BackupReason.ON_CLOSE, T0 + 2 * HOUR)
    assert backup_members(newest) == ["Ágnes", "Ольга"]
    assert not changed.startup.lock.held


def test_a_failed_backup_on_closing_is_said_and_closing_goes_on(
    qtbot, data_dir: Path, starter: Starter, dialogs
) -> None:
    make_members(data_dir, "Kwame")
    take_backup(data_dir, BackupReason.MANUAL, now=T0 - HOUR)
    app = starter.start(data_dir)
    RosterService(app.startup.db).save_member(  # type: ignore[arg-type]
        None, MemberDraft(display_name="Yusuf"), {}
    )
    folder = backups_dir(data_dir)
    for info in list_backups(data_dir):
        info.path.unlink()
    folder.rmdir()
    folder.write_text("in the way")
    app.close()
    ((title, text),) = dialogs.errors
    assert title == "Backup not made"
    assert text.startswith("The backup PeerCircle makes when it closes could not be written")
    assert text.endswith("Everything you saved is still in your data.")
    assert not app.startup.lock.held
    assert app.startup.db is None


def test_a_database_opened_by_address_is_not_backed_up_from_here(
    qtbot, data_dir: Path, tmp_path: Path, starter: Starter, dialogs
) -> None:
    elsewhere = tmp_path / "shared" / "circle.sqlite3"
    app = starter.start(data_dir, database_url=f"sqlite:///{elsewhere}")
    assert app.startup.db is not None and app.startup.db.path == elsewhere
    assert app.startup.take_daily_backup() is None
    app.window.backup_actions.back_up_action.trigger()
    assert dialogs.infos == [("Back Up Now", ELSEWHERE_MESSAGE)]
    app.close()
    assert not backups_dir(data_dir).exists()
    assert not database_path(data_dir).exists()


# ---- the list of backups ----------------------------------------------------------------------


def test_the_backup_list_model(qtmodeltester, tmp_path: Path) -> None:
    infos = [
        BackupInfo(tmp_path / "b.sqlite3", T0, BackupReason.ON_CLOSE, 212_992),
        BackupInfo(tmp_path / "a.sqlite3", T0 - HOUR, BackupReason.BEFORE_UPGRADE, 61_300_000),
    ]
    model = BackupTableModel(infos)
    qtmodeltester.check(model)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "When",
        "Why",
        "Size",
    ]
    assert [model.index(r, 1).data() for r in range(2)] == [
        "When PeerCircle closed",
        "Before updating",
    ]
    assert [model.index(r, 2).data() for r in range(2)] == ["213 KB", "61.3 MB"]
    assert model.index(1, 0).data(BackupInfoRole) == infos[1]
    model.set_backups([])
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_backup_times_read_as_people_say_them() -> None:
    moment = dt.datetime(2026, 11, 24, 19, 30, tzinfo=dt.datetime.now().astimezone().tzinfo)
    assert backup_when(moment) == "Tuesday 24 November 2026, 19:30"
    assert backup_when(moment, year=False) == "Tuesday 24 November, 19:30"
