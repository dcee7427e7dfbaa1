"""Backups: made with SQLite's backup API, verified, private, rotated, and never half-written.

Every test works on real files in ``tmp_path``; time comes from an injected clock.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command

from peercircle.db import Database, DatabaseError, migrate, open_database
from peercircle.db import backup as backup_module
from peercircle.db.backup import (
    BackupError,
    BackupInfo,
    BackupReason,
    SourceDamagedError,
    backups_dir,
    daily_backup_due,
    last_backup_at,
    list_backups,
    newest_verified_backup,
    rotate,
    take_backup,
    verify_backup,
    write_backup,
)
from peercircle.db.health import check_database
from peercircle.db.restore import move_aside
from peercircle.db.schema import HEAD_REVISION
from peercircle.paths import database_path
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import NoteDraft
from peercircle.services.roster import RosterService
from peercircle.services.roster_types import GroupDraft, MemberDraft
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams

pytestmark = pytest.mark.sqlite_only

NOW = dt.datetime(2026, 11, 24, 19, 30, 15, tzinfo=dt.UTC)
FAST_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)


def names_in(path: Path) -> list[str]:
    """Member names stored in the database file at ``path`` (read-only)."""
    con = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in con.execute("SELECT display_name FROM members ORDER BY id")]
    finally:
        con.close()


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def garble(path: Path) -> None:
    """Overwrite the page headers of the file's second page: a damaged b-tree."""
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size : page_size + 32] = b"\xff" * 32
    path.write_bytes(bytes(data))


@pytest.fixture
def people(db: Database) -> Database:
    roster = RosterService(db)
    group = roster.create_group(GroupDraft("Tuesday Circle", 1))
    for name in ("Ágnes", "Nguyễn"):
        roster.create_member(MemberDraft(name), group_id=group.id)
    return db


@pytest.fixture
def closed_db(people: Database, data_dir: Path) -> Path:
    """The database file of ``people``, closed (its write-ahead log folded in)."""
    people.close()
    return database_path(data_dir)


# ---- the copy ----------------------------------------------------------------------------


def test_backup_api_copies_committed_data_while_another_connection_is_writing(
    people: Database, data_dir: Path
) -> None:
    live = database_path(data_dir)
    RosterService(people).create_member(MemberDraft("Ольга"))  # committed, still in the -wal
    wal = Path(f"{live}-wal")
    assert "Ольга".encode() in wal.read_bytes()
    assert "Ольга".encode() not in live.read_bytes()  # a copy of the file alone would miss it

    writer = sqlite3.connect(live, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # holds the write lock throughout the backup
        writer.execute(
            "INSERT INTO members (display_name, full_name, pronouns, email, phone, "
            "emergency_contact, status, may_contact, created_at, updated_at, version) VALUES "
            "('Uncommitted Kwame', '', '', '', '', '', 'active', 0, '2026-01-01', "
            "'2026-01-01', 1)"
        )
        info = take_backup(data_dir, BackupReason.MANUAL, now=NOW)
    finally:
        writer.execute("ROLLBACK")
        writer.close()

    assert names_in(info.path) == ["Ágnes", "Nguyễn", "Ольга"]
    assert verify_backup(info.path) == HEAD_REVISION


def test_a_backup_is_one_private_self_contained_file(closed_db: Path, data_dir: Path) -> None:
    info = take_backup(data_dir, BackupReason.MANUAL, now=NOW)

    folder = backups_dir(data_dir)
    assert info == BackupInfo(
        folder / "peercircle-20261124-193015-manual.sqlite3",
        NOW,
        BackupReason.MANUAL,
        info.path.stat().st_size,
    )
    assert sorted(p.name for p in folder.iterdir()) == [info.path.name]  # no -wal, no temp
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
    header = info.path.read_bytes()[:100]
    assert header[18:20] == b"\x01\x01"  # rollback journal, not WAL
    con = sqlite3.connect(info.path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        con.close()
    assert names_in(info.path) == ["Ágnes", "Nguyễn"]
    assert list_backups(data_dir) == [info]


def test_private_notes_stay_encrypted_in_a_backup(db: Database, data_dir: Path) -> None:
    secret_title, secret_body = "Żaneta-sleep-worries-7", "Nguyễn-spoke-about-the-court-date"
    roster = RosterService(db)
    group_id = roster.create_group(GroupDraft("Thursday Circle", 3)).id
    vault = VaultService(db, kdf_params=FAST_KDF)
    vault.set_up("Ωmega lantern över the bridge")
    NoteService(db, vault).create(NoteDraft(group_id, secret_title, secret_body))
    vault.lock()
    db.close()
    con = sqlite3.connect(database_path(data_dir))
    try:
        blob = con.execute("SELECT body FROM notes").fetchone()[0]
    finally:
        con.close()

    raw = take_backup(data_dir, BackupReason.MANUAL, now=NOW).path.read_bytes()

    assert len(blob) > 16 and blob in raw  # the encrypted note is there...
    assert b"Thursday Circle" in raw  # (the scan does see text stored in the clear)
    for secret in (secret_title, secret_body):
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in raw  # ...its text is not


def test_names_count_up_within_one_second_and_list_newest_first(
    closed_db: Path, data_dir: Path
) -> None:
    first = take_backup(data_dir, BackupReason.DAILY, now=NOW)
    second = take_backup(data_dir, BackupReason.MANUAL, now=NOW.replace(microsecond=5))
    third = take_backup(data_dir, BackupReason.ON_CLOSE, now=NOW + dt.timedelta(seconds=1))

    assert first.path.name == "peercircle-20261124-193015-daily.sqlite3"
    assert second.path.name == "peercircle-20261124-193015-manual-2.sqlite3"
    assert list_backups(data_dir) == [third, second, first]
    assert last_backup_at(data_dir) == third.taken_at


def test_list_backups_ignores_other_files_and_opens_nothing(
    closed_db: Path, data_dir: Path
) -> None:
    info = take_backup(data_dir, BackupReason.MANUAL, now=NOW)
    folder = backups_dir(data_dir)
    for name in (
        ".peercircle-12-abcdef.tmp",
        "notes.txt",
        "peercircle-20261399-000000-manual.sqlite3",  # not a date
        "peercircle-20261124-193015-someday.sqlite3",  # not a reason
    ):
        (folder / name).write_bytes(b"x")
    (folder / "peercircle-20250101-000000-daily.sqlite3").mkdir()
    garble(info.path)  # listing does not look inside

    assert list_backups(data_dir) == [info]


def test_no_backups_folder_means_no_backups(tmp_path: Path) -> None:
    assert list_backups(tmp_path) == []
    assert last_backup_at(tmp_path) is None
    assert newest_verified_backup(tmp_path) is None
    assert daily_backup_due(tmp_path, now=NOW)


def test_there_is_nothing_to_back_up_without_a_database(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no PeerCircle data"):
        take_backup(tmp_path, BackupReason.MANUAL, now=NOW)
    assert not backups_dir(tmp_path).exists()


# ---- verification ----------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["truncated", "garbled", "random", "empty"])
def test_verify_rejects_a_damaged_backup(closed_db: Path, data_dir: Path, damage: str) -> None:
    path = take_backup(data_dir, BackupReason.MANUAL, now=NOW).path
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbled":
        garble(path)
    elif damage == "random":
        path.write_bytes(data[:100] + os.urandom(len(data) - 100))
    else:
        path.write_bytes(b"")
    before = path.read_bytes()

    with pytest.raises(BackupError) as caught:
        verify_backup(path)

    message = str(caught.value)
    assert str(path) in message and "Nothing was changed." in message
    assert "damaged" in message
    assert path.read_bytes() == before


def test_verify_rejects_files_that_are_not_peercircle_backups(tmp_path: Path) -> None:
    other = tmp_path / "recipes.sqlite3"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE recipes (title TEXT)")
    con.commit()
    con.close()
    text = tmp_path / "roster.csv"
    text.write_text("Name\nÁgnes\n", encoding="utf-8")

    for path in (other, text):
        with pytest.raises(BackupError, match="not a PeerCircle backup"):
            verify_backup(path)
    with pytest.raises(BackupError, match="no such file"):
        verify_backup(tmp_path / "missing.sqlite3")


def test_newest_verified_backup_skips_a_damaged_newest_one(closed_db: Path, data_dir: Path) -> None:
    older = take_backup(data_dir, BackupReason.DAILY, now=NOW)
    newer = take_backup(data_dir, BackupReason.ON_CLOSE, now=NOW + dt.timedelta(hours=2))
    assert newest_verified_backup(data_dir) == newer

    newer.path.write_bytes(newer.path.read_bytes()[:4096])

    assert newest_verified_backup(data_dir) == BackupInfo(
        older.path, older.taken_at, older.reason, older.size
    )


def test_a_damaged_database_is_not_backed_up(closed_db: Path, data_dir: Path) -> None:
    good = take_backup(data_dir, BackupReason.DAILY, now=NOW)
    garble(closed_db)
    before = closed_db.read_bytes()

    with pytest.raises(SourceDamagedError) as caught:
        take_backup(data_dir, BackupReason.ON_CLOSE, now=NOW + dt.timedelta(hours=1))

    assert "damaged" in str(caught.value) and "It has not been changed." in str(caught.value)
    assert closed_db.read_bytes() == before
    assert sorted(backups_dir(data_dir).iterdir()) == [good.path]


# ---- failures leave nothing behind ---------------------------------------------------------


@pytest.fixture
def two_backups(closed_db: Path, data_dir: Path) -> Iterator[dict[str, bytes]]:
    """Two earlier backups; yields the backups folder's contents, checked unchanged after."""
    take_backup(data_dir, BackupReason.DAILY, now=NOW - dt.timedelta(days=2))
    take_backup(data_dir, BackupReason.DAILY, now=NOW - dt.timedelta(days=1))
    before = folder_state(backups_dir(data_dir))
    live = closed_db.read_bytes()
    yield before
    assert folder_state(backups_dir(data_dir)) == before  # no temp, nothing replaced
    assert closed_db.read_bytes() == live


def _enospc(*_args: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full_while_syncing_the_copy(
    two_backups: dict[str, bytes], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup_module, "_fsync_file", _enospc)
    with pytest.raises(BackupError) as caught:
        take_backup(data_dir, BackupReason.MANUAL, now=NOW)
    assert str(caught.value) == (
        "The backup could not be written: the disk is full. Your data is unchanged."
    )
    assert caught.value.reason == "the disk is full"


def test_disk_full_while_sqlite_writes_the_copy(
    two_backups: dict[str, bytes], closed_db: Path, data_dir: Path
) -> None:
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = sqlite3.SQLITE_FULL  # as SQLite reports it

    def progress(_remaining: int, _total: int) -> None:
        raise full

    target = backups_dir(data_dir) / "peercircle-20261124-193015-manual.sqlite3"
    with pytest.raises(BackupError, match=r"^The backup could not be written: the disk is full"):
        write_backup(closed_db, target, pages=1, progress=progress)
    assert not target.exists()


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EACCES, "PeerCircle is not allowed to open that file, or not allowed to write"),
        (errno.EROFS, "the disk cannot be written to"),
    ],
)
def test_a_folder_that_cannot_be_written_to(
    two_backups: dict[str, bytes],
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: int,
    reason: str,
) -> None:
    real_open = os.open

    def refusing_open(path: str, flags: int, mode: int = 0o777, **kwargs: int) -> int:
        if os.fspath(path).endswith(".tmp"):  # the new backup's temporary file
            raise OSError(error, os.strerror(error), os.fspath(path))
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(backup_module.os, "open", refusing_open)
    with pytest.raises(BackupError, match=f"^The backup could not be written: {reason}"):
        take_backup(data_dir, BackupReason.MANUAL, now=NOW)


def test_an_existing_target_is_untouched_when_writing_fails(
    closed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "elsewhere" / "copy.sqlite3"
    target.parent.mkdir()
    target.write_bytes(b"the previous copy")
    monkeypatch.setattr(backup_module, "_fsync_file", _enospc)

    with pytest.raises(BackupError):
        write_backup(closed_db, target)

    assert [p.name for p in target.parent.iterdir()] == ["copy.sqlite3"]
    assert target.read_bytes() == b"the previous copy"


def test_leftovers_of_a_killed_backup_are_removed_by_the_next_one(
    closed_db: Path, data_dir: Path
) -> None:
    folder = backups_dir(data_dir)
    folder.mkdir()
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead = int(ended.stdout)  # a process that has ended: its temporary files are leftovers
    leftovers = [folder / f".peercircle-{dead}-0a1b2c.tmp{end}" for end in ("", "-journal")]
    in_progress = folder / f".peercircle-{os.getpid()}-3d4e5f.tmp"  # this process is alive
    for path in (*leftovers, in_progress):
        path.write_bytes(b"half a backup")

    info = take_backup(data_dir, BackupReason.MANUAL, now=NOW)

    assert sorted(p.name for p in folder.iterdir()) == sorted([info.path.name, in_progress.name])


# ---- rotation -----------------------------------------------------------------------------


def _expected_after_rotation(taken: list[BackupInfo], now: dt.datetime) -> set[Path]:
    """The rule, written out plainly: the 10 newest, and the newest of each of the 8 ISO
    weeks up to ``now``."""
    newest_first = sorted(taken, key=lambda b: b.taken_at, reverse=True)
    keep = {b.path for b in newest_first[:10]}
    for weeks_back in range(8):
        week = (now - dt.timedelta(weeks=weeks_back)).isocalendar()[:2]
        in_week = [b for b in newest_first if b.taken_at.isocalendar()[:2] == week]
        if in_week:
            keep.add(in_week[0].path)
    return keep


def test_ninety_days_of_daily_backups_rotate_to_the_newest_and_one_a_week(
    closed_db: Path, data_dir: Path
) -> None:
    start = dt.datetime(2026, 3, 3, 20, 0, tzinfo=dt.UTC)  # a Tuesday
    taken: list[BackupInfo] = []
    for day in range(90):
        now = start + dt.timedelta(days=day)
        taken.append(take_backup(data_dir, BackupReason.DAILY, now=now))
        if day % 30 == 0:  # a before-upgrade backup follows the same rule
            taken.append(take_backup(data_dir, BackupReason.BEFORE_UPGRADE, now=now))
        kept = list_backups(data_dir)
        assert kept[0] == taken[-1]  # the newest is never removed
        assert {b.path for b in kept} == _expected_after_rotation(
            [b for b in taken if b.path.exists()], now
        )

    kept = list_backups(data_dir)
    last = start + dt.timedelta(days=89)
    assert last.date() == dt.date(2026, 5, 31)  # a Sunday: the last day of its ISO week
    assert len(kept) == 10 + 6  # 10 days, then the Sundays of the 6 other weeks of the 8
    assert [b.taken_at for b in kept] == [
        *(last - dt.timedelta(days=n) for n in range(10)),
        *(last - dt.timedelta(weeks=w) for w in range(2, 8)),
    ]
    assert all(b.reason is BackupReason.DAILY for b in kept)


def test_rotation_keeps_what_it_is_asked_to_and_the_newest_always(
    closed_db: Path, data_dir: Path
) -> None:
    first = take_backup(data_dir, BackupReason.MANUAL, now=NOW - dt.timedelta(weeks=200))
    folder = backups_dir(data_dir)
    # Eleven more, ten weeks apart: none shares a week with another or with ``now``.
    names = [
        f"peercircle-{(NOW - dt.timedelta(weeks=10 * n)):%Y%m%d-%H%M%S}-daily.sqlite3"
        for n in range(11)
    ]
    for name in names:
        (folder / name).write_bytes(first.path.read_bytes())

    removed = rotate(data_dir, now=NOW, keep=[first.path])

    assert removed == [folder / names[10]]  # the oldest but the one asked for
    assert [b.path.name for b in list_backups(data_dir)] == [*names[:10], first.path.name]
    far_future = NOW + dt.timedelta(days=3000)
    assert rotate(data_dir, now=far_future) == [first.path]
    assert [b.path.name for b in list_backups(data_dir)] == names[:10]


# ---- when a daily backup is due --------------------------------------------------------------


def test_a_daily_backup_is_due_24_hours_after_any_backup(closed_db: Path, data_dir: Path) -> None:
    take_backup(data_dir, BackupReason.ON_CLOSE, now=NOW)
    assert not daily_backup_due(data_dir, now=NOW)
    assert not daily_backup_due(data_dir, now=NOW + dt.timedelta(hours=23, minutes=59))
    assert daily_backup_due(data_dir, now=NOW + dt.timedelta(hours=24))
    # A backup stamped in the future (the clock was wrong) does not stop daily backups.
    assert daily_backup_due(data_dir, now=NOW - dt.timedelta(hours=1))


# ---- moving a damaged file aside -----------------------------------------------------------


def test_move_aside_renames_the_file_and_its_wal_and_never_overwrites(tmp_path: Path) -> None:
    path = database_path(tmp_path)
    contents = {"": b"damaged main file", "-wal": b"its log", "-shm": b"its index"}
    for suffix, data in contents.items():
        Path(f"{path}{suffix}").write_bytes(data)
    taken = tmp_path / "peercircle.damaged-20261124-193015.sqlite3"
    taken.write_bytes(b"moved aside earlier")

    moved = move_aside(path, now=NOW)

    assert moved == tmp_path / "peercircle.damaged-20261124-193015-2.sqlite3"
    for suffix, data in contents.items():
        assert Path(f"{moved}{suffix}").read_bytes() == data
        assert not Path(f"{path}{suffix}").exists()
    assert taken.read_bytes() == b"moved aside earlier"
    with pytest.raises(BackupError, match="no data file"):
        move_aside(path, now=NOW)


# ---- before an update of the schema --------------------------------------------------------


def _database_at(path: Path, revision: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    config = migrate.alembic_config()
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    command.upgrade(config, revision)
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO groups (name, place, agreements, created_at, updated_at, version) "
        "VALUES ('Ольга''s circle', '', '', '2024-05-01 18:00:00', '2024-05-01 18:00:00', 1)"
    )
    con.commit()
    con.close()


def _group_names(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [row[0] for row in con.execute("SELECT name FROM groups")]
    finally:
        con.close()


def test_an_older_database_is_backed_up_before_it_is_updated(data_dir: Path) -> None:
    path = database_path(data_dir)
    _database_at(path, "0003")

    open_database(path).close()

    assert check_database(path) == HEAD_REVISION
    [info] = list_backups(data_dir)
    assert info.reason is BackupReason.BEFORE_UPGRADE
    assert verify_backup(info.path) == "0003"
    assert _group_names(info.path) == ["Ольга's circle"]
    assert _group_names(path) == ["Ольга's circle"]

    open_database(path).close()  # at head now: no more backups
    assert len(list_backups(data_dir)) == 1


def test_no_backup_no_update(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = database_path(data_dir)
    _database_at(path, "0003")
    original = path.read_bytes()
    monkeypatch.setattr(backup_module, "_fsync_file", _enospc)

    with pytest.raises(DatabaseError) as caught:
        open_database(path)

    assert str(caught.value) == (
        f"The data file {path} could not be backed up before updating it to this version of "
        "PeerCircle: the disk is full. It has not been changed."
    )
    assert path.read_bytes() == original
    assert check_database(path) == "0003"
    assert list_backups(data_dir) == []


def test_new_and_current_databases_are_not_backed_up_on_opening(data_dir: Path) -> None:
    path = database_path(data_dir)
    open_database(path).close()  # new
    open_database(path).close()  # at head
    assert not backups_dir(data_dir).exists()
