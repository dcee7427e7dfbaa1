"""The summaries of a meeting's sharing rounds: who shared for how long, passes, flags.

For the facilitator only; it is never shown in the presenter view.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from peercircle.services.meeting_types import MeetingInfo
from peercircle.services.roster_types import NotFoundError
from peercircle.services.round_types import RoundLog
from peercircle.ui.dialog_service import DialogService
from peercircle.ui.round.round_summary import RoundSummaryView

if TYPE_CHECKING:
    from peercircle.services.meetings import MeetingService
    from peercircle.services.rounds import RoundService


class RoundHistoryDialog(QDialog):
    def __init__(
        self, meeting: MeetingInfo, rounds: Sequence[RoundLog], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Round summary")
        self.setMinimumSize(640, 420)
        title = QLabel(f"Sharing round · {meeting.when}", self)
        title.setObjectName("dialogTitle")
        title.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        self.views: list[RoundSummaryView] = []
        for number, log in enumerate(rounds, start=1):
            if len(rounds) > 1:
                heading = QLabel(f"Round {number}, started {log.started_at:%H:%M}", self)
                heading.setObjectName("missedTitle")
                layout.addWidget(heading)
            view = RoundSummaryView(self)
            view.set_turns(log.turns, log.elapsed)
            layout.addWidget(view, 1)
            self.views.append(view)
        note = QLabel("Only you see this: it is never shown on the projector or printed.", self)
        note.setObjectName("hint")
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def show_round_summary(
    meetings: MeetingService,
    rounds: RoundService,
    meeting_id: int,
    dialogs: DialogService,
    parent: QWidget | None = None,
) -> None:
    """The rounds of meeting ``meeting_id``, in a dialog (or why they cannot be shown)."""
    try:
        meeting = meetings.get_meeting(meeting_id)
    except NotFoundError as exc:
        dialogs.error("Round summary", str(exc))
        return
    dialog = RoundHistoryDialog(meeting, rounds.rounds_of(meeting_id), parent)
    dialog.exec()
    dialog.deleteLater()
