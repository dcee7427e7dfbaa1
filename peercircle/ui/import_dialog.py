"""Import a roster from a spreadsheet: see exactly what will happen, then commit it whole."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from peercircle.services.roster import RosterService
from peercircle.services.roster_csv import (
    ImportOutdatedError,
    ImportPreview,
    RosterImportError,
    commit_roster_import,
    preview_roster_import,
    read_roster_file,
)
from peercircle.ui.import_preview_model import ImportPreviewModel


def _people(n: int) -> str:
    return f"{n} person" if n == 1 else f"{n} people"


def summary_text(preview: ImportPreview) -> str:
    parts = []
    if preview.added:
        parts.append(f"{preview.added} to add")
    if preview.updated:
        parts.append(f"{preview.updated} to update")
    if preview.unchanged:
        parts.append(f"{preview.unchanged} already up to date")
    if preview.rejected:
        parts.append(f"{preview.rejected} can't be imported (see below)")
    return " · ".join(parts) or "The file has no rows to import."


class ImportDialog(QDialog):
    """Preview a CSV file against a group and import it in one step.

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
        self.preview: ImportPreview | None = None
        self.result_summary: str | None = None
        self.setWindowTitle("Import roster")
        self.resize(900, 560)

        self.file_label = QLabel(self)
        self.file_label.setObjectName("screenSubtitle")
        self.file_label.setWordWrap(True)
        self.group = QComboBox(self)
        self.group.setEditable(True)
        self.group.setAccessibleName("Import into group")
        self.group.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.group.addItems([g.name for g in roster.list_groups()])
        self.group.setCurrentText(group_name or path.stem.replace("_", " ").strip())
        self.group.lineEdit().setPlaceholderText("A group's name; a new name creates the group")

        self.summary = QLabel(self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.message.hide()
        self.ignored = QLabel(self)
        self.ignored.setObjectName("hint")
        self.ignored.setWordWrap(True)

        self.model = ImportPreviewModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("What the import will do, row by row")
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(1, 220)
        self.table.setColumnWidth(2, 150)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = QPushButton("Import", self)
        self.import_button.setObjectName("primaryButton")
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._import)
        self.buttons.rejected.connect(self.reject)

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
        layout.addWidget(self.table, 1)
        layout.addWidget(self.ignored)
        layout.addWidget(self.buttons)

        # Re-plan shortly after typing pauses, not on every key (a big file takes a moment).
        self._replan = QTimer(self)
        self._replan.setSingleShot(True)
        self._replan.setInterval(250)
        self._replan.timeout.connect(self.refresh_preview)
        self.group.currentTextChanged.connect(lambda _text: self._replan.start())
        self._load()

    def group_name(self) -> str:
        return self.group.currentText().strip()

    def _load(self) -> None:
        self.file_label.setText(f"From “{self._path.name}”")
        try:
            self._data = read_roster_file(self._path)
        except RosterImportError as exc:
            self._show_problem(str(exc))
            return
        self.refresh_preview()

    def refresh_preview(self) -> None:
        if self._data is None:
            return
        try:
            self.preview = preview_roster_import(self._db, self._data, self.group_name())
        except RosterImportError as exc:
            self._show_problem(str(exc))
            return
        preview = self.preview
        self.message.hide()
        self.table.show()
        self.model.set_preview(preview)
        self.file_label.setText(
            f"From “{self._path.name}” · read as {preview.encoding}, "
            f"{preview.delimiter_name}-separated"
        )
        target = (
            f"a new group “{preview.group_name}”"
            if preview.creates_group
            else f"“{preview.group_name}”"
        )
        self.summary.setText(f"Into {target}: {summary_text(preview)}")
        self.ignored.setText(
            "Not used (PeerCircle has no place for these columns): "
            + ", ".join(f"“{c}”" for c in preview.ignored_columns)
            if preview.ignored_columns
            else ""
        )
        self.ignored.setVisible(bool(preview.ignored_columns))
        count = preview.added + preview.updated
        self.import_button.setText(f"Import {_people(count)}" if count else "Import")
        self.import_button.setEnabled(preview.has_changes)

    def _show_problem(self, text: str) -> None:
        self.preview = None
        self.model.set_preview(None)
        self.summary.setText("Nothing will be imported.")
        self.message.setText(text)
        self.message.show()
        self.table.setVisible(self._data is not None)
        self.ignored.hide()
        self.import_button.setEnabled(False)

    def _import(self) -> None:
        if self._replan.isActive():  # the group name was just changed: plan for it first
            self._replan.stop()
            self.refresh_preview()
        if self.preview is None or not self.preview.has_changes:
            return
        try:
            result = commit_roster_import(self._db, self.preview)
        except ImportOutdatedError as exc:
            self.refresh_preview()
            self.message.setText(str(exc))
            self.message.show()
            return
        except RosterImportError as exc:
            self._show_problem(str(exc))
            return
        done = []
        if result.added:
            done.append(f"added {_people(result.added)}")
        if result.updated:
            done.append(f"updated {_people(result.updated)}")
        self.result_summary = f"Imported into “{result.group_name}”: " + " and ".join(done) + "."
        self.accept()
