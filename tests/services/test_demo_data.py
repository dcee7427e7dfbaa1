"""Sample data: natural, clearly fictional, valid, deterministic, fast, and added only once;
with a sample notes vault that never replaces a real one."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import func, select

from peercircle.db import Database, open_database
from peercircle.db.models import (
    Attendance,
    FollowUp,
    Group,
    Meeting,
    Member,
    Membership,
    Note,
    Round,
    VaultKeySlot,
)
from peercircle.domain import (
    AttendanceStatus,
    FollowUpSource,
    MemberStatus,
    Role,
    RoundOrder,
    SuggestionKind,
    TimeMode,
)
from peercircle.paths import database_path
from peercircle.services.demo_data import (
    DEMO_GROUPS,
    DEMO_HANDOUTS,
    DEMO_RESOURCES,
    DemoDataError,
    DemoDataSummary,
    create_demo_data,
    has_demo_data,
)
from peercircle.services.demo_notes import PASSPHRASE_WORDS, DemoVault
from peercircle.services.follow_ups import ROUND_FLAG_DAYS, FollowUpService
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import DueBucket, DueCounts
from peercircle.services.resources import ResourceKind, ResourceService, clean_resource
from peercircle.services.roster import MemberRow, RosterService, member_errors
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams
from peercircle.services.vault_types import VaultState, WrongPassphraseError

TODAY = dt.date(2026, 11, 24)
FAST = KdfParams(memory_kib=1024, iterations=1, lanes=1)
add_sample = partial(create_demo_data, kdf_params=FAST)
"""Sample data with a quickly derived vault key (the real cost takes about a second)."""


@dataclass(frozen=True)
class _Shared:
    """A database with the default sample data on TODAY, for the tests that only read it."""

    db: Database
    path: Path
    summary: DemoDataSummary


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Shared]:
    path = database_path(tmp_path_factory.mktemp("sample") / "data")
    db = open_database(path)
    try:
        yield _Shared(db, path, add_sample(db, today=TODAY))
    finally:
        db.close()


def _everyone(roster: RosterService) -> list[MemberRow]:
    return roster.list_members(include_archived=True)


def test_three_circles_with_schedules_agreements_and_one_co_facilitator_each(
    shared: _Shared,
) -> None:
    roster = RosterService(shared.db)
    assert shared.summary.member_count == 24
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
    add_sample(db, members=300, today=TODAY)
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
    add_sample(db, members=400, today=TODAY)
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
            add_sample(db, members=60, seed=seed, today=TODAY)
            rows = RosterService(db).list_members()
            return [(m.display_name, m.email, m.joined_on, m.groups, m.phone) for m in rows]
        finally:
            db.close()

    assert generate("a", 7) == generate("b", 7)
    assert generate("c", 8) != generate("a2", 7)


def test_adding_sample_data_twice_is_refused(db: Database, roster: RosterService) -> None:
    assert not has_demo_data(db)
    add_sample(db, members=5, today=TODAY)
    assert has_demo_data(db)
    with pytest.raises(DemoDataError, match="already"):
        add_sample(db, members=5, today=TODAY)
    assert len(_everyone(roster)) == 5
    assert len(roster.list_groups()) == 3


def test_no_members_and_negative_counts(db: Database, roster: RosterService) -> None:
    with pytest.raises(DemoDataError):
        add_sample(db, members=-1)
    summary = add_sample(db, members=0)
    assert summary.member_count == 0 and len(summary.group_ids) == 3


def test_ten_thousand_members(db: Database, roster: RosterService) -> None:
    summary = add_sample(db, members=10_000, today=TODAY)
    assert summary.member_count == 10_000
    assert summary.meeting_count == 52  # the history comes along
    assert len(roster.list_members()) == 10_000
    assert sum(g.member_count for g in roster.list_groups()) >= 10_000


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


@pytest.fixture(scope="module")
def sample(shared: _Shared) -> _Sample:
    return _load(shared.db)


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
            add_sample(db, members=40, seed=seed, today=TODAY)
            return _snapshot(db)
        finally:
            db.close()

    first = generate("a", 7)
    assert first == generate("b", 7)
    assert first != generate("c", 8)


def test_adding_twice_changes_nothing(db: Database) -> None:
    summary = add_sample(db, today=TODAY)
    assert summary.meeting_count == sum(len(ms) for ms in _load(db).meetings.values())
    assert summary.round_count == len(_load(db).rounds)
    before = _snapshot(db)
    with pytest.raises(DemoDataError, match="already"):
        add_sample(db, today=TODAY + dt.timedelta(days=30))
    assert _snapshot(db) == before


def test_without_members_the_meetings_have_only_guests(db: Database) -> None:
    summary = add_sample(db, members=0, today=TODAY)
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


def test_a_small_library_of_clearly_invented_resources(shared: _Shared) -> None:
    library = ResourceService(shared.db).list_resources()
    assert shared.summary.resource_count == len(library) == len(DEMO_RESOURCES)
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
    summary = add_sample(db, members=0, today=TODAY)
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
    add_sample(db, members=3, today=TODAY)
    before = ResourceService(db).list_resources()
    with pytest.raises(DemoDataError, match="already"):
        add_sample(db, members=3, today=TODAY)
    assert ResourceService(db).list_resources() == before


# ---- the sample notes vault ---------------------------------------------------------------

# A few phrases from the invented notes and follow-ups: never stored in the clear.
_NOTE_PHRASES = (
    "A gentle round",
    "Asked for the carers' leaflet next week",
    "the small-steps worksheet",
    "Ask how things are at home",
    "Had a good chat on the phone",
    "respite",
)


def _vault(summary_vault: DemoVault | None, db: Database) -> VaultService:
    """The sample vault, unlocked with its passphrase."""
    assert summary_vault is not None
    vault = VaultService(db, kdf_params=FAST)
    vault.unlock(summary_vault.passphrase)
    return vault


def test_the_sample_vault_is_locked_with_a_passphrase_of_common_words(shared: _Shared) -> None:
    db, demo = shared.db, shared.summary.vault
    assert demo is not None
    assert repr(demo) == f"DemoVault(note_count={demo.note_count}, follow_up_count=6)"
    *words, number = demo.passphrase.split(" ")
    assert len(words) == 4 and len(set(words)) == 4
    assert set(words) <= set(PASSPHRASE_WORDS)
    assert re.fullmatch(r"[1-9]\d", number)
    vault = VaultService(db, kdf_params=FAST)
    assert vault.state is VaultState.LOCKED
    with pytest.raises(WrongPassphraseError):
        vault.unlock("maple river lantern quiet 42" if demo.passphrase[0] != "m" else "x" * 12)
    vault.unlock(demo.passphrase)
    assert vault.is_unlocked
    vault.lock()
    vault.unlock_with_recovery_code(demo.recovery_code)
    assert vault.is_unlocked


def test_each_circle_gets_a_few_warm_invented_notes(shared: _Shared, sample: _Sample) -> None:
    db, summary = shared.db, shared.summary
    assert summary.vault is not None
    vault = _vault(summary.vault, db)
    notes = NoteService(db, vault)
    everyone = {m.id: m for m in sample.members.values()}
    total = 0
    for group_id in summary.group_ids:
        found = notes.notes(group_id)
        assert 2 <= len(found) <= 4
        assert notes.count(group_id) == len(found)
        total += len(found)
        about_meetings = [n for n in found if n.member_id is None]
        about_members = [n for n in found if n.member_id is not None]
        assert about_meetings and about_members
        recent = [m.id for m in sample.meetings[group_id][-3:]]
        assert {n.meeting_id for n in about_meetings} <= set(recent), "recent meetings"
        assert sample.meetings[group_id][-1].id in {n.meeting_id for n in about_meetings}
        for note in found:
            assert note.title and note.body and note.tags and not note.damaged
            assert note.meeting_id is None or note.meeting_date is not None
        for note in about_members:
            assert note.member_id is not None and note.member_name is not None
            member = everyone[note.member_id]
            assert member.status is MemberStatus.ACTIVE
            assert member.id in sample.seats[group_id]
            assert note.title.startswith(f"{member.display_name}: ")
            assert member.display_name in note.body, "by first name"
            assert not member.full_name or member.full_name not in note.body
    assert total == summary.vault.note_count
    bodies = [n.body for g in summary.group_ids for n in notes.notes(g)]
    # Other people are mentioned by initial only, as facilitators are advised to.
    assert any(re.search(r"\([A-Z]\.\)", body) for body in bodies)
    assert any("Asked for the carers' leaflet next week" in body for body in bodies)


def test_follow_ups_are_spread_over_the_due_list(shared: _Shared) -> None:
    db, summary = shared.db, shared.summary
    assert summary.vault is not None and summary.vault.follow_up_count == 6
    vault = _vault(summary.vault, db)
    service = FollowUpService(db, vault)
    listed = service.follow_ups(TODAY)
    assert len(listed) == 6
    buckets = Counter(f.bucket(TODAY) for f in listed)
    assert buckets == {
        DueBucket.OVERDUE: 1,
        DueBucket.TODAY: 1,
        DueBucket.THIS_WEEK: 2,
        DueBucket.LATER: 1,
        DueBucket.DONE: 1,
    }
    assert service.due_counts(TODAY) == DueCounts(overdue=1, today=1, this_week=2, later=1)
    notes = NoteService(db, vault)
    from_notes = [f for f in listed if f.source is FollowUpSource.NOTE]
    from_members = [f for f in listed if f.source is FollowUpSource.MEMBER]
    assert from_notes and from_members and len(from_notes) + len(from_members) == 6
    for follow_up in from_notes:
        assert follow_up.note_id is not None
        note = notes.note(follow_up.note_id)
        assert (note.member_id, note.group_id) == (follow_up.member_id, follow_up.group_id)
        assert note.created_at == follow_up.created_at
    assert all(f.note_id is None for f in from_members)
    for follow_up in listed:
        assert follow_up.reason and follow_up.group_id in summary.group_ids
        assert follow_up.created_at.date() <= follow_up.due_date or follow_up.done
        assert follow_up.created_at < dt.datetime.combine(TODAY, dt.time()) + dt.timedelta(1)
    (done,) = [f for f in listed if f.done]
    assert done.outcome and done.done_at is not None and done.done_at > done.created_at
    assert all(f.outcome is None for f in listed if not f.done)
    _assert_suggestions_are_left(db, vault, TODAY)


def _assert_suggestions_are_left(db: Database, vault: VaultService, today: dt.date) -> None:
    """A round flag from the last few weeks and someone drifting away are suggested, and
    the sample follow-ups are for other people (an open follow-up hides a suggestion)."""
    service = FollowUpService(db, vault)
    suggested = service.suggestions(today)
    assert {s.kind for s in suggested} == set(SuggestionKind)
    open_for = {f.member_id for f in service.follow_ups(today) if not f.done}
    assert not open_for & {s.member_id for s in suggested}
    with db.session() as s:
        for flag in suggested:
            if flag.kind is SuggestionKind.ROUND_FLAG:
                meeting = s.get(Meeting, flag.meeting_id)
                assert meeting is not None
                assert today - dt.timedelta(days=ROUND_FLAG_DAYS) <= meeting.date < today


@pytest.mark.parametrize(("seed", "today"), [(8, dt.date(2027, 3, 2)), (13, dt.date(2026, 6, 5))])
def test_other_seeds_and_days_leave_a_round_flag_to_suggest(
    db: Database, seed: int, today: dt.date
) -> None:
    summary = add_sample(db, seed=seed, today=today)
    _assert_suggestions_are_left(db, _vault(summary.vault, db), today)


def test_the_same_seed_writes_the_same_notes_with_a_new_passphrase(tmp_path: Path) -> None:
    def generate(folder: str) -> tuple[str, list[tuple[object, ...]]]:
        db = open_database(database_path(tmp_path / folder))
        try:
            summary = add_sample(db, members=30, today=TODAY)
            vault = _vault(summary.vault, db)
            notes = NoteService(db, vault)
            rows: list[tuple[object, ...]] = [
                (n.group_id, n.meeting_id, n.member_id, n.title, n.body, n.tags, n.created_at)
                for g in summary.group_ids
                for n in notes.notes(g)
            ]
            rows += [
                (f.member_id, f.note_id, f.due_date, f.reason, f.outcome, f.done_at)
                for f in FollowUpService(db, vault).follow_ups(TODAY)
            ]
            assert summary.vault is not None
            return summary.vault.passphrase, rows
        finally:
            db.close()

    first_passphrase, first = generate("a")
    second_passphrase, second = generate("b")
    assert first == second
    assert first_passphrase != second_passphrase


def test_a_vault_already_set_up_is_never_replaced(db: Database) -> None:
    own = VaultService(db, kdf_params=FAST)
    own.set_up("Ольга пьёт чай у окна")
    own.lock()

    def key_slots() -> list[tuple[object, ...]]:
        with db.session() as s:
            return [
                (
                    k.id,
                    k.kind,
                    k.salt,
                    k.memory_kib,
                    k.iterations,
                    k.lanes,
                    k.wrapped_key,
                    k.checksum,
                    k.created_at,
                    k.updated_at,
                )
                for k in s.scalars(select(VaultKeySlot).order_by(VaultKeySlot.id))
            ]

    before = key_slots()
    summary = add_sample(db, today=TODAY)
    assert summary.vault is None
    assert summary.member_count == 24 and summary.meeting_count > 0, "the rest is added"
    assert key_slots() == before
    own.unlock("Ольга пьёт чай у окна")
    assert all(NoteService(db, own).count(g) == 0 for g in summary.group_ids)
    assert FollowUpService(db, own).follow_ups(TODAY) == []


def test_a_failure_while_writing_notes_leaves_no_vault_behind(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(FollowUpService, "complete", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        add_sample(db, today=TODAY)
    vault = VaultService(db, kdf_params=FAST)
    assert vault.state is VaultState.NOT_SET_UP, "no vault with a passphrase nobody saw"
    with db.session() as s:
        assert s.scalar(select(func.count(Note.id))) == 0
        assert s.scalar(select(func.count(FollowUp.id))) == 0


def test_without_members_only_the_meetings_get_notes(db: Database) -> None:
    summary = add_sample(db, members=0, today=TODAY)
    assert summary.vault is not None and summary.vault.follow_up_count == 0
    notes = NoteService(db, _vault(summary.vault, db))
    found = [n for g in summary.group_ids for n in notes.notes(g)]
    assert len(found) == summary.vault.note_count == 6
    assert all(n.member_id is None and n.meeting_id is not None for n in found)


def test_sample_notes_are_not_in_the_database_file(shared: _Shared) -> None:
    demo = shared.summary.vault
    assert demo is not None
    vault = _vault(demo, shared.db)
    notes = NoteService(shared.db, vault)
    texts = [n.body for g in shared.summary.group_ids for n in notes.notes(g)]
    assert any(_NOTE_PHRASES[1] in text for text in texts), "the phrases are real"
    vault.lock()
    # The database and its write-ahead log, as they are on disk.
    files = [p for p in shared.path.parent.iterdir() if p.name.startswith(shared.path.name)]
    raw = b"".join(p.read_bytes() for p in files)
    for phrase in (*_NOTE_PHRASES, demo.passphrase, demo.recovery_code):
        assert phrase.encode() not in raw, phrase
    assert b"Tuesday Evening Circle" in raw, "the file was read"
