"""The summaries of a meeting's sharing rounds: who shared for how long, passes, flags.

For the facilitator only; it is never shown in the presenter view.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from peercircle.services.meeting_types import MeetingInfo
from peercircle.services.round_types import RoundLog
from peercircle.ui.round.round_summary import RoundSummaryView


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
