"""Runs the follow-up editors so that nothing typed is lost and nothing private lingers:
when the vault is about to lock, or private panels are hidden, an open editor keeps what
it holds (if it is complete and was changed) and closes, wiping its fields."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar, cast

from peercircle.services.roster_types import ChangedElsewhereError, NotFoundError
from peercircle.services.storage_errors import StorageError
from peercircle.services.validation import ValidationError
from peercircle.services.vault_types import VaultError
from peercircle.ui.dialog_service import DialogService

log = logging.getLogger(__name__)
SavedT = TypeVar("SavedT")

SERVICE_ERRORS = (ChangedElsewhereError, NotFoundError, VaultError)
"""What saving can run into that the form cannot fix: said in a message box."""


class Editor(Protocol):
    """What the guard needs of an editor dialog (FollowUpDialog and DoneDialog)."""

    def exec(self) -> int: ...
    def reject(self) -> None: ...
    def isVisible(self) -> bool: ...  # noqa: N802
    def deleteLater(self) -> None: ...  # noqa: N802
    def is_changed(self) -> bool: ...
    def form_errors(self) -> dict[str, str]: ...
    def show_refusal(self, errors: dict[str, str]) -> None: ...


@dataclass
class _Open:
    dialog: Editor
    save_now: Callable[[], object]
    saved: object = None


class EditorGuard:
    """One editor at a time. ``after_error`` runs after a save failed for a reason the form
    cannot fix (the screen reloads)."""

    def __init__(self, dialogs: DialogService, after_error: Callable[[], None]) -> None:
        self._dialogs = dialogs
        self._after_error = after_error
        self._open: _Open | None = None

    def run(
        self,
        dialog: Editor,
        save_now: Callable[[], SavedT],
    ) -> SavedT | None:
        """Show ``dialog`` until ``save_now()`` (which saves what it holds) works, or it is
        cancelled. Returns what was saved — also when it was closed for privacy with its
        form filled in — or None. ``on_invalid`` puts the form back with the messages."""
        editor = self._open = _Open(dialog, save_now)
        try:
            while dialog.exec():
                try:
                    return save_now()
                except ValidationError as exc:
                    dialog.show_refusal(exc.errors)
                except StorageError as exc:  # the form is kept for another try
                    self._dialogs.error("Not saved", str(exc))
                except SERVICE_ERRORS as exc:
                    self._dialogs.error("Not saved", str(exc))
                    self._after_error()
                    return None
            return cast("SavedT | None", editor.saved)
        finally:
            self._open = None
            dialog.deleteLater()

    def close(self, *, save: bool) -> None:
        """Close the open editor; with ``save``, first keep what it holds if it is complete
        and was changed (the key must still be there)."""
        editor = self._open
        if editor is None:
            return
        dialog = editor.dialog
        if save and dialog.isVisible() and dialog.is_changed() and not dialog.form_errors():
            try:
                editor.saved = editor.save_now()
                log.info("Follow-up saved as its dialog closed for privacy.")
            except (ValidationError, *SERVICE_ERRORS):
                log.warning("A follow-up could not be saved as its dialog closed for privacy.")
        dialog.reject()
