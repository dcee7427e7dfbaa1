"""The sharing round's plain values: speakers, settings, the turn log, the snapshot, and the
round log and talk-time figures as they are kept.

``peercircle.services.round_engine`` re-exports all of these; no Qt and no database here.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass

from peercircle.domain import RoundOrder, TimeMode

Clock = Callable[[], float]
"""A monotonic clock in seconds, e.g. ``time.monotonic``; tests pass a fake one."""

MIN_TURN_SECONDS = 30.0
"""Budget mode never allots less than this to a speaker, however little budget is left."""


class RoundError(Exception):
    """A request that makes no sense now (e.g. ``next()`` before ``start()``)."""


@dataclass(frozen=True)
class Speaker:
    """Someone in the circle. ``key`` is stable and unique in the round."""

    key: str  # f"m{member_id}" for members, "g1", "g2", ... for guests
    name: str  # what is shown in the circle (display name only)
    seat: int  # place in the circle (seated order), smaller = earlier
    member_id: int | None = None  # None for an anonymous guest


@dataclass(frozen=True)
class RoundSettings:
    order: RoundOrder = RoundOrder.SEATED
    time_mode: TimeMode = TimeMode.PER_SPEAKER
    time_seconds: int = 180  # per speaker (PER_SPEAKER) or the whole round (BUDGET)
    warning_seconds: int = 30  # "warning" when 0 < remaining <= this
    come_back_to_passed: bool = True  # offer those who passed a turn at the end


class Phase(enum.StrEnum):
    READY = "ready"  # built, not started (agreements shown, order can be changed)
    SPEAKING = "speaking"  # someone holds the stick (may be paused)
    FINISHED = "finished"


class SpeakerState(enum.StrEnum):
    """How a person is drawn in the circle."""

    WAITING = "waiting"  # still to speak
    NEXT = "next"  # next up
    CURRENT = "current"  # holds the stick
    SPOKEN = "spoken"  # had their turn
    PASSED = "passed"  # passed (and may be offered a come-back turn)
    AWAY = "away"  # removed: stepped out (still drawn, dimmed)


@dataclass(frozen=True)
class TurnRecord:
    """One finished turn in the round log: timing and flags, never any content."""

    speaker: Speaker
    position: int  # 0-based order in which turns happened
    start_offset: float  # seconds since start() (pauses included) when the turn began
    end_offset: float  # ... when it ended
    duration: float  # speaking time: end - start minus pauses inside the turn
    allotted: float  # the time this turn had (incl. +1 minutes)
    passed: bool
    check_in_later: bool
    came_back: bool  # a come-back turn for someone who passed earlier


@dataclass(frozen=True)
class Snapshot:
    """Everything a view needs, read at one instant of the clock."""

    phase: Phase
    current: Speaker | None
    next_up: Speaker | None
    queue: tuple[Speaker, ...]  # still to speak, in order, NOT including current
    passed: tuple[Speaker, ...]  # passed and not (yet) come back
    # everyone ever in the round, in seat order (ties: the earlier added first), with state
    circle: tuple[tuple[Speaker, SpeakerState], ...]
    turns: tuple[TurnRecord, ...]  # finished turns so far
    turn_number: int  # 1-based number of the current turn (0 before start); unique per started turn
    allotted: float  # current turn's allotment (0 when none)
    spoken: float  # current turn's speaking time so far (pauses excluded)
    remaining: float  # allotted - spoken; negative in overtime
    overtime: float  # max(0, -remaining)
    warning: bool  # 0 < remaining <= warning_seconds
    paused: bool
    round_elapsed: float  # seconds since start() excluding pauses (== sum of durations + spoken)
    check_in_later: bool  # current turn flagged
    coming_back: bool  # current turn is a come-back turn
    can_undo: bool
    settings: RoundSettings


def member_key(member_id: int) -> str:
    """The round engine's key for a member (guests are ``g1``, ``g2`` …)."""
    return f"m{member_id}"


@dataclass(frozen=True)
class RoundLog:
    id: int
    meeting_id: int
    settings: RoundSettings
    started_at: dt.datetime
    elapsed: float
    turns: tuple[TurnRecord, ...]

    @property
    def speakers(self) -> int:
        """How many people shared (took a turn without passing)."""
        return len({t.speaker.key for t in self.turns if not t.passed})

    @property
    def passes(self) -> int:
        return sum(1 for t in self.turns if t.passed)

    @property
    def flagged(self) -> tuple[TurnRecord, ...]:
        return tuple(t for t in self.turns if t.check_in_later)


@dataclass(frozen=True)
class TalkShare:
    """A member's talk time over a group's rounds (facilitator only)."""

    member_id: int
    display_name: str
    seconds: float
    turns: int
    passes: int
    rounds: int
    share: float  # of all members' talk time in those rounds, 0..1

    @property
    def average(self) -> float:
        """Seconds per round they were in."""
        return self.seconds / self.rounds if self.rounds else 0.0
