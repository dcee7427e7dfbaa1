"""Restoring a backup: the current data is backed up (or, if damaged, moved aside) first, the
backup is put in place whole, brought up to date, and erased members stay erased.

Real database files in ``tmp_path``; time comes from an injected clock.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from alembic import command

from peercircle.db import Database, migrate, open_database
from peercircle.db import backup as backup_module
from peercircle.db.backup import (
    BackupError,
    BackupInfo,
    BackupReason,
    list_backups,
    take_backup,
    verify_backup,
)
from peercircle.db.health import check_database
from peercircle.db.schema import HEAD_REVISION
from peercircle.paths import database_path
from peercircle.services.backups import restore_and_reapply
from peercircle.services.erasure import ErasureService
from peercircle.services.roster import RosterService
from peercircle.services.roster_types import GroupDraft, MemberDraft

pytestmark = pytest.mark.sqlite_only

BACKED_UP_AT = dt.datetime(2026, 11, 20, 18, 0, 5, tzinfo=dt.UTC)
RESTORED_AT = dt.datetime(2026, 11, 24, 19, 30, 15, tzinfo=dt.UTC)


def names_in(path: Path) -> list[str]:
    con = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in con.execute("SELECT display_name FROM members ORDER BY id")]
    finally:
        con.close()


def member_names(data_dir: Path) -> list[str]:
    db = open_database(database_path(data_dir))
    try:
        return [m.display_name for m in RosterService(db).list_members()]
    finally:
        db.close()


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, but for what SQLite makes whenever it
    reads a database in WAL mode: its -shm (an index it rebuilds at will) and an empty -wal."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and not p.name.endswith("-shm")
        and not (p.name.endswith("-wal") and p.stat().st_size == 0)
    }


def add_member(data_dir: Path, name: str) -> int:
    db = open_database(database_path(data_dir))
    try:
        return RosterService(db).create_member(MemberDraft(name)).id
    finally:
        db.close()


@pytest.fixture
def backed_up(db: Database, data_dir: Path) -> BackupInfo:
    """Ágnes and Nguyễn in a group, backed up; then Ольга added and the database closed."""
    roster = RosterService(db)
    group = roster.create_group(GroupDraft("Tuesday Circle", 1))
    for name in ("Ágnes", "Nguyễn"):
        roster.create_member(MemberDraft(name), group_id=group.id)
    info = take_backup(data_dir, BackupReason.MANUAL, now=BACKED_UP_AT)
    roster.create_member(MemberDraft("Ольга"), group_id=group.id)
    db.close()
    return info


def test_restore_backs_up_the_current_data_first_and_puts_the_backup_in_place(
    backed_up: BackupInfo, data_dir: Path
) -> None:
    result = restore_and_reapply(data_dir, backed_up.path, now=RESTORED_AT)

    assert result.restored_from == backed_up
    assert result.moved_aside is None
    safety = result.safety_backup
    assert safety is not None
    assert safety.reason is BackupReason.BEFORE_RESTORE
    assert safety.taken_at == RESTORED_AT
    assert list_backups(data_dir) == [safety, backed_up]
    assert names_in(safety.path) == ["Ágnes", "Nguyễn", "Ольга"]  # what was replaced
    assert member_names(data_dir) == ["Ágnes", "Nguyễn"]  # what was restored
    live = database_path(data_dir)
    assert stat.S_IMODE(live.stat().st_mode) == 0o600
    assert check_database(live) == HEAD_REVISION
    assert sorted(p.name for p in data_dir.iterdir() if p.name.startswith(".")) == []


def test_the_write_ahead_log_of_the_replaced_database_does_not_leak_into_the_restored_one(
    backed_up: BackupInfo, data_dir: Path
) -> None:
    # A crash left Kwame's commit in the -wal only: the file and its log, as after kill -9.
    live = database_path(data_dir)
    before_commit = live.read_bytes()
    writer = sqlite3.connect(live)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute(
        "INSERT INTO members (display_name, full_name, pronouns, email, phone, "
        "emergency_contact, status, may_contact, created_at, updated_at, version) VALUES "
        "('Kwame', '', '', '', '', '', 'active', 0, '2026-11-21', '2026-11-21', 1)"
    )
    writer.commit()
    wal = Path(f"{live}-wal")
    crashed_log = wal.read_bytes()
    writer.close()
    live.write_bytes(before_commit)
    wal.write_bytes(crashed_log)
    assert b"Kwame" in wal.read_bytes() and b"Kwame" not in live.read_bytes()

    result = restore_and_reapply(data_dir, backed_up.path, now=RESTORED_AT)

    assert member_names(data_dir) == ["Ágnes", "Nguyễn"]
    assert result.safety_backup is not None
    assert names_in(result.safety_backup.path) == ["Ágnes", "Nguyễn", "Ольга", "Kwame"]


@pytest.mark.parametrize("kind", ["truncated", "another-program", "text", "newer", "missing"])
def test_an_unusable_backup_changes_nothing(
    backed_up: BackupInfo, data_dir: Path, tmp_path: Path, kind: str
) -> None:
    candidate = tmp_path / "candidate.sqlite3"
    if kind == "truncated":
        candidate.write_bytes(backed_up.path.read_bytes()[:8192])
    elif kind == "another-program":
        con = sqlite3.connect(candidate)
        con.execute("CREATE TABLE recipes (title TEXT)")
        con.commit()
        con.close()
    elif kind == "text":
        candidate.write_text("Name,Group\nÁgnes,Tuesday\n", encoding="utf-8")
    elif kind == "newer":
        shutil.copyfile(backed_up.path, candidate)
        con = sqlite3.connect(candidate)
        con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
        con.commit()
        con.close()
    before = folder_state(data_dir)

    with pytest.raises(BackupError) as caught:
        restore_and_reapply(data_dir, candidate, now=RESTORED_AT)

    assert "Nothing was changed." in str(caught.value)
    if kind == "newer":
        assert "newer version of PeerCircle" in str(caught.value)
    assert folder_state(data_dir) == before


def test_the_data_file_in_use_is_not_a_backup(backed_up: BackupInfo, data_dir: Path) -> None:
    before = folder_state(data_dir)
    with pytest.raises(BackupError, match="not a backup"):
        restore_and_reapply(data_dir, database_path(data_dir), now=RESTORED_AT)
    assert folder_state(data_dir) == before


def test_if_the_current_data_cannot_be_backed_up_nothing_is_replaced(
    backed_up: BackupInfo, data_dir: Path
) -> None:
    live = database_path(data_dir)
    data = bytearray(live.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size : page_size + 32] = b"\xff" * 32  # damaged, in a way only a check sees
    live.write_bytes(bytes(data))
    before = folder_state(data_dir)

    with pytest.raises(BackupError) as caught:
        restore_and_reapply(data_dir, backed_up.path, now=RESTORED_AT)

    assert str(caught.value).startswith(
        "Your current data could not be backed up before restoring:"
    )
    assert str(caught.value).endswith("Nothing was changed.")
    assert folder_state(data_dir) == before


def test_restoring_over_a_damaged_database_moves_it_aside(
    backed_up: BackupInfo, data_dir: Path
) -> None:
    live = database_path(data_dir)
    damaged = {"": os.urandom(8192), "-wal": b"its log"}
    for suffix, data in damaged.items():
        Path(f"{live}{suffix}").write_bytes(data)
    Path(f"{live}-shm").write_bytes(b"its index")

    result = restore_and_reapply(data_dir, backed_up.path, damaged=True, now=RESTORED_AT)

    moved = data_dir / "peercircle.damaged-20261124-193015.sqlite3"
    assert result.moved_aside == moved
    assert result.safety_backup is None
    for suffix, data in damaged.items():
        assert Path(f"{moved}{suffix}").read_bytes() == data  # byte for byte, not deleted
    assert Path(f"{moved}-shm").exists()  # moved too (SQLite may rewrite an index it reads)
    assert member_names(data_dir) == ["Ágnes", "Nguyễn"]
    assert list_backups(data_dir) == [backed_up]


def test_an_older_backup_is_brought_up_to_date(data_dir: Path, tmp_path: Path) -> None:
    old = tmp_path / "from-an-older-peercircle.sqlite3"
    config = migrate.alembic_config()
    config.set_main_option("sqlalchemy.url", f"sqlite:///{old}")
    command.upgrade(config, "0003")
    con = sqlite3.connect(old)
    con.execute(
        "INSERT INTO members (display_name, full_name, pronouns, email, phone, "
        "emergency_contact, status, may_contact, created_at, updated_at, version) VALUES "
        "('Fjóla', '', '', '', '', '', 'active', 0, '2024-02-01', '2024-02-01', 1)"
    )
    con.commit()
    con.close()
    assert verify_backup(old) == "0003"

    result = restore_and_reapply(data_dir, old, now=RESTORED_AT)  # into a new data folder

    assert result.restored_from == old
    assert result.safety_backup is None and result.moved_aside is None
    assert check_database(database_path(data_dir)) == HEAD_REVISION
    assert member_names(data_dir) == ["Fjóla"]
    [before_upgrade] = list_backups(data_dir)  # opening it made this copy before updating it
    assert before_upgrade.reason is BackupReason.BEFORE_UPGRADE
    assert verify_backup(before_upgrade.path) == "0003"


def test_members_erased_since_the_backup_stay_erased(backed_up: BackupInfo, data_dir: Path) -> None:
    db = open_database(database_path(data_dir))
    try:
        roster = RosterService(db)
        nguyen = next(m.id for m in roster.list_members() if m.display_name == "Nguyễn")
        ErasureService(db, data_dir).erase_member(nguyen)
    finally:
        db.close()
    assert "Nguyễn" in names_in(backed_up.path)

    restore_and_reapply(data_dir, backed_up.path, now=RESTORED_AT)

    assert member_names(data_dir) == ["Ágnes"]
    con = sqlite3.connect(database_path(data_dir))
    try:
        assert [row[0] for row in con.execute("SELECT member_id FROM erasures")] == [nguyen]
    finally:
        con.close()


def test_the_backup_being_restored_is_not_rotated_away(
    backed_up: BackupInfo, data_dir: Path
) -> None:
    # Ten newer backups in the same week: rotation alone would now remove the chosen one.
    for minutes in range(1, 11):
        take_backup(data_dir, BackupReason.DAILY, now=BACKED_UP_AT + dt.timedelta(minutes=minutes))
    assert backed_up not in list_backups(data_dir)

    older = list_backups(data_dir)[-1]
    result = restore_and_reapply(data_dir, older.path, now=RESTORED_AT)

    kept = list_backups(data_dir)
    assert older in kept and result.safety_backup in kept
    assert len(kept) == 11


def test_restore_into_an_empty_folder_with_a_stray_write_ahead_log(
    backed_up: BackupInfo, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "new computer"
    elsewhere.mkdir()
    stray = Path(f"{database_path(elsewhere)}-wal")
    stray.write_bytes(b"a log without its database")

    result = restore_and_reapply(elsewhere, backed_up.path, now=RESTORED_AT)

    assert result.moved_aside == elsewhere / "peercircle.damaged-20261124-193015.sqlite3"
    assert Path(f"{result.moved_aside}-wal").read_bytes() == b"a log without its database"
    assert member_names(elsewhere) == ["Ágnes", "Nguyễn"]
    assert list_backups(elsewhere) == []


def test_a_damaged_database_is_put_back_if_the_restore_cannot_be_written(
    backed_up: BackupInfo, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = database_path(data_dir)
    live.write_bytes(b"damaged " * 1000)

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(backup_module, "_fsync_file", full)
    with pytest.raises(BackupError, match="the disk is full"):
        restore_and_reapply(data_dir, backed_up.path, damaged=True, now=RESTORED_AT)

    assert live.read_bytes() == b"damaged " * 1000  # never a folder without its data file
    assert list(data_dir.glob("peercircle.damaged-*")) == []


def test_restore_refuses_while_the_data_is_still_open(db: Database, data_dir: Path) -> None:
    RosterService(db).create_member(MemberDraft("Ágnes"))
    info = take_backup(data_dir, BackupReason.MANUAL, now=BACKED_UP_AT)
    RosterService(db).create_member(MemberDraft("Nguyễn"))  # still open, as in a window

    with pytest.raises(BackupError, match="still in use"):
        restore_and_reapply(data_dir, info.path, now=RESTORED_AT)

    assert [m.display_name for m in RosterService(db).list_members()] == ["Ágnes", "Nguyễn"]
