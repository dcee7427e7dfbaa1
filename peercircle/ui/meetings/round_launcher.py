"""From a meeting to a sharing round and back: set it up, run it, keep its log.

Signals:
    round_saved(int): a finished round's log was saved with meeting ``id``.
    presenter_opened(): the round's presenter view opened (private panels lock on it).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QWidget

from peercircle.services.prompts import PromptDeck
from peercircle.services.roster_types import GroupInfo, NotFoundError
from peercircle.services.round_engine import RoundSettings, SharingRound, Snapshot
from peercircle.ui.dialog_service import DialogService
from peercircle.ui.round.chime import BeepChime, Chime
from peercircle.ui.round.round_setup_dialog import RoundSetupDialog
from peercircle.ui.round.round_window import RoundWindow

if TYPE_CHECKING:
    from peercircle.services.meetings import MeetingService
    from peercircle.services.rounds import RoundService


class RoundLauncher(QObject):
    round_saved = Signal(int)
    presenter_opened = Signal()

    def __init__(
        self,
        meetings: MeetingService,
        rounds: RoundService,
        dialogs: DialogService,
        parent: QWidget,
        *,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], dt.datetime] = dt.datetime.now,
        chime: Chime | None = None,
        settings: QSettings | None = None,
        rng: random.Random | None = None,
        prompts: Callable[[], PromptDeck] | None = None,
    ) -> None:
        super().__init__(parent)
        self._meetings = meetings
        self._rounds = rounds
        self._dialogs = dialogs
        self._parent = parent
        # Public so that tests (and a future settings screen) can swap them.
        self.clock = clock
        self.now = now
        self.chime = chime or BeepChime()
        self.settings = settings
        self.rng = rng or random.Random()
        # Asked for the facilitator's prompt deck each time a round window opens.
        self.prompts = prompts
        self.window: RoundWindow | None = None

    def start(self, meeting_id: int, group: GroupInfo) -> RoundWindow | None:
        """Ask who is in the round and how it runs, then open the talking-stick view."""
        if self.window is not None:
            # One round at a time: bring the one running to the front.
            self.window.raise_()
            self.window.activateWindow()
            return self.window
        try:
            meeting = self._meetings.get_meeting(meeting_id)
            candidates, here = self._rounds.candidates(meeting_id)
        except NotFoundError as exc:
            self._dialogs.error("No round", str(exc))
            return None
        if not candidates:
            self._dialogs.info(
                "No one to share yet",
                "This group has no members or guests at this meeting yet. Check people in "
                "first, then start the round.",
            )
            return None
        defaults = self._rounds.last_settings(group.id) or RoundSettings()
        dialog = RoundSetupDialog(
            candidates, present_keys=here, defaults=defaults, parent=self._parent
        )
        try:
            if not dialog.exec():
                return None
            speakers, settings = dialog.speakers(), dialog.settings()
        finally:
            dialog.deleteLater()
        talk = self._rounds.recent_talk_time(group.id, before=meeting.date)
        engine = SharingRound(speakers, settings, self.clock, rng=self.rng, talk_time=talk)
        window = RoundWindow(
            engine,
            group_name=group.name,
            agreements=group.agreements,
            dialogs=self._dialogs,
            chime=self.chime,
            settings=self.settings,
            prompts=self.prompts() if self.prompts is not None else None,
        )
        chosen = {s.key for s in speakers}
        window.set_late_arrival_candidates([c for c in candidates if c.key not in chosen])
        window.round_finished.connect(lambda snapshot: self._save(meeting_id, snapshot))
        window.presenter_opened.connect(self.presenter_opened)
        window.closed.connect(self._forget_window)
        self.window = window
        window.show()
        return window

    def _save(self, meeting_id: int, snapshot: Snapshot) -> None:
        if not snapshot.turns:
            return  # ended before anyone spoke: nothing to keep
        span = snapshot.turns[-1].end_offset
        started = self.now() - dt.timedelta(seconds=span)
        try:
            self._rounds.save_round(
                meeting_id, snapshot.settings, started, snapshot.round_elapsed, snapshot.turns
            )
        except NotFoundError:
            self._dialogs.error(
                "Round not saved",
                "The meeting this round belonged to was deleted while the round ran, so its "
                "log could not be kept.",
            )
            return
        self.round_saved.emit(meeting_id)

    def _forget_window(self) -> None:
        if self.window is not None:
            self.window.deleteLater()
        self.window = None
