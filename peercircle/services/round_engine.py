"""The sharing-round engine: who holds the talking stick, for how long, and the turn log.

Plain Python driven by an injected clock; the round screen polls ``snapshot()`` to draw itself.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from peercircle.domain import RoundOrder, TimeMode
from peercircle.services.round_types import (
    MIN_TURN_SECONDS,
    Clock,
    Phase,
    RoundError,
    RoundSettings,
    Snapshot,
    Speaker,
    SpeakerState,
    TurnRecord,
)

__all__ = [
    "MIN_TURN_SECONDS",
    "Clock",
    "Phase",
    "RoundError",
    "RoundSettings",
    "SharingRound",
    "Snapshot",
    "Speaker",
    "SpeakerState",
    "TurnRecord",
]

MINUTE = 60.0

# Where the speaker who got the stick came from, so that undo can put them back there.
_Source = Literal["queue", "passed"]


@dataclass(slots=True)
class _Turn:
    """The turn in progress. Times are clock readings; a pause is folded in when it ends."""

    speaker: Speaker
    started_at: float
    allotted: float
    came_back: bool
    paused_total: float = 0.0
    paused_since: float | None = None
    check_in_later: bool = False

    def spoken(self, now: float) -> float:
        # While paused the end is frozen at the pause, so the value does not move at all.
        end = now if self.paused_since is None else self.paused_since
        return (end - self.started_at) - self.paused_total


@dataclass(frozen=True, slots=True)
class _Handover:
    """What undo needs to give the stick back: the turn that ended, exactly as it ended."""

    ended: _Turn  # never changed after it ended
    removed: bool  # the speaker was removed while holding the stick
    next_from: _Source | None  # None: nobody was left and the round finished


class SharingRound:
    """One sharing round: the order, the talking stick, the countdown and the log.

    Time model: every figure is derived from the injected clock at the moment it is asked
    for, never from counted timer ticks. A turn keeps the clock reading at which it began
    and the total of its finished pauses; its speaking time is ``(now - started_at) -
    paused_total`` (with ``now`` frozen at the pause start while paused), and the
    countdown is ``allotted - spoken``. The round does the same with its own start and
    pause total, so the turn durations plus the current speaking time always add up to
    ``round_elapsed``, however irregularly the screen polls. Offsets in the log are
    clock time since ``start()`` with pauses included.

    Undo gives the stick back to the previous speaker with their original start, pauses
    and allotment; the time spent in the wrongly started turn becomes theirs.
    ``Snapshot.turn_number`` counts every turn start, a turn given back by undo included,
    so a view can tell that the stick moved by comparing it.

    Requests that make no sense now raise ``RoundError`` and change nothing. Pausing while
    paused, or resuming while running, is harmless.
    """

    def __init__(
        self,
        speakers: Sequence[Speaker],
        settings: RoundSettings,
        clock: Clock,
        *,
        rng: random.Random | None = None,
        talk_time: Mapping[str, float] | None = None,
    ) -> None:
        """Order: SEATED by seat; RANDOM = rng.shuffle of seated order; LEAST_HEARD by
        talk_time[key] ascending (missing = 0), ties by seat; VOLUNTEER = seated order as a
        default queue, the facilitator picks with choose_next(). Raises RoundError if no
        speakers or duplicate keys; ValueError for time_seconds <= 0 or warning < 0."""
        if settings.time_seconds <= 0:
            raise ValueError("time_seconds must be positive")
        if settings.warning_seconds < 0:
            raise ValueError("warning_seconds must not be negative")
        if not speakers:
            raise RoundError("A round needs at least one person.")
        everyone: dict[str, Speaker] = {}
        for speaker in speakers:
            if speaker.key in everyone:
                raise RoundError(f"{speaker.name} is in the list twice.")
            everyone[speaker.key] = speaker
        self._settings = settings
        self._clock = clock
        self._everyone = everyone
        self._circle_order = sorted(speakers, key=lambda s: s.seat)  # stable: ties keep order
        self._queue = _initial_order(self._circle_order, settings.order, rng, talk_time or {})
        self._passed: list[Speaker] = []  # passed, may still be offered a come-back turn
        self._away: set[str] = set()
        self._records: list[TurnRecord] = []
        self._records_view: tuple[TurnRecord, ...] = ()
        self._handovers: list[_Handover] = []  # the undo stack
        self._current: _Turn | None = None
        self._phase = Phase.READY
        self._started_at: float | None = None
        self._finished_at: float | None = None
        self._paused_total = 0.0  # the round's finished pauses
        self._turns_started = 0

    @property
    def settings(self) -> RoundSettings:
        return self._settings

    @property
    def phase(self) -> Phase:
        """The phase without reading the clock (a cheap check for the controller)."""
        return self._phase

    def next_free_seat(self) -> int:
        """A seat after everyone in the circle, for a late arrival."""
        return max(s.seat for s in self._circle_order) + 1

    # ---- reading -------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        now = self._clock()
        turn = self._current
        next_up = self._next_up()
        if turn is not None:
            allotted = turn.allotted
            spoken = turn.spoken(now)
        else:
            allotted = spoken = 0.0
        remaining = allotted - spoken
        return Snapshot(
            phase=self._phase,
            current=turn.speaker if turn else None,
            next_up=next_up,
            queue=tuple(self._queue),
            passed=tuple(self._passed),
            circle=self._circle(next_up),
            turns=self._records_view,
            turn_number=self._turns_started,
            allotted=allotted,
            spoken=spoken,
            remaining=remaining,
            overtime=max(0.0, -remaining),
            warning=turn is not None and 0 < remaining <= self._settings.warning_seconds,
            paused=turn is not None and turn.paused_since is not None,
            round_elapsed=self._round_elapsed(now),
            check_in_later=turn.check_in_later if turn else False,
            coming_back=turn.came_back if turn else False,
            can_undo=bool(self._handovers),
            settings=self._settings,
        )

    def _next_up(self) -> Speaker | None:
        if self._phase is Phase.FINISHED:
            return None
        if self._queue:
            return self._queue[0]
        if self._phase is Phase.SPEAKING and self._settings.come_back_to_passed and self._passed:
            return self._passed[0]
        return None

    def _round_elapsed(self, now: float) -> float:
        if self._started_at is None:
            return 0.0
        if self._finished_at is not None:
            end = self._finished_at
        elif self._current is not None and self._current.paused_since is not None:
            end = self._current.paused_since
        else:
            end = now
        return (end - self._started_at) - self._paused_total

    def _circle(self, next_up: Speaker | None) -> tuple[tuple[Speaker, SpeakerState], ...]:
        current_key = self._current.speaker.key if self._current else None
        next_key = next_up.key if next_up else None
        queued = {s.key for s in self._queue}
        passed = {s.key for s in self._passed}
        last_passed = {r.speaker.key: r.passed for r in self._records}  # the latest turn wins
        circle: list[tuple[Speaker, SpeakerState]] = []
        for speaker in self._circle_order:
            key = speaker.key
            if key == current_key:
                state = SpeakerState.CURRENT
            elif key in self._away:
                state = SpeakerState.AWAY
            elif key == next_key:
                state = SpeakerState.NEXT
            elif key in queued:
                state = SpeakerState.WAITING
            elif key in passed or last_passed.get(key, False):
                state = SpeakerState.PASSED
            else:
                state = SpeakerState.SPOKEN
            circle.append((speaker, state))
        return tuple(circle)

    # ---- the stick -----------------------------------------------------------------------

    def start(self) -> None:
        """READY -> SPEAKING: the first in the queue gets the stick."""
        if self._phase is not Phase.READY:
            raise RoundError("The round has already started.")
        if not self._queue:
            raise RoundError("There is no one here to speak.")
        now = self._clock()
        self._started_at = now
        self._phase = Phase.SPEAKING
        self._begin_next(now)

    def next(self) -> None:
        """The current turn ends (spoken) and the stick passes on."""
        self._hand_over(passed=False, removed=False)

    def pass_turn(self) -> None:
        """The current speaker passes: recorded as passed, and the stick moves on."""
        self._hand_over(passed=True, removed=False)

    def pause(self) -> None:
        turn = self._require_turn()
        if turn.paused_since is None:
            turn.paused_since = self._clock()

    def resume(self) -> None:
        turn = self._require_turn()
        if turn.paused_since is not None:
            self._end_pause(turn, self._clock())

    def toggle_pause(self) -> None:
        if self._require_turn().paused_since is None:
            self.pause()
        else:
            self.resume()

    def add_minute(self) -> None:
        """One more minute for the current speaker (any number of times)."""
        self._require_turn().allotted += MINUTE

    def toggle_check_in_later(self) -> None:
        """Flag or unflag the current turn; with no current turn, the last finished one."""
        if self._current is not None:
            self._current.check_in_later = not self._current.check_in_later
        elif self._records:
            last = self._records[-1]
            self._records[-1] = replace(last, check_in_later=not last.check_in_later)
            self._records_view = tuple(self._records)
        else:
            raise RoundError("No one has spoken yet.")

    def finish(self) -> None:
        """End now: the current turn is recorded and the round is FINISHED (idempotent)."""
        if self._phase is Phase.FINISHED:
            return
        now = self._clock()
        if self._current is not None:
            self._end_current(now, passed=False, removed=False)
        self._phase = Phase.FINISHED
        self._finished_at = now if self._started_at is not None else None
        self._handovers.clear()

    def undo(self) -> None:
        """Undo the last next/pass_turn/remove-of-current: the previous speaker continues.

        Their turn record is removed and the time since it ended counts as theirs (pauses
        in between stay pauses), so durations still add up. Whoever had the stick goes back
        to the front of the line they came from. Can be repeated.
        """
        if not self._handovers:
            raise RoundError("There is nothing to undo.")
        handover = self._handovers.pop()
        wrong = self._current
        carried_pause, paused_since = 0.0, None
        if wrong is not None:
            carried_pause, paused_since = wrong.paused_total, wrong.paused_since
            line = self._passed if handover.next_from == "passed" else self._queue
            line.insert(0, wrong.speaker)
        else:  # the hand-over finished the round; it goes on
            self._phase = Phase.SPEAKING
            self._finished_at = None
        record = self._records.pop()
        self._records_view = tuple(self._records)
        ended = handover.ended
        self._take_out_of_lines(ended.speaker.key)
        self._away.discard(ended.speaker.key)
        self._turns_started += 1
        self._current = replace(
            ended,
            paused_total=ended.paused_total + carried_pause,
            paused_since=paused_since,
            check_in_later=record.check_in_later,
        )

    # ---- who is in the round -------------------------------------------------------------

    def add_speaker(self, speaker: Speaker) -> None:
        """A late arrival joins at the end of the queue (before any come-back turns).

        Someone who stepped out (AWAY) and is added again returns to where they were: the
        queue if they have not had their turn, the passed list if they passed and have not
        had a come-back turn, otherwise simply back in the circle.
        """
        self._require_not_finished()
        known = self._everyone.get(speaker.key)
        if known is None:
            self._everyone[speaker.key] = speaker
            self._circle_order.append(speaker)
            self._circle_order.sort(key=lambda s: s.seat)
            self._queue.append(speaker)
            return
        if known.key not in self._away:
            raise RoundError(f"{known.name} is already in the round.")
        self._away.discard(known.key)
        if not self._had_turn(known.key):
            self._queue.append(known)
        elif self._may_come_back(known.key):
            self._passed.append(known)

    def remove_speaker(self, key: str) -> None:
        """Someone stepped out: out of the queue and the passed list, drawn as AWAY.

        If they hold the stick, their turn ends as spoken (not passed) and it moves on.
        """
        self._require_not_finished()
        speaker = self._known(key)
        if key in self._away:
            raise RoundError(f"{speaker.name} has already stepped out.")
        if self._current is not None and self._current.speaker.key == key:
            self._hand_over(passed=False, removed=True)
            return
        self._take_out_of_lines(key)
        self._away.add(key)

    def move(self, key: str, index: int) -> None:
        """Move a queued speaker to ``index`` in the queue (clamped)."""
        self._require_not_finished()
        speaker = self._known(key)
        if speaker not in self._queue:
            raise RoundError(f"{speaker.name} is not waiting to speak.")
        self._queue.remove(speaker)
        self._queue.insert(max(0, min(index, len(self._queue))), speaker)

    def choose_next(self, key: str) -> None:
        """Put a queued (or passed, if come-back turns are on) speaker first in the queue."""
        self._require_not_finished()
        speaker = self._known(key)
        if speaker in self._queue:
            self._queue.remove(speaker)
        elif speaker in self._passed:
            if not self._settings.come_back_to_passed:
                raise RoundError("Come-back turns are off for this round.")
            self._passed.remove(speaker)
        elif self._current is not None and self._current.speaker.key == key:
            raise RoundError(f"{speaker.name} is speaking now.")
        elif key in self._away:
            raise RoundError(f"{speaker.name} has stepped out.")
        else:
            raise RoundError(f"{speaker.name} has already had a turn.")
        self._queue.insert(0, speaker)

    # ---- internals -----------------------------------------------------------------------

    def _require_turn(self) -> _Turn:
        if self._phase is Phase.READY:
            raise RoundError("The round has not started yet.")
        if self._current is None:
            raise RoundError("The round has finished.")
        return self._current

    def _require_not_finished(self) -> None:
        if self._phase is Phase.FINISHED:
            raise RoundError("The round has finished.")

    def _known(self, key: str) -> Speaker:
        speaker = self._everyone.get(key)
        if speaker is None:
            raise RoundError("That person is not in this round.")
        return speaker

    def _take_out_of_lines(self, key: str) -> None:
        self._queue = [s for s in self._queue if s.key != key]
        self._passed = [s for s in self._passed if s.key != key]

    def _had_turn(self, key: str) -> bool:
        """Whether ``key`` already had their own (not come-back) turn."""
        return any(r.speaker.key == key and not r.came_back for r in self._records)

    def _may_come_back(self, key: str) -> bool:
        mine = [r for r in self._records if r.speaker.key == key]
        return any(r.passed for r in mine) and not any(r.came_back for r in mine)

    def _end_pause(self, turn: _Turn, now: float) -> None:
        assert turn.paused_since is not None
        length = now - turn.paused_since
        turn.paused_total += length
        self._paused_total += length
        turn.paused_since = None

    def _hand_over(self, *, passed: bool, removed: bool) -> None:
        self._require_turn()
        now = self._clock()
        ended = self._end_current(now, passed=passed, removed=removed)
        source = self._begin_next(now)
        self._handovers.append(_Handover(ended, removed, source))

    def _end_current(self, now: float, *, passed: bool, removed: bool) -> _Turn:
        turn = self._current
        assert turn is not None and self._started_at is not None
        if turn.paused_since is not None:
            self._end_pause(turn, now)
        self._records.append(
            TurnRecord(
                speaker=turn.speaker,
                position=len(self._records),
                start_offset=turn.started_at - self._started_at,
                end_offset=now - self._started_at,
                duration=(now - turn.started_at) - turn.paused_total,
                allotted=turn.allotted,
                passed=passed,
                check_in_later=turn.check_in_later,
                came_back=turn.came_back,
            )
        )
        self._records_view = tuple(self._records)
        if passed and not turn.came_back:
            self._passed.append(turn.speaker)
        if removed:
            self._away.add(turn.speaker.key)
        self._current = None
        return turn

    def _begin_next(self, now: float) -> _Source | None:
        """Give the stick to whoever is next, or finish the round if no one is left."""
        source: _Source
        if self._queue:
            speaker, source = self._queue.pop(0), "queue"
        elif self._settings.come_back_to_passed and self._passed:
            speaker, source = self._passed.pop(0), "passed"
        else:
            self._phase = Phase.FINISHED
            self._finished_at = now
            return None
        self._turns_started += 1
        self._current = _Turn(
            speaker=speaker,
            started_at=now,
            allotted=self._allotment(),
            came_back=source == "passed" or self._had_turn(speaker.key),
        )
        return source

    def _allotment(self) -> float:
        """The new turn's time; in budget mode an even share of what is left."""
        if self._settings.time_mode is TimeMode.PER_SPEAKER:
            return float(self._settings.time_seconds)
        left = self._settings.time_seconds - sum(r.duration for r in self._records)
        people_left = 1 + len(self._queue)  # the new speaker and the queue
        return max(MIN_TURN_SECONDS, left / people_left)


def _initial_order(
    seated: list[Speaker],
    order: RoundOrder,
    rng: random.Random | None,
    talk_time: Mapping[str, float],
) -> list[Speaker]:
    if order is RoundOrder.RANDOM:
        shuffled = list(seated)
        (rng or random.Random()).shuffle(shuffled)
        return shuffled
    if order is RoundOrder.LEAST_HEARD:
        return sorted(seated, key=lambda s: talk_time.get(s.key, 0.0))  # stable: ties by seat
    return list(seated)  # SEATED, and VOLUNTEER's default line
