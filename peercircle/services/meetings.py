"""Meetings and attendance: plan a meeting, check people in, and look back at who came.

Plain Python, no Qt. Hands back the frozen values of ``meeting_types``, never ORM rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from peercircle.db import Database
from peercircle.db.models import Attendance, Group, Meeting, Member, Membership, Round
from peercircle.domain import GUESTS_MAX, AttendanceStatus, MemberStatus, Role
from peercircle.services.meeting_types import (
    AttendanceGrid,
    CheckInCounts,
    CheckInRow,
    GridRow,
    GroupHistory,
    Marker,
    MarkerKind,
    MeetingAttendance,
    MeetingDraft,
    MeetingInfo,
    MemberAttendance,
    MemberMeetingMark,
    clean_meeting,
    milestone_between,
)
from peercircle.services.roster import add_membership, apply_member
from peercircle.services.roster_types import (
    MemberDraft,
    NotFoundError,
    clean_member,
)
from peercircle.services.saving import fetch, flush, saving
from peercircle.services.validation import ValidationError

DEFAULT_LENGTH = dt.timedelta(minutes=90)
"""How long a meeting is assumed to last when only its start is known."""


@dataclass(frozen=True)
class _Seat:
    member_id: int
    display_name: str
    pronouns: str
    role: Role
    seat: int
    joined_on: dt.date | None
    first_visit_on: dt.date | None
    status: MemberStatus
    archived: bool


class MeetingService:
    """Meetings of a group, who came to them, and the history that follows from it."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # ---- meetings -------------------------------------------------------------------------

    def list_meetings(self, group_id: int) -> list[MeetingInfo]:
        """The group's meetings, newest first, each with its attendance counts."""
        with self._db.session() as s:
            return self._meeting_infos(s, Meeting.group_id == group_id)

    def get_meeting(self, meeting_id: int) -> MeetingInfo:
        with self._db.session() as s:
            found = self._meeting_infos(s, Meeting.id == meeting_id)
        if not found:
            raise NotFoundError("That meeting no longer exists.")
        return found[0]

    def suggest_next_date(self, group_id: int, today: dt.date) -> dt.date:
        """The group's meeting day on or after ``today`` that has no meeting yet.

        A group without a regular day gets today (or the next free day).
        """
        with self._db.session() as s:
            group = self._group(s, group_id)
            taken = set(
                s.scalars(
                    select(Meeting.date).where(Meeting.group_id == group_id, Meeting.date >= today)
                )
            )
            weekday = group.meeting_weekday
        day = today
        if weekday is not None:
            day += dt.timedelta(days=(weekday - today.weekday()) % 7)
        step = dt.timedelta(days=1 if weekday is None else 7)
        while day in taken:
            day += step
        return day

    def new_meeting_draft(self, group_id: int, today: dt.date) -> MeetingDraft:
        """A draft for the next meeting: the suggested date, the group's time and place,
        and the facilitator of the group's last meeting."""
        day = self.suggest_next_date(group_id, today)
        with self._db.session() as s:
            group = self._group(s, group_id)
            facilitator = s.scalar(
                select(Meeting.facilitator)
                .where(Meeting.group_id == group_id)
                .order_by(Meeting.date.desc(), Meeting.id.desc())
                .limit(1)
            )
            starts = group.meeting_time
            place = group.place
        ends = None
        if starts is not None:
            ends = (dt.datetime.combine(day, starts) + DEFAULT_LENGTH).time()
            if ends <= starts:  # a late-evening meeting running past midnight
                ends = None
        return MeetingDraft(day, starts, ends, place, "", facilitator or "")

    def create_meeting(self, group_id: int, draft: MeetingDraft) -> MeetingInfo:
        draft = clean_meeting(draft)
        with saving(self._db, "The list of meetings") as s:
            self._group(s, group_id)
            self._check_date_free(s, group_id, draft.date, None)
            meeting = Meeting(group_id=group_id)
            _apply(meeting, draft)
            s.add(meeting)
            s.flush()
            meeting_id = meeting.id
        return self.get_meeting(meeting_id)

    def update_meeting(
        self, meeting_id: int, draft: MeetingDraft, *, expected_version: int | None = None
    ) -> MeetingInfo:
        draft = clean_meeting(draft)
        with saving(self._db, "This meeting") as s:
            meeting = self._meeting(s, meeting_id, expected_version)
            self._check_date_free(s, meeting.group_id, draft.date, meeting_id)
            _apply(meeting, draft)
            flush(s, "This meeting")
        return self.get_meeting(meeting_id)

    def delete_meeting(self, meeting_id: int) -> None:
        """Remove a meeting with its attendance and rounds (for one made by mistake)."""
        with saving(self._db, "This meeting") as s:
            s.delete(self._meeting(s, meeting_id))

    # ---- check-in -------------------------------------------------------------------------

    def check_in_rows(self, meeting_id: int) -> list[CheckInRow]:
        """The group's members in seating order with their mark and welcome markers.

        Archived members appear only if they already have a mark at this meeting.
        """
        with self._db.session() as s:
            meeting = self._meeting(s, meeting_id)
            seats = _seats(s, meeting.group_id)
            marks = _marks(s, [meeting_id])
            earlier = list(
                s.execute(
                    select(Meeting.id, Meeting.date)
                    .where(Meeting.group_id == meeting.group_id, Meeting.date < meeting.date)
                    .order_by(Meeting.date.desc(), Meeting.id.desc())
                )
            )
            earlier_marks = _marks(s, [m_id for m_id, _ in earlier])
            first_marked = _first_marked_dates(s, meeting.group_id)
            day = meeting.date
        previous_day = earlier[0][1] if earlier else day - dt.timedelta(days=7)
        rows = []
        for seat in seats:
            status = marks.get((meeting_id, seat.member_id))
            if seat.archived and status is None:
                continue
            start = _start_date(seat, first_marked.get(seat.member_id))
            history = [
                earlier_marks.get((m_id, seat.member_id))
                for m_id, m_day in earlier
                if start is None or m_day >= start
            ]
            rows.append(
                CheckInRow(
                    member_id=seat.member_id,
                    display_name=seat.display_name,
                    pronouns=seat.pronouns,
                    role=seat.role,
                    seat=seat.seat,
                    status=status,
                    markers=_markers(seat, day, previous_day, history),
                    archived=seat.archived,
                )
            )
        return rows

    def set_attendance(
        self, meeting_id: int, member_id: int, status: AttendanceStatus | None
    ) -> None:
        """Mark one member; ``None`` clears the mark (“not marked yet”)."""
        with saving(self._db, "This meeting") as s:
            self._meeting(s, meeting_id)
            row = s.scalar(
                select(Attendance).where(
                    Attendance.meeting_id == meeting_id, Attendance.member_id == member_id
                )
            )
            if status is None:
                if row is not None:
                    s.delete(row)
                return
            if s.get(Member, member_id) is None:
                raise NotFoundError("That member no longer exists.")
            if row is None:
                s.add(Attendance(meeting_id=meeting_id, member_id=member_id, status=status))
            else:
                row.status = status

    def set_guest_count(self, meeting_id: int, guests: int) -> None:
        if not 0 <= guests <= GUESTS_MAX:
            raise ValidationError({"guests": f"Guests should be between 0 and {GUESTS_MAX}."})
        with saving(self._db, "This meeting") as s:
            meeting = self._meeting(s, meeting_id)
            meeting.guest_count = guests
            flush(s, "This meeting")

    def add_newcomer(
        self,
        meeting_id: int,
        draft: MemberDraft,
        status: AttendanceStatus = AttendanceStatus.PRESENT,
    ) -> CheckInRow:
        """Add someone new on the spot: a member of the group, first visit today, checked in."""
        with self._db.session() as s:
            day = self._meeting(s, meeting_id).date
        draft = clean_member(
            replace(
                draft,
                first_visit_on=draft.first_visit_on or day,
                joined_on=draft.joined_on or day,
            )
        )
        with saving(self._db, "This meeting") as s:
            meeting = self._meeting(s, meeting_id)
            member = Member()
            apply_member(member, draft)
            s.add(member)
            s.flush()
            add_membership(s, member.id, meeting.group_id)
            s.add(Attendance(meeting_id=meeting_id, member_id=member.id, status=status))
            member_id = member.id
        for row in self.check_in_rows(meeting_id):
            if row.member_id == member_id:
                return row
        raise NotFoundError("That member no longer exists.")  # pragma: no cover - just made

    def counts(self, meeting_id: int) -> CheckInCounts:
        rows = self.check_in_rows(meeting_id)
        return CheckInCounts.of(rows, self.get_meeting(meeting_id).guest_count)

    # ---- history --------------------------------------------------------------------------

    def group_history(self, group_id: int, *, until: dt.date | None = None) -> GroupHistory:
        """Every meeting of the group with its rate, and every member's attendance; with
        ``until``, only the meetings up to that day (one planned later is not missed yet)."""
        with self._db.session() as s:
            self._group(s, group_id)
            where = Meeting.group_id == group_id
            if until is not None:
                where = where & (Meeting.date <= until)
            meetings = self._meeting_infos(s, where)
            seats = _seats(s, group_id)
            marks = _marks(s, [m.id for m in meetings])
            first_marked = _first_marked_dates(s, group_id)
        starts = {
            seat.member_id: _start_date(seat, first_marked.get(seat.member_id)) for seat in seats
        }
        expected_at: dict[int, int] = defaultdict(int)
        members = []
        for seat in seats:
            start = starts[seat.member_id]
            counts = dict.fromkeys(AttendanceStatus, 0)
            expected = 0
            streak = 0
            streak_open = True
            last_attended: dt.date | None = None
            for meeting in meetings:  # newest first
                status = marks.get((meeting.id, seat.member_id))
                if start is not None and meeting.date < start and status is None:
                    continue
                if not seat.archived:
                    expected_at[meeting.id] += 1
                expected += 1
                if status is not None:
                    counts[status] += 1
                attended = status is not None and status.attended
                if attended and last_attended is None:
                    last_attended = meeting.date
                if streak_open:
                    if attended:
                        streak_open = False
                    elif status is not AttendanceStatus.EXCUSED:
                        streak += 1
            if seat.archived and expected == 0:
                continue
            members.append(
                MemberAttendance(
                    member_id=seat.member_id,
                    display_name=seat.display_name,
                    present=counts[AttendanceStatus.PRESENT],
                    late=counts[AttendanceStatus.LATE],
                    excused=counts[AttendanceStatus.EXCUSED],
                    absent=counts[AttendanceStatus.ABSENT],
                    expected=expected,
                    # Only people who stay away after coming are “missing”: someone who
                    # never came is not flagged, and neither is an inactive or alumni member.
                    missed_streak=streak
                    if last_attended is not None and seat.status is MemberStatus.ACTIVE
                    else 0,
                    last_attended=last_attended,
                    archived=seat.archived,
                )
            )
        return GroupHistory(
            meetings=tuple(MeetingAttendance(m, expected_at[m.id]) for m in meetings),
            members=tuple(members),
        )

    def attendance_grid(
        self, group_id: int, date_from: dt.date, date_to: dt.date
    ) -> AttendanceGrid:
        """The group's meetings from ``date_from`` to ``date_to`` (oldest first) and, for each
        member expected at one of them or marked at one, their marks in that order."""
        with self._db.session() as s:
            self._group(s, group_id)
            meetings = self._meeting_infos(
                s,
                (Meeting.group_id == group_id)
                & (Meeting.date >= date_from)
                & (Meeting.date <= date_to),
            )
            meetings.reverse()
            seats = _seats(s, group_id)
            marks = _marks(s, [m.id for m in meetings])
            first_marked = _first_marked_dates(s, group_id)
        rows = []
        for seat in seats:
            start = _start_date(seat, first_marked.get(seat.member_id))
            row_marks = tuple(marks.get((m.id, seat.member_id)) for m in meetings)
            # An archived member is only in the grid where they were marked.
            expected = tuple(
                mark is not None or (not seat.archived and (start is None or m.date >= start))
                for m, mark in zip(meetings, row_marks, strict=True)
            )
            if any(expected):
                rows.append(
                    GridRow(seat.member_id, seat.display_name, seat.archived, row_marks, expected)
                )
        return AttendanceGrid(tuple(meetings), tuple(rows))

    def member_history(self, member_id: int, group_id: int) -> list[MemberMeetingMark]:
        """The member's mark at each of the group's meetings, newest first."""
        with self._db.session() as s:
            if s.get(Member, member_id) is None:
                raise NotFoundError("That member no longer exists.")
            meetings = list(
                s.execute(
                    select(Meeting.id, Meeting.date, Meeting.topic)
                    .where(Meeting.group_id == group_id)
                    .order_by(Meeting.date.desc(), Meeting.id.desc())
                )
            )
            marks = _marks(s, [m_id for m_id, _, _ in meetings], member_id=member_id)
            seat = next((x for x in _seats(s, group_id) if x.member_id == member_id), None)
            first = _first_marked_dates(s, group_id).get(member_id)
        start = _start_date(seat, first) if seat is not None else first
        return [
            MemberMeetingMark(
                meeting_id=m_id,
                date=day,
                topic=topic,
                status=marks.get((m_id, member_id)),
                expected=start is None or day >= start,
            )
            for m_id, day, topic in meetings
        ]

    # ---- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _meeting_infos(s: Session, where: object) -> list[MeetingInfo]:
        counts = (
            select(
                Attendance.meeting_id,
                *(
                    func.sum(case((Attendance.status == status, 1), else_=0)).label(status.value)
                    for status in AttendanceStatus
                ),
            )
            .group_by(Attendance.meeting_id)
            .subquery()
        )
        rounds = (
            select(Round.meeting_id, func.count().label("n")).group_by(Round.meeting_id).subquery()
        )
        stmt = (
            select(
                Meeting,
                *(func.coalesce(counts.c[status.value], 0) for status in AttendanceStatus),
                func.coalesce(rounds.c.n, 0),
            )
            .outerjoin(counts, counts.c.meeting_id == Meeting.id)
            .outerjoin(rounds, rounds.c.meeting_id == Meeting.id)
            .where(where)  # type: ignore[arg-type]
            .order_by(Meeting.date.desc(), Meeting.id.desc())
        )
        return [
            MeetingInfo(
                id=m.id,
                group_id=m.group_id,
                date=m.date,
                starts_at=m.starts_at,
                ends_at=m.ends_at,
                place=m.place,
                topic=m.topic,
                facilitator=m.facilitator,
                guest_count=m.guest_count,
                version=m.version,
                present=present,
                late=late,
                excused=excused,
                absent=absent,
                rounds=n_rounds,
            )
            for m, present, late, excused, absent, n_rounds in s.execute(stmt)
        ]

    @staticmethod
    def _group(s: Session, group_id: int) -> Group:
        return fetch(s, Group, group_id, "group")

    @staticmethod
    def _meeting(s: Session, meeting_id: int, expected_version: int | None = None) -> Meeting:
        return fetch(s, Meeting, meeting_id, "meeting", expected_version)

    @staticmethod
    def _check_date_free(s: Session, group_id: int, day: dt.date, meeting_id: int | None) -> None:
        other = s.scalar(
            select(Meeting.id).where(
                Meeting.group_id == group_id, Meeting.date == day, Meeting.id != (meeting_id or -1)
            )
        )
        if other is not None:
            raise ValidationError(
                {"date": f"This group already has a meeting on {day:%a} {day.day} {day:%b %Y}."}
            )


def _apply(meeting: Meeting, draft: MeetingDraft) -> None:
    meeting.date = draft.date
    meeting.starts_at = draft.starts_at
    meeting.ends_at = draft.ends_at
    meeting.place = draft.place
    meeting.topic = draft.topic
    meeting.facilitator = draft.facilitator


def _seats(s: Session, group_id: int) -> list[_Seat]:
    rows = s.execute(
        select(
            Member.id,
            Member.display_name,
            Member.pronouns,
            Membership.role,
            Membership.seat_order,
            Member.joined_on,
            Member.first_visit_on,
            Member.status,
            Member.archived_at,
        )
        .join(Membership, Membership.member_id == Member.id)
        .where(Membership.group_id == group_id)
        .order_by(Membership.seat_order, Member.id)
    )
    return [
        _Seat(m_id, name, pronouns, role, seat, joined, first, status, archived is not None)
        for m_id, name, pronouns, role, seat, joined, first, status, archived in rows
    ]


def _marks(
    s: Session, meeting_ids: Sequence[int], *, member_id: int | None = None
) -> dict[tuple[int, int], AttendanceStatus]:
    marks: dict[tuple[int, int], AttendanceStatus] = {}
    # SQLite limits the number of bound parameters; ask in slices.
    for chunk in _chunks(meeting_ids, 500):
        stmt = select(Attendance.meeting_id, Attendance.member_id, Attendance.status).where(
            Attendance.meeting_id.in_(chunk)
        )
        if member_id is not None:
            stmt = stmt.where(Attendance.member_id == member_id)
        for m_id, member, status in s.execute(stmt):
            marks[(m_id, member)] = status
    return marks


def _first_marked_dates(s: Session, group_id: int) -> dict[int, dt.date]:
    """Each member's first meeting of the group with any mark (imported history included)."""
    rows = s.execute(
        select(Attendance.member_id, func.min(Meeting.date))
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Meeting.group_id == group_id)
        .group_by(Attendance.member_id)
    )
    return {member_id: day for member_id, day in rows}


def _chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _start_date(seat: _Seat, first_marked: dt.date | None) -> dt.date | None:
    """From when a member is expected at the group's meetings (None: always)."""
    known = [d for d in (seat.joined_on, seat.first_visit_on, first_marked) if d is not None]
    return min(known) if known else None


def _markers(
    seat: _Seat,
    day: dt.date,
    previous_day: dt.date,
    history: list[AttendanceStatus | None],
) -> tuple[Marker, ...]:
    """Welcome markers for one member at the meeting on ``day``.

    ``history`` is their marks at the group's earlier meetings, newest first, from the
    first meeting they were expected at.
    """
    markers: list[Marker] = []
    came_before = any(status is not None and status.attended for status in history)
    if (seat.first_visit_on or seat.joined_on) == day:
        markers.append(Marker(MarkerKind.FIRST_VISIT, "First visit"))
    elif came_before:
        missed = 0
        for status in history:
            if status is not None and status.attended:
                break
            missed += 1
        if missed >= 2:
            markers.append(Marker(MarkerKind.BACK, f"Back after missing {missed}"))
    joined = seat.joined_on or seat.first_visit_on
    if joined is not None and joined < day:
        milestone = milestone_between(joined, previous_day, day)
        if milestone is not None:
            markers.append(milestone)
    return tuple(markers)
