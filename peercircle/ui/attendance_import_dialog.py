"""Import attendance history from a spreadsheet: see what it does, then save it whole.

The dialog reads the file once, previews it against the chosen group, and lists every
problem (row, column, what is wrong) until the file is clean. Nothing is written until
Import is pressed, and then all of it or none of it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QHeaderView, QWidget

from peercircle.db import Database
from peercircle.services.attendance_csv_parsing import name_key
from peercircle.services.attendance_import import (
    AttendanceOutdatedError,
    AttendancePreview,
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
from peercircle.ui.import_dialog_base import ImportDialogBase, preview_table

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


class AttendanceImportDialog(ImportDialogBase[AttendancePreview]):
    """Preview an attendance sheet against a group and import it in one step.

    After ``exec()`` returns Accepted, ``result_summary`` says what was done.
    """

    outdated_error = AttendanceOutdatedError

    def __init__(
        self,
        db: Database,
        roster: RosterService,
        path: Path,
        group_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(db, path, parent)
        self.setWindowTitle("Import attendance")
        self.resize(900, 600)

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

        self.problems_model = AttendanceProblemsModel(self)
        self.problems_table = preview_table(
            self, self.problems_model, "Problems in the file, with their row and column"
        )
        self.problems_table.setWordWrap(True)
        header = self.problems_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.problems_table.setColumnWidth(1, 180)

        self.meetings_model = AttendanceMeetingsModel(self)
        self.meetings_table = preview_table(
            self, self.meetings_model, "What the import will record, meeting by meeting"
        )
        header = self.meetings_table.horizontalHeader()
        for column in range(AttendanceMeetingsModel.HEADERS.index("What happens")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.add_unknown = QCheckBox(self)
        self.add_unknown.setAccessibleName("Add the unknown names as new members")
        self.add_unknown.hide()

        self._lay_out([self.problems_table, self.meetings_table], [self.add_unknown])
        self._connect_signals()
        self._load()

    def _connect_signals(self) -> None:
        super()._connect_signals()
        self.group.currentIndexChanged.connect(lambda _index: self.refresh_preview())
        self.add_unknown.toggled.connect(lambda _on: self.refresh_preview())

    def _read(self, path: Path) -> bytes:
        return read_attendance_file(path)

    def refresh_preview(self) -> None:
        if self._data is not None and (self.group.count() == 0 or self.group.currentIndex() < 0):
            self._show_problem(NO_GROUPS if self.group.count() == 0 else "")
            self.summary.setText("Choose the group these meetings belong to.")
            return
        super().refresh_preview()

    def _make_preview(self, data: bytes) -> AttendancePreview:
        return preview_attendance_import(
            self._db, data, self.group_name(), add_unknown=self.add_unknown.isChecked()
        )

    def _show_preview(self, preview: AttendancePreview) -> None:
        self.problems_model.set_preview(preview)
        self.meetings_model.set_preview(preview)
        self._fit_problem_rows()
        self._show_how_read(preview.encoding, preview.delimiter_name, preview.format.label)
        self.summary.setText(summary_text(preview))
        count = len(preview.problems)
        what = "this problem is" if count == 1 else f"these {count} problems are"
        self.message.setText(f"Nothing can be imported until {what} put right in the file.")
        self.message.setVisible(preview.has_problems)
        self.problems_table.setVisible(preview.has_problems)
        self.meetings_table.setVisible(not preview.has_problems)
        self._update_add_unknown(preview)
        self._show_ignored("Not used: ", preview.ignored_columns)
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

    def _clear_preview(self) -> None:
        self.problems_model.set_preview(None)
        self.meetings_model.set_preview(None)
        self.problems_table.hide()
        self.meetings_table.setVisible(self._data is not None)
        self.add_unknown.hide()

    def _can_commit(self, preview: AttendancePreview) -> bool:
        return preview.can_commit

    def _commit(self, preview: AttendancePreview) -> str:
        return commit_attendance_import(self._db, preview).describe()
