"""``peercircle backup``, ``peercircle backups`` and ``peercircle restore``: what they say, what
they do, and that every refusal is one line, exit status 1, and changes nothing.

The happy path runs as a person would (``python -m peercircle``); the refusals run
in-process, where a failure can be injected.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import assert_headless, assert_one_line_error, run_cli

from peercircle.cli import main
from peercircle.cli_backup import SERVER_MESSAGE, describe_size
from peercircle.db import backup as backup_module
from peercircle.db import open_database
from peercircle.db.backup import BackupReason, backups_dir, list_backups, take_backup
from peercircle.db.schema import HEAD_REVISION
from peercircle.instance_lock import InstanceLock
from peercircle.paths import database_path
from peercircle.services.roster import RosterService
from peercircle.services.roster_types import GroupDraft, MemberDraft

DATABASE_URL_ENV = "PEERCIRCLE_DATABASE_URL"
SERVER_URL = "postgresql://facilitator:s3cret@db.example.org/peercircle"


@pytest.fixture(autouse=True)
def _own_logging() -> Iterator[None]:
    """In-process commands point the app log at their data folder: put it back after."""
    logger = logging.getLogger("peercircle")
    handlers, level = list(logger.handlers), logger.level
    yield
    for handler in list(logger.handlers):
        if handler not in handlers:
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(level)


@pytest.fixture(autouse=True)
def _no_server_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)


def add_members(data_dir: Path, *names: str) -> None:
    db = open_database(database_path(data_dir))
    try:
        roster = RosterService(db)
        group = roster.find_group("Tuesday Circle") or roster.create_group(
            GroupDraft("Tuesday Circle", 1)
        )
        for name in names:
            roster.create_member(MemberDraft(name), group_id=group.id)
    finally:
        db.close()


def member_names(data_dir: Path) -> list[str]:
    db = open_database(database_path(data_dir))
    try:
        return [m.display_name for m in RosterService(db).list_members()]
    finally:
        db.close()


def folder_state(folder: Path) -> dict[str, bytes]:
    """Files under ``folder`` and their bytes, but for the -shm and empty -wal SQLite makes
    whenever it reads a database in WAL mode."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and not p.name.endswith("-shm")
        and not (p.name.endswith("-wal") and p.stat().st_size == 0)
        and "logs" not in p.parts
    }


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str, *words: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("peercircle: "), err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def with_data(data_dir: Path) -> Path:
    add_members(data_dir, "Ágnes", "Nguyễn")
    return data_dir


# ---- the happy path, as a person would run it ------------------------------------------------


def test_back_up_list_and_restore(with_data: Path) -> None:
    backed_up = run_cli(with_data, "backup")
    assert backed_up.returncode == 0, backed_up.stderr
    assert_headless(backed_up, "peercircle.cli_backup")
    [info] = list_backups(with_data)
    assert info.reason is BackupReason.MANUAL
    assert backed_up.stdout == (
        f"Backed up your data to {info.path} ({describe_size(info.size)}). It has been checked.\n"
    )

    listed = run_cli(with_data, "backups")
    assert listed.returncode == 0, listed.stderr
    when = info.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
    lines = listed.stdout.splitlines()
    assert lines[0] == f"1 backup in {backups_dir(with_data)}, newest first (local time):"
    assert lines[1].split() == [
        *f"{when}, backed up by you".split(),
        *describe_size(info.size).split(),
        info.path.name,
    ]

    add_members(with_data, "Ольга")
    restored = run_cli(with_data, "restore", str(info.path))
    assert restored.returncode == 0, restored.stderr
    assert_headless(restored, "peercircle.cli_backup")
    safety = list_backups(with_data)[0]
    assert safety.reason is BackupReason.BEFORE_RESTORE
    assert restored.stdout.splitlines() == [
        f"Restored the backup from {when}, backed up by you ({info.path}).",
        f"The data it replaced was backed up first: {safety.path}",
    ]
    assert member_names(with_data) == ["Ágnes", "Nguyễn"]


def test_backup_to_a_file_of_your_choice(
    with_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "USB stick" / "Tuesday #2.sqlite3"
    target.parent.mkdir()

    code, out, err = run(capsys, with_data, "backup", "-o", str(target))

    assert (code, err) == (0, "")
    assert out == (
        f"Backed up your data to {target} ({describe_size(target.stat().st_size)}). "
        "It has been checked.\n"
    )
    assert backup_module.verify_backup(target) == HEAD_REVISION
    assert list_backups(with_data) == []  # not in the rotated folder


def test_restore_from_a_file_of_your_choice(
    with_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "copy.sqlite3"
    assert run(capsys, with_data, "backup", "-o", str(target))[0] == 0
    add_members(with_data, "Ольга")

    code, out, err = run(capsys, with_data, "restore", str(target))

    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"Restored the backup {target}."
    assert member_names(with_data) == ["Ágnes", "Nguyễn"]


def test_no_backups_yet(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, data_dir, "backups")
    assert (code, err) == (0, "")
    assert out == f"No backups yet. They will be kept in {backups_dir(data_dir)}.\n"
    assert not data_dir.exists()  # listing creates nothing


def test_backups_are_listed_newest_first(
    with_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    moment = dt.datetime.now(dt.UTC)
    take_backup(with_data, BackupReason.DAILY, now=moment - dt.timedelta(days=1))
    take_backup(with_data, BackupReason.ON_CLOSE, now=moment)

    code, out, _ = run(capsys, with_data, "backups")

    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("2 backups in ")
    assert ", on closing" in lines[1] and "-on-close.sqlite3" in lines[1]
    assert ", daily" in lines[2] and "-daily.sqlite3" in lines[2]


# ---- refusals: one line, exit 1, nothing changed ----------------------------------------------


def test_nothing_to_back_up(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, data_dir, "backup")
    assert code == 1
    one_line_error(err, "There is no PeerCircle data in", "to back up yet")
    assert not data_dir.exists()


def test_backup_to_an_existing_file_is_refused(
    with_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "taken.sqlite3"
    target.write_bytes(b"someone's file")

    code, _, err = run(capsys, with_data, "backup", "-o", str(target))

    assert code == 1
    one_line_error(err, "already exists", "Nothing was written.")
    assert target.read_bytes() == b"someone's file"


def test_backup_on_a_full_disk(
    with_data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(backup_module, "_fsync_file", full)
    before = folder_state(with_data)

    code, _, err = run(capsys, with_data, "backup")

    assert code == 1
    assert one_line_error(err) == (
        "peercircle: The backup could not be written: the disk is full. Your data is unchanged."
    )
    assert folder_state(with_data) == before


@pytest.mark.parametrize("kind", ["missing", "text", "truncated"])
def test_restoring_an_unusable_file_is_refused(
    with_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    info = take_backup(with_data, BackupReason.MANUAL)
    candidate = tmp_path / "candidate.sqlite3"
    if kind == "text":
        candidate.write_text("Name\nÁgnes\n", encoding="utf-8")
    elif kind == "truncated":
        candidate.write_bytes(info.path.read_bytes()[:8192])
    before = folder_state(with_data)

    code, _, err = run(capsys, with_data, "restore", str(candidate))

    assert code == 1
    one_line_error(err, str(candidate), "Nothing was changed.")
    assert folder_state(with_data) == before


def test_restore_is_refused_while_peercircle_is_open(
    with_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    info = take_backup(with_data, BackupReason.MANUAL)
    add_members(with_data, "Ольга")
    lock = InstanceLock(with_data)
    lock.acquire()  # as the app does while it is open
    before = folder_state(with_data)
    try:
        code, _, err = run(capsys, with_data, "restore", str(info.path))
    finally:
        lock.release()

    assert code == 1
    one_line_error(err, "PeerCircle is open", "Close it", "Nothing was changed.")
    assert folder_state(with_data) == before
    assert member_names(with_data) == ["Ágnes", "Nguyễn", "Ольга"]


def test_restore_is_refused_while_another_process_holds_the_lock(with_data: Path) -> None:
    info = take_backup(with_data, BackupReason.MANUAL)
    with InstanceLock(with_data):
        result = run_cli(with_data, "restore", str(info.path))
    assert_one_line_error(result, "PeerCircle is open", "Nothing was changed.")


@pytest.mark.parametrize("command", [("backup",), ("backups",), ("restore", "x.sqlite3")])
def test_a_server_database_is_backed_up_on_its_server(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
) -> None:
    monkeypatch.setenv(DATABASE_URL_ENV, SERVER_URL)
    code, out, err = run(capsys, data_dir, *command)
    assert (code, out) == (1, "")
    assert one_line_error(err) == f"peercircle: {SERVER_MESSAGE}"
    assert "s3cret" not in err
    assert not data_dir.exists()


def test_a_server_address_on_the_command_line_is_refused_too(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--database-url", SERVER_URL, "--data-dir", str(data_dir), "backup"])
    _, err = capsys.readouterr()
    assert code == 1
    assert one_line_error(err) == f"peercircle: {SERVER_MESSAGE}"


# ---- restoring over damaged data ---------------------------------------------------------------


def _garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size : page_size + 32] = b"\xff" * 32
    path.write_bytes(bytes(data))


def test_restore_over_a_damaged_database_moves_it_aside(
    with_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    info = take_backup(with_data, BackupReason.MANUAL)
    live = database_path(with_data)
    live.write_bytes(b"not a database any more " * 200)
    damaged = live.read_bytes()

    code, out, err = run(capsys, with_data, "restore", str(info.path))

    assert (code, err) == (0, "")
    [moved] = with_data.glob("peercircle.damaged-*.sqlite3")
    assert moved.read_bytes() == damaged
    assert out.splitlines()[-1] == f"The damaged data file was moved aside, not deleted: {moved}"
    assert member_names(with_data) == ["Ágnes", "Nguyễn"]


def test_damage_only_a_full_check_finds_is_moved_aside_too(
    with_data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A big file gets only a structural check at start-up; the backup before restoring
    # checks every page and finds the damage.
    from peercircle.db import health

    monkeypatch.setattr(health, "check_database", lambda _path: HEAD_REVISION)
    info = take_backup(with_data, BackupReason.MANUAL)
    live = database_path(with_data)
    _garble(live)
    damaged = live.read_bytes()

    code, out, err = run(capsys, with_data, "restore", str(info.path))

    assert (code, err) == (0, "")
    [moved] = with_data.glob("peercircle.damaged-*.sqlite3")
    assert moved.read_bytes() == damaged
    assert "moved aside, not deleted" in out
    assert member_names(with_data) == ["Ágnes", "Nguyễn"]
    assert [b.reason for b in list_backups(with_data)] == [BackupReason.MANUAL]


def test_describe_size() -> None:
    assert [describe_size(n) for n in (0, 999, 64_000, 1_234_567, 3_400_000_000)] == [
        "0 bytes",
        "999 bytes",
        "64 KB",
        "1.2 MB",
        "3.4 GB",
    ]


def test_an_sqlite_address_is_sent_to_the_data_folder_option(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}"
    code = main(["--database-url", url, "--data-dir", str(data_dir), "backups"])
    _, err = capsys.readouterr()
    assert code == 1
    one_line_error(err, "run this with --data-dir", "Nothing was changed.")
