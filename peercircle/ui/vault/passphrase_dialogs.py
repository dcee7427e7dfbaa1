"""Small vault dialogs: unlock from the menu, change the passphrase, and make a new recovery
code (shown on the same page as when setting up)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QFormLayout, QVBoxLayout, QWidget

from peercircle.services.vault_types import VaultError, VaultState, WrongPassphraseError
from peercircle.ui.form_helpers import ErrorLabel
from peercircle.ui.vault.recovery_dialog import recover_vault
from peercircle.ui.vault.setup_dialog import CodeDialog, set_up_vault
from peercircle.ui.vault.vault_controller import VaultController
from peercircle.ui.vault.vault_widgets import (
    DIALOG_WIDTH,
    TYPE_IT_FIRST,
    NewPassphraseFields,
    ShowPassphrases,
    VaultDialogs,
    add_field,
    ask_again,
    buddy_label,
    busy_cursor,
    button_row,
    clears_error_when_edited,
    dialog_layout,
    heading,
    paragraph,
    passphrase_edit,
    primary_button,
    quiet_button,
    unlock_with_typed,
    wipe,
    with_passphrase,
)


class UnlockDialog(QDialog):
    """A small modal to unlock private notes from the menu, when no private screen shows
    its own unlock field. ``wants_recovery`` is True when it was closed with “I have
    forgotten my passphrase…”."""

    def __init__(
        self,
        controller: VaultController,
        dialogs: VaultDialogs,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Unlock private notes")
        self._controller = controller
        self.wants_recovery = False

        self.title = heading("Unlock private notes", self)
        self.passphrase = passphrase_edit(self, "Passphrase")
        self.passphrase.setPlaceholderText("Passphrase")
        self.error = ErrorLabel(self)
        clears_error_when_edited(self.passphrase, self.error)
        self.forgot_button = quiet_button("I have forgotten my passphrase…", self, flat=True)
        self.cancel_button = quiet_button("Cancel", self)
        self.unlock_button = primary_button("Unlock", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(paragraph("Type your passphrase to open your notes.", self))
        layout.addWidget(self.passphrase)
        layout.addWidget(self.error)
        layout.addSpacing(8)
        layout.addLayout(
            button_row(self.cancel_button, self.unlock_button, left=self.forgot_button)
        )

        self.unlock_button.clicked.connect(self.unlock)
        self.cancel_button.clicked.connect(self.reject)
        self.forgot_button.clicked.connect(self._forgot)
        self.passphrase.setFocus()

    def unlock(self) -> bool:
        if not unlock_with_typed(self.passphrase, self.error, self._controller.vault):
            return False
        self._controller.notify_unlocked()
        self.accept()
        return True

    def _forgot(self) -> None:
        self.wants_recovery = True
        self.reject()

    def done(self, result: int) -> None:
        wipe([self.passphrase])
        super().done(result)


class ChangePassphraseDialog(QDialog):
    """The current passphrase, then a new one twice. Notes are not touched: only the stored
    copy of the key is locked again with the new passphrase."""

    def __init__(
        self,
        controller: VaultController,
        dialogs: VaultDialogs,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change passphrase")
        self.setMinimumWidth(DIALOG_WIDTH)
        self._controller = controller

        self.title = heading("Change your passphrase", self)
        intro = paragraph(
            "Your notes stay as they are; only the lock changes. Your recovery code keeps working.",
            self,
        )
        form = QFormLayout()
        self.current = passphrase_edit(self, "Current passphrase")
        self.current_error = ErrorLabel(self)
        add_field(form, "&Current passphrase:", self.current, self.current_error, self)
        self.fields = NewPassphraseFields(
            form, self, label="&New passphrase:", also_shown=[self.current]
        )
        self.show_passphrase = self.fields.show_passphrase
        self.error = ErrorLabel(self)
        self.cancel_button = quiet_button("Cancel", self)
        self.change_button = primary_button("Change Passphrase", self)
        dialog_layout(
            self,
            [self.title, intro],
            [form, self.error],
            button_row(self.cancel_button, self.change_button),
        )

        self.change_button.clicked.connect(self.change)
        self.cancel_button.clicked.connect(self.reject)
        self.current.setFocus()

    def change(self) -> bool:
        self.error.show_message(None)
        current = self.current.text()
        if not current:
            self.current_error.show_message(TYPE_IT_FIRST)
        new = self.fields.checked()
        if not current or new is None:
            return False
        try:
            with busy_cursor():
                self._controller.vault.change_passphrase(current, new)
        except WrongPassphraseError:
            ask_again(
                self.current,
                self.current_error,
                "That is not your current passphrase. Check Caps Lock and try again.",
            )
            return False
        except VaultError as exc:  # too weak, locked meanwhile, or a damaged key slot
            self.fields.show_refusal(exc, self.error)
            return False
        finally:
            del current, new
        self.accept()
        return True

    def done(self, result: int) -> None:
        wipe([self.current, *self.fields.edits])
        super().done(result)


class NewRecoveryCodeDialog(CodeDialog):
    """The passphrase, then a new recovery code on the same page as when setting up. The
    old code stops working as soon as the new one is made."""

    def __init__(
        self,
        controller: VaultController,
        dialogs: VaultDialogs,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(dialogs, parent, code_title="Your new recovery code", today=today)
        self.setWindowTitle("New recovery code")
        self._controller = controller
        self.was_made = False

        start = QWidget(self)
        self.title = heading("Make a new recovery code", start)
        intro = paragraph(
            "Your old recovery code will stop working, and you will get a new one to print or "
            "write down. Do this if you have lost the old one, or think someone else has "
            "seen it.",
            start,
        )
        self.passphrase = passphrase_edit(start, "Passphrase")
        self.error = ErrorLabel(start)
        clears_error_when_edited(self.passphrase, self.error)
        passphrase_label = buddy_label("Type your &passphrase to continue:", self.passphrase, start)
        self.show_passphrase = ShowPassphrases([self.passphrase], start)
        self.cancel_button = quiet_button("Cancel", start)
        self.make_button = primary_button("Make New Code", start)
        dialog_layout(
            start,
            [self.title, intro],
            [passphrase_label, self.passphrase, self.error, self.show_passphrase],
            button_row(self.cancel_button, self.make_button),
            page=True,
        )
        self.set_start_page(start, [self.passphrase])

        self.make_button.clicked.connect(self.make_code)
        self.cancel_button.clicked.connect(self.reject)
        self.passphrase.setFocus()

    def make_code(self) -> bool:
        # The vault may refuse: a wrong passphrase, locked meanwhile, a damaged slot.
        code = with_passphrase(
            self.passphrase, self.error, self._controller.vault.new_recovery_code
        )
        if code is None:
            return False
        self.was_made = True
        self.show_code(code)
        return True


# ---- the flows the menu runs -------------------------------------------------------------


def _unlock_first(controller: VaultController, dialogs: VaultDialogs, what: str) -> bool:
    if controller.is_unlocked:
        return True
    dialogs.info("Unlock first", f"Unlock your private notes first, then {what}.")
    return False


def unlock_vault(
    controller: VaultController, dialogs: VaultDialogs, parent: QWidget | None = None
) -> bool:
    """Unlock (or set up, if there is nothing yet; or recover, if it was forgotten).
    True if private notes are unlocked at the end."""
    if controller.is_unlocked:
        return True
    if controller.state is VaultState.NOT_SET_UP:
        return set_up_vault(controller, dialogs, parent)
    dialog = UnlockDialog(controller, dialogs, parent)
    try:
        unlocked = dialog.exec() == QDialog.DialogCode.Accepted
        forgotten = dialog.wants_recovery
    finally:
        dialog.deleteLater()
    if not unlocked and forgotten:
        return recover_vault(controller, dialogs, parent)
    return unlocked


def change_passphrase(
    controller: VaultController, dialogs: VaultDialogs, parent: QWidget | None = None
) -> bool:
    """Run the change-passphrase dialog; True if the passphrase was changed."""
    if not _unlock_first(controller, dialogs, "change the passphrase"):
        return False
    dialog = ChangePassphraseDialog(controller, dialogs, parent)
    try:
        changed = dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
    if changed:
        dialogs.info(
            "Passphrase changed",
            "Use your new passphrase from now on. Your recovery code has not changed.",
        )
    return changed


def make_new_recovery_code(
    controller: VaultController, dialogs: VaultDialogs, parent: QWidget | None = None
) -> bool:
    """Run the new-recovery-code dialog; True if a new code was made (the old one no longer
    works, however the dialog was closed afterwards)."""
    if not _unlock_first(controller, dialogs, "make a new recovery code"):
        return False
    dialog = NewRecoveryCodeDialog(controller, dialogs, parent)
    try:
        dialog.exec()
        made = dialog.was_made
    finally:
        dialog.deleteLater()
    return made


__all__ = [
    "ChangePassphraseDialog",
    "NewRecoveryCodeDialog",
    "UnlockDialog",
    "change_passphrase",
    "make_new_recovery_code",
    "unlock_vault",
]
