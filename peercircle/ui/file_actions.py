"""The File menu's data jobs: importing a roster or attendance, exporting, sample data.

Signals:
    data_changed(object): groups or members changed; the argument is the id of the group
        to show afterwards (or None to keep the one shown).
    status(str): a short message for the status bar.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from peercircle.services.roster_types import GroupInfo
from peercircle.ui.dialog_service import DialogService

if TYPE_CHECKING:
    from collections.abc import Callable

    from peercircle.db import Database
    from peercircle.services.roster import RosterService
    from peercircle.services.vault_crypto import KdfParams
    from peercircle.ui.import_dialog_base import ImportDialogBase

CSV_FILTER = "Spreadsheet files (*.csv *.txt *.tsv);;All files (*)"


class FileActions(QObject):
    data_changed = Signal(object)
    status = Signal(str)

    def __init__(
        self,
        db: Database,
        roster: RosterService,
        dialogs: DialogService,
        current_group: Callable[[], GroupInfo | None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._roster = roster
        self._dialogs = dialogs
        self._current_group = current_group
        self._parent = parent

    def import_roster(self, path: Path | None = None) -> None:
        from peercircle.ui.import_dialog import ImportDialog

        self._import(ImportDialog, "Import a roster", path)

    def import_attendance(self, path: Path | None = None) -> None:
        from peercircle.ui.attendance_import_dialog import AttendanceImportDialog

        self._import(AttendanceImportDialog, "Import attendance", path)

    def _import(
        self, dialog_type: Callable[..., ImportDialogBase[Any]], title: str, path: Path | None
    ) -> None:
        """Ask for a file (unless given), preview it against the group shown, import."""
        if path is None:
            path = self._dialogs.open_file(title, CSV_FILTER)
            if path is None:
                return
        current = self._current_group()
        dialog = dialog_type(
            self._db, self._roster, path, current.name if current else "", self._parent
        )
        if dialog.exec() and dialog.result_summary is not None:
            group = self._roster.find_group(dialog.group_name())
            self.data_changed.emit(group.id if group else None)
            self.status.emit(dialog.result_summary)
        dialog.deleteLater()

    def export_roster(self) -> None:
        from peercircle.services.roster_csv import export_roster_csv

        group = self._current_group()
        suggested = f"{group.name if group else 'All members'}.csv"
        path = self._dialogs.save_file("Export roster", suggested, CSV_FILTER)
        if path is None:
            return
        try:
            export_roster_csv(self._db, group.id if group else None, path)
        except OSError as exc:
            self._dialogs.error(
                "Could not export",
                f"The roster could not be written to {path}:\n{exc.strerror or exc}.\n\n"
                "Nothing else was changed.",
            )
            return
        self.status.emit(f"Exported the roster to {path}.")

    def add_sample_data(self, *, kdf_params: KdfParams | None = None) -> None:
        """Add the sample circles and, unless one is set up, a sample notes vault; tell its
        passphrase. ``kdf_params``: the vault's key cost (None: calibrated, about a second)."""
        from peercircle.services.demo_data import DemoDataError, create_demo_data
        from peercircle.ui.vault.vault_widgets import busy_cursor

        try:
            with busy_cursor():
                summary = create_demo_data(self._db, kdf_params=kdf_params)
        except DemoDataError as exc:
            self._dialogs.info("Sample data", str(exc))
            return
        added = "Added invented sample groups, members, resources and four months of meetings."
        self.data_changed.emit(None)
        self.status.emit(added)
        if summary.vault is None:
            notes = "Your private notes were already set up, so no sample notes were added."
        else:
            notes = (
                "Sample private notes are locked with the passphrase: "
                f"{summary.vault.passphrase}\n\n"
                "Change it (Private → Change Passphrase…) and make your own recovery code "
                "(Private → New Recovery Code…) before writing real notes."
            )
        self._dialogs.info("Sample data", f"{added}\n\n{notes}")
