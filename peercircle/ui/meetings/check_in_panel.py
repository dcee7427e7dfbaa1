"""Check-in for one meeting: one click or key per member, a running count, guests,
newcomers added on the spot, and the way into the sharing round.

Signals:
    attendance_changed(int): a mark, the guest count or a newcomer changed meeting ``id``.
    members_added(): a newcomer joined the group (the roster and its counts change).
    edit_requested(): the user asked to edit the meeting shown.
    round_requested(int): the user asked to start a sharing round at meeting ``id``.
    summary_requested(int): the user asked for the round summaries of meeting ``id``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from peercircle.domain import GUESTS_MAX, AttendanceStatus
from peercircle.services.meeting_types import CheckInCounts, MeetingInfo
from peercircle.services.roster_types import ChangedElsewhereError, NotFoundError
from peercircle.services.storage_errors import StorageError
from peercircle.services.validation import ValidationError
from peercircle.ui.dialog_service import DialogService
from peercircle.ui.meetings.check_in_model import NAME, STATUS, WELCOME, CheckInModel, StatusRole
from peercircle.ui.meetings.newcomer_dialog import NewcomerDialog
from peercircle.ui.meetings.status_delegate import STATUS_COLUMN_WIDTH, StatusDelegate

if TYPE_CHECKING:
    from peercircle.services.meetings import MeetingService

KEYS = {
    Qt.Key.Key_P: AttendanceStatus.PRESENT,
    Qt.Key.Key_1: AttendanceStatus.PRESENT,
    Qt.Key.Key_L: AttendanceStatus.LATE,
    Qt.Key.Key_2: AttendanceStatus.LATE,
    Qt.Key.Key_E: AttendanceStatus.EXCUSED,
    Qt.Key.Key_3: AttendanceStatus.EXCUSED,
    Qt.Key.Key_A: AttendanceStatus.ABSENT,
    Qt.Key.Key_4: AttendanceStatus.ABSENT,
}
CLEAR_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_0)


def counts_text(counts: CheckInCounts) -> str:
    """“9 in the room · 6 present · 1 late · 2 guests · 1 excused · 3 not marked yet”."""
    parts = [f"{counts.in_the_room} in the room", f"{counts.present} present"]
    if counts.late:
        parts.append(f"{counts.late} late")
    if counts.guests:
        parts.append(f"{counts.guests} guest" + ("s" if counts.guests != 1 else ""))
    if counts.excused:
        parts.append(f"{counts.excused} excused")
    if counts.absent:
        parts.append(f"{counts.absent} absent")
    if counts.unmarked:
        parts.append(f"{counts.unmarked} not marked yet")
    return " · ".join(parts)


class CheckInPanel(QWidget):
    attendance_changed = Signal(int)
    members_added = Signal()
    edit_requested = Signal()
    round_requested = Signal(int)
    summary_requested = Signal(int)

    def __init__(self, dialogs: DialogService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dialogs = dialogs
        self._meetings: MeetingService | None = None
        self._meeting: MeetingInfo | None = None

        self.title = QLabel(self)
        self.title.setObjectName("meetingTitle")
        self.title.setWordWrap(True)
        self.details = QLabel(self)
        self.details.setObjectName("screenSubtitle")
        self.details.setWordWrap(True)
        self.edit_button = QPushButton("Edit &meeting…", self)
        self.edit_button.setAccessibleName("Edit meeting")
        self.counts = QLabel(self)
        self.counts.setObjectName("checkInCounts")
        self.counts.setWordWrap(True)
        self.counts.setAccessibleName("Attendance count")

        self.model = CheckInModel(self._store_mark, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Check-in")
        self.table.setItemDelegateForColumn(STATUS, StatusDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(40)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(STATUS, STATUS_COLUMN_WIDTH)
        header.setSectionResizeMode(WELCOME, QHeaderView.ResizeMode.Stretch)
        self.table.installEventFilter(self)

        self.hint = QLabel(
            "Select a name and press P (present), L (late), E (excused) or A (absent); "
            "the next name is selected for you. Delete clears a mark.",
            self,
        )
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)

        self.newcomer_button = QPushButton("Add &newcomer…", self)
        self.newcomer_button.setAccessibleName("Add a newcomer")
        guests_label = QLabel("&Guests", self)
        self.guests = QSpinBox(self)
        self.guests.setRange(0, GUESTS_MAX)
        self.guests.setAccessibleName("Anonymous guests")
        self.guests.setToolTip("People who came without joining the roster; counted, not named.")
        guests_label.setBuddy(self.guests)
        self.summary_button = QPushButton("Round s&ummary…", self)
        self.summary_button.setAccessibleName("Show the sharing round summary")
        self.round_button = QPushButton("Start sharing &round…", self)
        self.round_button.setObjectName("primaryButton")
        self.round_button.setAccessibleName("Start a sharing round")

        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.details)
        top.addLayout(heading, 1)
        top.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        bottom = QHBoxLayout()
        bottom.addWidget(self.newcomer_button)
        bottom.addSpacing(12)
        bottom.addWidget(guests_label)
        bottom.addWidget(self.guests)
        bottom.addStretch(1)
        bottom.addWidget(self.summary_button)
        bottom.addWidget(self.round_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        layout.addLayout(bottom)

        self.edit_button.clicked.connect(self.edit_requested)
        self.newcomer_button.clicked.connect(self.add_newcomer)
        self.guests.valueChanged.connect(self._store_guests)
        self.round_button.clicked.connect(self._request_round)
        self.model.dataChanged.connect(self._on_mark_changed)
        self.summary_button.clicked.connect(self._request_summary)

    def set_services(self, meetings: MeetingService) -> None:
        self._meetings = meetings

    def meeting(self) -> MeetingInfo | None:
        return self._meeting

    def show_meeting(self, meeting: MeetingInfo | None) -> None:
        self._meeting = meeting
        if meeting is None or self._meetings is None:
            self.model.set_rows([])
            return
        self.title.setText(
            f"{meeting.date:%A} {meeting.date.day} {meeting.date:%B %Y}"
            + (f" — {meeting.topic}" if meeting.topic else "")
        )
        details = []
        if meeting.starts_at is not None:
            time = f"{meeting.starts_at:%H:%M}"
            if meeting.ends_at is not None:
                time += f"–{meeting.ends_at:%H:%M}"
            details.append(time)
        if meeting.place:
            details.append(meeting.place)
        if meeting.facilitator:
            details.append(f"facilitated by {meeting.facilitator}")
        self.details.setText(" · ".join(details))
        self.details.setVisible(bool(details))
        self.model.set_rows(self._meetings.check_in_rows(meeting.id))
        blocker = self.guests.blockSignals(True)
        self.guests.setValue(meeting.guest_count)
        self.guests.blockSignals(blocker)
        self.summary_button.setVisible(meeting.rounds > 0)
        self._update_counts()
        if self.model.rowCount():
            first_unmarked = next(
                (i for i, r in enumerate(self.model.rows()) if r.status is None), 0
            )
            self._select_row(first_unmarked)

    def focus_check_in(self) -> None:
        self.table.setFocus()

    # ---- marking ---------------------------------------------------------------------------

    def mark_current(self, status: AttendanceStatus | None, *, advance: bool = True) -> None:
        row = self.table.currentIndex().row()
        if row < 0:
            return
        if self.model.setData(self.model.index(row, STATUS), status, StatusRole) and advance:
            self._select_row(min(row + 1, self.model.rowCount() - 1))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                return False
            key = Qt.Key(event.key())
            if key in KEYS:
                self.mark_current(KEYS[key])
                return True
            if key in CLEAR_KEYS:
                self.mark_current(None, advance=False)
                return True
        return super().eventFilter(watched, event)

    def _store_mark(self, member_id: int, status: AttendanceStatus | None) -> bool:
        if self._meetings is None or self._meeting is None:
            return False
        try:
            self._meetings.set_attendance(self._meeting.id, member_id, status)
        except (NotFoundError, ChangedElsewhereError) as exc:
            self._dialogs.error("Not saved", str(exc))
            return False
        return True

    def _on_mark_changed(self) -> None:
        self._update_counts()
        if self._meeting is not None:
            self.attendance_changed.emit(self._meeting.id)

    def _store_guests(self) -> None:
        if self._meetings is None or self._meeting is None:
            return
        if self.guests.value() == self._meeting.guest_count:
            return
        try:
            self._meetings.set_guest_count(self._meeting.id, self.guests.value())
        except (ValidationError, NotFoundError, ChangedElsewhereError) as exc:
            self._dialogs.error("Not saved", str(exc))
            return
        self._meeting = self._meetings.get_meeting(self._meeting.id)
        self._update_counts()
        self.attendance_changed.emit(self._meeting.id)

    def add_newcomer(self) -> None:
        if self._meetings is None or self._meeting is None:
            return
        dialog = NewcomerDialog(self)
        while dialog.exec():
            try:
                row = self._meetings.add_newcomer(self._meeting.id, dialog.draft(), dialog.status())
            except ValidationError as exc:
                dialog.show_error(str(exc))
                continue
            except StorageError as exc:  # the form is kept for another try
                self._dialogs.error("Not saved", str(exc))
                continue
            except (NotFoundError, ChangedElsewhereError) as exc:
                self._dialogs.error("Not saved", str(exc))
                break
            self.model.add_row(row)
            self._select_row(self.model.rowCount() - 1)
            self._update_counts()
            self.members_added.emit()
            self.attendance_changed.emit(self._meeting.id)
            break
        dialog.deleteLater()
        self.table.setFocus()

    def _update_counts(self) -> None:
        guests = self._meeting.guest_count if self._meeting else 0
        self.counts.setText(counts_text(CheckInCounts.of(self.model.rows(), guests)))

    def _select_row(self, row: int) -> None:
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, NAME),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _request_round(self) -> None:
        if self._meeting is not None:
            self.round_requested.emit(self._meeting.id)

    def _request_summary(self) -> None:
        if self._meeting is not None:
            self.summary_requested.emit(self._meeting.id)
