"""SharingRound under random sequences of actions: the round's invariants always hold.

Time adds up, the log is contiguous, nobody gets two turns of their own, come-back turns only
follow a pass, and a failed request changes nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

import pytest
from fakes import FakeClock
from hypothesis import given, settings
from hypothesis import strategies as st

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

NAMES = ["Ágnes", "Nguyễn", "Ольга", "Kwame", "Saoirse", "李娜", "Ayşe", "Mateus", "Zoë", "Ngozi"]

# (kind, who: index into everyone ever added, where: queue index, seconds); the stick and
# the clock move most often, as in a real round.
KINDS = [
    *["next"] * 4,
    *["pass"] * 2,
    *["advance"] * 4,
    *["tick"] * 2,
    *["undo"] * 2,
    "pause",
    "resume",
    "toggle_pause",
    "add_minute",
    "flag",
    "start",
    "add_new",
    "re_add",
    "remove",
    "choose_next",
    "move",
]
Action = tuple[str, int, int, float]
ACTION = st.tuples(
    st.sampled_from(KINDS),
    st.integers(0, 99),
    st.integers(-2, 14),
    st.floats(0, 400, allow_nan=False, allow_infinity=False),
)
# lists of any length up to 60 (Hypothesis would otherwise favour short ones)
ACTIONS = st.integers(0, 60).flatmap(lambda n: st.lists(ACTION, min_size=n, max_size=n))

ROUND_SETTINGS = st.builds(
    RoundSettings,
    order=st.sampled_from(list(RoundOrder)),
    time_mode=st.sampled_from(list(TimeMode)),
    time_seconds=st.integers(1, 1800),
    warning_seconds=st.integers(0, 120),
    come_back_to_passed=st.booleans(),
)


@dataclass
class Model:
    """What the test itself knows about who should speak."""

    keys: list[str]
    removed_before_turn: set[str] = field(default_factory=set)
    finished_early: bool = False
    guests: int = 0


def _own_turns(snap: Snapshot) -> Counter[str]:
    return Counter(t.speaker.key for t in snap.turns if not t.came_back)


def check_invariants(snap: Snapshot) -> None:
    turns = snap.turns
    total = sum(t.duration for t in turns) + snap.spoken
    assert total == pytest.approx(snap.round_elapsed, abs=1e-6)
    assert [t.position for t in turns] == list(range(len(turns)))
    if turns:
        assert turns[0].start_offset == 0.0
    for earlier, later in zip(turns, turns[1:], strict=False):
        assert earlier.end_offset == later.start_offset
    for turn in turns:
        assert turn.start_offset <= turn.end_offset
        assert turn.duration >= -1e-9
        assert turn.duration <= turn.end_offset - turn.start_offset + 1e-9
    assert all(count == 1 for count in _own_turns(snap).values())
    passed_before: set[str] = set()
    for turn in turns:
        if turn.came_back:
            assert turn.speaker.key in passed_before
        elif turn.passed:
            passed_before.add(turn.speaker.key)
    assert snap.remaining == snap.allotted - snap.spoken
    assert snap.overtime == max(0.0, -snap.remaining)
    assert snap.warning == (0 < snap.remaining <= snap.settings.warning_seconds)
    assert snap.spoken >= 0.0

    states = dict((s.key, state) for s, state in snap.circle)
    assert len(states) == len(snap.circle)
    queued = [s.key for s in snap.queue]
    passed = [s.key for s in snap.passed]
    assert len(set(queued) | set(passed)) == len(queued) + len(passed)
    if snap.phase is Phase.SPEAKING:
        assert snap.current is not None
        assert states[snap.current.key] is SpeakerState.CURRENT
        assert snap.current.key not in queued and snap.current.key not in passed
        assert snap.allotted >= MIN_TURN_SECONDS or snap.settings.time_seconds < 30
        if snap.next_up is not None:
            assert states[snap.next_up.key] is SpeakerState.NEXT
    else:
        assert snap.current is None
        assert (snap.allotted, snap.spoken, snap.paused) == (0.0, 0.0, False)
        assert not snap.can_undo or snap.phase is Phase.FINISHED
    for key in queued:
        assert states[key] in (SpeakerState.WAITING, SpeakerState.NEXT)
    for key in passed:  # the first of them is NEXT when their come-back turn is next
        assert states[key] in (SpeakerState.PASSED, SpeakerState.NEXT)


def _key(model: Model, index: int) -> str:
    return model.keys[index % len(model.keys)]


def apply(rnd: SharingRound, clock: FakeClock, model: Model, action: Action) -> None:
    kind, who, where, seconds = action
    if kind in ("advance", "tick"):
        before = rnd.snapshot()
        clock.now += seconds if kind == "advance" else 0.001 + seconds / 2000  # a timer tick
        after = rnd.snapshot()
        assert after.round_elapsed >= before.round_elapsed
        if before.paused or before.phase is not Phase.SPEAKING:
            assert (after.spoken, after.round_elapsed) == (before.spoken, before.round_elapsed)
        return
    before = rnd.snapshot()
    try:
        _act(rnd, model, kind, who, where)
    except RoundError:
        assert rnd.snapshot() == before, f"{kind} failed but changed the round"
        _assert_refusal_made_sense(before, kind)
        return
    _assert_success_made_sense(before, rnd.snapshot(), kind)


def _act(rnd: SharingRound, model: Model, kind: str, who: int, where: int) -> None:
    match kind:
        case "start":
            rnd.start()
        case "next":
            rnd.next()
        case "pass":
            rnd.pass_turn()
        case "pause":
            rnd.pause()
        case "resume":
            rnd.resume()
        case "toggle_pause":
            rnd.toggle_pause()
        case "add_minute":
            rnd.add_minute()
        case "flag":
            rnd.toggle_check_in_later()
        case "undo":
            rnd.undo()
        case "add_new":
            model.guests += 1
            key = f"g{model.guests}"
            seat = rnd.next_free_seat() if model.guests % 2 else model.guests % 5
            rnd.add_speaker(Speaker(key, f"Guest {model.guests}", seat=seat))
            model.keys.append(key)
        case "re_add":
            key = _key(model, who)
            rnd.add_speaker(Speaker(key, "someone", seat=0))
            model.removed_before_turn.discard(key)
        case "remove":
            key = _key(model, who)
            rnd.remove_speaker(key)
            if _own_turns(rnd.snapshot())[key] == 0:
                model.removed_before_turn.add(key)
        case "choose_next":
            rnd.choose_next(_key(model, who))
        case "move":
            rnd.move(_key(model, who), where)
        case _:
            raise AssertionError(kind)


def _assert_refusal_made_sense(before: Snapshot, action: str) -> None:
    if action in ("next", "pass", "pause", "resume", "toggle_pause", "add_minute"):
        assert before.phase is not Phase.SPEAKING
    elif action == "undo":
        assert not before.can_undo
    elif action == "start":
        assert before.phase is not Phase.READY or not before.queue
    elif action == "flag":
        assert before.current is None and not before.turns


def _assert_success_made_sense(before: Snapshot, after: Snapshot, action: str) -> None:
    if action in ("next", "pass"):
        assert len(after.turns) == len(before.turns) + 1
        assert after.turns[-1].speaker == before.current
        assert after.turns[-1].passed == (action == "pass")
        if before.next_up is not None:
            assert after.current == before.next_up
        elif after.current is not None:  # someone alone in the round is offered a come-back
            assert action == "pass" and after.current == before.current and after.coming_back
        assert after.can_undo
    elif action == "undo":
        assert len(after.turns) == len(before.turns) - 1
        assert after.current == before.turns[-1].speaker
        assert after.turn_number > before.turn_number
    elif action == "add_minute":
        assert after.allotted == before.allotted + 60.0
    elif action == "pause":
        assert after.paused


@settings(max_examples=200, deadline=None)
@given(
    people=st.integers(1, 12),
    round_settings=ROUND_SETTINGS,
    seed=st.integers(0, 2**16),
    actions=ACTIONS,
    finish_at=st.one_of(st.none(), st.integers(0, 120)),
    start_at=st.floats(0, 1e6, allow_nan=False),
    start_first=st.booleans(),
)
def test_random_rounds_keep_their_invariants(
    people: int,
    round_settings: RoundSettings,
    seed: int,
    actions: list[Action],
    finish_at: int | None,
    start_at: float,
    start_first: bool,
) -> None:
    rng = random.Random(seed)
    speakers = [
        Speaker(f"m{i}", NAMES[i % len(NAMES)], seat=rng.randrange(20), member_id=i)
        for i in range(people)
    ]
    talk_time = {s.key: float(rng.randrange(3)) * 60 for s in speakers if rng.random() < 0.7}
    clock = FakeClock(start_at)
    rnd = SharingRound(speakers, round_settings, clock, rng=rng, talk_time=talk_time)
    model = Model(keys=[s.key for s in speakers])
    assert sorted(s.key for s in rnd.snapshot().queue) == sorted(model.keys)
    check_invariants(rnd.snapshot())
    if start_first:
        rnd.start()

    for step, action in enumerate(actions):
        if step == finish_at:
            rnd.finish()
            model.finished_early = True
        apply(rnd, clock, model, action)
        check_invariants(rnd.snapshot())

    if rnd.snapshot().phase is Phase.READY:
        try:
            rnd.start()
        except RoundError:  # everyone stepped out before the start
            assert rnd.snapshot().queue == ()
            rnd.finish()
            model.finished_early = True
    for _ in range(100):
        if rnd.snapshot().phase is not Phase.SPEAKING:
            break
        clock.now += rng.uniform(0, 200)
        rnd.next()
        check_invariants(rnd.snapshot())

    final = rnd.snapshot()
    assert final.phase is Phase.FINISHED
    check_invariants(final)
    own = _own_turns(final)
    if not model.finished_early:
        for key in model.keys:
            expected = 0 if key in model.removed_before_turn else 1
            assert own[key] == expected, key
        states = dict((s.key, state) for s, state in final.circle)
        for key in model.keys:
            mine = [t for t in final.turns if t.speaker.key == key]
            came_back = sum(t.came_back for t in mine)
            if not round_settings.come_back_to_passed:
                assert came_back == 0
            elif states[key] is not SpeakerState.AWAY and any(
                t.passed and not t.came_back for t in mine
            ):
                assert came_back == 1, key
            assert came_back <= 1
