"""``peercircle import-attendance``, run as a person would, in a subprocess.

Every run is made with ``-X importtime`` so each test also checks that the command never
loads Qt. The data is invented and lives in ``tmp_path``.
"""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest
from cli_helpers import assert_headless, assert_one_line_error, run_cli
from sqlalchemy import func, select

from peercircle.cli import main
from peercircle.db import open_database
from peercircle.db.models import Attendance, Meeting, Member
from peercircle.paths import database_path
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService

GROUP = "Tuesday Circle"
IMPORTER = "peercircle.services.attendance_import"


@pytest.fixture
def group_dir(data_dir: Path) -> Path:
    """A data folder with one group of invented members (and a second, empty group)."""
    db = open_database(database_path(data_dir))
    try:
        roster = RosterService(db)
        group = roster.create_group(GroupDraft(GROUP, place="Willow Lane Library"))
        for name in ("Ágnes", "Bartek", "Ольга"):
            roster.create_member(MemberDraft(name), group_id=group.id)
        roster.create_group(GroupDraft("Saturday Walk & Talk"))
    finally:
        db.close()
    return data_dir


def stored(data_dir: Path) -> tuple[int, int, int]:
    """How many members, meetings and marks the database holds."""
    db = open_database(database_path(data_dir))
    try:
        with db.session() as s:
            return tuple(  # type: ignore[return-value]
                s.scalar(select(func.count()).select_from(table))
                for table in (Member, Meeting, Attendance)
            )
    finally:
        db.close()


def sheet(tmp_path: Path, text: str, name: str = "spring.csv") -> Path:
    """A European-Excel-style export: UTF-8 with BOM, CRLF."""
    path = tmp_path / name
    path.write_bytes(codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode())
    return path


GRID = "Name;3/3/2026;10/3/2026;Total\nÁgnes;x;L;2\nbartek;✓;;1\nОльга;e;a;0\n"


def test_grid_is_previewed_and_imported(group_dir: Path, tmp_path: Path) -> None:
    path = sheet(tmp_path, GRID)
    result = run_cli(group_dir, "import-attendance", str(path), "--group", "tuesday circle")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "Read spring.csv (UTF-8 with BOM, semicolon-separated): a grid (one column per meeting).",
        "Group: Tuesday Circle",
        "Dates: 2, from 2026-03-03 to 2026-03-10",
        "Ignored columns: Total",
        "Meetings to create: 2",
        "Marks to add: 5",
        "Marks to change: 0",
        "Marks unchanged: 0",
        "Imported attendance into “Tuesday Circle”: 5 marks added, 2 new meetings.",
    ]
    assert_headless(result, IMPORTER)
    assert stored(group_dir) == (3, 2, 5)

    again = run_cli(group_dir, "import-attendance", str(path), "--group", GROUP)
    assert again.returncode == 0
    assert "Marks unchanged: 5" in again.stdout.splitlines()
    assert again.stdout.rstrip().endswith("Nothing to import; nothing was changed.")
    assert stored(group_dir) == (3, 2, 5)


def test_problems_are_listed_and_nothing_is_imported(group_dir: Path, tmp_path: Path) -> None:
    path = sheet(
        tmp_path,
        "Date,Name,Status\n2026-03-03,Ágnes,x\n2026-03-03,Bartek,maybe\n31/02/2026,Ольга,x\n"
        "2026-03-03,Zed,L\n",
    )
    result = run_cli(group_dir, "import-attendance", str(path), "--group", GROUP)
    assert_one_line_error(
        result,
        "Nothing was imported: 3 problems in the file (listed above).",
        "--add-unknown",
    )
    out = result.stdout.splitlines()
    assert "Read spring.csv (UTF-8 with BOM, comma-separated): " in out[0]
    assert "a list (one line per person per meeting)" in out[0]
    assert "Problems: 3" in out
    assert out[-3:] == [
        "  row 3, column C (Status): “maybe” is not a mark PeerCircle knows "
        "(x = present, L = late, E = excused, A = absent, blank = not marked).",
        "  row 4, column A (Date): “31/02/2026” is not a date PeerCircle can read "
        "(write dates like 2026-03-03).",
        "  row 5, column B (Name): “Zed” is not a member of Tuesday Circle.",
    ]
    assert_headless(result, IMPORTER)
    assert stored(group_dir) == (3, 0, 0)


def test_add_unknown_and_dry_run(group_dir: Path, tmp_path: Path) -> None:
    path = sheet(tmp_path, "Name,2026-03-03,2026-03-10\nÁgnes,x,x\nZed,a,late\nΕλένη,,\n")
    dry = run_cli(
        group_dir, "import-attendance", str(path), "--group", GROUP, "--add-unknown", "--dry-run"
    )
    assert dry.returncode == 0, dry.stderr
    assert "New members: Zed, Ελένη" in dry.stdout.splitlines()
    assert dry.stdout.rstrip().endswith("Dry run: nothing was changed.")
    assert stored(group_dir) == (3, 0, 0)

    done = run_cli(group_dir, "import-attendance", str(path), "--group", GROUP, "--add-unknown")
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith(
        "Imported attendance into “Tuesday Circle”: 4 marks added, 2 new meetings, 2 new members."
    )
    assert stored(group_dir) == (5, 2, 4)
    db = open_database(database_path(group_dir))
    try:
        zed = next(m for m in RosterService(db).list_members() if m.display_name == "Zed")
        assert zed.first_visit_on == dt.date(2026, 3, 10)  # absent on the 3rd: not a visit
    finally:
        db.close()


def test_dry_run_with_problems_still_fails(group_dir: Path, tmp_path: Path) -> None:
    path = sheet(tmp_path, "Name,2026-03-03\nZed,x\n")
    result = run_cli(group_dir, "import-attendance", str(path), "--group", GROUP, "--dry-run")
    assert_one_line_error(result, "1 problem in the file")


def test_unknown_group_names_the_groups(group_dir: Path, tmp_path: Path) -> None:
    path = sheet(tmp_path, GRID)
    result = run_cli(group_dir, "import-attendance", str(path), "--group", "Friday")
    assert_one_line_error(result)
    assert result.stderr.strip() == (
        "peercircle: There is no group called “Friday”. "
        "Your groups: Saturday Walk & Talk, Tuesday Circle."
    )
    assert result.stdout == ""
    assert_headless(result, IMPORTER)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, ("Could not read", "No such file")),
        (b"", ("empty",)),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", ("workbook",)),
        (b"Phone,2026-03-03\r\n555-0101,x\r\n", ("names", "“Phone”, “2026-03-03”")),
        (b"Name,Notes\r\nZed,hello\r\n", ("No meeting dates",)),
    ],
)
def test_unusable_files_are_refused_before_the_database_is_opened(
    data_dir: Path, tmp_path: Path, content: bytes | None, words: tuple[str, ...]
) -> None:
    path = tmp_path / "attendance.csv"
    if content is not None:
        path.write_bytes(content)
    result = run_cli(data_dir, "import-attendance", str(path), "--group", GROUP)
    assert_one_line_error(result, *words)
    assert result.stdout == ""
    assert not database_path(data_dir).exists(), "the database was not even opened"
    assert_headless(result, IMPORTER)


def test_group_is_required(data_dir: Path, tmp_path: Path) -> None:
    result = run_cli(data_dir, "import-attendance", str(sheet(tmp_path, GRID)))
    assert result.returncode == 2
    assert "--group" in result.stderr and "Traceback" not in result.stderr


def test_main_in_process(
    group_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sheet(tmp_path, GRID)
    args = ["--data-dir", str(group_dir), "import-attendance", str(path), "--group", GROUP]
    assert main(args) == 0
    assert "5 marks added" in capsys.readouterr().out
    missing = ["--data-dir", str(group_dir), "import-attendance", "nope.csv", "--group", GROUP]
    assert main(missing) == 1
    assert capsys.readouterr().err.startswith("peercircle: Could not read")
