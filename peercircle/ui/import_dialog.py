"""Import a roster from a spreadsheet: see exactly what will happen, then commit it whole."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QHeaderView, QWidget

from peercircle.db import Database
from peercircle.services.roster import RosterService
from peercircle.services.roster_csv import (
    ImportOutdatedError,
    ImportPreview,
    commit_roster_import,
    preview_roster_import,
    read_roster_file,
)
from peercircle.ui.import_dialog_base import ImportDialogBase, preview_table
from peercircle.ui.import_preview_model import ImportPreviewModel
from peercircle.ui.preview_table_model import counts_text


def _people(n: int) -> str:
    return f"{n} person" if n == 1 else f"{n} people"


def summary_text(preview: ImportPreview) -> str:
    return counts_text(
        (
            (preview.added, "to add"),
            (preview.updated, "to update"),
            (preview.unchanged, "already up to date"),
            (preview.rejected, "can't be imported (see below)"),
        ),
        nothing="The file has no rows to import.",
    )


class ImportDialog(ImportDialogBase[ImportPreview]):
    """Preview a CSV file against a group and import it in one step.

    After ``exec()`` returns Accepted, ``result_summary`` says what was done.
    """

    outdated_error = ImportOutdatedError

    def __init__(
        self,
        db: Database,
        roster: RosterService,
        path: Path,
        group_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(db, path, parent)
        self.setWindowTitle("Import roster")
        self.resize(900, 560)

        self.group.setEditable(True)
        self.group.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.group.addItems([g.name for g in roster.list_groups()])
        self.group.setCurrentText(group_name or path.stem.replace("_", " ").strip())
        self.group.lineEdit().setPlaceholderText("A group's name; a new name creates the group")

        self.model = ImportPreviewModel(self)
        self.table = preview_table(self, self.model, "What the import will do, row by row")
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.setColumnWidth(1, 220)
        self.table.setColumnWidth(2, 150)

        # Re-plan shortly after typing pauses, not on every key (a big file takes a moment).
        self._replan = QTimer(self)
        self._replan.setSingleShot(True)
        self._replan.setInterval(250)

        self._lay_out([self.table])
        self._connect_signals()
        self._load()

    def _connect_signals(self) -> None:
        super()._connect_signals()
        self._replan.timeout.connect(self.refresh_preview)
        self.group.currentTextChanged.connect(lambda _text: self._replan.start())

    def group_name(self) -> str:
        return self.group.currentText().strip()

    def _read(self, path: Path) -> bytes:
        return read_roster_file(path)

    def _make_preview(self, data: bytes) -> ImportPreview:
        return preview_roster_import(self._db, data, self.group_name())

    def _show_preview(self, preview: ImportPreview) -> None:
        self.message.hide()
        self.table.show()
        self.model.set_preview(preview)
        self._show_how_read(preview.encoding, preview.delimiter_name)
        target = (
            f"a new group “{preview.group_name}”"
            if preview.creates_group
            else f"“{preview.group_name}”"
        )
        self.summary.setText(f"Into {target}: {summary_text(preview)}")
        self._show_ignored(
            "Not used (PeerCircle has no place for these columns): ", preview.ignored_columns
        )
        count = preview.added + preview.updated
        self.import_button.setText(f"Import {_people(count)}" if count else "Import")
        self.import_button.setEnabled(preview.has_changes)

    def _clear_preview(self) -> None:
        self.model.set_preview(None)
        self.table.setVisible(self._data is not None)

    def _import(self) -> None:
        if self._replan.isActive():  # the group name was just changed: plan for it first
            self._replan.stop()
            self.refresh_preview()
        super()._import()

    def _can_commit(self, preview: ImportPreview) -> bool:
        return preview.has_changes

    def _commit(self, preview: ImportPreview) -> str:
        result = commit_roster_import(self._db, preview)
        done = []
        if result.added:
            done.append(f"added {_people(result.added)}")
        if result.updated:
            done.append(f"updated {_people(result.updated)}")
        return f"Imported into “{result.group_name}”: " + " and ".join(done) + "."
