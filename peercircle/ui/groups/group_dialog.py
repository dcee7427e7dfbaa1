"""The group editor: name, when and where it meets, and the group's agreements."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from peercircle import domain as models
from peercircle.services.roster_types import WEEKDAYS, GroupDraft, GroupInfo, clean_group
from peercircle.services.validation import ValidationError
from peercircle.ui.form_helpers import ErrorLabel, save_cancel_buttons

SUGGESTED_AGREEMENTS = """\
What is shared here stays here.
One person speaks at a time; we listen without interrupting.
We speak from our own experience (“I”), and we don't give advice unless asked.
Passing is always fine.
We are kind to each other and to ourselves."""


class GroupDialog(QDialog):
    """Create or edit a group. ``draft()`` holds the result once accepted."""

    def __init__(self, group: GroupInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = group
        self.setWindowTitle("Edit group" if group else "New group")
        self.setMinimumWidth(480)
        self._name_touched = group is not None

        self.name = QLineEdit(self)
        self.name.setAccessibleName("Group name")
        self.name.setPlaceholderText("e.g. Tuesday Evening Circle")
        self.name.setMaxLength(models.GROUP_NAME_MAX + 50)
        self.name_error = ErrorLabel(self)

        self.weekday = QComboBox(self)
        self.weekday.setAccessibleName("Meeting day")
        self.weekday.addItem("Not set", None)
        for number, day in enumerate(WEEKDAYS):
            self.weekday.addItem(day, number)
        self.has_time = QCheckBox("at", self)
        self.has_time.setAccessibleName("Has a meeting time")
        self.time = QTimeEdit(QTime(18, 30), self)
        self.time.setDisplayFormat("HH:mm")
        self.time.setAccessibleName("Meeting time")
        self.time.setEnabled(False)
        self.has_time.toggled.connect(self.time.setEnabled)
        when = QHBoxLayout()
        when.addWidget(self.weekday, 1)
        when.addWidget(self.has_time)
        when.addWidget(self.time)

        self.place = QLineEdit(self)
        self.place.setAccessibleName("Meeting place")
        self.place.setPlaceholderText("e.g. Community centre, room 2")
        self.place.setMaxLength(models.PLACE_MAX)

        self.agreements = QPlainTextEdit(self)
        self.agreements.setAccessibleName("Group agreements")
        self.agreements.setPlaceholderText(
            "The ground rules the group has agreed on. They are shown before each "
            "sharing round and printed on handouts."
        )
        self.agreements.setTabChangesFocus(True)
        self.suggest = QPushButton("Start from a &suggestion", self)
        self.suggest.setAccessibleName("Fill in suggested agreements")
        self.suggest.clicked.connect(self._fill_suggestion)

        form = QFormLayout()
        name_label = QLabel("&Name", self)
        name_label.setBuddy(self.name)
        form.addRow(name_label, self.name)
        form.addRow("", self.name_error)
        day_label = QLabel("&Meets on", self)
        day_label.setBuddy(self.weekday)
        form.addRow(day_label, when)
        place_label = QLabel("&Place", self)
        place_label.setBuddy(self.place)
        form.addRow(place_label, self.place)

        agreements_label = QLabel("Group &agreements", self)
        agreements_label.setBuddy(self.agreements)
        agreements_header = QHBoxLayout()
        agreements_header.addWidget(agreements_label)
        agreements_header.addStretch(1)
        agreements_header.addWidget(self.suggest)

        self.buttons = save_cancel_buttons(self, self._on_accept)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(agreements_header)
        layout.addWidget(self.agreements, 1)
        layout.addWidget(self.buttons)

        if group is not None:
            self._load(group)
        self.name.textEdited.connect(self._on_name_edited)
        self._validate()
        self.name.setFocus()

    def _load(self, group: GroupInfo) -> None:
        self.name.setText(group.name)
        self.weekday.setCurrentIndex(self.weekday.findData(group.meeting_weekday))
        if group.meeting_time is not None:
            self.has_time.setChecked(True)
            self.time.setTime(QTime(group.meeting_time.hour, group.meeting_time.minute))
        self.place.setText(group.place)
        self.agreements.setPlainText(group.agreements)

    def _fill_suggestion(self) -> None:
        if not self.agreements.toPlainText().strip():
            self.agreements.setPlainText(SUGGESTED_AGREEMENTS)
        self.agreements.setFocus()

    def _on_name_edited(self) -> None:
        self._name_touched = True
        self._validate()

    def _validate(self) -> str | None:
        try:
            clean_group(self.draft())
            message = None
        except ValidationError as exc:
            message = " ".join(exc.errors.values())
        self.name_error.show_message(message if self._name_touched else None)
        self.save_button.setEnabled(message is None)
        return message

    def draft(self) -> GroupDraft:
        weekday = self.weekday.currentData()
        time = self.time.time()
        return GroupDraft(
            name=self.name.text(),
            meeting_weekday=weekday if isinstance(weekday, int) else None,
            meeting_time=dt.time(time.hour(), time.minute()) if self.has_time.isChecked() else None,
            place=self.place.text(),
            agreements=self.agreements.toPlainText(),
        )

    def show_error(self, message: str) -> None:
        self.name_error.show_message(message)

    def _on_accept(self) -> None:
        self._name_touched = True
        if self._validate() is None:
            self.accept()
