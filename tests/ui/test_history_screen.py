"""The attendance history screen and its models, on a real database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from sqlalchemy import insert

from peercircle.db import Database
from peercircle.db.models import Attendance, Meeting
from peercircle.domain import AttendanceStatus, RoundOrder, TimeMode
from peercircle.services.meeting_types import MeetingDraft
from peercircle.services.meetings import MeetingService
from peercircle.services.roster import GroupDraft, GroupInfo, MemberDraft, RosterService
from peercircle.services.round_engine import RoundSettings, Speaker, TurnRecord
from peercircle.services.rounds import RoundService
from peercircle.ui.meetings.history_models import (
    TALK_TIME_NOTE,
    MeetingAttendanceModel,
    MeetingAttendanceRole,
    MemberAttendanceModel,
    MemberAttendanceRole,
    MemberHistoryModel,
    TalkShareRole,
    format_day,
    format_talk_time,
    spoken_duration,
)
from peercircle.ui.meetings.history_screen import (
    NO_GROUP,
    NO_MEETINGS,
    NOBODY_MISSING,
    HistoryScreen,
)

P, L, E, A = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
)
FIRST = dt.date(2026, 9, 1)  # a Tuesday
DAYS = [FIRST + dt.timedelta(weeks=i) for i in range(12)]
NAME, CAME, LATE, EXCUSED, MISSED, RATE, LAST, TALK, SHARE = range(9)

# Marks per member at the twelve meetings, oldest first ("." = not marked).
MARKS = {
    "Ágnes": "PPPLPAPPEPAP",  # 9 of 12, 1 excused: 82%
    "Bo": "PPPPPPPPPAAA",  # 9 of 12, missed the last three
    "Nguyễn": "......PPPPPP",  # joined at the 7th meeting: 6 of 6
    "Ольга": "PAAAAPAAAAAP",  # 3 of 12: under half, but came last time
    "Kwame": "PPPP........",  # archived after the 4th meeting
}


@dataclass
class Circle:
    group: GroupInfo
    ids: dict[str, int]
    meetings: list[int]


@pytest.fixture
def services(db: Database) -> tuple[MeetingService, RoundService]:
    return MeetingService(db), RoundService(db)


def _round(rounds: RoundService, meeting: int, talk: list[tuple[int, float | None]]) -> None:
    """Save a round's log: (member id, seconds) per turn, None seconds for a pass."""
    turns, offset = [], 0.0
    for position, (member_id, seconds) in enumerate(talk):
        duration = seconds or 0.0
        turns.append(
            TurnRecord(
                speaker=Speaker(f"m{member_id}", "", position, member_id),
                position=position,
                start_offset=offset,
                end_offset=offset + duration,
                duration=duration,
                allotted=180.0,
                passed=seconds is None,
                check_in_later=False,
                came_back=False,
            )
        )
        offset += duration
    settings = RoundSettings(RoundOrder.SEATED, TimeMode.PER_SPEAKER, 180, 30)
    rounds.save_round(meeting, settings, dt.datetime(2026, 11, 10, 19), offset, turns)


@pytest.fixture
def circle(
    db: Database, roster: RosterService, services: tuple[MeetingService, RoundService]
) -> Circle:
    meetings, rounds = services
    group = roster.create_group(GroupDraft("Tuesday Circle", 1, dt.time(18, 30), "Library"))
    ids = {
        name: roster.create_member(
            MemberDraft(name, joined_on=DAYS[6] if name == "Nguyễn" else None), group_id=group.id
        ).id
        for name in MARKS
    }
    # Joined after the last meeting: nothing to count yet.
    ids["Mai"] = roster.create_member(
        MemberDraft("Mai", joined_on=dt.date(2026, 11, 20)), group_id=group.id
    ).id
    topics = ["Boundaries", "", "Sleep"] * 4
    # One transaction for the meetings and marks (each service call commits: slow on disk).
    with db.session() as s:
        rows = [
            Meeting(group_id=group.id, date=day, place="Library", topic=topic)
            for day, topic in zip(DAYS, topics, strict=True)
        ]
        s.add_all(rows)
        s.flush()
        meeting_ids = [m.id for m in rows]
        s.execute(
            insert(Attendance),
            [
                {"meeting_id": meeting, "member_id": ids[name], "status": _STATUS[mark]}
                for name, marks in MARKS.items()
                for meeting, mark in zip(meeting_ids, marks, strict=True)
                if mark != "."
            ],
        )
    roster.archive_member(ids["Kwame"])
    meetings.set_guest_count(meeting_ids[-1], 2)
    _round(
        rounds, meeting_ids[-1], [(ids["Ágnes"], 300), (ids["Nguyễn"], 180), (ids["Ольга"], None)]
    )
    _round(rounds, meeting_ids[-2], [(ids["Ágnes"], 120)])
    return Circle(roster.get_group(group.id), ids, meeting_ids)


_STATUS = {"P": P, "L": L, "E": E, "A": A}


@pytest.fixture
def screen(qtbot, services: tuple[MeetingService, RoundService], circle: Circle) -> HistoryScreen:
    widget = HistoryScreen()
    qtbot.addWidget(widget)
    widget.set_services(*services)
    widget.resize(1100, 700)
    widget.show()
    widget.show_group(circle.group)
    return widget


def cells(model: MemberAttendanceModel | MeetingAttendanceModel, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def row_of(screen: HistoryScreen, name: str) -> int:
    return cells(screen.member_model, NAME).index(name)


def cell(screen: HistoryScreen, name: str, column: int, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
    return screen.member_model.index(row_of(screen, name), column).data(role)


# ---- the models ------------------------------------------------------------------------------


def test_models_pass_the_model_tester(
    qtmodeltester, services: tuple[MeetingService, RoundService], circle: Circle
) -> None:
    meetings, rounds = services
    history = meetings.group_history(circle.group.id)
    members = MemberAttendanceModel()
    members.set_history(history, rounds.talk_time_share(circle.group.id))
    qtmodeltester.check(members)
    members.sort(RATE, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(members)
    by_meeting = MeetingAttendanceModel()
    by_meeting.set_history(history)
    qtmodeltester.check(by_meeting)
    marks = MemberHistoryModel()
    marks.set_marks(meetings.member_history(circle.ids["Nguyễn"], circle.group.id))
    qtmodeltester.check(marks)


def test_formatting_helpers() -> None:
    assert [format_talk_time(s) for s in (0, 59.6, 65, 3725)] == ["0:00", "1:00", "1:05", "1:02:05"]
    assert spoken_duration(3725) == "1 hour 2 minutes"
    assert spoken_duration(61) == "1 minute 1 second"
    assert spoken_duration(0) == "0 seconds"
    day = dt.date(2026, 11, 3)
    assert format_day(day) == "3 Nov 2026"
    assert format_day(day, year=False) == "3 Nov"
    assert format_day(day, weekday=True) == "Tue 3 Nov 2026"


# ---- the screen ------------------------------------------------------------------------------


def test_subtitle_names_the_group_and_counts_meetings(screen: HistoryScreen) -> None:
    assert screen.title.text() == "Attendance"
    assert screen.history is not None and screen.history.average_rate is not None
    average = round(screen.history.average_rate * 100)
    assert screen.subtitle.text() == (
        f"Tuesday Circle · 12 meetings · average attendance {average}%"
    )
    assert screen.stack.currentWidget() is screen.content


def test_members_with_counts_and_percentages(screen: HistoryScreen) -> None:
    model = screen.member_model
    assert cells(model, NAME) == ["Ágnes", "Bo", "Nguyễn", "Ольга", "Kwame", "Mai"]
    assert cells(model, CAME) == ["9 of 12", "9 of 12", "6 of 6", "3 of 12", "4 of 12", "0 of 0"]
    assert cells(model, LATE) == ["1", "0", "0", "0", "0", "0"]
    assert cells(model, EXCUSED) == ["1", "0", "0", "0", "0", "0"]
    # Not marked counts as missed, the way a paper sheet without a tick does.
    assert cells(model, MISSED) == ["2", "3", "0", "9", "8", "0"]
    assert cells(model, RATE) == ["82%", "75%", "100%", "25%", "33%", "–"]
    assert cell(screen, "Bo", LAST) == "27 Oct 2026"
    assert cell(screen, "Mai", LAST) == "—"
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    assert cell(screen, "Bo", CAME, Qt.ItemDataRole.TextAlignmentRole) == right
    assert (
        cell(screen, "Bo", NAME, MemberAttendanceRole).member_id
        == screen.member_model.member_at(1).member_id
    )


def test_low_attendance_is_hinted_in_words_too(screen: HistoryScreen) -> None:
    assert cell(screen, "Ольга", RATE, Qt.ItemDataRole.BackgroundRole) is not None
    assert "Under half" in cell(screen, "Ольга", RATE, Qt.ItemDataRole.ToolTipRole)
    assert cell(screen, "Ольга", RATE, Qt.ItemDataRole.AccessibleTextRole) == "25%, under half"
    assert "Came to 3 of the 12 meetings" in cell(
        screen, "Ольга", RATE, Qt.ItemDataRole.ToolTipRole
    )
    assert cell(screen, "Bo", RATE, Qt.ItemDataRole.BackgroundRole) is None
    assert "Under half" not in cell(screen, "Bo", RATE, Qt.ItemDataRole.ToolTipRole)
    # Someone archived is no longer flagged, only greyed.
    assert cell(screen, "Kwame", RATE, Qt.ItemDataRole.BackgroundRole) is None


def test_archived_members_are_greyed(screen: HistoryScreen) -> None:
    muted = QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
    assert cell(screen, "Kwame", NAME, Qt.ItemDataRole.ForegroundRole).color() == muted
    assert cell(screen, "Kwame", NAME, Qt.ItemDataRole.FontRole).italic()
    assert cell(screen, "Kwame", NAME, Qt.ItemDataRole.AccessibleTextRole) == "Kwame, archived"
    assert "Archived" in cell(screen, "Kwame", NAME, Qt.ItemDataRole.ToolTipRole)
    assert cell(screen, "Bo", NAME, Qt.ItemDataRole.ForegroundRole) is None


def test_talk_time_and_share(screen: HistoryScreen) -> None:
    assert cell(screen, "Ágnes", TALK) == "7:00"
    assert cell(screen, "Ágnes", SHARE) == "70%"
    assert cell(screen, "Nguyễn", TALK) == "3:00"
    assert cell(screen, "Nguyễn", SHARE) == "30%"
    # Passing is not talking; never having been in a round is not either.
    assert cell(screen, "Ольга", TALK) == "—"
    assert cell(screen, "Bo", SHARE) == "—"
    assert cell(screen, "Ágnes", TALK, Qt.ItemDataRole.ToolTipRole) == (
        "7 minutes over 2 turns in 2 rounds; passed 0 times."
    )
    assert cell(screen, "Ольга", TALK, TalkShareRole).passes == 1
    assert cell(screen, "Bo", TALK, TalkShareRole) is None
    assert screen.talk_note.text() == TALK_TIME_NOTE
    assert "never shown on the projector" in screen.member_model.headerData(
        TALK, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )


def test_missed_the_last_two_panel(screen: HistoryScreen) -> None:
    # Kwame missed the last eight but is archived; Ольга came last time.
    assert screen.missed_lines() == ["Bo — missed 3 in a row, last came 27 Oct"]
    assert screen.missed_empty.isHidden()
    assert screen.missed_labels[0].isVisible()


def test_panel_says_so_when_everyone_has_been_coming(
    qtbot, roster: RosterService, services: tuple[MeetingService, RoundService]
) -> None:
    meetings, _rounds = services
    group = roster.create_group(GroupDraft("Friday Circle", 4))
    zofia = roster.create_member(MemberDraft("Zofia"), group_id=group.id).id
    for day in DAYS[:3]:
        meeting = meetings.create_meeting(group.id, MeetingDraft(day)).id
        meetings.set_attendance(meeting, zofia, P)
    screen = HistoryScreen()
    qtbot.addWidget(screen)
    screen.set_services(*services)
    screen.show()
    screen.show_group(roster.get_group(group.id))
    assert screen.missed_lines() == []
    assert screen.missed_empty.isVisible()
    assert screen.missed_empty.text() == NOBODY_MISSING
    assert screen.subtitle.text() == "Friday Circle · 3 meetings · average attendance 100%"
    # No rounds yet: the note says where talk time will come from.
    assert "once a sharing round has been recorded" in screen.talk_note.text()


def test_empty_group_and_no_group(
    qtbot, roster: RosterService, services: tuple[MeetingService, RoundService], circle: Circle
) -> None:
    screen = HistoryScreen()
    qtbot.addWidget(screen)
    screen.show()
    screen.show_group(circle.group)  # no services yet: nothing to read
    assert screen.stack.currentWidget() is screen.empty_message
    screen.set_services(*services)
    empty = roster.create_group(GroupDraft("Thursday Newcomers"))
    screen.show_group(empty)
    assert screen.stack.currentWidget() is screen.empty_message
    assert screen.empty_message.text() == NO_MEETINGS
    assert screen.subtitle.text() == "Thursday Newcomers · no meetings yet"
    assert screen.member_model.rowCount() == 0
    screen.show_group(circle.group)
    assert screen.stack.currentWidget() is screen.content
    screen.show_group(None)
    assert screen.empty_message.text() == NO_GROUP
    assert screen.member_model.rowCount() == 0
    assert screen.subtitle.text() == ""


def _click_header(qtbot, screen: HistoryScreen, section: int) -> None:  # type: ignore[no-untyped-def]
    header = screen.member_table.horizontalHeader()
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


def test_sorting_by_attendance_puts_the_lowest_first(qtbot, screen: HistoryScreen) -> None:
    _click_header(qtbot, screen, RATE)
    assert cells(screen.member_model, NAME) == ["Ольга", "Kwame", "Bo", "Ágnes", "Nguyễn", "Mai"]
    _click_header(qtbot, screen, RATE)
    # Mai has no meetings to count yet: she stays at the bottom either way.
    assert cells(screen.member_model, NAME) == ["Nguyễn", "Ágnes", "Bo", "Kwame", "Ольга", "Mai"]
    _click_header(qtbot, screen, RATE)  # a third click: back to seating order
    assert cells(screen.member_model, NAME) == ["Ágnes", "Bo", "Nguyễn", "Ольга", "Kwame", "Mai"]


def test_sorting_by_numbers_not_text(screen: HistoryScreen) -> None:
    model = screen.member_model
    model.sort(CAME, Qt.SortOrder.DescendingOrder)  # "9 of 12" above "6 of 6" above "3 of 12"
    assert cells(model, CAME) == ["9 of 12", "9 of 12", "6 of 6", "4 of 12", "3 of 12", "0 of 0"]
    model.sort(TALK, Qt.SortOrder.AscendingOrder)
    assert cells(model, TALK)[:2] == ["3:00", "7:00"]
    assert set(cells(model, TALK)[2:]) == {"—"}
    model.sort(LAST, Qt.SortOrder.DescendingOrder)
    assert cells(model, NAME)[-1] == "Mai"


def test_refresh_keeps_the_sort_and_the_selected_member(
    screen: HistoryScreen, services: tuple[MeetingService, RoundService], circle: Circle
) -> None:
    screen.member_table.sortByColumn(RATE, Qt.SortOrder.AscendingOrder)
    assert screen.select_member(circle.ids["Bo"])
    meetings, _rounds = services
    meetings.set_attendance(circle.meetings[-1], circle.ids["Bo"], P)
    screen.refresh()
    assert cells(screen.member_model, NAME)[0] == "Ольга"
    selected = screen.selected_member()
    assert selected is not None and selected.display_name == "Bo"
    assert selected.attended == 10
    assert screen.missed_lines() == []


def test_meetings_newest_first_with_counts(screen: HistoryScreen) -> None:
    model = screen.meeting_model
    assert model.rowCount() == 12
    assert cells(model, 0)[0] == "Tue 17 Nov 2026"
    assert cells(model, 1)[:3] == ["Sleep", "", "Boundaries"]
    # Expected at the last meeting: Ágnes, Bo, Nguyễn, Ольга (Kwame is archived).
    assert cells(model, 2)[0] == "3 of 4"
    assert cells(model, 5)[0] == "2"  # guests
    assert cells(model, 6)[0] == "75%"
    assert cells(model, 7)[:3] == ["✓", "✓", ""]
    tip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Tue 17 Nov 2026 · Library"
    assert model.index(0, 0).data(MeetingAttendanceRole).meeting.id is not None
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert cells(model, 0)[0] == "Tue 1 Sep 2026"


def test_enter_on_a_member_shows_their_history(qtbot, screen: HistoryScreen) -> None:
    assert not screen.history_button.isEnabled()
    screen.member_table.setFocus()
    qtbot.keyClick(screen.member_table, Qt.Key.Key_Home)  # the first row, then Bo
    qtbot.keyClick(screen.member_table, Qt.Key.Key_Down)
    assert screen.history_button.isEnabled()
    qtbot.keyClick(screen.member_table, Qt.Key.Key_Return)
    dialog = screen.member_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.heading.text() == "Bo"
    assert dialog.summary.text() == "Came to 9 of 12 meetings · 75% · last came Tue 27 Oct 2026"
    assert dialog.talk.text() == "No talk time recorded in sharing rounds."
    marks = [dialog.model.index(r, 2).data() for r in range(dialog.model.rowCount())]
    assert marks == ["Absent"] * 3 + ["Present"] * 9
    assert dialog.model.index(0, 0).data() == "Tue 17 Nov 2026"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_history_shows_meetings_before_joining_and_talk(
    qtbot, screen: HistoryScreen, circle: Circle
) -> None:
    screen.select_member(circle.ids["Nguyễn"])
    qtbot.mouseClick(screen.history_button, Qt.MouseButton.LeftButton)
    dialog = screen.member_dialog
    assert dialog is not None and dialog.isVisible()
    marks = [dialog.model.index(r, 2).data() for r in range(dialog.model.rowCount())]
    assert marks == ["Present"] * 6 + ["(before they joined)"] * 6
    assert dialog.talk.text() == (
        "Talk time 3:00 in 1 round (about 3:00 a round). "
        "For you only — never shown on the projector."
    )
    before = dialog.model.index(11, 2)
    assert "does not count" in before.data(Qt.ItemDataRole.ToolTipRole)
    assert before.data(Qt.ItemDataRole.ForegroundRole) is not None


def test_name_in_the_missed_panel_opens_their_history(
    screen: HistoryScreen, circle: Circle
) -> None:
    [label] = screen.missed_labels
    assert label.focusPolicy() & Qt.FocusPolicy.TabFocus
    label.linkActivated.emit(f"member:{circle.ids['Bo']}")
    assert screen.member_dialog is not None and screen.member_dialog.heading.text() == "Bo"
