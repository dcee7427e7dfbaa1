"""A forgotten passphrase: the recovery code and a new passphrase. Without the code, the
only way on is to start over — delete the notes and follow-ups (nobody can read them any
more) and keep everything else.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QWidget

from peercircle.services.attendance_import_types import plural
from peercircle.services.vault_crypto import normalise_recovery_code
from peercircle.services.vault_types import VaultError, WrongRecoveryCodeError
from peercircle.ui.form_helpers import ErrorLabel
from peercircle.ui.vault.setup_dialog import set_up_vault
from peercircle.ui.vault.vault_controller import VaultController
from peercircle.ui.vault.vault_widgets import (
    DIALOG_WIDTH,
    ConfirmWordField,
    NewPassphraseFields,
    VaultDialogs,
    add_field,
    ask_again,
    busy_cursor,
    button_row,
    dialog_layout,
    heading,
    paragraph,
    primary_button,
    quiet_button,
    wipe,
)

CONFIRM_WORD = "DELETE"


class RecoveryDialog(QDialog):
    """“Forgotten your passphrase?”: the recovery code and a new passphrase. Each problem —
    a mistyped code, a wrong code, a damaged key, a weak passphrase — is said inline.

    ``wants_start_over`` is True when it was closed with “I don't have my recovery code…”."""

    def __init__(
        self,
        controller: VaultController,
        dialogs: VaultDialogs,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Forgotten your passphrase?")
        self.setMinimumWidth(DIALOG_WIDTH)
        self._controller = controller
        self.wants_start_over = False

        self.title = heading("Forgotten your passphrase?", self)
        intro = paragraph(
            "Type the recovery code you printed or wrote down when you set up private notes, "
            "then choose a new passphrase. Your notes stay as they are.",
            self,
        )
        form = QFormLayout()
        self.code = QLineEdit(self)
        self.code.setAccessibleName("Recovery code")
        self.code.setPlaceholderText("ABCD-EFGH-…")
        self.code.setMinimumWidth(280)
        self.code_error = ErrorLabel(self)
        add_field(form, "Recovery &code:", self.code, self.code_error, self)
        self.fields = NewPassphraseFields(form, self, label="&New passphrase:")
        self.show_passphrase = self.fields.show_passphrase
        self.error = ErrorLabel(self)

        self.no_code_button = quiet_button("I don't have my recovery code…", self, flat=True)
        self.cancel_button = quiet_button("Cancel", self)
        self.recover_button = primary_button("Set New Passphrase", self)
        dialog_layout(
            self,
            [self.title, intro],
            [form, self.error],
            button_row(self.cancel_button, self.recover_button, left=self.no_code_button),
        )

        self.recover_button.clicked.connect(self.recover)
        self.cancel_button.clicked.connect(self.reject)
        self.no_code_button.clicked.connect(self._start_over)
        self.code.setFocus()

    def recover(self) -> bool:
        """Check what was typed, then unlock with the code and set the new passphrase."""
        self.error.show_message(None)
        code = self.code.text()
        code_ok = True
        if not code.strip():
            self.code_error.show_message("Type the recovery code from your printout.")
            code_ok = False
        elif normalise_recovery_code(code) is None:
            self.code_error.show_message(str(WrongRecoveryCodeError(malformed=True)))
            code_ok = False
        passphrase = self.fields.checked()
        if not code_ok or passphrase is None:
            return False
        try:
            with busy_cursor():
                self._controller.vault.recover(code, passphrase)
        except WrongRecoveryCodeError as exc:
            ask_again(self.code, self.code_error, str(exc))
            return False
        except VaultError as exc:  # too weak, a damaged key slot, or nothing set up
            self.fields.show_refusal(exc, self.error)
            return False
        finally:
            del code, passphrase
        self._controller.notify_unlocked()
        self.accept()
        return True

    def _start_over(self) -> None:
        self.wants_start_over = True
        self.reject()

    def done(self, result: int) -> None:
        wipe([self.code, *self.fields.edits])
        super().done(result)


class StartOverDialog(QDialog):
    """Delete every note and follow-up and start again. Only once the word DELETE has been
    typed is the button enabled. ``deleted`` is (notes, follow-ups) afterwards."""

    def __init__(
        self,
        controller: VaultController,
        dialogs: VaultDialogs,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Start over")
        self.setMinimumWidth(DIALOG_WIDTH)
        self._controller = controller
        self.deleted: tuple[int, int] | None = None

        self.title = heading("Start over without your notes?", self)
        texts = [
            paragraph(
                "Without your passphrase or your recovery code, nobody can read your private "
                "notes — not even us. That is what keeps them private.",
                self,
            ),
            paragraph(
                "You can start over: every private note and follow-up on this computer is "
                "deleted, and you set up private notes again with a new passphrase. Groups, "
                "members, meetings and attendance stay exactly as they are.",
                self,
            ),
            paragraph("This cannot be undone.", self),
        ]
        self.confirm_word = ConfirmWordField(CONFIRM_WORD, self)
        confirm_row = self.confirm_word.row(self)
        self.error = ErrorLabel(self)

        # No default button: Enter in the field does nothing, the deletion takes a click.
        self.cancel_button = quiet_button("Cancel", self)
        self.delete_button = quiet_button("Delete Notes and Start Over", self)
        self.confirm_word.enables(self.delete_button)
        dialog_layout(
            self,
            [self.title, *texts],
            [confirm_row, self.error],
            button_row(self.cancel_button, self.delete_button),
        )

        self.cancel_button.clicked.connect(self.reject)
        self.delete_button.clicked.connect(self.start_over)
        self.confirm_word.setFocus()

    def start_over(self) -> bool:
        if not self.confirm_word.confirmed():
            return False
        try:
            with busy_cursor():
                self.deleted = self._controller.vault.reset()
        except VaultError as exc:
            self.error.show_message(str(exc))
            return False
        self._controller.notify_reset()
        self.accept()
        return True


def reset_vault(
    controller: VaultController, dialogs: VaultDialogs, parent: QWidget | None = None
) -> bool:
    """Start over (after typing DELETE), then offer to set up again; True if it was reset."""
    if not controller.vault.is_set_up():
        dialogs.info(
            "Nothing to start over",
            "Private notes are not set up on this computer, so there is nothing to delete.",
        )
        return False
    dialog = StartOverDialog(controller, dialogs, parent)
    try:
        dialog.exec()
        deleted = dialog.deleted
    finally:
        dialog.deleteLater()
    if deleted is None:
        return False
    notes, follow_ups = deleted
    if dialogs.confirm(
        "Private notes deleted",
        f"{plural(notes, 'note')} and {plural(follow_ups, 'follow-up')} were deleted. Groups, "
        "members, meetings and attendance are as they were.\n\n"
        "Set up private notes again now, with a new passphrase?",
        "Set Up Now",
    ):
        set_up_vault(controller, dialogs, parent)
    return True


def recover_vault(
    controller: VaultController, dialogs: VaultDialogs, parent: QWidget | None = None
) -> bool:
    """The forgotten-passphrase flow (and starting over, if there is no recovery code).
    True if private notes are unlocked at the end."""
    dialog = RecoveryDialog(controller, dialogs, parent)
    try:
        recovered = dialog.exec() == QDialog.DialogCode.Accepted
        start_over = dialog.wants_start_over
    finally:
        dialog.deleteLater()
    if recovered:
        dialogs.info(
            "New passphrase set",
            "Your notes are unlocked. Use your new passphrase from now on. Your recovery "
            "code still works, so keep it safe.",
        )
        return True
    if start_over:
        reset_vault(controller, dialogs, parent)
    return controller.is_unlocked
