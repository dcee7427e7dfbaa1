"""Follow-ups (“check in with Sam by Friday”): writing them, when they are due, and the
suggestions that come from attendance and from the round's “check in later” flag."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pytest
from sqlalchemy import text

from peercircle.db import Database
from peercircle.domain import (
    FOLLOW_UP_OUTCOME_MAX,
    FOLLOW_UP_REASON_MAX,
    AttendanceStatus,
    FollowUpSource,
    MemberStatus,
    SuggestionKind,
)
from peercircle.services.follow_ups import FollowUpService, suggested_due_date
from peercircle.services.meeting_types import MeetingDraft
from peercircle.services.meetings import MeetingService
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import (
    DueBucket,
    DueCounts,
    FollowUpDraft,
    FollowUpInfo,
    NoteDraft,
    Suggestion,
    due_bucket,
)
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.services.roster_types import ChangedElsewhereError, NotFoundError
from peercircle.services.round_types import RoundSettings, Speaker, TurnRecord, member_key
from peercircle.services.rounds import RoundService
from peercircle.services.validation import ValidationError
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams
from peercircle.services.vault_types import VaultLockedError

FAST = KdfParams(memory_kib=1024, iterations=1, lanes=1)
PASSPHRASE = "blue kettle on the stairs"
TODAY = dt.date(2026, 11, 24)  # a Tuesday, the group's meeting day
DAY = dt.timedelta(days=1)
P, L, E, A = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
)
MEETING_DAYS = [dt.date(2026, 11, 3), dt.date(2026, 11, 10), dt.date(2026, 11, 17), TODAY]


class Now:
    """The service's UTC clock, set by the test."""

    def __init__(self) -> None:
        self.value = dt.datetime(2026, 11, 24, 20, 0)

    def __call__(self) -> dt.datetime:
        return self.value


@dataclass
class World:
    db: Database
    vault: VaultService
    follow_ups: FollowUpService
    roster: RosterService
    meetings: MeetingService
    now: Now
    group: int
    agnes: int
    nguyen: int
    olga: int


@pytest.fixture
def w(db: Database, roster: RosterService) -> World:
    group = roster.create_group(GroupDraft("Tuesday Circle", 1)).id
    agnes = roster.create_member(MemberDraft("Ágnes"), group_id=group).id
    nguyen = roster.create_member(MemberDraft("Nguyễn"), group_id=group).id
    olga = roster.create_member(MemberDraft("Ольга"), group_id=group).id
    vault = VaultService(db, kdf_params=FAST)
    vault.set_up(PASSPHRASE)
    now = Now()
    return World(
        db,
        vault,
        FollowUpService(db, vault, now=now),
        roster,
        MeetingService(db),
        now,
        group,
        agnes,
        nguyen,
        olga,
    )


def _raw(db: Database, follow_up_id: int) -> tuple[bytes, bytes | None]:
    with db.engine.connect() as conn:
        row = conn.execute(
            text("SELECT reason, outcome FROM follow_ups WHERE id = :id"), {"id": follow_up_id}
        ).one()
    return row.reason, row.outcome


def _create(w: World, member: int, due: dt.date, reason: str = "Check in") -> FollowUpInfo:
    return w.follow_ups.create(FollowUpDraft(member, due, reason, group_id=w.group))


def _complete(w: World, follow_up: FollowUpInfo, when: dt.datetime, outcome: str = "") -> None:
    w.now.value = when
    w.follow_ups.complete(follow_up.id, outcome, follow_up.version)


# ---- writing -------------------------------------------------------------------------------


def test_a_follow_up_reads_back_and_its_reason_is_encrypted(w: World) -> None:
    made = w.follow_ups.create(
        FollowUpDraft(w.agnes, TODAY + 3 * DAY, "  Ask how\n the   move went ", group_id=w.group)
    )
    assert made.reason == "Ask how the move went"
    assert (made.member_id, made.member_name) == (w.agnes, "Ágnes")
    assert (made.group_id, made.group_name) == (w.group, "Tuesday Circle")
    assert made.source is FollowUpSource.MEMBER
    assert made.due_date == dt.date(2026, 11, 27)
    assert made.outcome is None and made.done_at is None and not made.done
    assert made.created_at == w.now.value
    assert not made.damaged
    assert w.follow_ups.follow_up(made.id) == made
    reason, outcome = _raw(w.db, made.id)
    assert b"move" not in reason and outcome is None
    assert w.vault.decrypt("follow_ups", made.id, "reason", reason) == "Ask how the move went"

    without_group = w.follow_ups.create(FollowUpDraft(w.olga, TODAY, ""))
    assert without_group.group_id is None and without_group.group_name is None
    assert without_group.reason == ""


def test_updating_a_follow_up(w: World) -> None:
    meeting = w.meetings.create_meeting(w.group, MeetingDraft(TODAY)).id
    note = NoteService(w.db, w.vault).create(NoteDraft(w.group, "About Nguyễn")).id
    made = _create(w, w.agnes, TODAY)
    changed = w.follow_ups.update(
        made.id,
        replace(
            made.draft(),
            member_id=w.nguyen,
            due_date=TODAY + 2 * DAY,
            reason="Phone, not e-mail",
            meeting_id=meeting,
            note_id=note,
        ),
        made.version,
    )
    assert changed.version > made.version
    assert (changed.member_id, changed.member_name) == (w.nguyen, "Nguyễn")
    assert changed.due_date == TODAY + 2 * DAY
    assert changed.reason == "Phone, not e-mail"
    assert (changed.meeting_id, changed.note_id) == (meeting, note)
    assert changed.source is FollowUpSource.MEMBER
    assert w.follow_ups.follow_up(made.id) == changed
    assert changed.draft() == replace(
        made.draft(),
        member_id=w.nguyen,
        due_date=TODAY + 2 * DAY,
        reason="Phone, not e-mail",
        meeting_id=meeting,
        note_id=note,
    )

    with pytest.raises(ChangedElsewhereError):
        w.follow_ups.update(made.id, made.draft(), made.version)
    with pytest.raises(ChangedElsewhereError):
        w.follow_ups.complete(made.id, "Done", made.version)
    with pytest.raises(ChangedElsewhereError):
        w.follow_ups.reopen(made.id, made.version)
    assert w.follow_ups.follow_up(made.id) == changed


def test_completing_records_an_encrypted_outcome_and_reopening_clears_it(w: World) -> None:
    made = _create(w, w.agnes, TODAY - DAY)
    done_at = dt.datetime(2026, 11, 25, 9, 30)
    w.now.value = done_at
    done = w.follow_ups.complete(made.id, "  She is settling in, Ольга helps.  ", made.version)
    assert done.done and done.done_at == done_at
    assert done.outcome == "She is settling in, Ольга helps."
    assert done.bucket(TODAY) is DueBucket.DONE
    reason, outcome = _raw(w.db, made.id)
    assert outcome is not None
    assert b"settling" not in outcome and "Ольга".encode() not in outcome
    assert w.vault.decrypt("follow_ups", made.id, "outcome", outcome) == done.outcome
    assert w.follow_ups.due_counts(TODAY) == DueCounts()

    reopened = w.follow_ups.reopen(done.id, done.version)
    assert not reopened.done and reopened.outcome is None and reopened.done_at is None
    assert reopened.reason == "Check in"
    assert _raw(w.db, made.id) == (reason, None)
    assert w.follow_ups.due_counts(TODAY) == DueCounts(overdue=1)

    quiet = w.follow_ups.complete(reopened.id, "", reopened.version)
    assert quiet.done and quiet.outcome == ""


def test_an_outcome_that_is_too_long_is_refused(w: World) -> None:
    made = _create(w, w.agnes, TODAY)
    with pytest.raises(ValidationError) as caught:
        w.follow_ups.complete(made.id, "x" * (FOLLOW_UP_OUTCOME_MAX + 1), made.version)
    assert set(caught.value.errors) == {"outcome"}
    assert str(FOLLOW_UP_OUTCOME_MAX) in caught.value.errors["outcome"]
    assert not w.follow_ups.follow_up(made.id).done
    w.follow_ups.complete(made.id, "x" * FOLLOW_UP_OUTCOME_MAX, made.version)


def test_deleting_a_follow_up(w: World) -> None:
    made = _create(w, w.agnes, TODAY)
    kept = _create(w, w.nguyen, TODAY)
    w.follow_ups.delete(made.id)
    with pytest.raises(NotFoundError):
        w.follow_ups.follow_up(made.id)
    with pytest.raises(NotFoundError):
        w.follow_ups.delete(made.id)
    with pytest.raises(NotFoundError):
        w.follow_ups.update(made.id, made.draft(), made.version)
    assert [f.id for f in w.follow_ups.follow_ups(TODAY)] == [kept.id]


def test_reasons_and_links_are_checked(w: World) -> None:
    with pytest.raises(ValidationError) as too_long:
        _create(w, w.agnes, TODAY, "r" * (FOLLOW_UP_REASON_MAX + 1))
    assert set(too_long.value.errors) == {"reason"}
    assert "too long" in too_long.value.errors["reason"]
    assert _create(w, w.agnes, TODAY, "r" * FOLLOW_UP_REASON_MAX).reason == "r" * 300
    for draft, what in (
        (FollowUpDraft(999, TODAY, "x"), "member"),
        (FollowUpDraft(w.agnes, TODAY, "x", group_id=999), "group"),
        (FollowUpDraft(w.agnes, TODAY, "x", note_id=999), "note"),
        (FollowUpDraft(w.agnes, TODAY, "x", meeting_id=999), "meeting"),
    ):
        with pytest.raises(NotFoundError, match=what):
            w.follow_ups.create(draft)
    assert len(w.follow_ups.follow_ups(TODAY)) == 1


def test_a_locked_vault_hides_reasons_but_still_counts(w: World) -> None:
    made = _create(w, w.agnes, TODAY)
    w.vault.lock()
    for call in (
        lambda: w.follow_ups.follow_ups(TODAY),
        lambda: w.follow_ups.follow_up(made.id),
        lambda: _create(w, w.agnes, TODAY),
        lambda: w.follow_ups.update(made.id, made.draft(), made.version),
        lambda: w.follow_ups.complete(made.id, "", made.version),
        lambda: w.follow_ups.reopen(made.id, made.version),
    ):
        with pytest.raises(VaultLockedError):
            call()
    assert w.follow_ups.due_counts(TODAY) == DueCounts(today=1)


def test_a_damaged_reason_marks_only_that_follow_up(w: World) -> None:
    first = _create(w, w.agnes, TODAY, "Fine")
    second = _create(w, w.nguyen, TODAY, "Will be damaged")
    reason, _ = _raw(w.db, second.id)
    with w.db.engine.begin() as conn:
        conn.execute(
            text("UPDATE follow_ups SET reason = :r WHERE id = :id"),
            {"r": reason[:-1] + bytes([reason[-1] ^ 1]), "id": second.id},
        )
    listed = {f.id: f for f in w.follow_ups.follow_ups(TODAY)}
    assert listed[first.id] == first
    assert listed[second.id].damaged and "damaged" in listed[second.id].reason


# ---- when they are due ---------------------------------------------------------------------


def test_due_counts_and_buckets_around_today(w: World) -> None:
    offsets = {-30: "overdue", -1: "overdue", 0: "today", 1: "week", 6: "week", 7: "later"}
    made = {offset: _create(w, w.agnes, TODAY + offset * DAY) for offset in offsets}
    _complete(w, _create(w, w.nguyen, TODAY - 5 * DAY), dt.datetime(2026, 11, 23, 12, 0))
    _complete(w, _create(w, w.nguyen, TODAY), dt.datetime(2026, 11, 24, 12, 0))
    w.vault.lock()  # counting needs no key
    counts = w.follow_ups.due_counts(TODAY)
    assert counts == DueCounts(overdue=2, today=1, this_week=2, later=1)
    assert counts.due_now == 3
    # A week later everything open is overdue.
    assert w.follow_ups.due_counts(TODAY + 8 * DAY) == DueCounts(overdue=6)
    w.vault.unlock(PASSPHRASE)
    buckets = {f.due_date: f.bucket(TODAY) for f in w.follow_ups.follow_ups(TODAY) if not f.done}
    assert buckets == {
        made[-30].due_date: DueBucket.OVERDUE,
        made[-1].due_date: DueBucket.OVERDUE,
        made[0].due_date: DueBucket.TODAY,
        made[1].due_date: DueBucket.THIS_WEEK,
        made[6].due_date: DueBucket.THIS_WEEK,
        made[7].due_date: DueBucket.LATER,
    }


def test_due_bucket_boundaries_and_labels() -> None:
    assert due_bucket(TODAY - DAY, TODAY) is DueBucket.OVERDUE
    assert due_bucket(TODAY, TODAY) is DueBucket.TODAY
    assert due_bucket(TODAY + DAY, TODAY) is DueBucket.THIS_WEEK
    assert due_bucket(TODAY + 6 * DAY, TODAY) is DueBucket.THIS_WEEK
    assert due_bucket(TODAY + 7 * DAY, TODAY) is DueBucket.LATER
    assert due_bucket(TODAY - 9 * DAY, TODAY, done=True) is DueBucket.DONE
    assert [b.label for b in DueBucket] == ["Overdue", "Today", "This week", "Later", "Done"]
    assert DueCounts(overdue=2, today=3, this_week=4, later=5).due_now == 5


def test_open_follow_ups_by_due_date_then_recently_done_first(w: World) -> None:
    later = _create(w, w.agnes, TODAY + 9 * DAY)
    soon = _create(w, w.nguyen, TODAY + DAY)
    overdue = _create(w, w.olga, TODAY - 3 * DAY)
    same_day = _create(w, w.agnes, TODAY + DAY)
    # Done: the one due earliest was done most recently, so it comes first among the done.
    done_recently = _create(w, w.agnes, TODAY - 20 * DAY)
    done_before = _create(w, w.nguyen, TODAY - 2 * DAY)
    done_30_days_ago = _create(w, w.olga, TODAY - 40 * DAY)
    done_long_ago = _create(w, w.olga, TODAY - 50 * DAY)
    _complete(w, done_before, dt.datetime(2026, 11, 20, 10, 0))
    _complete(w, done_recently, dt.datetime(2026, 11, 23, 10, 0))
    _complete(w, done_30_days_ago, dt.datetime(2026, 10, 25, 8, 0))
    _complete(w, done_long_ago, dt.datetime(2026, 10, 24, 23, 0))

    listed = w.follow_ups.follow_ups(TODAY)
    assert [f.id for f in listed] == [
        overdue.id,
        soon.id,
        same_day.id,
        later.id,
        done_recently.id,
        done_before.id,
        done_30_days_ago.id,
    ]
    assert [f.done for f in listed] == [False] * 4 + [True] * 3
    open_only = w.follow_ups.follow_ups(TODAY, include_done=False)
    assert [f.id for f in open_only] == [overdue.id, soon.id, same_day.id, later.id]
    assert [f.id for f in w.follow_ups.follow_ups(TODAY, member_id=w.agnes)] == [
        same_day.id,
        later.id,
        done_recently.id,
    ]


def test_follow_ups_of_a_group(w: World) -> None:
    other = w.roster.create_group(GroupDraft("Thursday Circle", 3)).id
    ours = _create(w, w.agnes, TODAY)
    theirs = w.follow_ups.create(FollowUpDraft(w.agnes, TODAY, "Elsewhere", group_id=other))
    assert [f.id for f in w.follow_ups.follow_ups(TODAY, group_id=w.group)] == [ours.id]
    assert [f.id for f in w.follow_ups.follow_ups(TODAY, group_id=other)] == [theirs.id]
    assert theirs.group_name == "Thursday Circle"


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (dt.date(2026, 11, 23), dt.date(2026, 11, 27)),  # Monday -> Friday
        (dt.date(2026, 11, 24), dt.date(2026, 11, 27)),  # Tuesday -> Friday
        (dt.date(2026, 11, 25), dt.date(2026, 11, 27)),  # Wednesday -> Friday
        (dt.date(2026, 11, 26), dt.date(2026, 11, 30)),  # Thursday -> Monday
        (dt.date(2026, 11, 27), dt.date(2026, 11, 30)),  # Friday -> Monday
        (dt.date(2026, 11, 28), dt.date(2026, 12, 4)),  # Saturday -> Friday
        (dt.date(2026, 11, 29), dt.date(2026, 12, 4)),  # Sunday -> Friday
    ],
)
def test_suggested_due_date_is_a_weekday_a_few_days_ahead(today: dt.date, due: dt.date) -> None:
    suggested = suggested_due_date(today)
    assert suggested == due
    assert suggested.weekday() < 5
    assert 2 <= (suggested - today).days <= 6


# ---- suggestions from attendance -----------------------------------------------------------


def _hold_meetings(
    w: World, marks: dict[int, list[AttendanceStatus | None]], days: list[dt.date]
) -> list[int]:
    ids = []
    for index, day in enumerate(days):
        meeting = w.meetings.create_meeting(w.group, MeetingDraft(day)).id
        for member, statuses in marks.items():
            status = statuses[index]
            if status is not None:
                w.meetings.set_attendance(meeting, member, status)
        ids.append(meeting)
    return ids


def _missed(w: World, today: dt.date = TODAY) -> list[Suggestion]:
    return [s for s in w.follow_ups.suggestions(today) if s.kind is SuggestionKind.MISSED_MEETINGS]


def test_someone_who_came_and_then_missed_two_meetings_is_suggested(w: World) -> None:
    kwame = w.roster.create_member(
        MemberDraft("Kwame", status=MemberStatus.INACTIVE), group_id=w.group
    ).id
    sam = w.roster.create_member(MemberDraft("Sam"), group_id=w.group).id
    ann = w.roster.create_member(MemberDraft("Ann"), group_id=w.group).id
    _hold_meetings(
        w,
        {
            w.agnes: [P, L, A, None],  # came, then missed two (an unmarked one counts)
            w.nguyen: [A, A, A, A],  # never came: not “missing”
            w.olga: [P, P, E, A],  # an excused absence does not count
            kwame: [P, P, A, A],  # inactive
            sam: [P, P, A, A],  # archived below
            ann: [P, P, P, P],
        },
        MEETING_DAYS,
    )
    w.roster.archive_member(sam)

    [suggestion] = w.follow_ups.suggestions(TODAY)
    assert suggestion == Suggestion(
        kind=SuggestionKind.MISSED_MEETINGS,
        group_id=w.group,
        group_name="Tuesday Circle",
        member_id=w.agnes,
        member_name="Ágnes",
        anchor_id=dt.date(2026, 11, 10).toordinal(),
        text="Missed the last 2 meetings of Tuesday Circle (last came 10 Nov 2026).",
    )
    assert suggestion.source is FollowUpSource.ATTENDANCE
    assert suggestion.meeting_id is None


def test_excused_meetings_neither_break_nor_add_to_a_run(w: World) -> None:
    _hold_meetings(w, {w.olga: [P, A, E, A]}, MEETING_DAYS)
    [suggestion] = _missed(w)
    assert suggestion.member_id == w.olga
    assert suggestion.text.startswith("Missed the last 2 meetings")


def test_a_meeting_planned_for_later_is_not_missed_yet(w: World) -> None:
    next_week = TODAY + 7 * DAY
    _hold_meetings(
        w,
        {
            w.agnes: [P, P, A, A, None],
            w.nguyen: [P, P, P, A, None],  # one missed so far
            w.olga: [P, P, P, A, E],  # already excused for next week
        },
        [*MEETING_DAYS, next_week],
    )
    [suggestion] = _missed(w)
    assert suggestion.member_id == w.agnes
    assert suggestion.text.startswith("Missed the last 2 meetings")
    # Once that day has come and gone unmarked, it counts like any other.
    assert {s.member_id for s in _missed(w, next_week)} == {w.agnes, w.nguyen}
    assert [s.text[:26] for s in _missed(w, next_week) if s.member_id == w.agnes] == [
        "Missed the last 3 meetings"
    ]


def test_an_archived_group_has_no_suggestions(w: World) -> None:
    _hold_meetings(w, {w.agnes: [P, P, A, A]}, MEETING_DAYS)
    assert len(_missed(w)) == 1
    w.roster.archive_group(w.group)
    assert w.follow_ups.suggestions(TODAY) == []


def test_accepting_a_suggestion_makes_a_follow_up_and_it_is_not_offered_again(
    w: World,
) -> None:
    _hold_meetings(w, {w.agnes: [P, P, A, A]}, MEETING_DAYS)
    [suggestion] = w.follow_ups.suggestions(TODAY)
    due = suggested_due_date(TODAY)
    made = w.follow_ups.accept(suggestion, due, "  Missed two weeks; send a kind note ")
    assert made.source is FollowUpSource.ATTENDANCE
    assert (made.member_id, made.group_id, made.due_date) == (w.agnes, w.group, due)
    assert made.reason == "Missed two weeks; send a kind note"
    assert w.follow_ups.suggestions(TODAY) == []
    # Done, and still not offered again for the same run of absences.
    w.follow_ups.complete(made.id, "Talked on the phone.", made.version)
    assert w.follow_ups.suggestions(TODAY) == []
    with w.db.engine.connect() as conn:
        handled = conn.execute(
            text("SELECT kind, member_id, anchor_id, accepted FROM handled_suggestions")
        ).all()
    assert [tuple(row) for row in handled] == [
        ("missed_meetings", w.agnes, suggestion.anchor_id, 1)
    ]


def test_accepting_needs_the_key_and_a_good_reason(w: World) -> None:
    _hold_meetings(w, {w.agnes: [P, P, A, A]}, MEETING_DAYS)
    [suggestion] = w.follow_ups.suggestions(TODAY)
    with pytest.raises(ValidationError):
        w.follow_ups.accept(suggestion, TODAY, "r" * (FOLLOW_UP_REASON_MAX + 1))
    w.vault.lock()
    with pytest.raises(VaultLockedError):
        w.follow_ups.accept(suggestion, TODAY, "Call")
    assert w.follow_ups.suggestions(TODAY) == [suggestion]  # nothing was remembered


def test_a_dismissed_suggestion_returns_only_after_a_new_run_of_absences(w: World) -> None:
    _hold_meetings(w, {w.agnes: [P, P, A, A]}, MEETING_DAYS)
    [suggestion] = w.follow_ups.suggestions(TODAY)
    w.follow_ups.dismiss(suggestion)
    w.follow_ups.dismiss(suggestion)  # twice (two windows) is harmless
    assert w.follow_ups.suggestions(TODAY) == []
    assert w.follow_ups.follow_ups(TODAY) == []  # dismissing makes no follow-up

    dec = [dt.date(2026, 12, 1), dt.date(2026, 12, 8), dt.date(2026, 12, 15)]
    _hold_meetings(w, {w.agnes: [P]}, dec[:1])
    assert w.follow_ups.suggestions(dec[0]) == []
    _hold_meetings(w, {w.agnes: [A]}, dec[1:2])
    assert w.follow_ups.suggestions(dec[1]) == []
    _hold_meetings(w, {w.agnes: [A]}, dec[2:])
    [again] = w.follow_ups.suggestions(dec[2])
    assert again.member_id == w.agnes
    assert again.anchor_id == dec[0].toordinal() != suggestion.anchor_id
    assert "last came 1 Dec 2026" in again.text


def test_an_open_follow_up_for_the_member_holds_suggestions_back(w: World) -> None:
    _hold_meetings(w, {w.agnes: [P, P, A, A]}, MEETING_DAYS)
    made = _create(w, w.agnes, TODAY + 10 * DAY, "Already planned a call")
    assert w.follow_ups.suggestions(TODAY) == []
    w.follow_ups.complete(made.id, "", made.version)
    assert [s.member_id for s in w.follow_ups.suggestions(TODAY)] == [w.agnes]


# ---- suggestions from the round's “check in later” flag ------------------------------------


def _turn(
    position: int, member_id: int | None, flagged: bool, came_back: bool = False
) -> TurnRecord:
    key = member_key(member_id) if member_id is not None else f"g{position}"
    speaker = Speaker(key, "Guest" if member_id is None else key, position, member_id)
    start = position * 60.0
    return TurnRecord(
        speaker, position, start, start + 50.0, 50.0, 180.0, False, flagged, came_back
    )


def _round(w: World, day: dt.date, turns: list[tuple[int | None, bool]]) -> int:
    """A meeting on ``day`` (everyone present) with one round of these (member, flagged)."""
    meeting = w.meetings.create_meeting(w.group, MeetingDraft(day)).id
    for member_id, _flag in turns:
        if member_id is not None:
            w.meetings.set_attendance(meeting, member_id, P)
    records = [_turn(i, member_id, flag) for i, (member_id, flag) in enumerate(turns)]
    RoundService(w.db).save_round(
        meeting, RoundSettings(), dt.datetime.combine(day, dt.time(19)), 300.0, records
    )
    return meeting


def _turn_ids(w: World, member_id: int) -> list[int]:
    with w.db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id FROM round_turns WHERE member_id = :m AND check_in_later ORDER BY id"),
            {"m": member_id},
        )
        return [row.id for row in rows]


def _flags(w: World, today: dt.date) -> list[Suggestion]:
    return [s for s in w.follow_ups.suggestions(today) if s.kind is SuggestionKind.ROUND_FLAG]


def test_a_check_in_later_flag_is_suggested_for_thirty_days(w: World) -> None:
    meeting = _round(w, TODAY, [(w.agnes, False), (w.nguyen, True), (None, True), (w.nguyen, True)])
    [flag] = _flags(w, TODAY + 2 * DAY)
    assert flag == Suggestion(
        kind=SuggestionKind.ROUND_FLAG,
        group_id=w.group,
        group_name="Tuesday Circle",
        member_id=w.nguyen,
        member_name="Nguyễn",
        anchor_id=_turn_ids(w, w.nguyen)[0],
        text="Flagged “check in later” in the round on 24 Nov 2026 (Tuesday Circle).",
        meeting_id=meeting,
    )
    assert flag.source is FollowUpSource.ROUND
    assert _flags(w, TODAY) == [flag]
    assert _flags(w, TODAY + 30 * DAY) == [flag]
    assert _flags(w, TODAY + 31 * DAY) == []
    assert _flags(w, TODAY - DAY) == []  # not yet held on that day


def test_flags_older_than_thirty_days_are_not_suggested(w: World) -> None:
    _round(w, TODAY - 31 * DAY, [(w.agnes, True)])
    _round(w, TODAY - 30 * DAY, [(w.olga, True)])
    assert [s.member_id for s in _flags(w, TODAY)] == [w.olga]


def test_flags_for_guests_and_inactive_or_archived_members_are_not_suggested(w: World) -> None:
    kwame = w.roster.create_member(
        MemberDraft("Kwame", status=MemberStatus.ALUMNI), group_id=w.group
    ).id
    _round(w, TODAY, [(None, True), (kwame, True), (w.olga, True), (w.agnes, False)])
    assert [s.member_id for s in _flags(w, TODAY)] == [w.olga]
    w.roster.archive_member(w.olga)
    assert _flags(w, TODAY) == []


def test_each_flagged_round_is_its_own_occasion(w: World) -> None:
    _round(w, TODAY - 7 * DAY, [(w.nguyen, True)])
    _round(w, TODAY, [(w.nguyen, True)])
    flags = _flags(w, TODAY)
    assert [s.anchor_id for s in flags] == sorted(_turn_ids(w, w.nguyen), reverse=True)
    assert "24 Nov 2026" in flags[0].text and "17 Nov 2026" in flags[1].text
    w.follow_ups.dismiss(flags[0])
    assert _flags(w, TODAY) == [flags[1]]


def test_accepting_and_dismissing_round_flags(w: World) -> None:
    meeting = _round(w, TODAY, [(w.nguyen, True), (w.olga, True)])
    flags = {s.member_id: s for s in _flags(w, TODAY)}
    made = w.follow_ups.accept(flags[w.nguyen], TODAY + 2 * DAY, "Ask about the news he shared")
    assert made.source is FollowUpSource.ROUND
    assert (made.meeting_id, made.group_id) == (meeting, w.group)
    w.follow_ups.dismiss(flags[w.olga])
    assert _flags(w, TODAY) == []
    w.follow_ups.complete(made.id, "", made.version)
    assert _flags(w, TODAY) == []
