"""Making, editing, archiving and restoring groups: the dialogs and the messages.

Signals:
    saved(object): the group id to show after a change (None: the first in the list).
    status(str): a short message for the status bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from peercircle.services.roster_types import ChangedElsewhereError, GroupInfo, NotFoundError
from peercircle.services.storage_errors import StorageError
from peercircle.services.validation import ValidationError
from peercircle.ui.dialog_service import DialogService
from peercircle.ui.groups.group_dialog import GroupDialog

if TYPE_CHECKING:  # the window paints before SQLAlchemy is imported
    from peercircle.services.roster import RosterService


class GroupActions(QObject):
    saved = Signal(object)
    status = Signal(str)

    def __init__(self, roster: RosterService, dialogs: DialogService, parent: QWidget) -> None:
        super().__init__(parent)
        self._roster = roster
        self._dialogs = dialogs
        self._parent = parent

    def edit(self, group: GroupInfo | None) -> None:
        """Edit ``group``, or make a new one when it is None."""
        dialog = GroupDialog(group, self._parent)
        while dialog.exec():
            try:
                if group is None:
                    saved = self._roster.create_group(dialog.draft())
                else:
                    saved = self._roster.update_group(
                        group.id, dialog.draft(), expected_version=group.version
                    )
            except ValidationError as exc:
                dialog.show_error(" ".join(exc.errors.values()))
                continue
            except StorageError as exc:  # the form is kept for another try
                self._dialogs.error("Not saved", str(exc))
                continue
            except (ChangedElsewhereError, NotFoundError) as exc:
                self._dialogs.error("Not saved", str(exc))
                break
            self.saved.emit(saved.id)
            self.status.emit(f"Saved “{saved.name}”.")
            break
        dialog.deleteLater()

    def archive(self, group: GroupInfo) -> None:
        if group.archived or not self._dialogs.confirm(
            "Archive group",
            f"Archive “{group.name}”?\n\nIt will be hidden from the list. Its members stay "
            "in your roster, and you can restore the group from View → Show Archived Groups.",
            "Archive",
        ):
            return
        self._roster.archive_group(group.id)
        self.saved.emit(None)
        self.status.emit(f"Archived “{group.name}”.")

    def restore(self, group: GroupInfo) -> None:
        if not group.archived:
            return
        self._roster.restore_group(group.id)
        self.saved.emit(group.id)
        self.status.emit(f"Restored “{group.name}”.")
