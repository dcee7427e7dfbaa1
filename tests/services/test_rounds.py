"""Saving sharing rounds with their meeting, and talk time across meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from fakes import FakeClock

from peercircle.db import Database
from peercircle.domain import AttendanceStatus, RoundOrder, TimeMode
from peercircle.services.meeting_types import MeetingDraft
from peercircle.services.meetings import MeetingService
from peercircle.services.roster import GroupDraft, MemberDraft, NotFoundError, RosterService
from peercircle.services.round_engine import RoundSettings, SharingRound
from peercircle.services.rounds import RoundService, member_key

START = dt.datetime(2026, 11, 24, 18, 45)
Setup = tuple[MeetingService, RoundService, int, list[int]]


@pytest.fixture
def setup(
    db: Database, roster: RosterService
) -> tuple[MeetingService, RoundService, int, list[int]]:
    group = roster.create_group(GroupDraft("Tuesday Circle", 1)).id
    ids = [
        roster.create_member(MemberDraft(name), group_id=group).id
        for name in ("Ann", "Ольга", "Nguyễn", "Kwame")
    ]
    return MeetingService(db), RoundService(db), group, ids


def _held_round(
    meetings: MeetingService,
    rounds: RoundService,
    group: int,
    day: dt.date,
    talk: dict[int, float],
    *,
    passes: frozenset[int] = frozenset(),
    flag: int | None = None,
) -> int:
    meeting = meetings.create_meeting(group, MeetingDraft(day)).id
    for member_id in talk:
        meetings.set_attendance(meeting, member_id, AttendanceStatus.PRESENT)
    speakers, here = rounds.candidates(meeting)
    clock = FakeClock()
    settings = RoundSettings(RoundOrder.SEATED, TimeMode.PER_SPEAKER, 180, 30)
    engine = SharingRound([s for s in speakers if s.key in here], settings, clock)
    engine.start()
    while (snap := engine.snapshot()).current is not None:
        member_id = snap.current.member_id
        assert member_id is not None
        clock.now += talk[member_id]
        if member_id == flag:
            engine.toggle_check_in_later()
        if member_id in passes and not snap.coming_back:
            engine.pass_turn()
        else:
            engine.next()
    snap = engine.snapshot()
    rounds.save_round(meeting, settings, START, snap.round_elapsed, snap.turns)
    return meeting


def test_candidates_are_the_group_in_seating_order_with_guests(
    setup: Setup, roster: RosterService
) -> None:
    meetings, rounds, group, ids = setup
    meeting = meetings.create_meeting(group, MeetingDraft(dt.date(2026, 11, 24))).id
    meetings.set_attendance(meeting, ids[1], AttendanceStatus.PRESENT)
    meetings.set_attendance(meeting, ids[2], AttendanceStatus.LATE)
    meetings.set_attendance(meeting, ids[3], AttendanceStatus.ABSENT)
    meetings.set_guest_count(meeting, 2)
    roster.archive_member(ids[0])
    speakers, here = rounds.candidates(meeting)
    assert [s.name for s in speakers] == ["Ольга", "Nguyễn", "Kwame", "Guest 1", "Guest 2"]
    assert [s.seat for s in speakers] == sorted(s.seat for s in speakers)
    assert here == {member_key(ids[1]), member_key(ids[2]), "g1", "g2"}
    assert speakers[-1].member_id is None


def test_a_saved_round_reads_back_in_order_with_its_log(
    setup: Setup,
) -> None:
    meetings, rounds, group, ids = setup
    talk = {ids[0]: 120.0, ids[1]: 5.0, ids[2]: 200.0}
    meeting = _held_round(
        meetings,
        rounds,
        group,
        dt.date(2026, 11, 24),
        talk,
        passes=frozenset({ids[1]}),
        flag=ids[2],
    )
    [log] = rounds.rounds_of(meeting)
    assert [(t.speaker.name, t.passed, t.came_back) for t in log.turns] == [
        ("Ann", False, False),
        ("Ольга", True, False),
        ("Nguyễn", False, False),
        ("Ольга", False, True),
    ]
    assert [t.position for t in log.turns] == [0, 1, 2, 3]
    assert log.elapsed == pytest.approx(sum(t.duration for t in log.turns))
    assert (log.speakers, log.passes) == (3, 1)
    assert [t.speaker.name for t in log.flagged] == ["Nguyễn"]
    assert [t.speaker.member_id for t in log.turns] == [ids[0], ids[1], ids[2], ids[1]]
    assert log.started_at == START
    assert log.settings == RoundSettings(RoundOrder.SEATED, TimeMode.PER_SPEAKER, 180, 30)
    assert meetings.get_meeting(meeting).rounds == 1
    assert rounds.last_settings(group) == log.settings


def test_saving_to_a_missing_meeting_is_refused(
    setup: Setup,
) -> None:
    _meetings, rounds, _group, _ids = setup
    with pytest.raises(NotFoundError):
        rounds.save_round(999, RoundSettings(), START, 0.0, ())
    assert rounds.last_settings(_group) is None


def test_recent_talk_time_looks_back_over_the_last_meetings(
    setup: Setup,
) -> None:
    meetings, rounds, group, ids = setup
    ann, olga = ids[0], ids[1]
    _held_round(meetings, rounds, group, dt.date(2026, 11, 3), {ann: 300.0, olga: 10.0})
    _held_round(meetings, rounds, group, dt.date(2026, 11, 10), {ann: 100.0, olga: 60.0})
    _held_round(meetings, rounds, group, dt.date(2026, 11, 17), {ann: 50.0, olga: 200.0})
    before = dt.date(2026, 11, 24)
    assert rounds.recent_talk_time(group, before=before, meetings=2) == {
        member_key(ann): pytest.approx(150.0),
        member_key(olga): pytest.approx(260.0),
    }
    everything = rounds.recent_talk_time(group, before=before)
    assert everything[member_key(ann)] == pytest.approx(450.0)
    assert rounds.recent_talk_time(group, before=dt.date(2026, 11, 3)) == {}


def test_talk_time_share_across_meetings_leaves_passes_out(
    setup: Setup,
) -> None:
    meetings, rounds, group, ids = setup
    ann, olga, nguyen = ids[0], ids[1], ids[2]
    _held_round(meetings, rounds, group, dt.date(2026, 11, 10), {ann: 300.0, olga: 100.0})
    _held_round(
        meetings,
        rounds,
        group,
        dt.date(2026, 11, 17),
        {ann: 100.0, olga: 5.0, nguyen: 100.0},
        passes=frozenset({olga}),
    )
    shares = {s.display_name: s for s in rounds.talk_time_share(group)}
    # Ольга passed and then came back with a 5-second turn at the end of the second round.
    assert shares["Ann"].seconds == pytest.approx(400.0)
    assert shares["Ольга"].passes == 1
    assert shares["Ольга"].seconds == pytest.approx(105.0)
    assert shares["Ольга"].rounds == 2
    assert sum(s.share for s in shares.values()) == pytest.approx(1.0)
    assert shares["Ann"].share == pytest.approx(400 / 605)
    assert shares["Ann"].average == pytest.approx(200.0)
    assert [s.display_name for s in rounds.talk_time_share(group)][0] == "Ann"
    recent = rounds.talk_time_share(group, since=dt.date(2026, 11, 17))
    assert {s.display_name for s in recent} == {"Ann", "Ольга", "Nguyễn"}
