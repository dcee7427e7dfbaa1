"""Sample data: natural, clearly fictional, valid, deterministic, fast, and added only once."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import select

from peercircle.db import Database, open_database
from peercircle.db.models import Attendance, Group, Meeting, Member, Membership, Round
from peercircle.domain import AttendanceStatus, MemberStatus, Role, RoundOrder, TimeMode
from peercircle.paths import database_path
from peercircle.services.demo_data import (
    DEMO_GROUPS,
    DEMO_HANDOUTS,
    DEMO_RESOURCES,
    DemoDataError,
    create_demo_data,
    has_demo_data,
)
from peercircle.services.resources import ResourceKind, ResourceService, clean_resource
from peercircle.services.roster import MemberRow, RosterService, member_errors

TODAY = dt.date(2026, 11, 24)


def _everyone(roster: RosterService) -> list[MemberRow]:
    return roster.list_members(include_archived=True)


def test_three_circles_with_schedules_agreements_and_one_co_facilitator_each(
    db: Database, roster: RosterService
) -> None:
    summary = create_demo_data(db, today=TODAY)
    assert summary.member_count == 24
    groups = roster.list_groups()
    assert sorted(g.name for g in groups) == sorted(g.name for g in DEMO_GROUPS)
    for group in groups:
        assert group.meeting_weekday is not None and group.meeting_time is not None
        assert group.place and group.agreements
        assert group.schedule
        seated = roster.list_members(group.id)
        assert seated, f"{group.name} has members"
        assert [m.seat for m in seated] == list(range(len(seated)))
        assert [m.role for m in seated].count(Role.CO_FACILITATOR) == 1
    assert len(_everyone(roster)) == 24


def test_members_are_valid_and_clearly_fictional(db: Database, roster: RosterService) -> None:
    create_demo_data(db, members=300, today=TODAY)
    members = _everyone(roster)
    for m in members:
        assert member_errors(m.to_draft()) == {}, m
        assert not m.email or m.email.endswith("@example.org")
        assert not m.phone or re.fullmatch(r"555-01\d\d", m.phone)
        assert m.joined_on is not None
        assert TODAY - dt.timedelta(days=731) <= m.joined_on <= TODAY
        assert m.first_visit_on is not None and m.first_visit_on <= m.joined_on
    assert any(m.pronouns for m in members) and any(not m.pronouns for m in members)
    assert any(m.email for m in members) and any(not m.email for m in members)
    assert len({m.status for m in members}) == 3


def test_names_come_from_many_scripts(db: Database, roster: RosterService) -> None:
    create_demo_data(db, members=400, today=TODAY)
    scripts: Counter[str] = Counter()
    for m in _everyone(roster):
        for ch in m.display_name + m.full_name:
            if ch.isalpha():
                scripts[unicodedata.name(ch, "?").split()[0]] += 1
    for script in ("LATIN", "GREEK", "CYRILLIC", "CJK", "HIRAGANA", "HANGUL", "ARABIC"):
        assert scripts[script], f"no {script} names"
    names = "".join(m.display_name + m.full_name for m in _everyone(roster))
    assert "ł" in names.lower() and "ễ" in names and "'" in names and "-" in names


def test_the_same_seed_gives_the_same_people(tmp_path: Path) -> None:
    def generate(folder: str, seed: int) -> list[tuple[object, ...]]:
        db = open_database(database_path(tmp_path / folder))
        try:
            create_demo_data(db, members=60, seed=seed, today=TODAY)
            rows = RosterService(db).list_members()
            return [(m.display_name, m.email, m.joined_on, m.groups, m.phone) for m in rows]
        finally:
            db.close()

    assert generate("a", 7) == generate("b", 7)
    assert generate("c", 8) != generate("a2", 7)


def test_adding_sample_data_twice_is_refused(db: Database, roster: RosterService) -> None:
    assert not has_demo_data(db)
    create_demo_data(db, members=5, today=TODAY)
    assert has_demo_data(db)
    with pytest.raises(DemoDataError, match="already"):
        create_demo_data(db, members=5, today=TODAY)
    assert len(_everyone(roster)) == 5
    assert len(roster.list_groups()) == 3


def test_no_members_and_negative_counts(db: Database, roster: RosterService) -> None:
    with pytest.raises(DemoDataError):
        create_demo_data(db, members=-1)
    summary = create_demo_data(db, members=0)
    assert summary.member_count == 0 and len(summary.group_ids) == 3


def test_ten_thousand_members_are_quick(db: Database, roster: RosterService) -> None:
    started = time.perf_counter()
    summary = create_demo_data(db, members=10_000, today=TODAY)
    elapsed = time.perf_counter() - started
    assert summary.member_count == 10_000
    assert summary.meeting_count == 52  # the history comes along, still quick
    assert len(roster.list_members()) == 10_000
    assert sum(g.member_count for g in roster.list_groups()) >= 10_000
    assert elapsed < 5, f"10,000 sample members took {elapsed:.2f} s"


# ---- meetings, attendance and rounds ------------------------------------------------------


@dataclass(frozen=True)
class _Turn:
    member_id: int | None
    position: int
    start: float
    end: float
    duration: float
    allotted: float
    passed: bool
    check_in_later: bool
    came_back: bool


@dataclass(frozen=True)
class _Round:
    meeting_id: int
    order: RoundOrder
    time_mode: TimeMode
    seconds: int
    warning: int
    started_at: dt.datetime
    elapsed: float
    turns: tuple[_Turn, ...]


@dataclass(frozen=True)
class _Sample:
    groups: dict[str, Group]
    meetings: dict[int, list[Meeting]]  # group id -> meetings by date
    seats: dict[int, list[int]]  # group id -> member ids in seat order
    members: dict[int, Member]
    marks: dict[tuple[int, int], AttendanceStatus]  # (meeting id, member id) -> status
    rounds: list[_Round]

    @property
    def tuesday(self) -> Group:
        return self.groups[DEMO_GROUPS[0].name]

    def meeting(self, meeting_id: int) -> Meeting:
        return next(m for ms in self.meetings.values() for m in ms if m.id == meeting_id)

    def attended(self, meeting: Meeting, member_id: int) -> bool:
        status = self.marks.get((meeting.id, member_id))
        return status is not None and status.attended

    def history(self, group_id: int, member_id: int) -> list[Meeting]:
        """The group's meetings from the member's first visit on."""
        first_visit = self.members[member_id].first_visit_on
        assert first_visit is not None
        return [m for m in self.meetings[group_id] if m.date >= first_visit]


def _load(db: Database) -> _Sample:
    with db.session() as s:
        groups = {g.name: g for g in s.scalars(select(Group))}
        meetings: dict[int, list[Meeting]] = {g.id: [] for g in groups.values()}
        for meeting in s.scalars(select(Meeting).order_by(Meeting.date)):
            meetings[meeting.group_id].append(meeting)
        seats: dict[int, list[int]] = {g.id: [] for g in groups.values()}
        for seat in s.scalars(select(Membership).order_by(Membership.seat_order)):
            seats[seat.group_id].append(seat.member_id)
        members = {m.id: m for m in s.scalars(select(Member))}
        marks = {(a.meeting_id, a.member_id): a.status for a in s.scalars(select(Attendance))}
        rounds = [
            _Round(
                r.meeting_id,
                r.order_mode,
                r.time_mode,
                r.time_seconds,
                r.warning_seconds,
                r.started_at,
                r.elapsed_seconds,
                tuple(
                    _Turn(
                        t.member_id,
                        t.position,
                        t.start_offset,
                        t.end_offset,
                        t.duration_seconds,
                        t.allotted_seconds,
                        t.passed,
                        t.check_in_later,
                        t.came_back,
                    )
                    for t in r.turns
                ),
            )
            for r in s.scalars(select(Round).order_by(Round.id))
        ]
        s.expunge_all()
    return _Sample(groups, meetings, seats, members, marks, rounds)


@pytest.fixture
def sample(db: Database) -> _Sample:
    create_demo_data(db, today=TODAY)
    return _load(db)


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def test_weekly_meetings_for_about_four_months_before_today(sample: _Sample) -> None:
    for spec in DEMO_GROUPS:
        group = sample.groups[spec.name]
        meetings = sample.meetings[group.id]
        assert 16 <= len(meetings) <= 18, spec.name
        dates = [m.date for m in meetings]
        assert all(d.weekday() == spec.weekday for d in dates)
        assert all(b - a == dt.timedelta(weeks=1) for a, b in pairwise(dates))
        assert dates[-1] < TODAY <= dates[-1] + dt.timedelta(weeks=1)
        assert _add_months(TODAY, -4) <= dates[0] < _add_months(TODAY, -4) + dt.timedelta(7)
        co_facilitator = sample.members[sample.seats[group.id][0]].display_name
        for meeting in meetings:
            assert meeting.starts_at == spec.time
            start = dt.datetime.combine(meeting.date, spec.time)
            assert meeting.ends_at == (start + dt.timedelta(minutes=90)).time()
            assert meeting.place == spec.place
            assert meeting.facilitator == co_facilitator
            assert 0 <= meeting.guest_count <= 3
        assert len({m.topic for m in meetings}) >= 6
    everything = [m for ms in sample.meetings.values() for m in ms]
    assert any(not m.topic for m in everything), "some meetings had no set topic"
    assert any(m.guest_count for m in everything) and any(not m.guest_count for m in everything)


def test_attendance_only_for_the_groups_people_from_their_first_visit(sample: _Sample) -> None:
    group_of = {m.id: gid for gid, ms in sample.meetings.items() for m in ms}
    for meeting_id, member_id in sample.marks:
        meeting = sample.meeting(meeting_id)
        assert member_id in sample.seats[group_of[meeting_id]]
        first_visit = sample.members[member_id].first_visit_on
        assert first_visit is not None and meeting.date >= first_visit
    assert set(sample.marks.values()) == set(AttendanceStatus)
    attended = sum(status.attended for status in sample.marks.values())
    assert attended / len(sample.marks) > 0.75, "mostly regulars"
    # Paper sheets are patchy: absences are written down at some meetings, not at others.
    unmarked = [
        (m.id, p)
        for gid, seated in sample.seats.items()
        for p in seated
        for m in sample.history(gid, p)
        if (m.id, p) not in sample.marks
    ]
    assert unmarked and AttendanceStatus.ABSENT in sample.marks.values()


def test_a_first_visit_in_the_history_is_a_meeting_they_were_at(sample: _Sample) -> None:
    earliest = max(ms[0].date for ms in sample.meetings.values())
    for member in sample.members.values():
        assert member.first_visit_on is not None and member.joined_on is not None
        assert member.first_visit_on <= member.joined_on <= TODAY
        if member.first_visit_on <= earliest:
            continue
        there = [
            m
            for gid, seated in sample.seats.items()
            if member.id in seated
            for m in sample.meetings[gid]
            if m.date == member.first_visit_on
        ]
        assert there and any(sample.attended(m, member.id) for m in there), member.display_name


def test_newcomers_first_came_to_one_of_the_last_two_meetings(sample: _Sample) -> None:
    tuesday = sample.meetings[sample.tuesday.id]
    newcomers = [
        p
        for p in sample.seats[sample.tuesday.id]
        if sample.members[p].first_visit_on in {m.date for m in tuesday[-2:]}
    ]
    assert newcomers
    for p in newcomers:
        first = next(m for m in tuesday if m.date == sample.members[p].first_visit_on)
        assert sample.marks[(first.id, p)] is AttendanceStatus.PRESENT
        assert not any((m.id, p) in sample.marks for m in tuesday if m.date < first.date)


def test_some_people_drifted_away_and_missed_the_last_two(sample: _Sample) -> None:
    drifting = []
    for gid, seated in sample.seats.items():
        *earlier, before_last, last = sample.meetings[gid]
        for p in seated:
            history = sample.history(gid, p)
            came_before = any(sample.attended(m, p) for m in earlier if m in history)
            missed_two = not sample.attended(before_last, p) and not sample.attended(last, p)
            if came_before and missed_two and sample.members[p].status is MemberStatus.ACTIVE:
                drifting.append(p)
    assert len(drifting) >= 2


def test_exactly_one_person_in_the_tuesday_circle_is_back_after_missing(
    sample: _Sample,
) -> None:
    back = {}
    for p in sample.seats[sample.tuesday.id]:
        history = sample.history(sample.tuesday.id, p)
        if not history or not sample.attended(history[-1], p):
            continue
        *before, last = history
        missed = 0
        for meeting in reversed(before):
            if sample.attended(meeting, p):
                break
            missed += 1
        if missed >= 2:
            back[p] = missed
    assert list(back.values()) == [3]


def test_joining_anniversaries_fall_around_now(sample: _Sample) -> None:
    near = dt.timedelta(days=7)
    for months in (1, 6, 12):
        assert any(
            abs(_add_months(m.joined_on, months) - TODAY) <= near
            for m in sample.members.values()
            if m.joined_on is not None
        ), f"nobody reaches {months} months around now"


def test_rounds_are_contiguous_and_add_up(sample: _Sample) -> None:
    assert sample.rounds
    for r in sample.rounds:
        meeting = sample.meeting(r.meeting_id)
        start = dt.datetime.combine(meeting.date, meeting.starts_at or dt.time())
        assert r.started_at == start + dt.timedelta(minutes=15)
        assert r.time_mode is TimeMode.PER_SPEAKER and 180 <= r.seconds <= 240
        assert r.warning == 30
        assert [t.position for t in r.turns] == list(range(len(r.turns)))
        assert r.turns[0].start == 0
        for before, after in pairwise(r.turns):
            assert after.start == before.end
        for t in r.turns:
            assert t.duration == pytest.approx(t.end - t.start)
            assert t.allotted == r.seconds
            assert (t.duration < 10) if t.passed else (60 <= t.duration <= 300)
        assert r.elapsed == r.turns[-1].end
        assert sum(t.duration for t in r.turns) == pytest.approx(r.elapsed)


def test_rounds_hear_the_people_who_were_there(sample: _Sample) -> None:
    for r in sample.rounds:
        meeting = sample.meeting(r.meeting_id)
        seated = sample.seats[meeting.group_id]
        firsts = [t for t in r.turns if not t.came_back]
        there = {p for p in seated if sample.attended(meeting, p)}
        assert sorted(p for t in firsts if (p := t.member_id) is not None) == sorted(there)
        assert sum(t.member_id is None for t in firsts) == meeting.guest_count
        if r.order is RoundOrder.SEATED:
            order = [t.member_id for t in firsts if t.member_id is not None]
            assert order == sorted(order, key=seated.index)
        for i, turn in enumerate(r.turns):
            if turn.came_back:
                assert any(t.passed and t.member_id == turn.member_id for t in r.turns[:i])
    tuesday = {m.id for m in sample.meetings[sample.tuesday.id]}
    in_tuesday = sum(r.meeting_id in tuesday for r in sample.rounds)
    assert in_tuesday > len(tuesday) / 2, "most Tuesday meetings had a round"
    assert len(sample.rounds) > in_tuesday, "the other circles had some"
    assert len({r.order for r in sample.rounds}) >= 3


def test_passes_comebacks_overtime_and_check_in_later_are_in_the_log(
    sample: _Sample,
) -> None:
    turns = [t for r in sample.rounds for t in r.turns]
    assert any(t.passed for t in turns)
    assert any(t.came_back for t in turns)
    assert any(t.duration > t.allotted for t in turns)
    flagged = [t for t in turns if t.check_in_later]
    assert 1 <= len(flagged) <= 2
    assert all(t.member_id is not None for t in flagged), "guests are anonymous"


def _snapshot(db: Database) -> list[tuple[object, ...]]:
    sample = _load(db)
    rows: list[tuple[object, ...]] = [
        (m.group_id, m.date, m.topic, m.facilitator, m.guest_count)
        for ms in sample.meetings.values()
        for m in ms
    ]
    rows += sorted((k, v) for k, v in sample.marks.items())
    rows += [(r.meeting_id, r.order, r.started_at, r.elapsed, r.turns) for r in sample.rounds]
    rows += [(m.id, m.joined_on, m.first_visit_on, m.status) for m in sample.members.values()]
    return rows


def test_the_same_seed_and_day_give_the_same_history(tmp_path: Path) -> None:
    def generate(folder: str, seed: int) -> list[tuple[object, ...]]:
        db = open_database(database_path(tmp_path / folder))
        try:
            create_demo_data(db, members=40, seed=seed, today=TODAY)
            return _snapshot(db)
        finally:
            db.close()

    first = generate("a", 7)
    assert first == generate("b", 7)
    assert first != generate("c", 8)


def test_adding_twice_changes_nothing(db: Database) -> None:
    summary = create_demo_data(db, today=TODAY)
    assert summary.meeting_count == sum(len(ms) for ms in _load(db).meetings.values())
    assert summary.round_count == len(_load(db).rounds)
    before = _snapshot(db)
    with pytest.raises(DemoDataError, match="already"):
        create_demo_data(db, today=TODAY + dt.timedelta(days=30))
    assert _snapshot(db) == before


def test_without_members_the_meetings_have_only_guests(db: Database) -> None:
    summary = create_demo_data(db, members=0, today=TODAY)
    sample = _load(db)
    assert summary.meeting_count == sum(len(ms) for ms in sample.meetings.values()) >= 48
    assert not sample.marks and not sample.members
    for meetings in sample.meetings.values():
        assert {m.facilitator for m in meetings} == {"Sam"}
    assert sample.rounds, "guests can share too"
    for r in sample.rounds:
        assert all(t.member_id is None for t in r.turns)
        assert not any(t.check_in_later for t in r.turns)


# ---- the resource library -----------------------------------------------------------------


def test_a_small_library_of_clearly_invented_resources(db: Database) -> None:
    summary = create_demo_data(db, today=TODAY)
    library = ResourceService(db).list_resources()
    assert summary.resource_count == len(library) == len(DEMO_RESOURCES)
    assert {r.kind for r in library} == set(ResourceKind)
    for resource in library:
        assert clean_resource(resource.to_draft()) == resource.to_draft(), resource.title
        assert resource.title.endswith("(invented)")
        assert resource.description and resource.tags
        assert not resource.phone or re.fullmatch(r"555-01\d\d", resource.phone)
        assert not resource.url or resource.url.startswith("https://example.org/")
        assert not resource.address or "(invented address)" in resource.address
        # No phone number hides anywhere else: no long runs of digits in any text.
        for text in (resource.title, resource.description, resource.address, resource.tags):
            assert not re.search(r"\d[\d ()./-]{4,}\d", text), text
    assert any(r.phone for r in library) and any(r.url for r in library)
    assert any(r.address for r in library)


def test_each_circle_hands_out_a_few_resources_in_order(
    db: Database, roster: RosterService
) -> None:
    summary = create_demo_data(db, members=0, today=TODAY)
    service = ResourceService(db)
    for group_id, handout in zip(summary.group_ids, DEMO_HANDOUTS, strict=True):
        chosen = service.group_resources(group_id)
        assert [r.title for r in chosen] == [DEMO_RESOURCES[i].title for i in handout]
        assert 3 <= len(chosen) <= 5
    carers = next(g for g in roster.list_groups() if g.name == DEMO_GROUPS[2].name)
    assert "Example Carers' Support Line (invented)" in [
        r.title for r in service.group_resources(carers.id)
    ]


def test_adding_twice_adds_no_second_library(db: Database) -> None:
    create_demo_data(db, members=3, today=TODAY)
    before = ResourceService(db).list_resources()
    with pytest.raises(DemoDataError, match="already"):
        create_demo_data(db, members=3, today=TODAY)
    assert ResourceService(db).list_resources() == before
