"""The attendance import dialog: preview, problems with row and column, all-or-nothing commit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractTableModel
from sqlalchemy import func, select

from peercircle.db import Database
from peercircle.db.models import Attendance, Meeting
from peercircle.domain import AttendanceStatus
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.ui.attendance_import_dialog import AttendanceImportDialog

GROUP = "Tuesday Circle"


@pytest.fixture
def group(roster: RosterService) -> int:
    roster.create_group(GroupDraft("Saturday Walk & Talk"))
    group = roster.create_group(GroupDraft(GROUP, place="Willow Lane Library"))
    for name in ("Ágnes", "Bartek", "Ольга"):
        roster.create_member(MemberDraft(name), group_id=group.id)
    return group.id


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def rows(model: QAbstractTableModel) -> list[tuple[str, ...]]:
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def marks_stored(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Attendance)) or 0


def open_dialog(qtbot, db, roster, path: Path, group: str = GROUP) -> AttendanceImportDialog:  # type: ignore[no-untyped-def]
    dialog = AttendanceImportDialog(db, roster, path, group)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_clean_grid_previews_meetings_and_imports(
    qtbot, db: Database, roster: RosterService, group: int, tmp_path: Path, qtmodeltester
) -> None:
    source = write(
        tmp_path / "spring.csv",
        "Name;2026-03-03;2026-03-10;Total\r\nÁgnes;x;L;2\r\nbartek;✓;;1\r\nОльга;e;a;0\r\n",
        "utf-8-sig",
    )
    dialog = open_dialog(qtbot, db, roster, source)
    qtmodeltester.check(dialog.meetings_model, force_py=True)
    qtmodeltester.check(dialog.problems_model, force_py=True)
    assert dialog.group.currentText() == GROUP
    assert "a grid (one column per meeting)" in dialog.file_label.text()
    assert "UTF-8 with BOM, semicolon-separated" in dialog.file_label.text()
    assert dialog.summary.text() == (
        "2 meetings from Tue 3 Mar 2026 to Tue 10 Mar 2026 (all new) · 5 marks to add"
    )
    assert rows(dialog.meetings_model) == [
        ("Tue 3 Mar 2026", "New", "2", "0", "1", "0", "3 to add"),
        ("Tue 10 Mar 2026", "New", "0", "1", "0", "1", "2 to add"),
    ]
    assert dialog.meetings_table.isVisible() and not dialog.problems_table.isVisible()
    assert not dialog.message.isVisible() and not dialog.add_unknown.isVisible()
    assert dialog.ignored.isVisible() and "“Total”" in dialog.ignored.text()
    assert dialog.import_button.isEnabled()

    dialog.import_button.click()
    assert dialog.result() == AttendanceImportDialog.DialogCode.Accepted
    assert dialog.result_summary == (
        "Imported attendance into “Tuesday Circle”: 5 marks added, 2 new meetings."
    )
    assert marks_stored(db) == 5


def test_problems_are_listed_and_import_is_disabled(
    qtbot, db: Database, roster: RosterService, group: int, tmp_path: Path, qtmodeltester
) -> None:
    source = write(
        tmp_path / "paper.csv",
        "Date,Name,Status\n2026-03-03,Ágnes,x\n2026-03-03,Bartek,??\n2026-02-30,Ольга,x\n"
        "2026-03-03,Zed,x\n2026-03-03,Ελένη,L\n",
    )
    dialog = open_dialog(qtbot, db, roster, source)
    qtmodeltester.check(dialog.problems_model, force_py=True)
    assert "a list (one line per person per meeting)" in dialog.file_label.text()
    assert rows(dialog.problems_model) == [
        (
            "3",
            "C (Status)",
            "“??” is not a mark PeerCircle knows "
            "(x = present, L = late, E = excused, A = absent, blank = not marked).",
        ),
        (
            "4",
            "A (Date)",
            "“2026-02-30” is not a date PeerCircle can read (write dates like 2026-03-03).",
        ),
        ("5", "B (Name)", "“Zed” is not a member of Tuesday Circle."),
        ("6", "B (Name)", "“Ελένη” is not a member of Tuesday Circle."),
    ]
    assert dialog.problems_table.isVisible() and not dialog.meetings_table.isVisible()
    assert dialog.message.isVisible()
    assert "these 4 problems" in dialog.message.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.add_unknown.isVisible()
    assert dialog.add_unknown.text() == (
        "Add the 2 unknown names as new members of Tuesday Circle (Zed, Ελένη)"
    )
    dialog.add_unknown.setChecked(True)
    assert [r[0] for r in rows(dialog.problems_model)] == ["3", "4"]  # names resolved
    assert "these 2 problems" in dialog.message.text()
    assert not dialog.import_button.isEnabled()
    dialog.buttons.accepted.emit()  # even if asked, nothing is written
    assert dialog.result_summary is None
    assert marks_stored(db) == 0
    assert len(roster.list_members(group)) == 3


def test_adding_unknown_names_makes_the_file_clean(
    qtbot, db: Database, roster: RosterService, group: int, tmp_path: Path
) -> None:
    source = write(tmp_path / "grid.csv", "Name,3/3/2026,10/3/2026\nÁgnes,x,x\nZed,,L\n")
    dialog = open_dialog(qtbot, db, roster, source)
    assert dialog.add_unknown.text() == "Add “Zed” as a new member of Tuesday Circle"
    assert not dialog.import_button.isEnabled()
    dialog.add_unknown.setChecked(True)
    assert dialog.import_button.isEnabled()
    assert dialog.meetings_table.isVisible()
    assert dialog.summary.text().endswith("3 marks to add · 1 new member")
    dialog.import_button.click()
    assert dialog.result_summary is not None and "1 new member" in dialog.result_summary
    zed = next(m for m in roster.list_members(group) if m.display_name == "Zed")
    assert zed.first_visit_on == dt.date(2026, 3, 10)


def test_changing_the_group_previews_again(
    qtbot, db: Database, roster: RosterService, group: int, tmp_path: Path
) -> None:
    source = write(tmp_path / "x.csv", "Name,2026-03-03\nÁgnes,x\n")
    dialog = open_dialog(qtbot, db, roster, source, "no such group")
    assert dialog.group.currentIndex() == -1
    assert not dialog.import_button.isEnabled()
    assert dialog.summary.text() == "Choose the group these meetings belong to."
    dialog.group.setCurrentText("Saturday Walk & Talk")
    assert dialog.preview is not None and dialog.preview.group_name == "Saturday Walk & Talk"
    problem = rows(dialog.problems_model)[0][2]
    assert problem.startswith("“Ágnes” is not a member of Saturday Walk & Talk.")
    assert "Someone of that name is in your roster" in problem
    dialog.group.setCurrentText(GROUP)
    assert dialog.import_button.isEnabled()


def test_existing_marks_show_as_changed_or_recorded(
    qtbot, db: Database, roster: RosterService, group: int, tmp_path: Path
) -> None:
    ids = {m.display_name: m.id for m in roster.list_members(group)}
    with db.session() as s:
        meeting = Meeting(group_id=group, date=dt.date(2026, 3, 3))
        s.add(meeting)
        s.flush()
        s.add(Attendance(meeting_id=meeting.id, member_id=ids["Ágnes"], status="present"))
        s.add(Attendance(meeting_id=meeting.id, member_id=ids["Bartek"], status="absent"))
    source = write(tmp_path / "x.csv", "Name,2026-03-03\nÁgnes,x\nBartek,late\nОльга,x\n")
    dialog = open_dialog(qtbot, db, roster, source)
    assert dialog.summary.text() == (
        "1 meeting on Tue 3 Mar 2026 · 1 mark to add · 1 to change · 1 already recorded"
    )
    assert rows(dialog.meetings_model) == [
        (
            "Tue 3 Mar 2026",
            "Already in PeerCircle",
            "2",
            "1",
            "0",
            "0",
            "1 to add · 1 to change · 1 already recorded",
        )
    ]
    dialog.import_button.click()
    with db.session() as s:
        status = s.scalar(select(Attendance.status).where(Attendance.member_id == ids["Bartek"]))
    assert status is AttendanceStatus.LATE


def test_unusable_file_is_refused_clearly(
    qtbot, db: Database, roster: RosterService, group: int, tmp_path: Path
) -> None:
    source = write(tmp_path / "x.csv", "Phone,Total\n555-0101,3\n")
    dialog = open_dialog(qtbot, db, roster, source)
    assert dialog.message.isVisible()
    assert "No column with people's names" in dialog.message.text()
    assert dialog.summary.text() == "Nothing will be imported."
    assert not dialog.import_button.isEnabled()
    assert dialog.meetings_model.rowCount() == 0

    missing = open_dialog(qtbot, db, roster, tmp_path / "missing.csv")
    assert "Could not read" in missing.message.text()
    assert not missing.meetings_table.isVisible()
    assert not missing.import_button.isEnabled()


def test_no_groups_yet(qtbot, db: Database, roster: RosterService, tmp_path: Path) -> None:
    source = write(tmp_path / "x.csv", "Name,2026-03-03\nÁgnes,x\n")
    dialog = open_dialog(qtbot, db, roster, source)
    assert dialog.group.count() == 0
    assert "no groups yet" in dialog.message.text()
    assert not dialog.import_button.isEnabled()


def test_changes_after_preview_are_caught(
    qtbot, db: Database, roster: RosterService, group: int, tmp_path: Path
) -> None:
    source = write(tmp_path / "x.csv", "Name,2026-03-03\nÁgnes,x\n")
    dialog = open_dialog(qtbot, db, roster, source)
    with db.session() as s:  # another window records the meeting meanwhile
        s.add(Meeting(group_id=group, date=dt.date(2026, 3, 3)))
    dialog.import_button.click()
    assert dialog.result() != AttendanceImportDialog.DialogCode.Accepted
    assert dialog.message.isVisible() and "preview" in dialog.message.text()
    assert marks_stored(db) == 0
    # The preview was made again: it now uses the meeting that exists.
    assert rows(dialog.meetings_model)[0][1] == "Already in PeerCircle"
    dialog.import_button.click()
    assert dialog.result() == AttendanceImportDialog.DialogCode.Accepted
    assert marks_stored(db) == 1
