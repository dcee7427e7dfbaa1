"""Meetings, check-in and attendance history, on a real SQLite file."""

from __future__ import annotations

import datetime as dt

import pytest

from peercircle.db import Database
from peercircle.domain import AttendanceStatus, MemberStatus
from peercircle.services.meeting_types import (
    MarkerKind,
    MeetingDraft,
    add_months,
    format_rate,
    milestone_between,
)
from peercircle.services.meetings import MeetingService
from peercircle.services.roster import (
    ChangedElsewhereError,
    GroupDraft,
    MemberDraft,
    NotFoundError,
    RosterService,
    ValidationError,
)

P, L, E, A = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
)
TUESDAY = dt.date(2026, 11, 24)


@pytest.fixture
def meetings(db: Database) -> MeetingService:
    return MeetingService(db)


@pytest.fixture
def group_id(roster: RosterService) -> int:
    return roster.create_group(
        GroupDraft("Tuesday Circle", 1, dt.time(18, 30), "Willow Lane Library")
    ).id


def _member(roster: RosterService, group_id: int, name: str, **kwargs: object) -> int:
    return roster.create_member(MemberDraft(name, **kwargs), group_id=group_id).id  # type: ignore[arg-type]


def _weekly(meetings: MeetingService, group_id: int, first: dt.date, n: int) -> list[int]:
    return [
        meetings.create_meeting(group_id, MeetingDraft(first + dt.timedelta(weeks=i))).id
        for i in range(n)
    ]


# ---- meetings ------------------------------------------------------------------------------


def test_next_date_is_the_groups_weekday_and_skips_taken_days(
    meetings: MeetingService, group_id: int
) -> None:
    monday = dt.date(2026, 11, 23)
    assert meetings.suggest_next_date(group_id, monday) == TUESDAY
    assert meetings.suggest_next_date(group_id, TUESDAY) == TUESDAY
    meetings.create_meeting(group_id, MeetingDraft(TUESDAY))
    assert meetings.suggest_next_date(group_id, monday) == TUESDAY + dt.timedelta(weeks=1)


def test_group_without_a_weekday_suggests_today(
    meetings: MeetingService, roster: RosterService
) -> None:
    gid = roster.create_group(GroupDraft("Whenever")).id
    assert meetings.suggest_next_date(gid, TUESDAY) == TUESDAY
    meetings.create_meeting(gid, MeetingDraft(TUESDAY))
    assert meetings.suggest_next_date(gid, TUESDAY) == TUESDAY + dt.timedelta(days=1)


def test_new_meeting_draft_takes_time_place_and_last_facilitator(
    meetings: MeetingService, group_id: int
) -> None:
    meetings.create_meeting(group_id, MeetingDraft(dt.date(2026, 11, 17), facilitator="Ágnes"))
    draft = meetings.new_meeting_draft(group_id, dt.date(2026, 11, 20))
    assert draft.date == TUESDAY
    assert draft.starts_at == dt.time(18, 30)
    assert draft.ends_at == dt.time(20, 0)
    assert draft.place == "Willow Lane Library"
    assert draft.facilitator == "Ágnes"


def test_meetings_are_listed_newest_first_with_counts(
    meetings: MeetingService, roster: RosterService, group_id: int
) -> None:
    ann = _member(roster, group_id, "Ann")
    bo = _member(roster, group_id, "Bo")
    first, second = _weekly(meetings, group_id, dt.date(2026, 11, 10), 2)
    meetings.set_attendance(first, ann, P)
    meetings.set_attendance(first, bo, L)
    meetings.set_attendance(second, bo, E)
    listed = meetings.list_meetings(group_id)
    assert [m.id for m in listed] == [second, first]
    assert (listed[1].present, listed[1].late, listed[1].attended) == (1, 1, 2)
    assert (listed[0].excused, listed[0].attended) == (1, 0)
    assert listed[0].when.startswith("Tue 17 Nov 2026")


def test_meeting_dates_are_unique_per_group_and_checked(
    meetings: MeetingService, group_id: int
) -> None:
    meetings.create_meeting(group_id, MeetingDraft(TUESDAY))
    with pytest.raises(ValidationError) as err:
        meetings.create_meeting(group_id, MeetingDraft(TUESDAY))
    assert "already has a meeting" in err.value.errors["date"]
    with pytest.raises(ValidationError) as err:
        meetings.create_meeting(
            group_id,
            MeetingDraft(
                dt.date(2026, 12, 1), starts_at=dt.time(19), ends_at=dt.time(18), topic="x" * 300
            ),
        )
    assert set(err.value.errors) == {"ends_at", "topic"}


def test_update_refuses_a_stale_version_and_delete_removes_attendance(
    meetings: MeetingService, roster: RosterService, group_id: int
) -> None:
    ann = _member(roster, group_id, "Ann")
    meeting = meetings.create_meeting(group_id, MeetingDraft(TUESDAY, topic="Sleep"))
    meetings.set_attendance(meeting.id, ann, P)
    updated = meetings.update_meeting(
        meeting.id, MeetingDraft(TUESDAY, topic="  Rest  "), expected_version=meeting.version
    )
    assert updated.topic == "Rest"
    with pytest.raises(ChangedElsewhereError):
        meetings.update_meeting(meeting.id, MeetingDraft(TUESDAY), expected_version=meeting.version)
    meetings.delete_meeting(meeting.id)
    assert meetings.list_meetings(group_id) == []
    assert meetings.group_history(group_id).members[0].expected == 0
    with pytest.raises(NotFoundError):
        meetings.get_meeting(meeting.id)


# ---- check-in -----------------------------------------------------------------------------


def test_check_in_marks_clears_and_counts(
    meetings: MeetingService, roster: RosterService, group_id: int
) -> None:
    ids = [_member(roster, group_id, name) for name in ("Ann", "Ольга", "Nguyễn", "Kwame")]
    meeting = meetings.create_meeting(group_id, MeetingDraft(TUESDAY)).id
    meetings.set_attendance(meeting, ids[0], P)
    meetings.set_attendance(meeting, ids[1], L)
    meetings.set_attendance(meeting, ids[2], E)
    meetings.set_attendance(meeting, ids[2], A)  # changed their mind: overwrite
    meetings.set_guest_count(meeting, 2)
    counts = meetings.counts(meeting)
    assert (counts.present, counts.late, counts.excused, counts.absent) == (1, 1, 0, 1)
    assert (counts.unmarked, counts.guests, counts.in_the_room) == (1, 2, 4)
    meetings.set_attendance(meeting, ids[0], None)
    rows = meetings.check_in_rows(meeting)
    assert [r.display_name for r in rows] == ["Ann", "Ольга", "Nguyễn", "Kwame"]
    assert [r.status for r in rows] == [None, L, A, None]


def test_guest_count_is_checked(meetings: MeetingService, group_id: int) -> None:
    meeting = meetings.create_meeting(group_id, MeetingDraft(TUESDAY)).id
    with pytest.raises(ValidationError):
        meetings.set_guest_count(meeting, -1)
    assert meetings.get_meeting(meeting).guest_count == 0


def test_archived_members_only_show_if_already_marked(
    meetings: MeetingService, roster: RosterService, group_id: int
) -> None:
    ann = _member(roster, group_id, "Ann")
    bo = _member(roster, group_id, "Bo")
    meeting = meetings.create_meeting(group_id, MeetingDraft(TUESDAY)).id
    meetings.set_attendance(meeting, bo, P)
    roster.archive_member(ann)
    roster.archive_member(bo)
    assert [(r.display_name, r.archived) for r in meetings.check_in_rows(meeting)] == [("Bo", True)]


def test_newcomer_joins_the_group_with_a_first_visit_and_is_checked_in(
    meetings: MeetingService, roster: RosterService, group_id: int
) -> None:
    _member(roster, group_id, "Ann")
    meeting = meetings.create_meeting(group_id, MeetingDraft(TUESDAY)).id
    row = meetings.add_newcomer(meeting, MemberDraft("  Samir ", pronouns="he/him"))
    assert row.display_name == "Samir"
    assert row.status is P
    assert [m.kind for m in row.markers] == [MarkerKind.FIRST_VISIT]
    member = roster.get_member(row.member_id)
    assert member.first_visit_on == TUESDAY
    assert member.joined_on == TUESDAY
    assert [m.display_name for m in roster.list_members(group_id)] == ["Ann", "Samir"]
    with pytest.raises(ValidationError):
        meetings.add_newcomer(meeting, MemberDraft("   "))
    assert roster.count_members() == 2


def test_back_after_missing_two_or_more(
    meetings: MeetingService, roster: RosterService, group_id: int
) -> None:
    ann = _member(roster, group_id, "Ann", joined_on=dt.date(2026, 1, 5))
    bo = _member(roster, group_id, "Bo", joined_on=dt.date(2026, 1, 5))
    ids = _weekly(meetings, group_id, dt.date(2026, 10, 27), 5)
    meetings.set_attendance(ids[0], ann, P)
    meetings.set_attendance(ids[1], ann, A)
    meetings.set_attendance(ids[2], ann, E)  # excused still counts as missed, for a welcome
    for m in ids[:4]:
        meetings.set_attendance(m, bo, P)
    rows = {r.display_name: r for r in meetings.check_in_rows(ids[4])}
    assert [m.text for m in rows["Ann"].markers] == ["Back after missing 3"]
    assert rows["Bo"].markers == ()


def test_someone_who_never_came_is_not_welcomed_back(
    meetings: MeetingService, roster: RosterService, group_id: int
) -> None:
    _member(roster, group_id, "Ann", joined_on=dt.date(2026, 1, 5))
    ids = _weekly(meetings, group_id, dt.date(2026, 11, 3), 4)
    assert meetings.check_in_rows(ids[-1])[0].markers == ()


@pytest.mark.parametrize(
    ("joined", "text"),
    [
        (dt.date(2026, 10, 20), "1 month since joining"),
        (dt.date(2026, 5, 23), "6 months since joining"),
        (dt.date(2025, 11, 24), "1 year since joining"),
        (dt.date(2024, 11, 19), "2 years since joining"),
        (dt.date(2026, 9, 20), None),  # two months: not a milestone
        (dt.date(2025, 11, 16), None),  # the anniversary was before the last meeting
    ],
)
def test_milestones_since_the_last_meeting(
    meetings: MeetingService,
    roster: RosterService,
    group_id: int,
    joined: dt.date,
    text: str | None,
) -> None:
    _member(roster, group_id, "Ann", joined_on=joined)
    _weekly(meetings, group_id, dt.date(2026, 11, 17), 2)
    last = meetings.list_meetings(group_id)[0].id
    markers = meetings.check_in_rows(last)[0].markers
    assert [m.text for m in markers] == ([text] if text else [])


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert milestone_between(dt.date(2026, 1, 31), dt.date(2026, 2, 20), dt.date(2026, 3, 1))


# ---- history -------------------------------------------------------------------------------


def test_group_history_rates_and_missed_last_two(
    meetings: MeetingService, roster: RosterService, group_id: int
) -> None:
    ann = _member(roster, group_id, "Ann")
    bo = _member(roster, group_id, "Bo")
    cy = _member(roster, group_id, "Cy", first_visit_on=dt.date(2026, 11, 17))
    gone = _member(roster, group_id, "Dee", status=MemberStatus.ALUMNI)
    ids = _weekly(meetings, group_id, dt.date(2026, 11, 3), 4)  # 3, 10, 17, 24 Nov
    marks = {
        ann: [P, L, E, P],
        bo: [P, P, A, None],  # missed the last two (one unmarked, like a patchy sheet)
        cy: [None, None, P, P],  # first came on the 17th: earlier meetings do not count
        gone: [P, A, A, A],  # alumni are not flagged
    }
    for member, statuses in marks.items():
        for meeting, status in zip(ids, statuses, strict=True):
            if status is not None:
                meetings.set_attendance(meeting, member, status)
    history = meetings.group_history(group_id)
    by_name = {m.display_name: m for m in history.members}
    assert [m.display_name for m in history.members] == ["Ann", "Bo", "Cy", "Dee"]
    assert (by_name["Ann"].attended, by_name["Ann"].expected, by_name["Ann"].rate) == (3, 4, 1.0)
    assert by_name["Bo"].rate == 0.5
    assert by_name["Bo"].missed_streak == 2
    assert by_name["Bo"].last_attended == dt.date(2026, 11, 10)
    assert (by_name["Cy"].expected, by_name["Cy"].rate) == (2, 1.0)
    assert by_name["Dee"].missed_streak == 0
    assert [m.display_name for m in history.missed_last_two] == ["Bo"]
    newest = history.meetings[0]
    assert newest.meeting.date == dt.date(2026, 11, 24)
    assert newest.expected == 4
    assert newest.rate == pytest.approx(2 / 4)
    assert format_rate(newest.rate) == "50%"
    assert format_rate(None) == "–"
    # 3 Nov: 3 of 3; 10 Nov: 2 of 3; 17 Nov: 1 of 4 less 1 excused; 24 Nov: 2 of 4.
    assert history.average_rate == pytest.approx((1 + 2 / 3 + 1 / 3 + 2 / 4) / 4)


def test_member_history_lists_each_meeting(
    meetings: MeetingService, roster: RosterService, group_id: int
) -> None:
    ann = _member(roster, group_id, "Ann", joined_on=dt.date(2026, 11, 10))
    ids = _weekly(meetings, group_id, dt.date(2026, 11, 3), 3)
    meetings.set_attendance(ids[2], ann, L)
    marks = meetings.member_history(ann, group_id)
    assert [(m.date.day, m.status, m.expected) for m in marks] == [
        (17, L, True),
        (10, None, True),
        (3, None, False),
    ]


def test_history_of_a_group_with_no_meetings(meetings: MeetingService, group_id: int) -> None:
    history = meetings.group_history(group_id)
    assert history.meetings == ()
    assert history.average_rate is None
    with pytest.raises(NotFoundError):
        meetings.group_history(9999)


def test_attendance_grid_for_a_date_range(
    meetings: MeetingService, roster: RosterService, group_id: int
) -> None:
    ann = _member(roster, group_id, "Ann")
    bo = _member(roster, group_id, "Bo", first_visit_on=dt.date(2026, 11, 10))
    gone = _member(roster, group_id, "Dee")
    ids = _weekly(meetings, group_id, dt.date(2026, 10, 27), 5)  # 27 Oct … 24 Nov
    meetings.set_attendance(ids[1], ann, P)
    meetings.set_attendance(ids[2], bo, L)
    meetings.set_attendance(ids[1], gone, A)
    roster.archive_member(gone)
    grid = meetings.attendance_grid(group_id, dt.date(2026, 11, 1), dt.date(2026, 11, 17))
    assert [m.date.day for m in grid.meetings] == [3, 10, 17]  # oldest first, in range only
    rows = {r.display_name: r for r in grid.rows}
    assert rows["Ann"].marks == (P, None, None)
    assert rows["Ann"].expected == (True, True, True)
    assert rows["Bo"].marks == (None, L, None)
    assert rows["Bo"].expected == (False, True, True)  # first came on the 10th
    assert rows["Dee"].expected == (True, False, False)  # archived: only where marked
    empty = meetings.attendance_grid(group_id, dt.date(2025, 1, 1), dt.date(2025, 2, 1))
    assert empty.meetings == () and empty.rows == ()
