"""Small vault dialogs: unlock from the menu, change the passphrase, and make a new recovery
code (shown on the same page as when setting up)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peercircle.services.vault_types import (
    VaultError,
    VaultState,
    WeakPassphraseError,
    WrongPassphraseError,
)
from peercircle.ui.form_helpers import ErrorLabel
from peercircle.ui.vault.recovery_dialog import recover_vault
from peercircle.ui.vault.setup_dialog import (
    DIALOG_WIDTH,
    CodeDialog,
    NewPassphraseFields,
    ShowPassphrases,
    VaultDialogs,
    busy_cursor,
    clears_error_when_edited,
    heading,
    paragraph,
    passphrase_edit,
    set_up_vault,
    wipe,
)
from peercircle.ui.vault.vault_controller import VaultController

TYPE_IT_FIRST = "Type your passphrase first."


def _button_row(*buttons: QPushButton, left: QPushButton | None = None) -> QHBoxLayout:
    row = QHBoxLayout()
    if left is not None:
        row.addWidget(left)
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


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
        self.forgot_button = QPushButton("I have forgotten my passphrase…", self)
        self.forgot_button.setFlat(True)
        self.forgot_button.setAutoDefault(False)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAutoDefault(False)
        self.unlock_button = QPushButton("Unlock", self)
        self.unlock_button.setObjectName("primaryButton")
        self.unlock_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(paragraph("Type your passphrase to open your notes.", self))
        layout.addWidget(self.passphrase)
        layout.addWidget(self.error)
        layout.addSpacing(8)
        layout.addLayout(
            _button_row(self.cancel_button, self.unlock_button, left=self.forgot_button)
        )

        self.unlock_button.clicked.connect(self.unlock)
        self.cancel_button.clicked.connect(self.reject)
        self.forgot_button.clicked.connect(self._forgot)
        self.passphrase.setFocus()

    def unlock(self) -> bool:
        text = self.passphrase.text()
        if not text:
            self.error.show_message(TYPE_IT_FIRST)
            return False
        try:
            with busy_cursor():
                self._controller.vault.unlock(text)
        except VaultError as exc:
            self.error.show_message(str(exc))
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return False
        finally:
            del text
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
        clears_error_when_edited(self.current, self.current_error)
        current_label = QLabel("&Current passphrase:", self)
        current_label.setBuddy(self.current)
        form.addRow(current_label, self.current)
        form.addRow("", self.current_error)
        self.fields = NewPassphraseFields(form, self, label="&New passphrase:")
        self.show_passphrase = ShowPassphrases([self.current, *self.fields.edits], self)
        form.addRow("", self.show_passphrase)
        self.error = ErrorLabel(self)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAutoDefault(False)
        self.change_button = QPushButton("Change Passphrase", self)
        self.change_button.setObjectName("primaryButton")
        self.change_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(_button_row(self.cancel_button, self.change_button))

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
            self.current_error.show_message(
                "That is not your current passphrase. Check Caps Lock and try again."
            )
            self.current.selectAll()
            self.current.setFocus()
            return False
        except WeakPassphraseError as exc:
            self.fields.show_error(str(exc))
            return False
        except VaultError as exc:  # locked meanwhile, or a damaged key slot
            self.error.show_message(str(exc))
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
        passphrase_label = QLabel("Type your &passphrase to continue:", start)
        passphrase_label.setBuddy(self.passphrase)
        self.show_passphrase = ShowPassphrases([self.passphrase], start)
        self.cancel_button = QPushButton("Cancel", start)
        self.cancel_button.setAutoDefault(False)
        self.make_button = QPushButton("Make New Code", start)
        self.make_button.setObjectName("primaryButton")
        self.make_button.setDefault(True)
        layout = QVBoxLayout(start)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addWidget(passphrase_label)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.error)
        layout.addWidget(self.show_passphrase)
        layout.addStretch(1)
        layout.addLayout(_button_row(self.cancel_button, self.make_button))
        self.pages.addWidget(start)
        self.pages.addWidget(self.code_page)
        self.secret_edits = [self.passphrase]

        self.make_button.clicked.connect(self.make_code)
        self.cancel_button.clicked.connect(self.reject)
        self.passphrase.setFocus()

    def make_code(self) -> bool:
        text = self.passphrase.text()
        if not text:
            self.error.show_message(TYPE_IT_FIRST)
            return False
        try:
            with busy_cursor():
                code = self._controller.vault.new_recovery_code(text)
        except VaultError as exc:  # a wrong passphrase, locked meanwhile, a damaged slot
            self.error.show_message(str(exc))
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return False
        finally:
            del text
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
