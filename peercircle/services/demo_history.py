"""Invented history for the sample circles: weekly meetings, attendance and sharing rounds.

Plans, from a random stream, about four months of meetings up to the day before ``today``
and the rows to insert for them; ``peercircle.services.demo_data`` invents the people and
groups and writes everything. No SQLAlchemy here.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypedDict

from peercircle.domain import AttendanceStatus, MemberStatus, RoundOrder, TimeMode
from peercircle.services.meeting_types import add_months

_HISTORY_MONTHS = 4
_MEETING_LENGTH = dt.timedelta(minutes=90)
_ROUND_STARTS_AFTER = dt.timedelta(minutes=15)
# Real circles are small. In a big sample circle (made to try the roster at scale) only the
# first seats are regulars; people seated further round came once at most, and a meeting
# with more people than a 90-minute round has room for gets no round.
_REGULAR_SEATS = 30
_ROUND_MAX_SPEAKERS = 30
_WARNING_SECONDS = 30
_STAND_IN_FACILITATOR = "Sam"
# Follow-up suggestions look back 30 days for round flags; stay well inside that.
_RECENT_FLAG_DAYS = 21
_HOLIDAYS = "Getting through the holidays"
_TOPICS = (
    _HOLIDAYS,
    "Sleep",
    "Asking for help",
    "What keeps us going",
    "Boundaries",
    "Small wins this week",
    "Being kind to ourselves",
    "Hard dates and anniversaries",
    "Letting people in",
    "Rest, and why it is hard",
    "Saying no",
    "Feeling stuck",
    "Something that helped",
    "Changes we did not choose",
)
_ORDERS = (RoundOrder.SEATED, RoundOrder.RANDOM, RoundOrder.VOLUNTEER, RoundOrder.LEAST_HEARD)


class Circle(Protocol):
    """What the history needs to know of a sample circle."""

    @property
    def weekday(self) -> int: ...  # Monday is 0
    @property
    def time(self) -> dt.time: ...
    @property
    def place(self) -> str: ...


class Person(TypedDict):
    """An invented member, as the row inserted into ``members``."""

    display_name: str
    full_name: str
    pronouns: str
    email: str
    phone: str
    emergency_contact: str
    joined_on: dt.date
    first_visit_on: dt.date
    status: MemberStatus
    may_contact: bool


class _Kind(enum.Enum):
    """How someone has been coming lately."""

    REGULAR = enum.auto()
    FACILITATOR = enum.auto()  # at every meeting of their circles
    DRIFTER = enum.auto()  # came, then missed the last three or four meetings
    RETURNER = enum.auto()  # missed three meetings, back at the latest one
    NEWCOMER = enum.auto()  # first visit at one of the last two meetings
    LEFT = enum.auto()  # inactive or alumni: came a few times at most, then stopped
    ONCE = enum.auto()  # far round a big circle: at their first visit, if it is recent


# Who each circle's story needs, in order of need (small circles get the start only).
_CASTS = (
    (_Kind.RETURNER, _Kind.DRIFTER, _Kind.NEWCOMER, _Kind.DRIFTER, _Kind.NEWCOMER),
    (_Kind.DRIFTER, _Kind.NEWCOMER),
    (_Kind.DRIFTER, _Kind.NEWCOMER),
)
# Joining anniversaries (in months) that regulars reach around ``today``, first circle first.
_ANNIVERSARIES = (1, 6, 12, 12, 1)


@dataclass(frozen=True)
class PlannedMeeting:
    group: int  # index into plan_history's circles
    date: dt.date
    topic: str
    facilitator: str
    guests: int


@dataclass
class PlannedTurn:
    person: int | None  # index into the invented people; None for a guest
    start: int  # tenths of a second from the start of the round
    end: int
    passed: bool = False
    came_back: bool = False
    check_in_later: bool = False


@dataclass(frozen=True)
class PlannedRound:
    meeting: int  # index into History.meetings
    order: RoundOrder
    seconds: int  # per speaker
    turns: list[PlannedTurn]


@dataclass
class History:
    """What plan_history planned; ``marks`` are (meeting, person, status), by index."""

    meetings: list[PlannedMeeting] = field(default_factory=list)
    marks: list[tuple[int, int, AttendanceStatus]] = field(default_factory=list)
    rounds: list[PlannedRound] = field(default_factory=list)


def plan_history(
    rng: random.Random,
    today: dt.date,
    circles: Sequence[Circle],
    people: list[Person],
    seats: list[list[int]],
    primary: list[int],
) -> History:
    """Every circle's meetings before ``today``; adjusts the people's joined and first
    visit dates so they agree with the attendance.

    ``seats`` are each of the three circles' people in seat order and ``primary`` each
    person's first circle; people are indexes into ``people``, circles into ``circles``.
    """
    calendars = [_meeting_dates(c.weekday, today) for c in circles]
    kinds = _cast_people(rng, today, people, seats, primary, calendars)
    for person, circle in zip(people, primary, strict=True):
        # A first visit inside the history is a meeting they were at (see _marks_for).
        dates = calendars[circle]
        if person["first_visit_on"] >= dates[0]:
            at = bisect.bisect_right(dates, person["first_visit_on"])
            person["first_visit_on"] = dates[at - 1]
    history = History()
    for g, (seated, dates) in enumerate(zip(seats, calendars, strict=True)):
        _plan_circle(rng, history, g, seated, dates, people, kinds)
    _flag_check_in_later(rng, history, people, today)
    return history


def _meeting_dates(weekday: int, today: dt.date) -> list[dt.date]:
    """Each ``weekday`` from about four months ago up to, not including, ``today``."""
    since = add_months(today, -_HISTORY_MONTHS)
    day = today - dt.timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
    dates = []
    while day >= since:
        dates.append(day)
        day -= dt.timedelta(weeks=1)
    return dates[::-1]


def _cast_people(
    rng: random.Random,
    today: dt.date,
    people: list[Person],
    seats: list[list[int]],
    primary: list[int],
    calendars: list[list[dt.date]],
) -> dict[int, tuple[_Kind, int | None]]:
    """Who plays which part, and in which circle (None: in all of theirs). The cast is
    drawn from active regulars; co-facilitators are made active and long-standing."""
    kinds: dict[int, tuple[_Kind, int | None]] = {}
    regulars: dict[int, None] = {}  # in order, without repeats
    for g, seated in enumerate(seats):
        if seated and seated[0] not in kinds:
            person = people[seated[0]]
            if person["first_visit_on"] > calendars[g][0] - dt.timedelta(days=90):
                person["joined_on"] = today - dt.timedelta(days=rng.randrange(200, 700))
                person["first_visit_on"] = person["joined_on"] - dt.timedelta(
                    days=rng.choice((0, 7, 14, 28))
                )
            person["status"] = MemberStatus.ACTIVE
            kinds[seated[0]] = (_Kind.FACILITATOR, None)
    for g, seated in enumerate(seats):
        dates = calendars[g]
        free = [
            p
            for p in seated[:_REGULAR_SEATS]
            if p not in kinds and people[p]["status"] is MemberStatus.ACTIVE
        ]
        rng.shuffle(free)
        for part in _CASTS[g][: len(free) * 2 // 3]:  # a third or more stay plain regulars
            if part is _Kind.NEWCOMER:
                fits = [p for p in free if primary[p] == g]
            else:  # long enough in the circle to have been a regular before
                fits = [p for p in free if people[p]["first_visit_on"] <= dates[-6]]
            if fits:
                free.remove(fits[0])
                if part is _Kind.NEWCOMER:
                    newcomer = people[fits[0]]
                    newcomer["first_visit_on"] = newcomer["joined_on"] = dates[-rng.choice((1, 2))]
                kinds[fits[0]] = (part, None if part is _Kind.DRIFTER else g)
        regulars.update(dict.fromkeys(free))
    plain = [p for p in regulars if p not in kinds]  # some found a part in a later circle
    for months, regular in zip(_ANNIVERSARIES, plain, strict=False):
        person = people[regular]
        person["joined_on"] = add_months(today + dt.timedelta(rng.randint(-3, 6)), -months)
        person["first_visit_on"] = person["joined_on"] - dt.timedelta(rng.choice((0, 7, 14)))
    for p, person in enumerate(people):
        if p not in kinds and person["status"] is not MemberStatus.ACTIVE:
            kinds[p] = (_Kind.LEFT, None)
    return kinds


def _plan_circle(
    rng: random.Random,
    history: History,
    g: int,
    seated: list[int],
    dates: list[dt.date],
    people: list[Person],
    kinds: dict[int, tuple[_Kind, int | None]],
) -> None:
    facilitator = people[seated[0]]["display_name"] if seated else _STAND_IN_FACILITATOR
    # Some evenings the sheet gets everyone's absence written down, some evenings not.
    thorough = [rng.random() < 0.6 for _ in dates]
    starts: dict[int, int] = {}
    marks: dict[int, list[AttendanceStatus | None]] = {}
    for seat, p in enumerate(seated):
        first_visit = people[p]["first_visit_on"]
        starts[p] = bisect.bisect_left(dates, first_visit)
        kind, where = kinds.get(p, (_Kind.REGULAR, None))
        if where not in (None, g):
            kind = _Kind.REGULAR
        if seat >= _REGULAR_SEATS and kind is not _Kind.FACILITATOR:
            kind = _Kind.ONCE
        marks[p] = _marks_for(rng, kind, dates, starts[p], first_visit, thorough)
    marked = [p for p in seated if any(marks[p])]
    if g == 0:
        # Exactly one person in the first circle is back after missing meetings.
        for p, row in marks.items():
            if kinds.get(p) != (_Kind.RETURNER, 0) and _missed_before_last(row, starts[p]) >= 2:
                row[-2] = AttendanceStatus.PRESENT
    talk: dict[int, float] = {}  # seconds spoken so far, for least-heard-first rounds
    topics: list[str] = []
    for k, date in enumerate(dates):
        meeting = len(history.meetings)
        guests = rng.choices((0, 1, 2, 3), weights=(45, 30, 17, 8))[0]
        topic = _pick_topic(rng, date, topics)
        history.meetings.append(PlannedMeeting(g, date, topic, facilitator, guests))
        here: list[int] = []
        for p in marked:
            status = marks[p][k]
            if status is not None:
                history.marks.append((meeting, p, status))
                if status.attended:
                    here.append(p)
        if rng.random() < (0.85 if g == 0 else 0.4):
            first_timers = {p for p in here if people[p]["first_visit_on"] == date}
            planned = _plan_round(rng, meeting, here, guests, talk, first_timers)
            if planned is not None:
                history.rounds.append(planned)


def _marks_for(
    rng: random.Random,
    kind: _Kind,
    dates: list[dt.date],
    start: int,
    first_visit: dt.date,
    thorough: list[bool],
) -> list[AttendanceStatus | None]:
    """One person's attendance at each meeting (None: not marked); nothing before
    ``start``, their first meeting in this circle."""
    n = len(dates)
    marks: list[AttendanceStatus | None] = [None] * n
    if start >= n:
        return marks
    if kind is _Kind.ONCE:
        if dates[start] == first_visit:
            marks[start] = AttendanceStatus.PRESENT
        return marks
    stop = n  # from this meeting on they no longer come
    if kind is _Kind.LEFT:
        stop = start + rng.randrange(max(1, (n - start) // 2))
    elif kind is _Kind.DRIFTER:
        stop = n - rng.choice((3, 4))
    reliability = rng.uniform(0.78, 0.96)
    for k in range(start, n):
        missed = AttendanceStatus.ABSENT if thorough[k] else None
        roll = rng.random()
        if k >= stop:
            marks[k] = missed if kind is _Kind.DRIFTER else None
        elif kind is _Kind.FACILITATOR:
            marks[k] = AttendanceStatus.PRESENT
        elif roll < reliability:
            late = rng.random() < 0.08
            marks[k] = AttendanceStatus.LATE if late else AttendanceStatus.PRESENT
        elif roll < reliability + 0.04:
            marks[k] = AttendanceStatus.EXCUSED
        else:
            marks[k] = missed
    if dates[start] == first_visit:
        marks[start] = AttendanceStatus.PRESENT
    if kind is _Kind.DRIFTER and stop - 1 >= start:
        marks[stop - 1] = AttendanceStatus.PRESENT
    if kind is _Kind.RETURNER and start <= n - 5:
        marks[n - 5] = marks[n - 1] = AttendanceStatus.PRESENT
        for k in range(n - 4, n - 1):
            marks[k] = AttendanceStatus.ABSENT if thorough[k] else None
    return marks


def _missed_before_last(marks: list[AttendanceStatus | None], start: int) -> int:
    """How many meetings in a row someone missed before being at the last one."""
    if not marks or marks[-1] is None or not marks[-1].attended:
        return 0
    count = 0
    for status in reversed(marks[start:-1]):
        if status is not None and status.attended:
            break
        count += 1
    return count


def _pick_topic(rng: random.Random, date: dt.date, earlier: list[str]) -> str:
    if rng.random() < 0.25:
        return ""
    fresh = [
        t
        for t in _TOPICS
        if t not in earlier[-6:] and (t != _HOLIDAYS or date.month in (11, 12, 1))
    ]
    topic = rng.choice(fresh)
    earlier.append(topic)
    return topic


def _plan_round(
    rng: random.Random,
    meeting: int,
    here: list[int],
    guests: int,
    talk: dict[int, float],
    first_timers: set[int],
) -> PlannedRound | None:
    """A round of the people at a meeting (seated order) and its guests, or None if too
    few or too many for one."""
    speakers: list[int | None] = list(here)
    for _ in range(guests):
        speakers.insert(rng.randint(0, len(speakers)), None)
    if not 2 <= len(speakers) <= _ROUND_MAX_SPEAKERS:
        return None
    order = rng.choices(_ORDERS, weights=(50, 20, 15, 15))[0]
    if order in (RoundOrder.RANDOM, RoundOrder.VOLUNTEER):
        rng.shuffle(speakers)
    elif order is RoundOrder.LEAST_HEARD:
        speakers.sort(key=lambda p: 0.0 if p is None else talk.get(p, 0.0))
    seconds = rng.choice((180, 210, 240))
    turns: list[PlannedTurn] = []
    clock = 0
    for person in speakers:
        shy = person is None or person in first_timers
        passed = rng.random() < (0.25 if shy else 0.05)
        length = rng.randint(30, 80) if passed else _share_length(rng, seconds)
        turns.append(PlannedTurn(person, clock, clock + length, passed=passed))
        clock += length
    passers = [t.person for t in turns if t.passed]
    if passers and rng.random() < 0.5:
        length = _share_length(rng, seconds)
        turns.append(PlannedTurn(passers[0], clock, clock + length, came_back=True))
    for turn in turns:
        if turn.person is not None:
            talk[turn.person] = talk.get(turn.person, 0.0) + (turn.end - turn.start) / 10
    return PlannedRound(meeting, order, seconds, turns)


def _share_length(rng: random.Random, seconds: int) -> int:
    """A turn's length in tenths of a second: one to five minutes, a few over time."""
    if rng.random() < 0.1:
        spoken = min(300.0, seconds + rng.uniform(5, 60))
    else:
        spoken = rng.triangular(60, seconds, seconds * 0.8)
    return round(spoken * 10)


def _flag_check_in_later(
    rng: random.Random, history: History, people: list[Person], today: dt.date
) -> None:
    """One or two “check in later” flags in the whole history, first circle first.

    The first is on an active member's turn in the last few weeks when there is one, so
    the follow-up suggestions (which look back ``_RECENT_FLAG_DAYS``) have something to show.
    """
    since = today - dt.timedelta(days=_RECENT_FLAG_DAYS)
    spoken = [
        (history.meetings[r.meeting], t)
        for r in history.rounds
        for t in r.turns
        if t.person is not None
    ]
    turns = [t for m, t in spoken if m.group == 0] or [t for _, t in spoken]
    if not turns:
        return
    recent = [
        (m.group, t)
        for m, t in spoken
        if m.date >= since
        and t.person is not None
        and people[t.person]["status"] is MemberStatus.ACTIVE
    ]
    candidates = [t for g, t in recent if g == 0] or [t for _, t in recent] or turns
    first = rng.choice([t for t in candidates if t.passed] or candidates)
    first.check_in_later = True
    others = [t for t in turns if t is not first]
    if len(turns) >= 20 and others:
        rng.choice(others).check_in_later = True


def meeting_row(
    meeting: PlannedMeeting, group_id: int, circles: Sequence[Circle]
) -> dict[str, object]:
    """The row to insert into ``meetings``, at its circle's usual time and place."""
    group = circles[meeting.group]
    return {
        "group_id": group_id,
        "date": meeting.date,
        "starts_at": group.time,
        "ends_at": (dt.datetime.combine(meeting.date, group.time) + _MEETING_LENGTH).time(),
        "place": group.place,
        "topic": meeting.topic,
        "facilitator": meeting.facilitator,
        "guest_count": meeting.guests,
    }


def round_row(
    planned: PlannedRound, meeting: PlannedMeeting, meeting_id: int, circles: Sequence[Circle]
) -> dict[str, object]:
    """The row to insert into ``rounds``: a quarter of an hour into the meeting."""
    started = dt.datetime.combine(meeting.date, circles[meeting.group].time)
    return {
        "meeting_id": meeting_id,
        "order_mode": planned.order,
        "time_mode": TimeMode.PER_SPEAKER,
        "time_seconds": planned.seconds,
        "warning_seconds": _WARNING_SECONDS,
        "started_at": started + _ROUND_STARTS_AFTER,
        "elapsed_seconds": planned.turns[-1].end / 10,
    }


def turn_row(
    turn: PlannedTurn, round_id: int, position: int, allotted: int, member_ids: list[int]
) -> dict[str, object]:
    """The row to insert into ``round_turns``; ``member_ids`` are the people's new ids."""
    return {
        "round_id": round_id,
        "member_id": None if turn.person is None else member_ids[turn.person],
        "position": position,
        "start_offset": turn.start / 10,
        "end_offset": turn.end / 10,
        "duration_seconds": (turn.end - turn.start) / 10,
        "allotted_seconds": float(allotted),
        "passed": turn.passed,
        "check_in_later": turn.check_in_later,
        "came_back": turn.came_back,
    }
