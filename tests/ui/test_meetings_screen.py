"""The meetings screen: planning a meeting, one-key check-in, guests and newcomers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from peercircle.db import Database
from peercircle.domain import AttendanceStatus
from peercircle.services.meeting_types import MeetingDraft
from peercircle.services.meetings import MeetingService
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.ui.meetings.check_in_model import NAME, STATUS, WELCOME, CheckInModel
from peercircle.ui.meetings.check_in_panel import counts_text
from peercircle.ui.meetings.meeting_dialog import MeetingDialog
from peercircle.ui.meetings.meeting_list_model import MeetingListModel
from peercircle.ui.meetings.meetings_screen import MeetingsScreen
from peercircle.ui.meetings.newcomer_dialog import NewcomerDialog
from peercircle.ui.meetings.status_delegate import segment_rects

TODAY = dt.date(2026, 11, 24)  # a Tuesday
P, L, E, A = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
)


@pytest.fixture
def meetings(db: Database) -> MeetingService:
    return MeetingService(db)


@pytest.fixture
def group_id(roster: RosterService) -> int:
    group = roster.create_group(GroupDraft("Tuesday Circle", 1, dt.time(18, 30), "Library"))
    for name in ("Ágnes", "Bo", "Ольга", "Kwame"):
        roster.create_member(MemberDraft(name, joined_on=dt.date(2026, 1, 6)), group_id=group.id)
    return group.id


@pytest.fixture
def screen(qtbot, dialogs, meetings: MeetingService, roster: RosterService, group_id: int):  # type: ignore[no-untyped-def]
    widget = MeetingsScreen(dialogs, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.set_services(meetings)
    widget.show_group(roster.get_group(group_id))
    widget.resize(1100, 700)
    widget.show()
    return widget


def test_models_pass_the_model_tester(
    qtmodeltester, meetings: MeetingService, group_id: int
) -> None:
    meeting = meetings.create_meeting(group_id, MeetingDraft(TODAY)).id
    check_in = CheckInModel(lambda _member, _status: True)
    check_in.set_rows(meetings.check_in_rows(meeting))
    qtmodeltester.check(check_in)
    listed = MeetingListModel()
    listed.set_meetings(meetings.list_meetings(group_id))
    qtmodeltester.check(listed)


def test_no_meetings_yet_shows_a_friendly_message(screen: MeetingsScreen) -> None:
    assert screen.right.currentWidget() is screen.empty
    assert "No meetings yet" in screen.empty.text()
    assert not screen.delete_button.isEnabled()


def test_new_meeting_is_suggested_for_the_groups_day(
    screen: MeetingsScreen,
    meetings: MeetingService,
    group_id: int,
    answer_dialog: Callable[[Callable[[QWidget], None]], None],
) -> None:
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, MeetingDialog)
        draft = dialog.draft()
        assert draft.date == TODAY
        assert draft.starts_at == dt.time(18, 30)
        assert draft.place == "Library"
        dialog.topic.insert("Asking for help")
        dialog.save_button.click()

    answer_dialog(fill)
    screen.new_meeting()
    [meeting] = meetings.list_meetings(group_id)
    assert meeting.topic == "Asking for help"
    assert screen.right.currentWidget() is screen.check_in
    assert "Asking for help" in screen.check_in.title.text()
    assert screen.current_meeting() == meeting


def test_meeting_dialog_checks_the_times(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = MeetingDialog(
        MeetingDraft(TODAY, dt.time(18, 30), dt.time(20, 0)), new=True, parent=None
    )
    qtbot.addWidget(dialog)
    dialog.ends.setTime(dialog.starts.time().addSecs(-60))
    assert not dialog.save_button.isEnabled()
    assert "end after it starts" in dialog.error.text()
    dialog.has_time.setChecked(False)
    assert dialog.save_button.isEnabled()
    assert dialog.draft().starts_at is None


def test_check_in_by_keyboard_marks_and_moves_down(
    qtbot, screen: MeetingsScreen, meetings: MeetingService, group_id: int
) -> None:  # type: ignore[no-untyped-def]
    meeting = meetings.create_meeting(group_id, MeetingDraft(TODAY)).id
    screen.refresh()
    table = screen.check_in.table
    table.setFocus()
    for key in (Qt.Key.Key_P, Qt.Key.Key_L, Qt.Key.Key_E, Qt.Key.Key_A):
        qtbot.keyClick(table, key)
    rows = {r.display_name: r.status for r in meetings.check_in_rows(meeting)}
    assert rows == {"Ágnes": P, "Bo": L, "Ольга": E, "Kwame": A}
    assert screen.check_in.counts.text() == counts_text(meetings.counts(meeting))
    assert screen.check_in.counts.text().startswith("2 in the room · 1 present · 1 late")
    # Delete clears the mark of the selected row and stays on it.
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert meetings.check_in_rows(meeting)[3].status is None
    assert table.currentIndex().row() == 3
    # The list on the left follows the counts.
    assert "2 came" in screen.model.index(0).data()


def test_one_click_on_a_segment_marks_and_a_second_click_clears(
    qtbot, screen: MeetingsScreen, meetings: MeetingService, group_id: int
) -> None:  # type: ignore[no-untyped-def]
    meeting = meetings.create_meeting(group_id, MeetingDraft(TODAY)).id
    screen.refresh()
    table = screen.check_in.table
    cell = table.visualRect(screen.check_in.model.index(1, STATUS))
    rects = dict(segment_rects(cell))
    late = rects[L].center().toPoint()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=late)
    assert meetings.check_in_rows(meeting)[1].status is L
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=late)
    assert meetings.check_in_rows(meeting)[1].status is None
    outside = cell.bottomRight() - QPoint(2, 2)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=outside)
    assert meetings.check_in_rows(meeting)[1].status is None


def test_guests_are_counted(
    screen: MeetingsScreen, meetings: MeetingService, group_id: int
) -> None:
    meeting = meetings.create_meeting(group_id, MeetingDraft(TODAY)).id
    screen.refresh()
    screen.check_in.guests.setValue(3)
    assert meetings.get_meeting(meeting).guest_count == 3
    assert "3 in the room" in screen.check_in.counts.text()
    assert "3 guests" in screen.model.index(0).data()


def test_newcomer_added_on_the_spot(
    screen: MeetingsScreen,
    meetings: MeetingService,
    roster: RosterService,
    group_id: int,
    qtbot,  # type: ignore[no-untyped-def]
    answer_dialog: Callable[[Callable[[QWidget], None]], None],
) -> None:
    meeting = meetings.create_meeting(group_id, MeetingDraft(TODAY)).id
    screen.refresh()

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, NewcomerDialog)
        assert not dialog.add_button.isEnabled()
        dialog.name.insert("Nguyễn Văn An")
        dialog.late.setChecked(True)
        dialog.add_button.click()

    answer_dialog(fill)
    with qtbot.waitSignal(screen.members_added):
        screen.check_in.newcomer_button.click()
    rows = meetings.check_in_rows(meeting)
    assert rows[-1].display_name == "Nguyễn Văn An"
    assert rows[-1].status is L
    model = screen.check_in.model
    assert model.rowCount() == 5
    assert "First visit" in model.index(4, WELCOME).data()
    assert screen.check_in.table.currentIndex().row() == 4
    assert roster.get_member(rows[-1].member_id).first_visit_on == TODAY


def test_newcomer_dialog_shows_what_is_wrong(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = NewcomerDialog()
    qtbot.addWidget(dialog)
    dialog.name.insert("Samir")
    dialog.email.insert("not an address")
    dialog.add_button.click()
    assert not dialog.result()
    assert "e-mail" in dialog.error.text()


def test_welcome_markers_are_shown(
    screen: MeetingsScreen, meetings: MeetingService, roster: RosterService, group_id: int
) -> None:
    ids = [m.id for m in roster.list_members(group_id)]
    earlier = [
        meetings.create_meeting(group_id, MeetingDraft(TODAY - dt.timedelta(weeks=w))).id
        for w in (3, 2, 1)
    ]
    meetings.set_attendance(earlier[0], ids[1], P)
    meetings.create_meeting(group_id, MeetingDraft(TODAY))
    screen.refresh()
    model = screen.check_in.model
    assert model.index(1, NAME).data() == "Bo"
    assert "Back after missing 2" in model.index(1, WELCOME).data()
    assert model.index(0, WELCOME).data() == ""


def test_delete_meeting_asks_first(
    screen: MeetingsScreen, meetings: MeetingService, group_id: int, dialogs
) -> None:  # type: ignore[no-untyped-def]
    meetings.create_meeting(group_id, MeetingDraft(TODAY))
    screen.refresh()
    dialogs.confirm_answer = False
    screen.delete_button.click()
    assert len(meetings.list_meetings(group_id)) == 1
    dialogs.confirm_answer = True
    screen.delete_button.click()
    assert meetings.list_meetings(group_id) == []
    assert "cannot be undone" in dialogs.asked[-1][1]
    assert screen.right.currentWidget() is screen.empty


def test_todays_meeting_is_chosen_when_the_group_opens(
    screen: MeetingsScreen, meetings: MeetingService, group_id: int, roster: RosterService
) -> None:
    today = meetings.create_meeting(group_id, MeetingDraft(TODAY)).id
    meetings.create_meeting(group_id, MeetingDraft(TODAY + dt.timedelta(weeks=1)))
    screen.show_group(roster.get_group(group_id))
    current = screen.current_meeting()
    assert current is not None and current.id == today


def test_round_button_asks_for_a_round_at_this_meeting(
    qtbot, screen: MeetingsScreen, meetings: MeetingService, group_id: int
) -> None:  # type: ignore[no-untyped-def]
    meeting = meetings.create_meeting(group_id, MeetingDraft(TODAY)).id
    screen.refresh()
    with qtbot.waitSignal(screen.round_requested) as signal:
        screen.check_in.round_button.click()
    assert signal.args == [meeting]
    assert not screen.check_in.summary_button.isVisible()
