"""An import killed part-way (power cut, kill -9) leaves none of the file in the database; one
killed just after it committed leaves all of it. Either way the file is intact and the same
import can simply be run again.

Each case runs the real command line (``peercircle import-roster`` / ``import-attendance``)
in a child process on a real data folder. The child watches its own SQL and, at the chosen
point inside the import's transaction, says where it is and waits; the test kills it there
with SIGKILL (TerminateProcess on Windows).
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from security_helpers import ChildProcess

from peercircle.cli import main
from peercircle.db import open_database
from peercircle.domain import AttendanceStatus
from peercircle.paths import database_path
from peercircle.services.meeting_types import MeetingDraft
from peercircle.services.meetings import MeetingService
from peercircle.services.roster import RosterService
from peercircle.services.roster_types import GroupDraft, MemberDraft

GROUP = "Tuesday Circle"
EARLIER = ("Ágnes", "Nguyễn", "Ольга")
ROSTER_ROWS = 3000
GRID_NAMES = 60
GRID_DATES = 100
LINE_TIMEOUT = 60.0
"""Seconds to wait for the child's next line before failing (never reached when all is well)."""
STOPPED = "@stopped"

# The child: argv[1] says where to stop, the rest is the command line. "TABLE>=N" stops
# right after an INSERT that leaves N or more rows in TABLE (counted inside the import's own
# transaction), "commit" just before the import's COMMIT reaches SQLite, "committed" just
# after it. There it prints one line — where it stopped and how many rows each table it
# wrote to holds in its transaction — and waits on stdin to be killed.
CHILD = f"""
import sys

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from peercircle.cli import main

stop, *argv = sys.argv[1:]
written = set()


def stop_here(where, connection):
    counts = " ".join(
        f"{{table}}=" + str(connection.execute(f"SELECT count(*) FROM {{table}}").fetchone()[0])
        for table in sorted(written)
    )
    print(f"{STOPPED} {{where}} {{counts}}", flush=True)
    sys.stdin.readline()
    raise SystemExit("not killed")


@event.listens_for(Engine, "after_cursor_execute")
def _after_insert(conn, cursor, statement, parameters, context, executemany):
    words = statement.split(None, 3)
    if [w.upper() for w in words[:2]] != ["INSERT", "INTO"]:
        return
    table = words[2].strip('"')
    written.add(table)
    if stop.startswith(table + ">="):
        wanted = int(stop.split(">=")[1])
        connection = cursor.connection
        if connection.execute(f"SELECT count(*) FROM {{table}}").fetchone()[0] >= wanted:
            stop_here(stop, connection)


@event.listens_for(Engine, "commit")
def _before_commit(conn):
    if stop == "commit" and written:
        stop_here(stop, conn.connection.dbapi_connection)


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    if stop == "committed" and written:
        # The session has handed its connection back; count what is now committed.
        stop_here(stop, session.get_bind().raw_connection().driver_connection)


raise SystemExit(main(argv))
"""


class Child(ChildProcess):
    """The CLI in a child process, told where to stop (``stop``)."""

    def __init__(self, stop: str, argv: list[str]) -> None:
        super().__init__(CHILD, stop, *argv, line_timeout=LINE_TIMEOUT)

    def wait_until_stopped(self) -> dict[str, int]:
        """Skip what the command prints until the child stops; the row counts it saw."""
        while True:
            line = self.next_line()
            if line.startswith(STOPPED):
                counts = line.split()[2:]
                return {t: int(n) for t, n in (c.split("=") for c in counts)}

    def stop_and_kill(self) -> dict[str, int]:
        """Wait for the child to stop, kill it with SIGKILL there; the row counts it saw
        inside its transaction just before."""
        counts = self.wait_until_stopped()
        self.kill()
        assert self.process.returncode != 0
        return counts


# ---- the data folders: one per case, every child started at once -------------------------

Snapshot = dict[str, list[tuple[Any, ...]]]


def snapshot(path: Path) -> Snapshot:
    """Every table's rows (after checking the file is intact), read with plain sqlite3 —
    which also rolls back whatever a killed writer left unfinished in the -wal file."""
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = [
            name
            for (name,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                " ORDER BY name"
            )
        ]
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    finally:
        con.close()


def display_names(state: Snapshot) -> set[str]:
    return {row[1] for row in state["members"]}


def earlier_work(data_dir: Path) -> None:
    """A data folder with earlier work in it: a group of three and one meeting with marks."""
    db = open_database(database_path(data_dir))
    try:
        roster = RosterService(db)
        group = roster.create_group(GroupDraft(GROUP, 1, place="Willow Lane Library"))
        ids = [roster.create_member(MemberDraft(n), group_id=group.id).id for n in EARLIER]
        meetings = MeetingService(db)
        meeting = meetings.create_meeting(group.id, MeetingDraft(dt.date(2026, 1, 6)))
        for member_id, status in zip(ids, AttendanceStatus, strict=False):
            meetings.set_attendance(meeting.id, member_id, status)
    finally:
        db.close()


@dataclass
class Crash:
    """One case: its own copy of the data folder, as it was, and the child importing into it."""

    folder: Path
    argv: list[str]
    before: Snapshot
    child: Child

    @property
    def path(self) -> Path:
        return database_path(self.folder)


@pytest.fixture(scope="module")
def crashes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Crash]]:
    """Every case's child, started together so that they run side by side (the cases take
    seconds each, one after the other); each test then kills its own."""
    root = tmp_path_factory.mktemp("crashes")
    template = root / "template"
    earlier_work(template)
    files = {"roster": roster_csv(root), "attendance": attendance_csv(root)}
    started: dict[str, Crash] = {}
    try:
        for number, (case, (kind, stop)) in enumerate(CASES.items()):
            folder = root / f"case {number}"
            shutil.copytree(template, folder)
            argv = ["--data-dir", str(folder), f"import-{kind}", str(files[kind]), "--group", GROUP]
            if kind == "attendance":
                argv.append("--add-unknown")
            started[case] = Crash(folder, argv, snapshot(database_path(folder)), Child(stop, argv))
        yield started
    finally:
        for crash in started.values():
            if crash.child.process.poll() is None:
                crash.child.kill()


def import_again(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The same command, run to the end in this process; what it printed. (The command sets
    up the app log in the data folder; the log is put back as it was afterwards.)"""
    logger = logging.getLogger("peercircle")
    handlers, level = list(logger.handlers), logger.level
    try:
        assert main(argv) == 0
    finally:
        for handler in list(logger.handlers):
            if handler not in handlers:
                logger.removeHandler(handler)
                handler.close()
        logger.setLevel(level)
    return capsys.readouterr().out


# ---- the files and the cases ------------------------------------------------------------

SCRIPTS = ("Ágnes", "Nguyễn Thị", "Ольга", "Zoë", "Jürgen", "Łucja", "Αλέξης", "李静")
MARKS = ("x", "L", "E", "A", "", "✓")


def roster_name(i: int) -> str:
    return f"{SCRIPTS[i % len(SCRIPTS)]} {i:04d}"


def roster_csv(folder: Path) -> Path:
    """Everyone in a big organisation: names in several scripts, every column used."""
    lines = ["Name,Full name,E-mail,Phone,Joined,Role"]
    for i in range(ROSTER_ROWS):
        role = "co-facilitator" if i % 500 == 0 else "member"
        lines.append(
            f"{roster_name(i)},{roster_name(i)} Example,person{i}@example.org,"
            f"555-{i:04d},2026-{i % 12 + 1:02d}-{i % 28 + 1:02d},{role}"
        )
    path = folder / "everyone.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def grid_name(i: int) -> str:
    """The group's three members first, then people the group does not know yet."""
    return EARLIER[i] if i < len(EARLIER) else f"{SCRIPTS[i % len(SCRIPTS)]} {i:02d}"


def attendance_csv(folder: Path) -> Path:
    """Two years of weekly meetings as a grid: a name column, a column per date."""
    dates = [dt.date(2024, 1, 2) + dt.timedelta(weeks=w) for w in range(GRID_DATES)]
    lines = [",".join(["Name", *(d.isoformat() for d in dates)])]
    for i in range(GRID_NAMES):
        marks = (MARKS[(i + w) % len(MARKS)] for w in range(GRID_DATES))
        lines.append(",".join([grid_name(i), *marks]))
    path = folder / "two years.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GRID_MARKS = sum(
    1 for i in range(GRID_NAMES) for w in range(GRID_DATES) if MARKS[(i + w) % len(MARKS)]
)
NEW_MEMBERS = GRID_NAMES - len(EARLIER)

ROSTER_KILLS = {
    "a third written": (f"members>={len(EARLIER) + ROSTER_ROWS // 3}", ROSTER_ROWS // 3),
    "two thirds written": (f"members>={len(EARLIER) + 2 * ROSTER_ROWS // 3}", 2 * ROSTER_ROWS // 3),
    "just before commit": ("commit", ROSTER_ROWS),
}
ATTENDANCE_KILLS = {
    "members added": f"members>={len(EARLIER) + NEW_MEMBERS}",
    "meetings added": f"meetings>={1 + GRID_DATES}",
    "marks added": f"attendance>={len(EARLIER) + GRID_MARKS}",
    "just before commit": "commit",
}
CASES = {
    **{f"roster, {case}": ("roster", stop) for case, (stop, _) in ROSTER_KILLS.items()},
    "roster, just after commit": ("roster", "committed"),
    **{f"attendance, {case}": ("attendance", stop) for case, stop in ATTENDANCE_KILLS.items()},
    "attendance, just after commit": ("attendance", "committed"),
}
"""Every case: (which import, where its child stops to be killed)."""


# ---- import-roster -----------------------------------------------------------------------


@pytest.mark.parametrize("case", list(ROSTER_KILLS))
def test_roster_import_killed_before_commit_leaves_none_of_it(
    crashes: dict[str, Crash], capsys: pytest.CaptureFixture[str], case: str
) -> None:
    crash = crashes[f"roster, {case}"]
    stop, seen = ROSTER_KILLS[case]

    counts = crash.child.stop_and_kill()
    # The child really had the rows in its transaction when it was killed...
    assert len(EARLIER) + seen <= counts["members"] <= len(EARLIER) + ROSTER_ROWS
    if stop == "commit":
        assert counts == {
            "members": len(EARLIER) + ROSTER_ROWS,
            "memberships": len(EARLIER) + ROSTER_ROWS,
        }
    # ...and none of them is in the database: it is exactly as it was.
    assert snapshot(crash.path) == crash.before

    out = import_again(crash.argv, capsys)
    assert f"Added: {ROSTER_ROWS}" in out
    after = snapshot(crash.path)
    assert display_names(after) == set(EARLIER) | {roster_name(i) for i in range(ROSTER_ROWS)}
    assert len(after["members"]) == len(EARLIER) + ROSTER_ROWS
    seats = sorted(row[4] for row in after["memberships"])
    assert seats == list(range(len(EARLIER) + ROSTER_ROWS))  # each seat taken once
    assert after["members"][: len(EARLIER)] == crash.before["members"]
    assert after["attendance"] == crash.before["attendance"]


def test_roster_import_killed_just_after_commit_keeps_all_of_it(
    crashes: dict[str, Crash], capsys: pytest.CaptureFixture[str]
) -> None:
    crash = crashes["roster, just after commit"]

    counts = crash.child.stop_and_kill()
    assert counts["members"] == len(EARLIER) + ROSTER_ROWS
    after = snapshot(crash.path)
    assert display_names(after) == set(EARLIER) | {roster_name(i) for i in range(ROSTER_ROWS)}
    assert len(after["memberships"]) == len(EARLIER) + ROSTER_ROWS
    assert after["members"][: len(EARLIER)] == crash.before["members"]

    out = import_again(crash.argv, capsys)  # the same file again: everyone is already there
    assert f"Unchanged: {ROSTER_ROWS}" in out
    assert "Nothing to import; nothing was changed." in out
    assert snapshot(crash.path) == after


# ---- import-attendance -------------------------------------------------------------------


@pytest.mark.parametrize("case", list(ATTENDANCE_KILLS))
def test_attendance_import_killed_before_commit_leaves_none_of_it(
    crashes: dict[str, Crash], capsys: pytest.CaptureFixture[str], case: str
) -> None:
    crash = crashes[f"attendance, {case}"]

    counts = crash.child.stop_and_kill()
    assert counts["members"] == len(EARLIER) + NEW_MEMBERS
    if ATTENDANCE_KILLS[case] == "commit":
        assert (counts["meetings"], counts["attendance"]) == (
            1 + GRID_DATES,
            len(EARLIER) + GRID_MARKS,
        )
    assert snapshot(crash.path) == crash.before

    out = import_again(crash.argv, capsys)
    assert f"{GRID_MARKS} marks added, {GRID_DATES} new meetings" in out
    after = snapshot(crash.path)
    assert display_names(after) == {grid_name(i) for i in range(GRID_NAMES)}
    assert len(after["meetings"]) == 1 + GRID_DATES
    assert len(after["attendance"]) == len(EARLIER) + GRID_MARKS
    assert after["attendance"][: len(EARLIER)] == crash.before["attendance"]


def test_attendance_import_killed_just_after_commit_keeps_all_of_it(
    crashes: dict[str, Crash], capsys: pytest.CaptureFixture[str]
) -> None:
    crash = crashes["attendance, just after commit"]

    crash.child.stop_and_kill()
    after = snapshot(crash.path)
    assert display_names(after) == {grid_name(i) for i in range(GRID_NAMES)}
    assert len(after["meetings"]) == 1 + GRID_DATES
    assert len(after["attendance"]) == len(EARLIER) + GRID_MARKS
    assert after["attendance"][: len(EARLIER)] == crash.before["attendance"]
    assert {row[3] for row in after["attendance"]} == {s.value for s in AttendanceStatus}

    out = import_again(crash.argv, capsys)  # everything is already there: nothing changes
    assert f"Marks unchanged: {GRID_MARKS}" in out
    assert snapshot(crash.path) == after
