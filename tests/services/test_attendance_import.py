"""Attendance import (preview + all-or-nothing commit) with real-looking sheets."""

from __future__ import annotations

import codecs
import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import func, select

from peercircle.db import Database
from peercircle.db.models import Attendance, Meeting, Member, Membership
from peercircle.domain import AttendanceStatus
from peercircle.services.attendance_csv_parsing import name_key, parse_attendance, parse_mark
from peercircle.services.attendance_import import (
    AttendanceFormat,
    AttendanceImportError,
    AttendanceOutdatedError,
    AttendancePreview,
    MarkAction,
    ProblemKind,
    RosterFileError,
    commit_attendance_import,
    preview_attendance_import,
    read_attendance_file,
)
from peercircle.services.attendance_import_types import column_letter
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.services.roster_csv_parsing import MAX_FILE_BYTES

GROUP = "Tuesday Circle"
P, L, E, A = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
)
MAR_3, MAR_10, MAR_17 = dt.date(2026, 3, 3), dt.date(2026, 3, 10), dt.date(2026, 3, 17)


@pytest.fixture
def group(roster: RosterService) -> int:
    """A group with invented members whose names come from several scripts."""
    group = roster.create_group(GroupDraft(GROUP, place="Willow Lane Library, Room 2"))
    for name, full in (
        ("Ágnes", "Ágnes Kovács"),
        ("Bartek", ""),
        ("Ольга", "Ольга Смирнова"),
        ("Nguyễn Hiền", ""),
        ("王小雨", ""),
    ):
        roster.create_member(MemberDraft(name, full_name=full), group_id=group.id)
    roster.create_group(GroupDraft("Thursday Carers"))
    return group.id


def counts(db: Database) -> tuple[int, int, int, int]:
    with db.session() as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(table))
            for table in (Member, Membership, Meeting, Attendance)
        )


def stored_marks(db: Database, group_id: int) -> dict[tuple[dt.date, str], AttendanceStatus]:
    with db.session() as s:
        rows = s.execute(
            select(Meeting.date, Member.display_name, Attendance.status)
            .join(Attendance, Attendance.meeting_id == Meeting.id)
            .join(Member, Member.id == Attendance.member_id)
            .where(Meeting.group_id == group_id)
        )
        return {(day, name): status for day, name, status in rows}


def member_id(roster: RosterService, name: str) -> int:
    return next(m.id for m in roster.list_members() if m.display_name == name)


def add_meeting(db: Database, group_id: int, day: dt.date, **marks: AttendanceStatus) -> int:
    """A meeting stored before the import, with marks keyed by member id as ``m<id>``."""
    with db.session() as s:
        meeting = Meeting(group_id=group_id, date=day, place="Somewhere else")
        s.add(meeting)
        s.flush()
        for key, status in marks.items():
            s.add(Attendance(meeting_id=meeting.id, member_id=int(key[1:]), status=status))
        return meeting.id


def preview(db: Database, text: str, *, encoding: str = "utf-8", **kw: bool) -> AttendancePreview:
    return preview_attendance_import(db, text.encode(encoding), GROUP, **kw)


# ---- the two forms -----------------------------------------------------------------------


def test_grid_with_marks_blanks_and_ignored_columns(db: Database, group: int) -> None:
    sheet = (
        "Name,Phone,2026-03-03,2026-03-10,2026-03-17,Total\r\n"
        "Ágnes,555-0101,x,L,,2\r\n"
        "bartek ,,✓,e,a,1\r\n"
        "ОЛЬГА,,,,,0\r\n"
    )
    p = preview(db, sheet)
    assert p.format is AttendanceFormat.GRID and p.format == "grid"
    assert (p.encoding, p.delimiter_name) == ("UTF-8", "comma")
    assert p.ignored_columns == ("Phone", "Total")
    assert p.problems == ()
    assert p.dates == (MAR_3, MAR_10, MAR_17)
    assert (p.meetings_created, p.marks_added, p.marks_changed, p.marks_unchanged) == (3, 5, 0, 0)
    assert p.can_commit
    before = counts(db)

    result = commit_attendance_import(db, p)
    assert (result.meetings_created, result.marks_added, result.members_added) == (3, 5, ())
    assert stored_marks(db, group) == {
        (MAR_3, "Ágnes"): P,
        (MAR_10, "Ágnes"): L,
        (MAR_3, "Bartek"): P,
        (MAR_10, "Bartek"): E,
        (MAR_17, "Bartek"): A,
    }
    assert counts(db) == (before[0], before[1], 3, 5)  # no one added; blank = no record
    with db.session() as s:
        places = set(s.scalars(select(Meeting.place)))
    assert places == {"Willow Lane Library, Room 2"}
    assert "5 marks added" in result.describe() and "3 new meetings" in result.describe()


def test_long_form_with_marks_and_dates_carried_down(db: Database, group: int) -> None:
    sheet = (
        "Meeting date;Participant;Attendance;Notes\n"
        "03.03.2026;Ágnes;present;\n"
        ";Bartek;late;came by bus\n"
        ";Ольга;;\n"  # no mark: not marked
        "10.03.2026;Ágnes;EXC;\n"
    )
    p = preview(db, sheet)
    assert p.format is AttendanceFormat.LONG
    assert p.delimiter_name == "semicolon"
    assert p.ignored_columns == ("Notes",)
    assert p.problems == ()
    assert [(m.date, m.name, m.status) for m in p.marks] == [
        (MAR_3, "Ágnes", P),
        (MAR_3, "Bartek", L),
        (MAR_10, "Ágnes", E),
    ]
    commit_attendance_import(db, p)
    assert len(stored_marks(db, group)) == 3


def test_long_form_without_a_mark_column_means_present(db: Database, group: int) -> None:
    p = preview(db, "Date\tName\n2026-03-03\tÁgnes\n2026-03-03\tBartek\n")
    assert p.delimiter_name == "tab"
    assert [(m.name, m.status) for m in p.marks] == [("Ágnes", P), ("Bartek", P)]


def test_a_blank_line_ends_the_carried_date(db: Database, group: int) -> None:
    p = preview(db, "Date,Name,Status\n2026-03-03,Ágnes,x\n\n,Bartek,x\n")
    assert [(q.location, q.kind) for q in p.problems] == [
        ("row 4, column A (Date)", ProblemKind.MISSING_DATE)
    ]


def test_title_lines_above_the_headings_are_skipped(db: Database, group: int) -> None:
    p = preview(
        db, "Tuesday Circle attendance,,\nspring 2026,,\nName,3/3/2026,10/3/2026\nÁgnes,x,x\n"
    )
    assert p.problems == ()
    assert p.dates == (MAR_3, MAR_10)


def test_grid_with_a_blank_top_left_cell_and_a_totals_line(db: Database, group: int) -> None:
    p = preview(db, ",2026-03-03,2026-03-10,Total\nÁgnes,x,x,2\nBartek,,L,1\nTotal,1,2,\n")
    assert p.problems == ()
    assert [(m.name, m.date) for m in p.marks] == [
        ("Ágnes", MAR_3),
        ("Ágnes", MAR_10),
        ("Bartek", MAR_10),
    ]
    p = preview(db, ",2026-03-03\nZed,x\n")
    assert [q.location for q in p.problems] == ["row 2, column A"]


@pytest.mark.parametrize(
    ("headings", "dates"),
    [
        ("2026-03-03,2026/03/10", (MAR_3, MAR_10)),
        ("03.03.2026,10.03.2026", (MAR_3, MAR_10)),
        ("3/3/2026,17/3/2026", (MAR_3, MAR_17)),  # 17 can only be a day: day first
        ("3/3/2026,3/17/2026", (MAR_3, MAR_17)),  # 17 can only be a day: month first
    ],
)
def test_grid_date_headings_in_spreadsheet_forms(
    db: Database, group: int, headings: str, dates: tuple[dt.date, ...]
) -> None:
    p = preview(db, f"Name,{headings}\nÁgnes,x,x\n")
    assert p.problems == ()
    assert p.dates == dates


def test_every_mark(db: Database, group: int) -> None:
    marks = {
        P: ["x", "X", "✓", "✔", "p", "Present", "YES", "y", "1", " here "],
        L: ["l", "L", "late", "Late"],
        E: ["e", "E", "excused", "exc"],
        A: ["a", "absent", "No", "n", "0", "-"],
    }
    for status, spellings in marks.items():
        for spelling in spellings:
            assert parse_mark(spelling) is status, spelling
    assert parse_mark("") is None and parse_mark("   ") is None
    with pytest.raises(ValueError):
        parse_mark("?")

    days = [dt.date(2026, 1, 1) + dt.timedelta(days=7 * i) for i in range(24)]
    cells = [s for spellings in marks.values() for s in spellings]
    sheet = "Name," + ",".join(d.isoformat() for d in days) + "\nÁgnes," + ",".join(cells) + "\n"
    p = preview(db, sheet)
    assert p.problems == ()
    expected = [status for status, spellings in marks.items() for _ in spellings]
    assert [m.status for m in p.marks] == expected


# ---- encodings and delimiters ------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + "Name;2026-03-03\r\nÁgnes;x\r\nОльга;L\r\n".encode(), "UTF-8 with BOM"),
        ("Name\t2026-03-03\r\nÁgnes\tx\r\nОльга\tL\r\n".encode("utf-16"), "UTF-16"),
        ("Name,2026-03-03\r\nÁgnes,x\r\nOLGA,\r\n".encode("cp1252"), "Windows-1252"),
    ],
)
def test_encodings(db: Database, group: int, data: bytes, encoding: str) -> None:
    p = preview_attendance_import(db, data, GROUP)
    assert p.encoding == encoding
    assert p.marks[0].name == "Ágnes" and p.marks[0].member_id is not None


# ---- problems ----------------------------------------------------------------------------


PROBLEM_SHEET = (
    "Name,2026-03-03,2026-03-10,March 17\n"  # D: looks like a date, cannot be read
    "Ágnes,x,?,\n"  # C2: unknown mark
    "Zed,x,,\n"  # A3: unknown name
    ",x,,\n"  # A4: marks but no name
    "Zed,,x,\n"  # Zed again: listed once
)


def test_problems_are_listed_with_row_and_column_and_nothing_is_written(
    db: Database, group: int
) -> None:
    p = preview(db, PROBLEM_SHEET)
    assert [(q.location, q.kind) for q in p.problems] == [
        ("row 1, column D (March 17)", ProblemKind.UNREADABLE_DATE),
        ("row 2, column C (2026-03-10)", ProblemKind.UNKNOWN_MARK),
        ("row 3, column A (Name)", ProblemKind.UNKNOWN_NAME),
        ("row 4, column A (Name)", ProblemKind.BAD_NAME),
    ]
    assert "“?” is not a mark" in p.problems[1].message
    assert p.problems[2].message == (
        "“Zed” is not a member of Tuesday Circle. It is also on 1 other row."
    )
    assert p.unknown_names == ("Zed",)
    assert not p.can_commit
    before = counts(db)
    with pytest.raises(AttendanceImportError, match="4 problems"):
        commit_attendance_import(db, p)
    assert counts(db) == before


def test_unreadable_dates_in_a_list(db: Database, group: int) -> None:
    p = preview(db, "Date,Name\n2026-02-30,Ágnes\n,Bartek\n3/3/26,Ольга\n")
    assert [(q.location, q.kind) for q in p.problems] == [
        ("row 2, column A (Date)", ProblemKind.UNREADABLE_DATE),
        ("row 4, column A (Date)", ProblemKind.UNREADABLE_DATE),
    ]
    assert p.marks == ()  # Bartek's line carries the unreadable date: no second problem


def test_unknown_name_hints_at_a_namesake_in_another_group(
    db: Database, group: int, roster: RosterService
) -> None:
    other = roster.find_group("Thursday Carers")
    assert other is not None
    roster.create_member(MemberDraft("Sam"), group_id=other.id)
    p = preview(db, "Name,2026-03-03\nsam,x\n")
    assert "Someone of that name is in your roster" in p.problems[0].message


def test_same_person_twice_on_a_day(db: Database, group: int) -> None:
    p = preview(
        db, "Date,Name,Status\n2026-03-03,Ágnes,x\n2026-03-03,ágnes,x\n2026-03-03,Ágnes,L\n"
    )
    assert [(q.location, q.kind) for q in p.problems] == [
        ("row 4, column C (Status)", ProblemKind.CONFLICT)
    ]
    assert p.problems[0].message == (
        "Ágnes is marked late here but present in row 2, column C, for the same day (2026-03-03)."
    )
    # Full name and display name are the same person, too.
    p = preview(db, "Name,2026-03-03,2026-03-03\nÁgnes,x,\nÁgnes Kovács,,a\n")
    assert [q.kind for q in p.problems] == [ProblemKind.CONFLICT]


def test_duplicate_names_in_the_group_are_ambiguous(
    db: Database, group: int, roster: RosterService
) -> None:
    roster.create_member(MemberDraft("Bartek", email="b2@example.org"), group_id=group)
    p = preview(db, "Name,2026-03-03\nBartek,x\n", add_unknown=True)
    assert [(q.location, q.kind) for q in p.problems] == [
        ("row 2, column A (Name)", ProblemKind.AMBIGUOUS_NAME)
    ]
    assert "2 members of Tuesday Circle are called “Bartek”" in p.problems[0].message


def test_names_match_ignoring_case_and_spaces_in_any_script(db: Database, group: int) -> None:
    hien_nfd = unicodedata.normalize("NFD", "Nguyễn Hiền")  # as some systems write it
    p = preview(
        db,
        "Name,2026-03-03\n  ÁGNES ,x\nольга,x\n"
        + f"{hien_nfd},x\n"
        + "王小雨,x\nolga smirnova,x\n",
    )
    assert [q.message for q in p.problems] == ["“olga smirnova” is not a member of Tuesday Circle."]
    assert [m.name for m in p.marks] == ["Ágnes", "Ольга", "Nguyễn Hiền", "王小雨"]
    assert name_key(" Ágnes  Kovács ") == name_key("ágnes kovács")
    assert name_key("Agnes") != name_key("Ágnes")  # accents are kept: maybe two people


def test_full_name_matches_and_first_plus_last_columns(db: Database, group: int) -> None:
    p = preview(db, "First name,Last name,2026-03-03\nОльга,Смирнова,x\nBartek,,L\n")
    assert p.problems == ()
    assert [(m.name, m.status) for m in p.marks] == [("Ольга", P), ("Bartek", L)]


# ---- adding unknown names ----------------------------------------------------------------


def test_add_unknown_creates_members_with_first_visit(
    db: Database, group: int, roster: RosterService
) -> None:
    sheet = "Name,2026-03-03,2026-03-10,2026-03-17\nZed,a,L,x\nzed ,,,\nΕλένη,e,,\nÁgnes,x,,\n"
    p = preview(db, sheet)
    assert p.unknown_names == ("Zed", "Ελένη")
    assert [q.kind for q in p.problems] == [ProblemKind.UNKNOWN_NAME] * 2

    p = preview(db, sheet, add_unknown=True)
    assert p.problems == ()
    assert [(m.name, m.first_visit_on) for m in p.new_members] == [("Zed", MAR_10), ("Ελένη", None)]
    assert p.new_member_names == ("Zed", "Ελένη")
    result = commit_attendance_import(db, p)
    assert result.members_added == ("Zed", "Ελένη")
    members = roster.list_members(group)
    assert [m.display_name for m in members][-2:] == ["Zed", "Ελένη"]  # seated after the others
    assert [m.seat for m in members] == list(range(len(members)))
    zed = next(m for m in members if m.display_name == "Zed")
    assert zed.first_visit_on == MAR_10
    assert stored_marks(db, group)[(MAR_17, "Zed")] is P


def test_add_unknown_refuses_a_name_that_is_too_long(db: Database, group: int) -> None:
    p = preview(db, f"Name,2026-03-03\n{'Z' * 81},x\n", add_unknown=True)
    assert [q.kind for q in p.problems] == [ProblemKind.BAD_NAME]
    assert "too long" in p.problems[0].message


# ---- existing meetings and marks ---------------------------------------------------------


def test_existing_meetings_are_reused_and_marks_updated_only_if_different(
    db: Database, group: int, roster: RosterService
) -> None:
    agnes, bartek = member_id(roster, "Ágnes"), member_id(roster, "Bartek")
    meeting = add_meeting(db, group, MAR_3, **{f"m{agnes}": P, f"m{bartek}": A})
    p = preview(db, "Name,2026-03-03,2026-03-10\nÁgnes,x,x\nBartek,L,\nОльга,e,\n")
    assert (p.meetings_created, p.meetings_existing) == (1, 1)
    assert (p.marks_added, p.marks_changed, p.marks_unchanged) == (2, 1, 1)
    first = p.meetings[0]
    assert (first.meeting_id, first.added, first.changed, first.unchanged) == (meeting, 1, 1, 1)
    assert (first.present, first.late, first.excused, first.absent) == (1, 1, 1, 0)
    assert {m.name: m.action for m in p.marks if m.date == MAR_3} == {
        "Ágnes": MarkAction.UNCHANGED,
        "Bartek": MarkAction.CHANGE,
        "Ольга": MarkAction.ADD,
    }
    result = commit_attendance_import(db, p)
    assert (result.marks_added, result.marks_changed, result.marks_unchanged) == (2, 1, 1)
    assert stored_marks(db, group)[(MAR_3, "Bartek")] is L
    with db.session() as s:
        assert s.scalar(select(Meeting.place).where(Meeting.id == meeting)) == "Somewhere else"
        assert s.scalar(select(func.count()).select_from(Meeting)) == 2

    again = preview(db, "Name,2026-03-03,2026-03-10\nÁgnes,x,x\nBartek,L,\nОльга,e,\n")
    assert (again.marks_added, again.marks_changed, again.marks_unchanged) == (0, 0, 4)
    assert not again.has_changes
    before = counts(db)
    assert commit_attendance_import(db, again).marks_unchanged == 4
    assert counts(db) == before


def test_meetings_of_other_groups_are_not_touched(
    db: Database, group: int, roster: RosterService
) -> None:
    other = roster.find_group("Thursday Carers")
    assert other is not None
    add_meeting(db, other.id, MAR_3)
    p = preview(db, "Name,2026-03-03\nÁgnes,x\n")
    assert p.meetings_created == 1


def test_stale_preview_is_refused(db: Database, group: int, roster: RosterService) -> None:
    p = preview(db, "Name,2026-03-03\nÁgnes,x\nBartek,L\n")
    add_meeting(db, group, MAR_3, **{f"m{member_id(roster, 'Bartek')}": A})  # another window
    before = counts(db)
    with pytest.raises(AttendanceOutdatedError, match="preview the file again"):
        commit_attendance_import(db, p)
    assert counts(db) == before

    p = preview(db, "Name,2026-03-03\nÁgnes,x\nBartek,L\n")
    roster.archive_group(group)
    with pytest.raises(AttendanceOutdatedError):
        commit_attendance_import(db, p)
    assert counts(db) == before


def test_stale_preview_after_a_member_joins_is_refused(
    db: Database, group: int, roster: RosterService
) -> None:
    p = preview(db, "Name,2026-03-03\nZed,x\n", add_unknown=True)
    roster.create_member(MemberDraft("Zed"), group_id=group)
    with pytest.raises(AttendanceOutdatedError):
        commit_attendance_import(db, p)
    assert len([m for m in roster.list_members(group) if m.display_name == "Zed"]) == 1


# ---- groups and unusable files -----------------------------------------------------------


def test_the_group_must_exist(db: Database, group: int, roster: RosterService) -> None:
    with pytest.raises(AttendanceImportError) as info:
        preview_attendance_import(db, b"Name,2026-03-03\nZed,x\n", "Friday")
    assert str(info.value) == (
        "There is no group called “Friday”. Your groups: Thursday Carers, Tuesday Circle."
    )
    assert (
        preview_attendance_import(db, b"Name,2026-03-03\n", "  tuesday CIRCLE ").group_id == group
    )
    roster.archive_group(group)
    with pytest.raises(AttendanceImportError, match="archived"):
        preview_attendance_import(db, b"Name,2026-03-03\n", GROUP)


def test_no_groups_yet(db: Database) -> None:
    with pytest.raises(AttendanceImportError, match="no groups yet"):
        preview_attendance_import(db, b"Name,2026-03-03\nZed,x\n", "Friday")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf\r\n ,,\r\n", "empty"),
        (b"Phone,2026-03-03\r\n555-0101,x\r\n", "No column with people's names"),
        (b"Name,Phone,Total\r\nZed,555-0101,3\r\n", "No meeting dates were found"),
        (b"Name,Week 1,Week 2\r\nZed,x,x\r\n", "“Week 1”"),
        (b"PK\x03\x04\x14\x00\x06\x00", "workbook"),
    ],
)
def test_unusable_files_are_refused_clearly(
    db: Database, group: int, data: bytes, words: str
) -> None:
    before = counts(db)
    with pytest.raises(RosterFileError, match=words):
        preview_attendance_import(db, data, GROUP)
    assert counts(db) == before


def test_a_huge_file_is_refused(db: Database, group: int, tmp_path: Path) -> None:
    with pytest.raises(RosterFileError, match="too big"):
        parse_attendance(b"Name,2026-03-03\n" + b"x" * MAX_FILE_BYTES)
    path = tmp_path / "huge.csv"
    with path.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: no real disk space used
    with pytest.raises(RosterFileError, match="“huge.csv” is 50 MB, far too big"):
        read_attendance_file(path)
    with pytest.raises(RosterFileError, match="Could not read"):
        read_attendance_file(tmp_path / "missing.csv")


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 3, 25, 26, 27, 701, 702)] == [
        "A",
        "D",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
