"""Import attendance history from a spreadsheet: see what it does, then save it whole.

The dialog reads the file once, previews it against the chosen group, and lists every
problem (row, column, what is wrong) until the file is clean. Nothing is written until
Import is pressed, and then all of it or none of it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from peercircle.db import Database
from peercircle.services.attendance_csv_parsing import name_key
from peercircle.services.attendance_import import (
    AttendanceOutdatedError,
    AttendancePreview,
    RosterImportError,
    commit_attendance_import,
    preview_attendance_import,
    read_attendance_file,
)
from peercircle.services.attendance_import_types import plural
from peercircle.services.roster import RosterService
from peercircle.ui.attendance_preview_model import (
    AttendanceMeetingsModel,
    AttendanceProblemsModel,
    day_text,
)

_MEASURED_ROWS = 300
NO_GROUPS = "You have no groups yet: create the group (or import its roster) first."


def summary_text(preview: AttendancePreview) -> str:
    """“4 meetings from Tue 3 Mar 2026 to Tue 24 Mar 2026 (2 new) · 30 marks to add · …”."""
    if not preview.meetings:
        return "The file has no marks to import."
    dates = preview.dates
    if len(dates) == 1:
        meetings = f"1 meeting on {day_text(dates[0])}"
    else:
        meetings = f"{len(dates)} meetings from {day_text(dates[0])} to {day_text(dates[-1])}"
    if preview.meetings_created == len(dates):
        meetings += " (all new)" if len(dates) > 1 else " (new)"
    elif preview.meetings_created:
        meetings += f" ({preview.meetings_created} new)"
    parts = [meetings]
    if preview.marks_added:
        parts.append(f"{plural(preview.marks_added, 'mark')} to add")
    if preview.marks_changed:
        parts.append(f"{preview.marks_changed} to change")
    if preview.marks_unchanged:
        parts.append(f"{preview.marks_unchanged} already recorded")
    if preview.new_members:
        parts.append(plural(len(preview.new_members), "new member"))
    return " · ".join(parts)


def _table(parent: QWidget, accessible_name: str) -> QTableView:
    table = QTableView(parent)
    table.setAccessibleName(accessible_name)
    table.verticalHeader().hide()
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table


class AttendanceImportDialog(QDialog):
    """Preview an attendance sheet against a group and import it in one step.

    After ``exec()`` returns Accepted, ``result_summary`` says what was done.
    """

    def __init__(
        self,
        db: Database,
        roster: RosterService,
        path: Path,
        group_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._path = path
        self._data: bytes | None = None
        self.preview: AttendancePreview | None = None
        self.result_summary: str | None = None
        self.setWindowTitle("Import attendance")
        self.resize(900, 600)

        self.file_label = QLabel(self)
        self.file_label.setObjectName("screenSubtitle")
        self.file_label.setWordWrap(True)
        self.group = QComboBox(self)
        self.group.setAccessibleName("Import into group")
        self.group.setPlaceholderText("Choose the group these meetings belong to")
        self.group.addItems([g.name for g in roster.list_groups()])
        wanted = name_key(group_name)
        self.group.setCurrentIndex(
            next(
                (
                    i
                    for i in range(self.group.count())
                    if name_key(self.group.itemText(i)) == wanted
                ),
                -1,
            )
        )

        self.summary = QLabel(self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.message.hide()

        self.problems_model = AttendanceProblemsModel(self)
        self.problems_table = _table(self, "Problems in the file, with their row and column")
        self.problems_table.setModel(self.problems_model)
        self.problems_table.setWordWrap(True)
        header = self.problems_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.problems_table.setColumnWidth(1, 180)

        self.meetings_model = AttendanceMeetingsModel(self)
        self.meetings_table = _table(self, "What the import will record, meeting by meeting")
        self.meetings_table.setModel(self.meetings_model)
        header = self.meetings_table.horizontalHeader()
        for column in range(AttendanceMeetingsModel.HEADERS.index("What happens")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.add_unknown = QCheckBox(self)
        self.add_unknown.setAccessibleName("Add the unknown names as new members")
        self.add_unknown.hide()
        self.ignored = QLabel(self)
        self.ignored.setObjectName("hint")
        self.ignored.setWordWrap(True)
        self.ignored.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = QPushButton("Import", self)
        self.import_button.setObjectName("primaryButton")
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)

        form = QFormLayout()
        group_label = QLabel("Import &into group", self)
        group_label.setBuddy(self.group)
        form.addRow(group_label, self.group)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.file_label)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(self.problems_table, 1)
        layout.addWidget(self.meetings_table, 1)
        layout.addWidget(self.add_unknown)
        layout.addWidget(self.ignored)
        layout.addWidget(self.buttons)
        self._connect_signals()
        self._load()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._import)
        self.buttons.rejected.connect(self.reject)
        self.group.currentIndexChanged.connect(lambda _index: self.refresh_preview())
        self.add_unknown.toggled.connect(lambda _on: self.refresh_preview())

    def group_name(self) -> str:
        return self.group.currentText()

    def _load(self) -> None:
        self.file_label.setText(f"From “{self._path.name}”")
        try:
            self._data = read_attendance_file(self._path)
        except RosterImportError as exc:
            self._show_problem(str(exc))
            return
        self.refresh_preview()

    def refresh_preview(self) -> None:
        if self._data is None:
            return
        if self.group.count() == 0 or self.group.currentIndex() < 0:
            self._show_problem(NO_GROUPS if self.group.count() == 0 else "")
            self.summary.setText("Choose the group these meetings belong to.")
            return
        try:
            preview = preview_attendance_import(
                self._db, self._data, self.group_name(), add_unknown=self.add_unknown.isChecked()
            )
        except RosterImportError as exc:
            self._show_problem(str(exc))
            return
        self.preview = preview
        self.problems_model.set_preview(preview)
        self.meetings_model.set_preview(preview)
        self._fit_problem_rows()
        self.file_label.setText(
            f"From “{self._path.name}” · {preview.format.label} · read as {preview.encoding}, "
            f"{preview.delimiter_name}-separated"
        )
        self.summary.setText(summary_text(preview))
        count = len(preview.problems)
        what = "this problem is" if count == 1 else f"these {count} problems are"
        self.message.setText(f"Nothing can be imported until {what} put right in the file.")
        self.message.setVisible(preview.has_problems)
        self.problems_table.setVisible(preview.has_problems)
        self.meetings_table.setVisible(not preview.has_problems)
        self._update_add_unknown(preview)
        self.ignored.setText(
            "Not used: " + ", ".join(f"“{c}”" for c in preview.ignored_columns)
            if preview.ignored_columns
            else ""
        )
        self.ignored.setVisible(bool(preview.ignored_columns))
        self.import_button.setEnabled(preview.can_commit)

    def _fit_problem_rows(self) -> None:
        """Wrap long messages onto more lines; measuring every row is only done when few."""
        few = self.problems_model.rowCount() <= _MEASURED_ROWS
        self.problems_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents if few else QHeaderView.ResizeMode.Fixed
        )

    def _update_add_unknown(self, preview: AttendancePreview) -> None:
        names = preview.unknown_names
        if len(names) == 1:
            text = f"Add “{names[0]}” as a new member of {preview.group_name}"
        else:
            text = f"Add the {len(names)} unknown names as new members of {preview.group_name}"
            if len(names) <= 4:
                text += " (" + ", ".join(names) + ")"
        self.add_unknown.setText(text.replace("&", "&&"))  # a group “Walk & Talk”
        self.add_unknown.setToolTip(", ".join(names))
        self.add_unknown.setVisible(bool(names))

    def _show_problem(self, text: str) -> None:
        self.preview = None
        self.problems_model.set_preview(None)
        self.meetings_model.set_preview(None)
        self.summary.setText("Nothing will be imported.")
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.problems_table.hide()
        self.meetings_table.setVisible(self._data is not None)
        self.add_unknown.hide()
        self.ignored.hide()
        self.import_button.setEnabled(False)

    def _import(self) -> None:
        if self.preview is None or not self.preview.can_commit:
            return
        try:
            result = commit_attendance_import(self._db, self.preview)
        except AttendanceOutdatedError as exc:
            self.refresh_preview()
            self.message.setText(str(exc))
            self.message.show()
            return
        except RosterImportError as exc:
            self._show_problem(str(exc))
            return
        self.result_summary = result.describe()
        self.accept()
