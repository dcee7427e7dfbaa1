"""Meetings and attendance as values: drafts, rows, markers and history. No SQLAlchemy, no Qt.

``peercircle.services.meetings`` builds these; the window imports them from here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from dataclasses import dataclass, replace

from peercircle import domain
from peercircle.domain import AttendanceStatus, Role
from peercircle.services import validation as v
from peercircle.services.validation import ValidationError

MILESTONE_MONTHS = (1, 6, 12)
"""Months since joining worth a word of welcome; after a year, every full year is one too."""

MISSED_STREAK = 2
"""How many meetings in a row someone must miss to be on the “missed the last two” list."""


@dataclass(frozen=True)
class MeetingDraft:
    date: dt.date
    starts_at: dt.time | None = None
    ends_at: dt.time | None = None
    place: str = ""
    topic: str = ""
    facilitator: str = ""


@dataclass(frozen=True)
class MeetingInfo:
    id: int
    group_id: int
    date: dt.date
    starts_at: dt.time | None
    ends_at: dt.time | None
    place: str
    topic: str
    facilitator: str
    guest_count: int
    version: int
    present: int = 0
    late: int = 0
    excused: int = 0
    absent: int = 0
    rounds: int = 0

    @property
    def attended(self) -> int:
        """Members who came (on time or late); guests are counted separately."""
        return self.present + self.late

    @property
    def when(self) -> str:
        """“Tue 3 Mar 2026 · 18:30–20:00”."""
        text = f"{self.date:%a} {self.date.day} {self.date:%b %Y}"
        if self.starts_at is not None:
            text += f" · {self.starts_at:%H:%M}"
            if self.ends_at is not None:
                text += f"–{self.ends_at:%H:%M}"
        return text

    def to_draft(self) -> MeetingDraft:
        return MeetingDraft(
            self.date, self.starts_at, self.ends_at, self.place, self.topic, self.facilitator
        )


class MarkerKind(enum.StrEnum):
    FIRST_VISIT = "first_visit"
    BACK = "back"
    MILESTONE = "milestone"


@dataclass(frozen=True)
class Marker:
    """A gentle note for the facilitator at check-in, so people are welcomed by name."""

    kind: MarkerKind
    text: str


@dataclass(frozen=True)
class CheckInRow:
    member_id: int
    display_name: str
    pronouns: str
    role: Role | None
    seat: int
    status: AttendanceStatus | None
    markers: tuple[Marker, ...] = ()
    archived: bool = False


@dataclass(frozen=True)
class CheckInCounts:
    present: int = 0
    late: int = 0
    excused: int = 0
    absent: int = 0
    unmarked: int = 0
    guests: int = 0

    @property
    def in_the_room(self) -> int:
        return self.present + self.late + self.guests

    @classmethod
    def of(cls, rows: list[CheckInRow], guests: int) -> CheckInCounts:
        counts = dict.fromkeys(AttendanceStatus, 0)
        unmarked = 0
        for row in rows:
            if row.status is None:
                unmarked += 1
            else:
                counts[row.status] += 1
        return cls(
            present=counts[AttendanceStatus.PRESENT],
            late=counts[AttendanceStatus.LATE],
            excused=counts[AttendanceStatus.EXCUSED],
            absent=counts[AttendanceStatus.ABSENT],
            unmarked=unmarked,
            guests=guests,
        )


@dataclass(frozen=True)
class MemberAttendance:
    """One member's attendance in one group.

    ``expected`` counts the group's meetings since the member's start (their joined or first
    visit date, or their first recorded meeting). A meeting without a mark counts as missed,
    the way a paper sheet without a tick does; excused meetings count neither way.
    """

    member_id: int
    display_name: str
    present: int
    late: int
    excused: int
    absent: int
    expected: int
    missed_streak: int
    last_attended: dt.date | None
    archived: bool = False

    @property
    def attended(self) -> int:
        return self.present + self.late

    @property
    def rate(self) -> float | None:
        """Share of the meetings that counted which the member came to; None if none did."""
        counted = self.expected - self.excused
        return self.attended / counted if counted > 0 else None

    @property
    def missed_last_two(self) -> bool:
        return self.missed_streak >= MISSED_STREAK


@dataclass(frozen=True)
class MeetingAttendance:
    meeting: MeetingInfo
    expected: int

    @property
    def rate(self) -> float | None:
        counted = self.expected - self.meeting.excused
        return self.meeting.attended / counted if counted > 0 else None


@dataclass(frozen=True)
class GroupHistory:
    meetings: tuple[MeetingAttendance, ...]  # newest first
    members: tuple[MemberAttendance, ...]  # seating order

    @property
    def average_rate(self) -> float | None:
        rates = [m.rate for m in self.meetings if m.rate is not None]
        return sum(rates) / len(rates) if rates else None

    @property
    def missed_last_two(self) -> tuple[MemberAttendance, ...]:
        return tuple(m for m in self.members if m.missed_last_two and not m.archived)


@dataclass(frozen=True)
class MemberMeetingMark:
    """One line of a member's history: a meeting of the group and how they were."""

    meeting_id: int
    date: dt.date
    topic: str
    status: AttendanceStatus | None
    expected: bool


@dataclass(frozen=True)
class GridRow:
    """One member's marks at a run of meetings (for a members × meetings grid)."""

    member_id: int
    display_name: str
    archived: bool
    marks: tuple[AttendanceStatus | None, ...]
    expected: tuple[bool, ...]  # False: the meeting was before they joined or first came


@dataclass(frozen=True)
class AttendanceGrid:
    meetings: tuple[MeetingInfo, ...]  # oldest first
    rows: tuple[GridRow, ...]  # seating order


def clean_meeting(draft: MeetingDraft) -> MeetingDraft:
    """Trim and check a meeting draft; raise ValidationError with a message per field."""
    draft = replace(
        draft,
        place=v.clean_text(draft.place),
        topic=v.clean_text(draft.topic),
        facilitator=v.clean_text(draft.facilitator),
    )
    errors: dict[str, str] = {}
    if msg := v.check_short_text(draft.place, what="place", limit=domain.PLACE_MAX):
        errors["place"] = msg
    if msg := v.check_short_text(draft.topic, what="topic", limit=domain.TOPIC_MAX):
        errors["topic"] = msg
    if msg := v.check_name(
        draft.facilitator, what="facilitator's name", limit=domain.FACILITATOR_MAX, required=False
    ):
        errors["facilitator"] = msg
    if (
        draft.starts_at is not None
        and draft.ends_at is not None
        and draft.ends_at <= draft.starts_at
    ):
        errors["ends_at"] = "The meeting should end after it starts."
    if errors:
        raise ValidationError(errors)
    return draft


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; the 31st becomes the month's last day where needed."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def milestone_between(joined: dt.date, after: dt.date, until: dt.date) -> Marker | None:
    """The joining anniversary that falls in (after, until], if any, as a marker."""
    months_so_far = (until.year - joined.year) * 12 + until.month - joined.month
    for months in range(max(months_so_far, 0), max(months_so_far - 2, 0) - 1, -1):
        if months not in MILESTONE_MONTHS and not (months > 12 and months % 12 == 0):
            continue
        day = add_months(joined, months)
        if after < day <= until:
            if months < 12:
                label = "1 month" if months == 1 else f"{months} months"
            else:
                years = months // 12
                label = "1 year" if years == 1 else f"{years} years"
            return Marker(MarkerKind.MILESTONE, f"{label} since joining")
    return None


def format_rate(rate: float | None) -> str:
    return "–" if rate is None else f"{round(rate * 100)}%"
