"""The meeting editor: date, start and end, place, topic and who facilitates."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from peercircle import domain
from peercircle.services.meeting_types import MeetingDraft, clean_meeting
from peercircle.services.validation import ValidationError
from peercircle.ui.form_helpers import ErrorLabel, save_cancel_buttons


def _qtime(value: dt.time | None, fallback: QTime) -> QTime:
    return QTime(value.hour, value.minute) if value is not None else fallback


class MeetingDialog(QDialog):
    """Plan a new meeting or correct one. ``draft()`` holds the result once accepted."""

    def __init__(self, draft: MeetingDraft, *, new: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New meeting" if new else "Edit meeting")
        self.setMinimumWidth(440)

        self.date = QDateEdit(QDate(draft.date.year, draft.date.month, draft.date.day), self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("ddd d MMM yyyy")
        self.date.setAccessibleName("Meeting date")
        self.has_time = QCheckBox("from", self)
        self.has_time.setAccessibleName("Has a start time")
        self.starts = QTimeEdit(_qtime(draft.starts_at, QTime(18, 30)), self)
        self.starts.setDisplayFormat("HH:mm")
        self.starts.setAccessibleName("Starts at")
        self.ends = QTimeEdit(_qtime(draft.ends_at, QTime(20, 0)), self)
        self.ends.setDisplayFormat("HH:mm")
        self.ends.setAccessibleName("Ends at")
        self.has_time.setChecked(draft.starts_at is not None)
        for edit in (self.starts, self.ends):
            edit.setEnabled(self.has_time.isChecked())
            self.has_time.toggled.connect(edit.setEnabled)
        when = QHBoxLayout()
        when.addWidget(self.date, 1)
        when.addWidget(self.has_time)
        when.addWidget(self.starts)
        when.addWidget(QLabel("to", self))
        when.addWidget(self.ends)

        self.place = QLineEdit(draft.place, self)
        self.place.setAccessibleName("Place")
        self.place.setMaxLength(domain.PLACE_MAX)
        self.topic = QLineEdit(draft.topic, self)
        self.topic.setAccessibleName("Topic or theme")
        self.topic.setPlaceholderText("Optional, e.g. Getting through the holidays")
        self.topic.setMaxLength(domain.TOPIC_MAX)
        self.facilitator = QLineEdit(draft.facilitator, self)
        self.facilitator.setAccessibleName("Facilitator")
        self.facilitator.setPlaceholderText("Who is facilitating")
        self.facilitator.setMaxLength(domain.FACILITATOR_MAX)
        self.error = ErrorLabel(self)

        form = QFormLayout()
        for text, field in (
            ("&Date", when),
            ("&Place", self.place),
            ("&Topic", self.topic),
            ("&Facilitator", self.facilitator),
        ):
            label = QLabel(text, self)
            label.setBuddy(self.date if field is when else field)  # type: ignore[arg-type]
            form.addRow(label, field)
        self.buttons = save_cancel_buttons(self, self._on_accept)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for edit in (self.place, self.topic, self.facilitator):
            edit.textChanged.connect(self._validate)
        for time_edit in (self.starts, self.ends):
            time_edit.timeChanged.connect(self._validate)
        self.has_time.toggled.connect(self._validate)
        self.date.setFocus()

    def draft(self) -> MeetingDraft:
        d = self.date.date()
        starts = ends = None
        if self.has_time.isChecked():
            s, e = self.starts.time(), self.ends.time()
            starts, ends = dt.time(s.hour(), s.minute()), dt.time(e.hour(), e.minute())
        return MeetingDraft(
            date=dt.date(d.year(), d.month(), d.day()),
            starts_at=starts,
            ends_at=ends,
            place=self.place.text(),
            topic=self.topic.text(),
            facilitator=self.facilitator.text(),
        )

    def _validate(self) -> str | None:
        try:
            clean_meeting(self.draft())
            message = None
        except ValidationError as exc:
            message = str(exc)
        self.error.show_message(message)
        self.save_button.setEnabled(message is None)
        return message

    def show_error(self, message: str) -> None:
        self.error.show_message(message)

    def _on_accept(self) -> None:
        if self._validate() is None:
            self.accept()
