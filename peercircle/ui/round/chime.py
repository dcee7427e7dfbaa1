"""The soft chime when a speaker's time is up, and when to play it.

``Chime`` is anything with ``play()``; ``ZeroChime`` watches the round's snapshots and plays
it once per turn, at the moment the time first runs out — never while paused, and not at
all when the facilitator has switched it off.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QApplication

from peercircle.services.round_engine import Phase, Snapshot

SETTINGS_KEY = "round/chime"
"""QSettings key for the facilitator's choice (a bool, on by default)."""


class Chime(Protocol):
    def play(self) -> None: ...


class BeepChime:
    """The system's own alert sound: gentle, and already familiar to the user."""

    def play(self) -> None:
        QApplication.beep()


class SilentChime:
    """Plays nothing (for tests, and for rooms where any sound would intrude)."""

    def play(self) -> None:
        return


class ZeroChime:
    """Decides when the chime sounds: once per turn (by ``turn_number``), when the
    remaining time first reaches zero while the stick is held and not paused.

    A turn that is already over time when it is first seen (for example one given back by
    undo) does not chime: the chime marks the moment time runs out, not a state.
    """

    def __init__(self, chime: Chime, *, enabled: bool = True) -> None:
        self._chime = chime
        self.enabled = enabled
        self._turn = -1
        self._had_time = False  # this turn was seen with time left
        self._rang = False  # this turn reached zero (chimed, or would have if switched on)

    def observe(self, snapshot: Snapshot) -> bool:
        """Look at a fresh snapshot; play the chime if its moment has come. Returns whether
        it played."""
        if snapshot.phase is not Phase.SPEAKING:
            return False
        if snapshot.turn_number != self._turn:
            self._turn = snapshot.turn_number
            self._had_time = False
            self._rang = False
        if snapshot.remaining > 0:
            self._had_time = True
            return False
        if snapshot.paused or not self._had_time or self._rang:
            return False
        self._rang = True
        if not self.enabled:
            return False
        self._chime.play()
        return True
