"""At start-up, when the data file is damaged: what happened, and the way back.

The file is never changed or replaced by an empty one. The dialog offers the newest backup
that checks out, any other backup, or quitting; with no backup it says so, shows where the
file is, and only offers to quit.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peercircle import APP_NAME
from peercircle.ui.restore_dialog import backup_when, choose_backup

if TYPE_CHECKING:
    from peercircle.db.backup import BackupInfo


class DamagedDatabaseDialog(QDialog):
    """``ask()`` returns the backup the person chose to restore, or None to quit.

    ``newest``: the newest backup that passed its check (None: there is none to offer);
    ``backups``: every backup, for “Choose Another Backup…”.
    """

    def __init__(
        self,
        database_file: Path,
        newest: BackupInfo | None,
        backups: Sequence[BackupInfo],
        backups_folder: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._backups = list(backups)
        self._backups_folder = backups_folder
        self._choice: BackupInfo | None = None
        self.setWindowTitle(APP_NAME)

        heading = QLabel("PeerCircle’s data file is damaged", self)
        heading.setObjectName("screenTitle")
        heading.setWordWrap(True)
        said = (
            "PeerCircle could not read its data file, so it has not opened it. The file will "
            "not be changed or replaced: it stays exactly as it is."
        )
        if newest is not None:
            said += (
                f"\n\nThe newest backup that checks out is from {backup_when(newest.taken_at)}. "
                "Restoring it brings back your groups, members, meetings and notes as they "
                "were then. The damaged file is moved aside and kept."
            )
        else:
            said += (
                "\n\nThere is no backup to restore from, and PeerCircle will not start with "
                "empty data in its place. Keep the file: someone who knows computers may be "
                "able to recover it, or you may have a copy of it elsewhere."
            )
        self.explanation = QLabel(said, self)
        self.explanation.setWordWrap(True)
        # A width for the text to wrap in; the dialog grows past it to fit its buttons
        # (a minimum width on the dialog itself would squeeze them instead).
        self.explanation.setMinimumWidth(540)
        self.location = QLabel(f"The data file: {database_file}", self)
        self.location.setObjectName("hint")
        self.location.setWordWrap(True)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox(self)
        self.restore_button: QPushButton | None = None
        self.choose_button: QPushButton | None = None
        if newest is not None:
            when = backup_when(newest.taken_at, year=False)
            self.restore_button = QPushButton(f"Restore Backup from {when}", self)
            self.restore_button.setObjectName("primaryButton")
            self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
            self.restore_button.clicked.connect(lambda: self._choose(newest))
            self.choose_button = QPushButton("Choose Another Backup…", self)
            self.buttons.addButton(self.choose_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.choose_button.clicked.connect(self._choose_another)
        self.quit_button = QPushButton("Quit", self)
        self.buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.quit_button.clicked.connect(self.reject)
        default = self.restore_button or self.quit_button
        default.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.explanation)
        layout.addWidget(self.location)
        layout.addSpacing(8)
        layout.addWidget(self.buttons)
        default.setFocus()

    def _choose(self, backup: BackupInfo) -> None:
        self._choice = backup
        self.accept()

    def _choose_another(self) -> None:
        chosen = choose_backup(self._backups, self._backups_folder, self, damaged=True)
        if chosen is not None:
            self._choose(chosen)

    def ask(self) -> BackupInfo | None:
        """Show the dialog; the backup to restore, or None to quit."""
        self._choice = None
        return self._choice if self.exec() else None


__all__ = ["DamagedDatabaseDialog"]
