"""The few choices a printout needs before it is made: the date or range, names, paper."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from peercircle.pdf.paper import PaperSize
from peercircle.ui.form_helpers import ErrorLabel

PAPER_NAMES = {PaperSize.A4: "A4", PaperSize.LETTER: "US Letter"}


def _date_edit(day: dt.date, parent: QWidget, name: str) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("ddd d MMM yyyy")
    edit.setAccessibleName(name)
    return edit


def _date(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


class PrintOptionsDialog(QDialog):
    """Asks only what the printout needs: ``day`` or ``date_range``, ``initials``, paper."""

    def __init__(
        self,
        title: str,
        intro: str,
        *,
        paper: PaperSize,
        day: dt.date | None = None,
        date_range: tuple[dt.date, dt.date] | None = None,
        initials: bool | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        text = QLabel(intro, self)
        text.setObjectName("hint")
        text.setWordWrap(True)
        form = QFormLayout()
        self.day = _date_edit(day, self, "Meeting date") if day else None
        if self.day is not None:
            form.addRow("Meeting &date", self.day)
        self.date_from = self.date_to = None
        if date_range is not None:
            self.date_from = _date_edit(date_range[0], self, "From")
            self.date_to = _date_edit(date_range[1], self, "To")
            form.addRow("&From", self.date_from)
            form.addRow("&To", self.date_to)
            self.date_from.dateChanged.connect(self._check)
            self.date_to.dateChanged.connect(self._check)
        self.initials = None
        if initials is not None:
            self.initials = QCheckBox("First name and initial only (“Ágnes K.”)", self)
            self.initials.setChecked(initials)
            form.addRow("", self.initials)
        self.paper = QComboBox(self)
        self.paper.setAccessibleName("Paper size")
        for size, name in PAPER_NAMES.items():
            self.paper.addItem(name, size)
        self.paper.setCurrentIndex(self.paper.findData(paper))
        form.addRow("&Paper", self.paper)
        self.error = ErrorLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Preview")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def chosen_paper(self) -> PaperSize:
        return PaperSize(self.paper.currentData())

    def chosen_day(self) -> dt.date:
        assert self.day is not None
        return _date(self.day)

    def chosen_range(self) -> tuple[dt.date, dt.date]:
        assert self.date_from is not None and self.date_to is not None
        return _date(self.date_from), _date(self.date_to)

    def chosen_initials(self) -> bool:
        return self.initials is not None and self.initials.isChecked()

    def _check(self) -> None:
        start, end = self.chosen_range()
        wrong = end < start
        self.error.show_message("The range should end after it starts." if wrong else None)
        self.ok_button.setEnabled(not wrong)
