"""SharingRound: orders, every action, undo, pauses, budget mode and the edges of a round."""

from __future__ import annotations

import random
from typing import Any

import pytest
from fakes import FakeClock

from peercircle.domain import RoundOrder, TimeMode
from peercircle.services.round_engine import (
    MIN_TURN_SECONDS,
    Phase,
    RoundError,
    RoundSettings,
    SharingRound,
    Snapshot,
    Speaker,
    SpeakerState,
)

AGNES = Speaker("m1", "Ágnes", seat=0, member_id=1)
NGUYEN = Speaker("m2", "Nguyễn", seat=1, member_id=2)
OLGA = Speaker("m3", "Ольга", seat=2, member_id=3)
KWAME = Speaker("g1", "Kwame", seat=3)
LATE = Speaker("g2", "Saoirse", seat=9)


def _round(
    *people: Speaker,
    clock: FakeClock | None = None,
    **settings: Any,
) -> tuple[SharingRound, FakeClock]:
    clock = clock or FakeClock()
    chosen = RoundSettings(**settings)
    return SharingRound(people or (AGNES, NGUYEN, OLGA), chosen, clock), clock


def _started(*people: Speaker, **settings: Any) -> tuple[SharingRound, FakeClock]:
    rnd, clock = _round(*people, **settings)
    rnd.start()
    return rnd, clock


def _names(speakers: tuple[Speaker, ...]) -> list[str]:
    return [s.name for s in speakers]


def _states(snap: Snapshot) -> dict[str, SpeakerState]:
    return {speaker.name: state for speaker, state in snap.circle}


def _adds_up(snap: Snapshot) -> bool:
    total = sum(t.duration for t in snap.turns) + snap.spoken
    return total == pytest.approx(snap.round_elapsed, abs=1e-6)


# ---- orders -------------------------------------------------------------------------------


def test_seated_order_follows_the_seats_not_the_list() -> None:
    rnd, _ = _round(OLGA, AGNES, KWAME, NGUYEN)
    snap = rnd.snapshot()
    assert snap.phase is Phase.READY
    assert _names(snap.queue) == ["Ágnes", "Nguyễn", "Ольга", "Kwame"]
    assert snap.next_up == AGNES
    assert [s.name for s, _ in snap.circle] == ["Ágnes", "Nguyễn", "Ольга", "Kwame"]
    rnd.start()
    assert rnd.snapshot().current == AGNES


def test_random_order_is_the_seeded_shuffle_of_the_seated_order() -> None:
    people = (KWAME, OLGA, NGUYEN, AGNES)
    settings = RoundSettings(order=RoundOrder.RANDOM)
    first = SharingRound(people, settings, FakeClock(), rng=random.Random(7))
    again = SharingRound(people, settings, FakeClock(), rng=random.Random(7))
    expected = [AGNES, NGUYEN, OLGA, KWAME]
    random.Random(7).shuffle(expected)
    assert list(first.snapshot().queue) == expected
    assert first.snapshot().queue == again.snapshot().queue
    first.start()
    assert first.snapshot().current == expected[0]
    # the circle is still drawn in seat order
    assert [s for s, _ in first.snapshot().circle] == [AGNES, NGUYEN, OLGA, KWAME]


def test_least_heard_goes_by_talk_time_missing_counts_as_zero_ties_by_seat() -> None:
    talk = {"m1": 600.0, "m2": 120.0, "g1": 120.0}  # Ольга (m3) has no talk time yet
    rnd = SharingRound(
        (KWAME, AGNES, NGUYEN, OLGA),
        RoundSettings(order=RoundOrder.LEAST_HEARD),
        FakeClock(),
        talk_time=talk,
    )
    assert _names(rnd.snapshot().queue) == ["Ольга", "Nguyễn", "Kwame", "Ágnes"]
    rnd.start()
    assert rnd.snapshot().current == OLGA


def test_volunteer_order_has_a_seated_default_and_choose_next_picks() -> None:
    rnd, clock = _round(AGNES, NGUYEN, OLGA, KWAME, order=RoundOrder.VOLUNTEER)
    assert _names(rnd.snapshot().queue) == ["Ágnes", "Nguyễn", "Ольга", "Kwame"]
    rnd.choose_next("m3")  # Ольга raises a hand before the start
    assert rnd.snapshot().next_up == OLGA
    rnd.start()
    rnd.choose_next("g1")
    snap = rnd.snapshot()
    assert snap.current == OLGA
    assert snap.next_up == KWAME
    assert _states(snap)["Kwame"] is SpeakerState.NEXT
    assert _states(snap)["Ágnes"] is SpeakerState.WAITING
    clock.now += 40
    rnd.next()
    assert rnd.snapshot().current == KWAME
    assert _names(rnd.snapshot().queue) == ["Ágnes", "Nguyễn"]


@pytest.mark.parametrize("order", list(RoundOrder))
def test_choose_next_works_in_every_order(order: RoundOrder) -> None:
    rnd = SharingRound(
        (AGNES, NGUYEN, OLGA), RoundSettings(order=order), FakeClock(), rng=random.Random(1)
    )
    rnd.start()
    waiting = rnd.snapshot().queue[-1]
    rnd.choose_next(waiting.key)
    rnd.next()
    assert rnd.snapshot().current == waiting


# ---- start and next -----------------------------------------------------------------------


def test_start_gives_the_first_person_the_stick() -> None:
    rnd, clock = _round()
    before = rnd.snapshot()
    assert (before.turn_number, before.allotted, before.round_elapsed) == (0, 0.0, 0.0)
    assert before.current is None
    assert not before.can_undo
    clock.now += 100  # time before the start does not count
    rnd.start()
    snap = rnd.snapshot()
    assert snap.phase is Phase.SPEAKING
    assert snap.current == AGNES
    assert snap.next_up == NGUYEN
    assert _names(snap.queue) == ["Nguyễn", "Ольга"]
    assert snap.turn_number == 1
    assert snap.allotted == 180.0
    assert snap.spoken == 0.0
    assert snap.remaining == 180.0
    assert snap.round_elapsed == 0.0
    assert not snap.can_undo
    assert _states(snap) == {
        "Ágnes": SpeakerState.CURRENT,
        "Nguyễn": SpeakerState.NEXT,
        "Ольга": SpeakerState.WAITING,
    }
    with pytest.raises(RoundError):
        rnd.start()


def test_next_records_the_turn_and_passes_the_stick_on() -> None:
    rnd, clock = _started()
    clock.now += 95.5
    snap = rnd.snapshot()
    assert snap.spoken == 95.5
    assert snap.remaining == 84.5
    rnd.next()
    clock.now += 10
    snap = rnd.snapshot()
    assert snap.current == NGUYEN
    assert snap.turn_number == 2
    assert snap.spoken == 10.0
    assert snap.round_elapsed == 105.5
    (turn,) = snap.turns
    assert turn.speaker == AGNES
    assert turn.position == 0
    assert (turn.start_offset, turn.end_offset, turn.duration) == (0.0, 95.5, 95.5)
    assert turn.allotted == 180.0
    assert not (turn.passed or turn.check_in_later or turn.came_back)
    assert _states(snap)["Ágnes"] is SpeakerState.SPOKEN
    assert snap.can_undo


def test_the_last_next_finishes_the_round() -> None:
    rnd, clock = _started()
    for _ in range(3):
        clock.now += 60
        rnd.next()
    snap = rnd.snapshot()
    assert snap.phase is Phase.FINISHED
    assert snap.current is None and snap.next_up is None
    assert (snap.allotted, snap.spoken, snap.remaining, snap.overtime) == (0.0, 0.0, 0.0, 0.0)
    assert not snap.warning and not snap.paused
    assert [t.position for t in snap.turns] == [0, 1, 2]
    assert [t.start_offset for t in snap.turns] == [0.0, 60.0, 120.0]
    clock.now += 500  # the round's time stops with the round
    assert rnd.snapshot().round_elapsed == 180.0
    assert set(_states(rnd.snapshot()).values()) == {SpeakerState.SPOKEN}
    for action in (rnd.next, rnd.pass_turn, rnd.pause, rnd.resume, rnd.add_minute):
        with pytest.raises(RoundError):
            action()


def test_nothing_happens_to_the_stick_before_the_start() -> None:
    rnd, _ = _round()
    for action in (
        rnd.next,
        rnd.pass_turn,
        rnd.pause,
        rnd.resume,
        rnd.toggle_pause,
        rnd.add_minute,
        rnd.undo,
        rnd.toggle_check_in_later,
    ):
        with pytest.raises(RoundError):
            action()


# ---- pass and come-back turns -------------------------------------------------------------


def test_a_pass_is_recorded_and_offered_a_come_back_turn_at_the_end() -> None:
    rnd, clock = _started()
    clock.now += 5
    rnd.pass_turn()
    snap = rnd.snapshot()
    assert snap.turns[0].passed
    assert snap.passed == (AGNES,)
    assert _states(snap)["Ágnes"] is SpeakerState.PASSED
    clock.now += 100
    rnd.next()  # Nguyễn
    clock.now += 100
    assert rnd.snapshot().next_up == AGNES  # the queue is empty: the come-back is next
    rnd.next()  # Ольга
    snap = rnd.snapshot()
    assert snap.current == AGNES
    assert snap.coming_back
    assert snap.passed == ()
    clock.now += 30
    rnd.next()
    snap = rnd.snapshot()
    assert snap.phase is Phase.FINISHED
    last = snap.turns[-1]
    assert (last.speaker, last.came_back, last.passed, last.duration) == (AGNES, True, False, 30)
    assert _states(snap)["Ágnes"] is SpeakerState.SPOKEN


def test_everyone_passes_then_come_back_turns_in_the_order_they_passed() -> None:
    rnd, clock = _started(AGNES, NGUYEN, OLGA)
    for _ in range(3):
        clock.now += 2
        rnd.pass_turn()
    snap = rnd.snapshot()
    assert snap.current == AGNES and snap.coming_back
    assert _names(snap.passed) == ["Nguyễn", "Ольга"]
    assert snap.next_up == NGUYEN
    clock.now += 50
    rnd.next()  # Ágnes shared after all
    clock.now += 3
    rnd.pass_turn()  # Nguyễn passes again: recorded, not offered again
    snap = rnd.snapshot()
    assert snap.current == OLGA and snap.coming_back
    assert snap.passed == ()
    assert snap.next_up is None
    clock.now += 3
    rnd.pass_turn()
    snap = rnd.snapshot()
    assert snap.phase is Phase.FINISHED
    assert [(t.speaker.name, t.passed, t.came_back) for t in snap.turns] == [
        ("Ágnes", True, False),
        ("Nguyễn", True, False),
        ("Ольга", True, False),
        ("Ágnes", False, True),
        ("Nguyễn", True, True),
        ("Ольга", True, True),
    ]
    assert _states(snap) == {
        "Ágnes": SpeakerState.SPOKEN,
        "Nguyễn": SpeakerState.PASSED,
        "Ольга": SpeakerState.PASSED,
    }
    assert snap.round_elapsed == pytest.approx(2 * 3 + 50 + 3 + 3)


def test_no_come_back_turns_when_they_are_off() -> None:
    rnd, clock = _started(come_back_to_passed=False)
    rnd.pass_turn()
    snap = rnd.snapshot()
    assert snap.passed == (AGNES,)
    with pytest.raises(RoundError, match="Come-back"):
        rnd.choose_next("m1")
    rnd.next()
    assert rnd.snapshot().next_up is None
    rnd.next()
    snap = rnd.snapshot()
    assert snap.phase is Phase.FINISHED
    assert len(snap.turns) == 3
    assert snap.passed == (AGNES,)
    assert _states(snap)["Ágnes"] is SpeakerState.PASSED


def test_choose_next_can_bring_back_someone_who_passed_early() -> None:
    rnd, clock = _started(AGNES, NGUYEN, OLGA, KWAME)
    rnd.pass_turn()
    clock.now += 60
    rnd.choose_next("m1")
    snap = rnd.snapshot()
    assert snap.next_up == AGNES and snap.passed == ()
    rnd.next()
    snap = rnd.snapshot()
    assert snap.current == AGNES and snap.coming_back
    assert _names(snap.queue) == ["Ольга", "Kwame"]


def test_choose_next_refuses_what_makes_no_sense() -> None:
    rnd, clock = _started()
    with pytest.raises(RoundError, match="speaking now"):
        rnd.choose_next("m1")
    rnd.next()
    with pytest.raises(RoundError, match="already had a turn"):
        rnd.choose_next("m1")
    rnd.remove_speaker("m3")
    with pytest.raises(RoundError, match="stepped out"):
        rnd.choose_next("m3")
    with pytest.raises(RoundError, match="not in this round"):
        rnd.choose_next("m99")


# ---- pause --------------------------------------------------------------------------------


def test_pause_freezes_the_countdown_and_the_round_but_not_the_offsets() -> None:
    rnd, clock = _started()
    clock.now += 20
    rnd.pause()
    rnd.pause()  # pausing twice is harmless
    clock.now += 300
    snap = rnd.snapshot()
    assert snap.paused
    assert (snap.spoken, snap.remaining, snap.round_elapsed) == (20.0, 160.0, 20.0)
    rnd.resume()
    rnd.resume()  # so is resuming twice
    clock.now += 10
    snap = rnd.snapshot()
    assert not snap.paused
    assert (snap.spoken, snap.round_elapsed) == (30.0, 30.0)
    rnd.toggle_pause()
    assert rnd.snapshot().paused
    clock.now += 7
    rnd.toggle_pause()
    assert not rnd.snapshot().paused
    clock.now += 5
    rnd.next()
    turn = rnd.snapshot().turns[0]
    assert turn.duration == pytest.approx(35.0)
    assert turn.end_offset == pytest.approx(342.0)


def test_next_while_paused_resumes_and_the_new_turn_starts_running() -> None:
    rnd, clock = _started()
    clock.now += 10
    rnd.pause()
    clock.now += 60
    rnd.pass_turn()
    clock.now += 4
    snap = rnd.snapshot()
    assert not snap.paused
    assert snap.spoken == 4.0
    assert snap.turns[0].duration == 10.0
    assert snap.turns[0].end_offset == 70.0
    assert snap.round_elapsed == 14.0


def test_pause_across_the_warning_threshold() -> None:
    rnd, clock = _started(time_seconds=120, warning_seconds=30)
    clock.now += 89
    rnd.pause()
    clock.now += 600  # a long pause: still not in the warning
    snap = rnd.snapshot()
    assert snap.remaining == 31.0 and not snap.warning
    rnd.resume()
    clock.now += 2
    snap = rnd.snapshot()
    assert snap.remaining == 29.0 and snap.warning
    rnd.pause()
    clock.now += 600  # the warning stays while paused, and the time does not run out
    snap = rnd.snapshot()
    assert snap.warning and snap.paused and snap.remaining == 29.0
    rnd.resume()
    clock.now += 29
    assert not rnd.snapshot().warning  # 0 remaining is no longer "warning"
    assert rnd.snapshot().remaining == 0.0


def test_no_warning_when_the_warning_is_zero() -> None:
    rnd, clock = _started(time_seconds=60, warning_seconds=0)
    clock.now += 59.5
    assert not rnd.snapshot().warning


# ---- time: more, overtime, flags ----------------------------------------------------------


def test_overtime_counts_up_and_nothing_cuts_the_speaker_off() -> None:
    rnd, clock = _started(time_seconds=60)
    clock.now += 75.25
    snap = rnd.snapshot()
    assert snap.current == AGNES
    assert snap.remaining == -15.25
    assert snap.overtime == 15.25
    assert not snap.warning
    clock.now += 3600
    assert rnd.snapshot().current == AGNES
    assert rnd.snapshot().overtime == 3615.25


def test_add_minute_any_number_of_times() -> None:
    rnd, clock = _started(time_seconds=60)
    clock.now += 70
    rnd.add_minute()
    snap = rnd.snapshot()
    assert (snap.allotted, snap.remaining, snap.overtime) == (120.0, 50.0, 0.0)
    rnd.add_minute()
    rnd.add_minute()
    assert rnd.snapshot().allotted == 240.0
    rnd.next()
    assert rnd.snapshot().turns[0].allotted == 240.0
    assert rnd.snapshot().allotted == 60.0  # the next speaker has their own time


def test_check_in_later_flags_the_current_turn_then_the_last_finished_one() -> None:
    rnd, clock = _started(AGNES, NGUYEN)
    rnd.toggle_check_in_later()
    assert rnd.snapshot().check_in_later
    rnd.toggle_check_in_later()
    rnd.toggle_check_in_later()
    clock.now += 30
    rnd.next()
    snap = rnd.snapshot()
    assert snap.turns[0].check_in_later
    assert not snap.check_in_later  # the new turn starts unflagged
    rnd.next()
    assert rnd.snapshot().phase is Phase.FINISHED
    rnd.toggle_check_in_later()  # no current turn: the last finished one
    assert [t.check_in_later for t in rnd.snapshot().turns] == [True, True]
    rnd.toggle_check_in_later()
    assert [t.check_in_later for t in rnd.snapshot().turns] == [True, False]


# ---- who is in the round ------------------------------------------------------------------


def test_late_arrival_joins_the_end_of_the_queue_and_the_circle() -> None:
    rnd, clock = _started()
    assert rnd.next_free_seat() == 3
    rnd.add_speaker(LATE)
    snap = rnd.snapshot()
    assert _names(snap.queue) == ["Nguyễn", "Ольга", "Saoirse"]
    assert snap.circle[-1] == (LATE, SpeakerState.WAITING)
    with pytest.raises(RoundError, match="already in the round"):
        rnd.add_speaker(Speaker("m2", "Nguyễn", seat=4, member_id=2))


def test_late_arrival_can_join_before_the_start() -> None:
    rnd, _ = _round()
    rnd.add_speaker(LATE)
    rnd.add_speaker(Speaker("g3", "Ayşe", seat=1))  # given a seat: drawn there
    snap = rnd.snapshot()
    assert _names(snap.queue) == ["Ágnes", "Nguyễn", "Ольга", "Saoirse", "Ayşe"]
    assert [s.name for s, _ in snap.circle] == ["Ágnes", "Nguyễn", "Ayşe", "Ольга", "Saoirse"]


def test_late_arrival_during_the_last_turn_still_gets_a_turn() -> None:
    rnd, clock = _started(AGNES, NGUYEN)
    rnd.next()
    assert rnd.snapshot().next_up is None
    clock.now += 90
    rnd.add_speaker(LATE)
    assert rnd.snapshot().next_up == LATE
    rnd.next()
    snap = rnd.snapshot()
    assert snap.phase is Phase.SPEAKING
    assert snap.current == LATE and not snap.coming_back
    rnd.next()
    assert rnd.snapshot().phase is Phase.FINISHED


def test_late_arrival_goes_before_the_come_back_turns() -> None:
    rnd, clock = _started(AGNES, NGUYEN)
    rnd.pass_turn()
    rnd.next()  # Ágnes comes back now
    assert rnd.snapshot().coming_back
    rnd.add_speaker(LATE)
    rnd.add_speaker(Speaker("g3", "Ayşe", seat=10))
    rnd.pass_turn()  # ... passes again
    assert rnd.snapshot().current == LATE


def test_removing_someone_from_the_queue_skips_them() -> None:
    rnd, clock = _started(AGNES, NGUYEN, OLGA, KWAME)
    rnd.remove_speaker("m2")
    snap = rnd.snapshot()
    assert _names(snap.queue) == ["Ольга", "Kwame"]
    assert _states(snap)["Nguyễn"] is SpeakerState.AWAY
    rnd.next()
    assert rnd.snapshot().current == OLGA
    with pytest.raises(RoundError, match="already stepped out"):
        rnd.remove_speaker("m2")
    with pytest.raises(RoundError, match="not in this round"):
        rnd.remove_speaker("zz")


def test_removing_the_current_speaker_ends_their_turn_as_spoken() -> None:
    rnd, clock = _started()
    clock.now += 45
    rnd.remove_speaker("m1")
    snap = rnd.snapshot()
    assert snap.current == NGUYEN
    turn = snap.turns[0]
    assert (turn.speaker, turn.passed, turn.duration) == (AGNES, False, 45.0)
    assert _states(snap)["Ágnes"] is SpeakerState.AWAY
    assert snap.can_undo


def test_removing_someone_who_passed_takes_them_off_the_come_back_list() -> None:
    rnd, clock = _started()
    rnd.pass_turn()
    rnd.remove_speaker("m1")
    snap = rnd.snapshot()
    assert snap.passed == ()
    rnd.next()
    rnd.next()
    assert rnd.snapshot().phase is Phase.FINISHED


def test_removing_the_last_speaker_finishes_the_round() -> None:
    rnd, clock = _started(AGNES)
    clock.now += 12
    rnd.remove_speaker("m1")
    snap = rnd.snapshot()
    assert snap.phase is Phase.FINISHED
    assert snap.turns[0].duration == 12.0
    assert snap.circle == ((AGNES, SpeakerState.AWAY),)


def test_a_removed_speaker_added_again_comes_back() -> None:
    rnd, clock = _started(AGNES, NGUYEN, OLGA)
    rnd.remove_speaker("m3")
    rnd.next()
    rnd.add_speaker(OLGA)
    snap = rnd.snapshot()
    assert _names(snap.queue) == ["Ольга"]
    assert _states(snap)["Ольга"] is SpeakerState.NEXT
    assert [s.name for s, _ in snap.circle] == ["Ágnes", "Nguyễn", "Ольга"]  # same seat
    rnd.next()
    assert rnd.snapshot().current == OLGA


def test_someone_who_already_spoke_and_comes_back_in_does_not_speak_twice() -> None:
    rnd, clock = _started(AGNES, NGUYEN, OLGA)
    rnd.next()
    rnd.remove_speaker("m1")
    rnd.add_speaker(AGNES)
    snap = rnd.snapshot()
    assert _states(snap)["Ágnes"] is SpeakerState.SPOKEN
    assert _names(snap.queue) == ["Ольга"]


def test_someone_who_passed_stepped_out_and_came_back_can_still_come_back() -> None:
    rnd, clock = _started(AGNES, NGUYEN)
    rnd.pass_turn()
    rnd.remove_speaker("m1")
    rnd.add_speaker(AGNES)
    assert rnd.snapshot().passed == (AGNES,)
    rnd.next()
    assert rnd.snapshot().current == AGNES and rnd.snapshot().coming_back


def test_remove_before_the_start_and_starting_with_no_one() -> None:
    rnd, _ = _round(AGNES, NGUYEN)
    rnd.remove_speaker("m1")
    assert rnd.snapshot().next_up == NGUYEN
    rnd.remove_speaker("m2")
    with pytest.raises(RoundError, match="no one"):
        rnd.start()
    rnd.add_speaker(AGNES)
    rnd.start()
    assert rnd.snapshot().current == AGNES


def test_move_reorders_the_queue_with_the_index_clamped() -> None:
    rnd, _ = _round(AGNES, NGUYEN, OLGA, KWAME)
    rnd.move("g1", 0)
    assert _names(rnd.snapshot().queue) == ["Kwame", "Ágnes", "Nguyễn", "Ольга"]
    rnd.move("g1", 99)
    assert _names(rnd.snapshot().queue) == ["Ágnes", "Nguyễn", "Ольга", "Kwame"]
    rnd.move("m3", -5)
    assert _names(rnd.snapshot().queue) == ["Ольга", "Ágnes", "Nguyễn", "Kwame"]
    rnd.start()
    rnd.move("g1", 1)
    assert _names(rnd.snapshot().queue) == ["Ágnes", "Kwame", "Nguyễn"]
    with pytest.raises(RoundError, match="not waiting"):
        rnd.move("m3", 0)  # Ольга holds the stick
    rnd.finish()
    with pytest.raises(RoundError, match="finished"):
        rnd.move("g1", 0)


# ---- undo ---------------------------------------------------------------------------------


def test_undo_gives_the_stick_back_and_the_time_in_between_is_theirs() -> None:
    rnd, clock = _started(time_seconds=120)
    clock.now += 50
    rnd.add_minute()
    rnd.next()
    clock.now += 8  # Nguyễn had it by mistake for 8 seconds
    rnd.undo()
    snap = rnd.snapshot()
    assert snap.current == AGNES
    assert snap.turns == ()
    assert snap.spoken == 58.0
    assert snap.allotted == 180.0  # the extra minute is kept
    assert _names(snap.queue) == ["Nguyễn", "Ольга"]
    assert snap.turn_number == 3  # a fresh number, so the screen sees the change
    assert not snap.can_undo
    assert _adds_up(snap)
    clock.now += 2
    rnd.next()
    assert rnd.snapshot().turns[0].duration == 60.0
    assert rnd.snapshot().turns[0].end_offset == 60.0


def test_undo_can_be_repeated() -> None:
    rnd, clock = _started()
    for seconds in (10, 20, 30):
        clock.now += seconds
        rnd.next()
    assert rnd.snapshot().phase is Phase.FINISHED
    clock.now += 5
    rnd.undo()  # the round goes on with Ольга
    snap = rnd.snapshot()
    assert (snap.phase, snap.current, snap.spoken) == (Phase.SPEAKING, OLGA, 35.0)
    rnd.undo()
    snap = rnd.snapshot()
    assert (snap.current, snap.spoken) == (NGUYEN, 55.0)
    assert _names(snap.queue) == ["Ольга"]
    rnd.undo()
    snap = rnd.snapshot()
    assert (snap.current, snap.spoken, snap.round_elapsed) == (AGNES, 65.0, 65.0)
    assert _names(snap.queue) == ["Nguyễn", "Ольга"]
    assert not snap.can_undo
    with pytest.raises(RoundError, match="nothing to undo"):
        rnd.undo()


def test_undo_of_a_pass() -> None:
    rnd, clock = _started()
    clock.now += 3
    rnd.pass_turn()
    clock.now += 1
    rnd.undo()
    snap = rnd.snapshot()
    assert snap.current == AGNES
    assert snap.passed == ()
    assert _states(snap)["Ágnes"] is SpeakerState.CURRENT
    assert snap.spoken == 4.0


def test_undo_of_the_start_of_a_come_back_turn_puts_them_back_in_the_passed_line() -> None:
    rnd, clock = _started(AGNES, NGUYEN)
    rnd.pass_turn()
    rnd.next()
    assert rnd.snapshot().current == AGNES
    rnd.undo()
    snap = rnd.snapshot()
    assert snap.current == NGUYEN
    assert snap.passed == (AGNES,)
    assert snap.next_up == AGNES


def test_undo_of_removing_the_current_speaker_brings_them_back() -> None:
    rnd, clock = _started()
    clock.now += 30
    rnd.remove_speaker("m1")
    clock.now += 5
    rnd.undo()
    snap = rnd.snapshot()
    assert snap.current == AGNES
    assert _states(snap)["Ágnes"] is SpeakerState.CURRENT
    assert snap.spoken == 35.0
    assert snap.next_up == NGUYEN


def test_undo_keeps_pauses_as_pauses() -> None:
    rnd, clock = _started()
    clock.now += 10
    rnd.pause()
    clock.now += 100
    rnd.next()  # resumes implicitly
    clock.now += 5
    rnd.pause()
    clock.now += 50
    rnd.undo()  # Ágnes continues, still paused
    snap = rnd.snapshot()
    assert snap.paused
    assert snap.spoken == 15.0
    assert snap.round_elapsed == 15.0
    rnd.resume()
    clock.now += 1
    rnd.next()
    assert rnd.snapshot().turns[0].duration == pytest.approx(16.0)
    assert rnd.snapshot().turns[0].end_offset == pytest.approx(166.0)


def test_undo_brings_back_the_flag_set_after_the_turn() -> None:
    rnd, clock = _started(AGNES)
    rnd.next()
    rnd.toggle_check_in_later()
    rnd.undo()
    assert rnd.snapshot().check_in_later


# ---- finish early -------------------------------------------------------------------------


def test_finish_early_records_the_current_turn() -> None:
    rnd, clock = _started()
    clock.now += 40
    rnd.next()
    clock.now += 25
    rnd.pause()
    clock.now += 5
    rnd.finish()
    snap = rnd.snapshot()
    assert snap.phase is Phase.FINISHED
    assert [t.duration for t in snap.turns] == [40.0, 25.0]
    assert snap.turns[-1].end_offset == 70.0
    assert not snap.can_undo and not snap.paused
    assert _names(snap.queue) == ["Ольга"]  # who did not get a turn
    assert snap.next_up is None
    rnd.finish()  # idempotent
    assert rnd.snapshot().turns == snap.turns
    with pytest.raises(RoundError):
        rnd.undo()
    with pytest.raises(RoundError):
        rnd.add_speaker(LATE)
    with pytest.raises(RoundError):
        rnd.remove_speaker("m3")


def test_finish_before_the_start() -> None:
    rnd, clock = _round()
    clock.now += 10
    rnd.finish()
    snap = rnd.snapshot()
    assert snap.phase is Phase.FINISHED
    assert (snap.turns, snap.round_elapsed) == ((), 0.0)


# ---- budget mode --------------------------------------------------------------------------


def test_budget_is_split_evenly_and_re_split_when_someone_passes() -> None:
    rnd, clock = _started(AGNES, NGUYEN, OLGA, KWAME, time_mode=TimeMode.BUDGET, time_seconds=1200)
    assert rnd.snapshot().allotted == 300.0
    clock.now += 10
    rnd.pass_turn()  # 1190 left for 3
    assert rnd.snapshot().allotted == pytest.approx(1190 / 3)
    clock.now += 190
    rnd.next()  # finished early: 1000 for 2
    assert rnd.snapshot().allotted == 500.0
    clock.now += 600  # overtime eats into the last share
    rnd.next()
    assert rnd.snapshot().allotted == 400.0
    clock.now += 400
    rnd.next()  # Ágnes comes back: what is left, but never below the floor
    snap = rnd.snapshot()
    assert snap.coming_back
    assert snap.allotted == MIN_TURN_SECONDS


def test_budget_gives_a_late_arrival_a_share_from_the_next_turn_on() -> None:
    rnd, clock = _started(AGNES, NGUYEN, OLGA, time_mode=TimeMode.BUDGET, time_seconds=900)
    assert rnd.snapshot().allotted == 300.0
    rnd.add_speaker(LATE)
    assert rnd.snapshot().allotted == 300.0  # a running turn's time never changes
    clock.now += 300
    rnd.next()
    assert rnd.snapshot().allotted == 200.0  # 600 for Nguyễn, Ольга and Saoirse


def test_budget_never_allots_less_than_the_floor() -> None:
    rnd, clock = _started(AGNES, NGUYEN, OLGA, time_mode=TimeMode.BUDGET, time_seconds=60)
    assert rnd.snapshot().allotted == MIN_TURN_SECONDS
    clock.now += 100
    rnd.next()
    assert rnd.snapshot().allotted == MIN_TURN_SECONDS


def test_budget_add_minute_only_adds_to_the_current_turn() -> None:
    rnd, clock = _started(AGNES, NGUYEN, time_mode=TimeMode.BUDGET, time_seconds=600)
    rnd.add_minute()
    assert rnd.snapshot().allotted == 360.0
    clock.now += 360
    rnd.next()
    assert rnd.snapshot().allotted == 240.0


# ---- one person, bad input ----------------------------------------------------------------


def test_a_round_of_one() -> None:
    rnd, clock = _started(OLGA)
    snap = rnd.snapshot()
    assert (snap.current, snap.next_up, snap.queue) == (OLGA, None, ())
    clock.now += 5
    rnd.pass_turn()
    snap = rnd.snapshot()
    assert snap.current == OLGA and snap.coming_back  # offered again straight away
    clock.now += 5
    rnd.pass_turn()
    snap = rnd.snapshot()
    assert snap.phase is Phase.FINISHED
    assert [(t.passed, t.came_back) for t in snap.turns] == [(True, False), (True, True)]


@pytest.mark.parametrize(
    ("settings", "error"),
    [
        (RoundSettings(time_seconds=0), ValueError),
        (RoundSettings(time_seconds=-60), ValueError),
        (RoundSettings(warning_seconds=-1), ValueError),
    ],
)
def test_bad_settings_are_refused(settings: RoundSettings, error: type[Exception]) -> None:
    with pytest.raises(error):
        SharingRound([AGNES], settings, FakeClock())


def test_a_round_needs_people_with_different_keys() -> None:
    with pytest.raises(RoundError, match="at least one"):
        SharingRound([], RoundSettings(), FakeClock())
    twin = Speaker("m1", "Ágnes B.", seat=5, member_id=1)
    with pytest.raises(RoundError, match="twice"):
        SharingRound([AGNES, NGUYEN, twin], RoundSettings(), FakeClock())


def test_the_settings_are_kept() -> None:
    settings = RoundSettings(order=RoundOrder.VOLUNTEER, time_seconds=240)
    rnd = SharingRound([AGNES], settings, FakeClock())
    assert rnd.settings is settings
    assert rnd.snapshot().settings is settings
    assert rnd.phase is Phase.READY


def test_snapshot_reads_the_clock_once_per_call() -> None:
    calls = 0

    def clock() -> float:
        nonlocal calls
        calls += 1
        return 50.0

    rnd = SharingRound([AGNES, NGUYEN], RoundSettings(), clock)
    rnd.start()
    calls = 0
    rnd.snapshot()
    assert calls == 1
