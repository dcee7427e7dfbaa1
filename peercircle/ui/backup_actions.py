"""File → Back Up Now and Restore from Backup….

Backing up happens right here. Restoring cannot: the window's screens hold the database
open, so once the person has chosen a backup and confirmed, ``restore_requested`` asks the
app to close the window and its database, restore, and open a fresh window on the restored
data (``peercircle.app.Startup.restore``).

Signals:
    restore_requested(object): the ``Path`` of the backup to restore, chosen and confirmed.
    status(str): a short message for the status bar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from peercircle.ui.dialog_service import DialogService

if TYPE_CHECKING:
    from peercircle.db import Database

SERVER_MESSAGE = "Your organisation's database is backed up on its server; ask whoever runs it."
ELSEWHERE_MESSAGE = (
    "PeerCircle backs up the database in its data folder. This one was opened from a "
    "database address, so it is not backed up from here."
)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class BackupActions(QObject):
    restore_requested = Signal(object)
    status = Signal(str)

    def __init__(
        self,
        dialogs: DialogService,
        parent: QWidget,
        *,
        now: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        super().__init__(parent)
        self._dialogs = dialogs
        self._parent = parent
        self._now = now
        self._data_dir: Path | None = None
        self._unavailable = SERVER_MESSAGE
        self.back_up_action = QAction("&Back Up Now", self)
        self.back_up_action.setStatusTip("Make a checked copy of all your data now")
        self.restore_action = QAction("Restore from Bac&kup…", self)
        self.restore_action.setStatusTip("Go back to how your data was when a backup was made")
        self.back_up_action.triggered.connect(self.back_up_now)
        self.restore_action.triggered.connect(self.restore_from_backup)

    def set_database(self, db: Database) -> None:
        """Back up the database the window shows: an SQLite file in a data folder is backed
        up into that folder; a server database is the server's job."""
        from peercircle.paths import database_path

        path = db.path
        if db.backend == "sqlite" and path is not None and path == database_path(path.parent):
            self._data_dir = path.parent
        else:
            self._data_dir = None
            self._unavailable = SERVER_MESSAGE if db.backend != "sqlite" else ELSEWHERE_MESSAGE

    @property
    def data_dir(self) -> Path | None:
        """The data folder backed up; None for a server database."""
        return self._data_dir

    def back_up_now(self) -> None:
        from peercircle.db.backup import BackupError, BackupReason, backups_dir, take_backup
        from peercircle.ui.restore_dialog import size_text
        from peercircle.ui.vault.vault_widgets import busy_cursor

        if self._data_dir is None:
            self._dialogs.info("Back Up Now", self._unavailable)
            return
        try:
            with busy_cursor():
                info = take_backup(self._data_dir, BackupReason.MANUAL, now=self._now())
        except BackupError as exc:
            self._dialogs.error("Backup not made", str(exc))
            return
        self.status.emit(
            f"Backed up and checked ({size_text(info.size)}), in {backups_dir(self._data_dir)}."
        )

    def restore_from_backup(self) -> None:
        from peercircle.db.backup import backups_dir, list_backups
        from peercircle.ui.restore_dialog import backup_when, choose_backup

        if self._data_dir is None:
            self._dialogs.info("Restore from Backup", self._unavailable)
            return
        backups = list_backups(self._data_dir)
        folder = backups_dir(self._data_dir)
        if not backups:
            self._dialogs.info(
                "Restore from Backup",
                "There are no backups yet. PeerCircle makes one every day it is used and "
                f"whenever it closes after changes; File → Back Up Now makes one at once. "
                f"They are kept in {folder}.",
            )
            return
        chosen = choose_backup(backups, folder, self._parent)
        if chosen is None:
            return
        if not self._dialogs.confirm(
            "Restore this backup?",
            f"Your data will go back to how it was on {backup_when(chosen.taken_at)}.\n\n"
            "A copy of your data as it is now is kept as a backup first, so nothing changed "
            "since then is lost: you can restore that copy later.",
            "Restore",
        ):
            return
        self.restore_requested.emit(chosen.path)


__all__ = ["ELSEWHERE_MESSAGE", "SERVER_MESSAGE", "BackupActions"]
