"""ImportDialogBase: preview a file against a group, then import it whole in one step.

The roster and attendance import dialogs share their frame (file line, group, summary,
message, Import/Cancel) and their flow: read the file once, preview it, show what is wrong
instead of a traceback, and on Import commit the preview or, if the data changed meanwhile,
preview again and say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from peercircle.db import Database
from peercircle.services.roster_csv_parsing import RosterImportError

PreviewT = TypeVar("PreviewT")


def preview_table(parent: QWidget, model: QAbstractItemModel, accessible_name: str) -> QTableView:
    """A read-only, row-selecting table without grid or row numbers."""
    table = QTableView(parent)
    table.setModel(model)
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


class ImportDialogBase(QDialog, Generic[PreviewT]):
    """The frame and flow of an import dialog.

    A subclass fills ``group``, builds its tables, calls ``_lay_out``, ``_connect_signals``
    and ``_load``, and provides the steps below that raise NotImplementedError.
    After ``exec()`` returns Accepted, ``result_summary`` says what was done.
    """

    #: What ``_commit`` raises when the data changed after the preview was made.
    outdated_error: type[RosterImportError]

    def __init__(self, db: Database, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._path = path
        self._data: bytes | None = None
        self.preview: PreviewT | None = None
        self.result_summary: str | None = None

        self.file_label = QLabel(self)
        self.file_label.setObjectName("screenSubtitle")
        self.file_label.setWordWrap(True)
        self.group = QComboBox(self)
        self.group.setAccessibleName("Import into group")

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
        self.ignored.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = QPushButton("Import", self)
        self.import_button.setObjectName("primaryButton")
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)

    # The steps a subclass provides.

    def _read(self, path: Path) -> bytes:
        """The file's bytes, or RosterImportError."""
        raise NotImplementedError

    def _make_preview(self, data: bytes) -> PreviewT:
        """What importing ``data`` into the chosen group would do, or RosterImportError."""
        raise NotImplementedError

    def _show_preview(self, preview: PreviewT) -> None:
        """Show ``preview`` (already in ``self.preview``) and enable Import if it can be."""
        raise NotImplementedError

    def _clear_preview(self) -> None:
        """Empty the tables after a problem; keep a table in view if the file was read."""
        raise NotImplementedError

    def _can_commit(self, preview: PreviewT) -> bool:
        raise NotImplementedError

    def _commit(self, preview: PreviewT) -> str:
        """Write ``preview``; return what was done, for ``result_summary``."""
        raise NotImplementedError

    # Shared.

    def _lay_out(self, tables: Sequence[QTableView], extras: Sequence[QWidget] = ()) -> None:
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
        for table in tables:
            layout.addWidget(table, 1)
        for widget in extras:
            layout.addWidget(widget)
        layout.addWidget(self.ignored)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._import)
        self.buttons.rejected.connect(self.reject)

    def group_name(self) -> str:
        return self.group.currentText()

    def _load(self) -> None:
        self.file_label.setText(f"From “{self._path.name}”")
        try:
            self._data = self._read(self._path)
        except RosterImportError as exc:
            self._show_problem(str(exc))
            return
        self.refresh_preview()

    def refresh_preview(self) -> None:
        if self._data is None:
            return
        try:
            self.preview = self._make_preview(self._data)
        except RosterImportError as exc:
            self._show_problem(str(exc))
            return
        self._show_preview(self.preview)

    def _show_how_read(self, encoding: str, delimiter_name: str, kind: str = "") -> None:
        """“From “spring.csv” · {kind} · read as UTF-8, comma-separated”."""
        parts = (
            f"From “{self._path.name}”",
            kind,
            f"read as {encoding}, {delimiter_name}-separated",
        )
        self.file_label.setText(" · ".join(part for part in parts if part))

    def _show_ignored(self, intro: str, columns: Sequence[str]) -> None:
        """The file's columns the import does not use, after ``intro``; hidden if none."""
        self.ignored.setText(intro + ", ".join(f"“{c}”" for c in columns) if columns else "")
        self.ignored.setVisible(bool(columns))

    def _show_problem(self, text: str) -> None:
        self.preview = None
        self._clear_preview()
        self.summary.setText("Nothing will be imported.")
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.ignored.hide()
        self.import_button.setEnabled(False)

    def _import(self) -> None:
        if self.preview is None or not self._can_commit(self.preview):
            return
        try:
            summary = self._commit(self.preview)
        except self.outdated_error as exc:
            self.refresh_preview()
            self.message.setText(str(exc))
            self.message.show()
            return
        except RosterImportError as exc:
            self._show_problem(str(exc))
            return
        self.result_summary = summary
        self.accept()
