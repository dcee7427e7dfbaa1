"""A backup killed part-way (power cut, kill -9) leaves the data as it was and no backup that
looks complete; the next backup succeeds and clears away the half-written file.

The backup runs in a child process on a real database of a few MB, copying 16 pages at a
time; it says when three quarters are copied and then goes on slowly, and is killed with
SIGKILL (TerminateProcess on Windows) right then.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from security_helpers import ChildProcess

from peercircle.db import open_database
from peercircle.db.backup import (
    BackupReason,
    backups_dir,
    list_backups,
    take_backup,
    verify_backup,
)
from peercircle.db.schema import HEAD_REVISION
from peercircle.paths import database_path

MEMBERS = 40_000
LINE_TIMEOUT = 20.0
"""Seconds to wait for the child's line before failing (never reached when all is well)."""

# The child: backs up argv[1] to argv[2] 16 pages at a time. Once three quarters of the pages
# are copied (well past what SQLite keeps in memory, so part of the copy is on the disk) it
# says so; then each further step takes a quarter of a second, so it is still copying when
# the parent kills it straight after reading that line.
CHILD = """
import sys
import time
from pathlib import Path

from peercircle.db.backup import write_backup

started = False


def progress(remaining, total):
    global started
    if started:
        time.sleep(0.25)
    elif remaining <= total // 4:
        started = True
        print(f"copied {total - remaining} of {total} pages", flush=True)


write_backup(Path(sys.argv[1]), Path(sys.argv[2]), pages=16, progress=progress)
print("finished", flush=True)
"""


@pytest.fixture
def big_db(data_dir: Path) -> Path:
    """A closed database of a few MB: many invented members, made with plain sqlite3."""
    path = database_path(data_dir)
    open_database(path).close()
    con = sqlite3.connect(path)
    try:
        con.executemany(
            "INSERT INTO members (display_name, full_name, pronouns, email, phone, "
            "emergency_contact, status, may_contact, created_at, updated_at, version) "
            "VALUES (?, ?, '', ?, '555-0100', '', 'active', 0, '2026-01-01', '2026-01-01', 1)",
            [
                (f"Ольга {n:05d}", f"Invented Person Nguyễn {n:05d}", f"p{n}@example.org")
                for n in range(MEMBERS)
            ],
        )
        con.commit()
    finally:
        con.close()
    assert path.stat().st_size > 4_000_000
    return path


class Child(ChildProcess):
    def __init__(self, *args: str) -> None:
        super().__init__(CHILD, *args, line_timeout=LINE_TIMEOUT)


@pytest.fixture
def children() -> Iterator[list[Child]]:
    started: list[Child] = []
    yield started
    for child in started:
        if child.process.poll() is None:
            child.kill()


def integrity(path: Path) -> list[tuple[str]]:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchall()
    finally:
        con.close()


def test_a_backup_killed_part_way_leaves_the_data_alone_and_no_backup(
    big_db: Path, data_dir: Path, children: list[Child]
) -> None:
    folder = backups_dir(data_dir)
    folder.mkdir(mode=0o700)
    before = big_db.read_bytes()
    target = folder / "peercircle-20261124-193015-manual.sqlite3"

    child = Child(str(big_db), str(target))
    children.append(child)
    said = child.next_line()
    child.kill()

    copied, total = (int(word) for word in said.split()[1::2])
    assert said == f"copied {copied} of {total} pages" and copied < total
    assert child.process.returncode != 0
    [leftover] = folder.iterdir()  # the half-written copy, under its temporary name only
    assert leftover.name.startswith(".peercircle-") and leftover.name.endswith(".tmp")
    assert 0 < leftover.stat().st_size < len(before)
    assert list_backups(data_dir) == []
    assert big_db.read_bytes() == before
    assert integrity(big_db) == [("ok",)]

    info = take_backup(data_dir, BackupReason.MANUAL)

    assert sorted(folder.iterdir()) == [info.path]  # the leftover is gone
    assert verify_backup(info.path) == HEAD_REVISION
    con = sqlite3.connect(info.path)
    try:
        assert con.execute("SELECT count(*) FROM members").fetchone() == (MEMBERS,)
    finally:
        con.close()
    db = open_database(big_db)  # and the data itself opens as ever
    db.close()
