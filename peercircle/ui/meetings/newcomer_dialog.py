"""Add someone new on the spot: just a name is enough; the rest can wait."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from peercircle import domain
from peercircle.domain import AttendanceStatus
from peercircle.services.roster_types import MemberDraft, member_errors, trim_member
from peercircle.ui.form_helpers import ErrorLabel, save_cancel_buttons


class NewcomerDialog(QDialog):
    """A newcomer's name (and optionally pronouns and contact); ``draft()`` once accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome a newcomer")
        self.setMinimumWidth(400)
        intro = QLabel(
            "They join this group with today as their first visit and are checked in. "
            "Only a name is needed now.",
            self,
        )
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Name")
        self.name.setPlaceholderText("The name they'd like to be called")
        self.name.setMaxLength(domain.DISPLAY_NAME_MAX + 50)
        self.pronouns = QLineEdit(self)
        self.pronouns.setAccessibleName("Pronouns")
        self.pronouns.setPlaceholderText("Optional, e.g. she/her")
        self.pronouns.setMaxLength(domain.PRONOUNS_MAX)
        self.phone = QLineEdit(self)
        self.phone.setAccessibleName("Phone")
        self.phone.setPlaceholderText("Optional")
        self.email = QLineEdit(self)
        self.email.setAccessibleName("E-mail")
        self.email.setPlaceholderText("Optional")
        self.may_contact = QCheckBox("Happy to be contacted for a check-in", self)
        self.late = QCheckBox("Arrived late", self)
        self.error = ErrorLabel(self)

        form = QFormLayout()
        for text, field in (
            ("&Name", self.name),
            ("&Pronouns", self.pronouns),
            ("P&hone", self.phone),
            ("&E-mail", self.email),
        ):
            label = QLabel(text, self)
            label.setBuddy(field)
            form.addRow(label, field)
        form.addRow("", self.may_contact)
        form.addRow("", self.late)
        self.buttons = save_cancel_buttons(self, self._on_accept)
        self.add_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.add_button.setText("Add and check in")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.add_button.setEnabled(False)
        for edit in (self.name, self.pronouns, self.phone, self.email):
            edit.textChanged.connect(lambda _text: self._validate(show=False))
        self.name.setFocus()

    def draft(self) -> MemberDraft:
        return MemberDraft(
            display_name=self.name.text(),
            pronouns=self.pronouns.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            may_contact=self.may_contact.isChecked(),
        )

    def status(self) -> AttendanceStatus:
        return AttendanceStatus.LATE if self.late.isChecked() else AttendanceStatus.PRESENT

    def show_error(self, message: str) -> None:
        self.error.show_message(message)

    def _validate(self, *, show: bool) -> bool:
        errors = member_errors(trim_member(self.draft()))
        self.add_button.setEnabled(bool(self.name.text().strip()))
        if show or not errors:
            self.error.show_message(" ".join(errors.values()) or None)
        return not errors

    def _on_accept(self) -> None:
        if self._validate(show=True):
            self.accept()
