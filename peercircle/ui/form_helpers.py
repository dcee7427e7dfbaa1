"""Small pieces shared by the editor dialogs: inline error labels, optional dates, and the
base of a form that is checked as you type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)


class ErrorLabel(QLabel):
    """A calm, inline message under a field; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.hide()

    def show_message(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))


class OptionalDateEdit(QWidget):
    """A date that may be left unset: a checkbox and a calendar date field."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label, self)
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setDate(QDate.currentDate())
        self.edit.setEnabled(False)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.setAccessibleName(label)
        self.edit.setAccessibleName(label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)

    def value(self) -> dt.date | None:
        if not self.check.isChecked():
            return None
        d = self.edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def set_value(self, value: dt.date | None) -> None:
        self.check.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(QDate(value.year, value.month, value.day))


def save_cancel_buttons(dialog: QDialog, on_save: Callable[[], None]) -> QDialogButtonBox:
    """Save and Cancel for an editor dialog; Save runs ``on_save`` (which checks, then
    accepts), Cancel rejects."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.accepted.connect(on_save)
    buttons.rejected.connect(dialog.reject)
    return buttons


class CheckedFormDialog(QDialog):
    """An editor form checked as you type: a field's message shows once it has been edited
    (or on Save), and Save is enabled only while the whole form is right.

    Subclasses fill ``errors`` (field name → ErrorLabel), call ``_make_buttons`` and
    implement ``_check`` (the messages for the form as it stands, by field name).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._touched: set[str] = set()
        self.errors: dict[str, ErrorLabel] = {}

    # ---- building ------------------------------------------------------------------------

    def _line(self, accessible: str, limit: int, hint: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setMaxLength(limit + 50)  # longer input gets an inline message, not a silent cut
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(hint)
        edit.setClearButtonEnabled(True)
        return edit

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _add_field(self, form: QFormLayout, label: str, name: str, widget: QWidget) -> None:
        """A labelled field with its error message on the row below."""
        form.addRow(self._label(label, widget), widget)
        form.addRow("", self.errors[name])

    def _make_buttons(self) -> None:
        self.buttons = save_cancel_buttons(self, self._on_accept)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def _check_as_typed(self, edits: Iterable[tuple[str, QLineEdit]]) -> None:
        for name, edit in edits:
            edit.textEdited.connect(lambda _text, n=name: self._on_edited(n))

    # ---- validation and result -----------------------------------------------------------

    def _check(self) -> dict[str, str]:
        raise NotImplementedError

    def _on_edited(self, field: str) -> None:
        self._touched.add(field)
        self._validate()

    def _validate(self) -> dict[str, str]:
        errors = self._check()
        for name, label in self.errors.items():
            label.show_message(errors.get(name) if name in self._touched else None)
        self.save_button.setEnabled(not errors)
        return errors

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Show messages that came back from saving (e.g. a clash found by the service)."""
        for name, message in errors.items():
            if name in self.errors:
                self.errors[name].show_message(message)

    def _on_accept(self) -> None:
        self._touched.update(self.errors)
        if not self._validate():
            self.accept()
