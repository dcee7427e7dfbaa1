"""Starting on a damaged data file: a calm dialog, the newest backup that checks out, and
never an empty database in its place. Also the other ways start-up can stop."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from startup_helpers import (
    T0,
    Clock,
    Starter,
    answer_when,
    damage,
    make_members,
    shown_members,
    starter,
)

from peercircle.db.backup import BackupInfo, BackupReason, take_backup
from peercircle.instance_lock import InstanceLock
from peercircle.paths import database_path
from peercircle.ui.damaged_database_dialog import DamagedDatabaseDialog
from peercircle.ui.restore_dialog import RestoreDialog, backup_when

Answer = Callable[[Callable[[QWidget], None]], None]
DAY = dt.timedelta(days=1)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(name="starter")
def starter_fixture(qtbot, dialogs, clock: Clock) -> Iterator[Starter]:
    yield from starter(qtbot, dialogs, clock)


@pytest.fixture
def history(data_dir: Path) -> dict[str, BackupInfo]:
    """Three days of backups (the newest one cut off), then the data file damaged."""
    make_members(data_dir, "Ágnes")
    older = take_backup(data_dir, BackupReason.MANUAL, now=T0 - 2 * DAY)
    make_members(data_dir, "Ольга")
    good = take_backup(data_dir, BackupReason.DAILY, now=T0 - DAY)
    make_members(data_dir, "Kwame")
    cut = take_backup(data_dir, BackupReason.ON_CLOSE, now=T0 - dt.timedelta(hours=1))
    cut.path.write_bytes(cut.path.read_bytes()[:5000])
    return {"older": older, "good": good, "cut": cut}


def moved_aside(data_dir: Path) -> list[Path]:
    return sorted(data_dir.glob("peercircle.damaged-*.sqlite3"))


def test_the_newest_backup_that_checks_out_is_offered_and_restored(
    data_dir: Path,
    starter: Starter,
    dialogs,
    answer_dialog: Answer,
    history: dict[str, BackupInfo],
) -> None:
    damaged = damage(database_path(data_dir))
    seen: dict[str, str] = {}

    def restore(dialog: QWidget) -> None:
        assert isinstance(dialog, DamagedDatabaseDialog)
        assert dialog.restore_button is not None and dialog.choose_button is not None
        seen["text"] = dialog.explanation.text()
        seen["button"] = dialog.restore_button.text()
        seen["location"] = dialog.location.text()
        dialog.restore_button.click()

    answer_dialog(restore)
    app = starter.start(data_dir)

    good = history["good"]
    assert seen["button"] == f"Restore Backup from {backup_when(good.taken_at, year=False)}"
    assert (
        f"The newest backup that checks out is from {backup_when(good.taken_at)}." in (seen["text"])
    )
    assert "will not be changed or replaced" in seen["text"]
    assert seen["location"] == f"The data file: {database_path(data_dir)}"
    assert app.exits == []
    assert shown_members(app.window) == ["Ágnes", "Ольга"]
    (moved,) = moved_aside(data_dir)
    assert moved.read_bytes() == damaged, "the damaged file is kept, byte for byte"
    assert dialogs.infos[-1] == (
        "Backup restored",
        f"Restored the backup from {backup_when(good.taken_at)}. The damaged file was moved "
        f"aside and kept as {moved}.",
    )


def test_another_backup_can_be_chosen(
    data_dir: Path, starter: Starter, answer_dialog: Answer, history: dict[str, BackupInfo]
) -> None:
    damage(database_path(data_dir))
    listed: list[str] = []

    def pick_oldest(dialog: QWidget) -> None:
        assert isinstance(dialog, RestoreDialog)
        model = dialog.model
        listed.extend(model.index(r, 0).data() for r in range(model.rowCount()))
        dialog.table.selectRow(model.rowCount() - 1)
        dialog.restore_button.click()

    def choose_another(dialog: QWidget) -> None:
        assert isinstance(dialog, DamagedDatabaseDialog) and dialog.choose_button is not None
        answer_dialog(pick_oldest)
        dialog.choose_button.click()

    answer_dialog(choose_another)
    app = starter.start(data_dir)

    assert listed == [backup_when(history[k].taken_at) for k in ("cut", "good", "older")]
    assert shown_members(app.window) == ["Ágnes"]


def test_a_backup_that_cannot_be_restored_is_said_and_the_choice_offered_again(
    data_dir: Path,
    starter: Starter,
    dialogs,
    answer_dialog: Answer,
    history: dict[str, BackupInfo],
) -> None:
    damaged = damage(database_path(data_dir))
    offered: list[str] = []

    def pick_cut_one(dialog: QWidget) -> None:
        assert isinstance(dialog, RestoreDialog)
        dialog.table.selectRow(0)  # the newest: cut off, so it does not check out
        dialog.restore_button.click()

    def first(dialog: QWidget) -> None:
        assert isinstance(dialog, DamagedDatabaseDialog) and dialog.choose_button is not None
        offered.append(dialog.explanation.text())
        answer_when(lambda d: isinstance(d, RestoreDialog), pick_cut_one)
        answer_when(lambda d: isinstance(d, DamagedDatabaseDialog) and d is not dialog, then_quit)
        dialog.choose_button.click()

    def then_quit(dialog: QWidget) -> None:
        assert isinstance(dialog, DamagedDatabaseDialog)
        offered.append(dialog.explanation.text())
        dialog.quit_button.click()

    answer_dialog(first)
    app = starter.start(data_dir)

    assert app.exits == [1]
    assert len(offered) == 2
    ((title, text),) = dialogs.errors
    assert title == "Not restored" and str(history["cut"].path) in text
    assert database_path(data_dir).read_bytes() == damaged
    assert moved_aside(data_dir) == []
    assert app.startup.db is None


def test_with_no_backup_only_quitting_is_offered_and_nothing_is_created(
    data_dir: Path, starter: Starter, answer_dialog: Answer
) -> None:
    make_members(data_dir, "Nguyễn")
    damaged = damage(database_path(data_dir))
    seen: dict[str, object] = {}

    def quit_(dialog: QWidget) -> None:
        assert isinstance(dialog, DamagedDatabaseDialog)
        seen["buttons"] = [b.text() for b in dialog.buttons.buttons()]
        seen["text"] = dialog.explanation.text()
        seen["location"] = dialog.location.text()
        dialog.quit_button.click()

    answer_dialog(quit_)
    app = starter.start(data_dir)

    assert app.exits == [1]
    assert seen["buttons"] == ["Quit"]
    assert "There is no backup to restore from" in str(seen["text"])
    assert "will not start with empty data" in str(seen["text"])
    assert seen["location"] == f"The data file: {database_path(data_dir)}"
    assert database_path(data_dir).read_bytes() == damaged
    assert sorted(p.name for p in data_dir.iterdir()) == [
        "logs",
        "peercircle.lock",
        "peercircle.sqlite3",
    ]
    assert app.window.stack.currentWidget() is app.window.loading, "no empty roster shown"


# ---- start-up stopping before the data ---------------------------------------------------


def test_a_data_folder_that_cannot_be_made_is_explained(tmp_path: Path, dialogs) -> None:
    from peercircle.app import Startup

    blocker = tmp_path / "PeerCircle"
    blocker.write_text("not a folder", encoding="utf-8")
    startup = Startup(blocker / "data", dialogs=dialogs)
    assert startup.prepare() == 1
    ((title, text),) = dialogs.errors
    assert title == "PeerCircle"
    assert text == (
        f"PeerCircle could not make its data folder {blocker / 'data'}: {blocker} is a file, "
        "not a folder. Move that file, or choose another data folder."
    )
    assert not startup.lock.held


def test_a_second_start_on_the_same_data_folder_is_explained(data_dir: Path, dialogs) -> None:
    from peercircle.app import Startup

    data_dir.mkdir()
    with InstanceLock(data_dir):
        startup = Startup(data_dir, dialogs=dialogs)
        assert startup.prepare() == 1
    ((_, text),) = dialogs.errors
    assert text.startswith("PeerCircle is already open on this computer with the same data")


def test_the_dialog_says_which_backup_it_offers(qtbot, tmp_path: Path) -> None:
    info = BackupInfo(
        tmp_path / "backups" / "peercircle-20261123-183000-daily.sqlite3",
        T0 - DAY,
        BackupReason.DAILY,
        212_992,
    )
    dialog = DamagedDatabaseDialog(tmp_path / "peercircle.sqlite3", info, [info], tmp_path)
    qtbot.addWidget(dialog)
    assert sorted(b.text() for b in dialog.buttons.buttons()) == [
        "Choose Another Backup…",
        "Quit",
        f"Restore Backup from {backup_when(info.taken_at, year=False)}",
    ]
    assert dialog.restore_button is not None and dialog.restore_button.isDefault()


def test_a_damaged_file_named_by_an_address_is_refused_without_offering_backups(
    tmp_path: Path, data_dir: Path, starter: Starter, dialogs, history: dict[str, BackupInfo]
) -> None:
    """The data folder's backups are not of a database opened by address: nothing is offered."""
    elsewhere = tmp_path / "elsewhere"
    make_members(elsewhere, "Tomás")
    damaged = damage(database_path(elsewhere))
    app = starter.start(data_dir, database_url=f"sqlite:///{database_path(elsewhere)}")
    assert app.exits == [1]
    ((title, text),) = dialogs.errors
    assert title == "PeerCircle" and "is damaged" in text
    assert database_path(elsewhere).read_bytes() == damaged
    assert moved_aside(data_dir) == [] and moved_aside(elsewhere) == []
