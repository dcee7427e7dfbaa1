"""Setting up private notes: a calm explanation and a new passphrase, then the recovery code,
shown once, to print or write down.

Also the recovery-code page and a dialog that ends on that page, which making a new code
uses too (the smaller shared pieces are in ``vault_widgets``). No widget keeps a passphrase or
a code once its dialog has closed.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from peercircle.services.vault import VaultService
from peercircle.services.vault_types import VaultError
from peercircle.ui.form_helpers import ErrorLabel
from peercircle.ui.vault.vault_widgets import (
    DIALOG_WIDTH,
    NewPassphraseFields,
    VaultDialogs,
    busy_cursor,
    button_row,
    dialog_layout,
    heading,
    paragraph,
    primary_button,
    wipe,
)

if TYPE_CHECKING:
    from peercircle.ui.printing.preview_dialog import PdfPreviewDialog
    from peercircle.ui.vault.vault_controller import VaultController

CODE_POINT_SIZE = 20
CODE_GROUPS_PER_LINE = 4


def code_display(code: str) -> str:
    """The code on two lines of four groups, as on the printout (spaces and line breaks are
    ignored when it is typed or pasted back)."""
    groups = [group for group in code.split("-") if group]
    return "\n".join(
        "-".join(groups[start : start + CODE_GROUPS_PER_LINE])
        for start in range(0, len(groups), CODE_GROUPS_PER_LINE)
    )


# ---- the recovery code page --------------------------------------------------------------


class RecoveryCodePage(QWidget):
    """The recovery code, shown once: large, selectable, with Print…, Save as PDF… and a
    checkbox that enables Done.

    Signals:
        done(): Done was clicked (only possible once the checkbox is ticked).
    """

    done = Signal()

    def __init__(
        self,
        dialogs: VaultDialogs,
        parent: QWidget | None = None,
        *,
        title: str = "Your recovery code",
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self._dialogs = dialogs
        self._today = today
        self._code = ""
        self.preview: PdfPreviewDialog | None = None

        self.title = heading(title, self)
        intro = paragraph(
            "If you ever forget your passphrase, this code is the only other way into your "
            "notes. You will see it only this once: print it or write it down now, and keep it "
            "somewhere safe and private, away from this laptop.",
            self,
        )
        self.code_label = QLabel(self)
        self.code_label.setObjectName("recoveryCode")
        self.code_label.setAccessibleName("Recovery code")
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextFormat(Qt.TextFormat.PlainText)
        self.code_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(CODE_POINT_SIZE)
        font.setBold(True)
        self.code_label.setFont(font)
        self.code_label.setMinimumHeight(64)
        alphabet = paragraph(
            "Letters A–Z and digits 2–7 only: there is no zero or one.", self, hint=True
        )
        alphabet.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.print_button = QPushButton("&Print…", self)
        self.save_button = QPushButton("Save as P&DF…", self)
        self.status = paragraph("", self, hint=True)
        self.written_down = QCheckBox("I have printed or written down my recovery code", self)
        self.done_button = QPushButton("Done", self)
        self.done_button.setObjectName("primaryButton")
        self.done_button.setEnabled(False)

        output = QHBoxLayout()
        output.addWidget(self.print_button)
        output.addWidget(self.save_button)
        output.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.written_down, 1)
        bottom.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addWidget(self.code_label)
        layout.addWidget(alphabet)
        layout.addSpacing(8)
        layout.addLayout(output)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(bottom)

        self.print_button.clicked.connect(self.print_sheet)
        self.save_button.clicked.connect(self.save_sheet)
        self.written_down.toggled.connect(self.done_button.setEnabled)
        self.done_button.clicked.connect(self.done)

    @property
    def has_code(self) -> bool:
        return bool(self._code)

    def show_code(self, code: str) -> None:
        self._code = code
        self.code_label.setText(code_display(code))
        self.written_down.setChecked(False)
        self.status.setText("")
        self.done_button.setDefault(True)

    def clear(self) -> None:
        """Forget the code (when the dialog closes)."""
        self._code = ""
        self.code_label.setText("")
        self.status.setText("")
        self.written_down.setChecked(False)

    def may_close(self) -> bool:
        """True if the page may go away: the checkbox is ticked, or the facilitator says so."""
        if not self._code or self.written_down.isChecked():
            return True
        return self._dialogs.confirm(
            "Close without your recovery code?",
            "You will not see this code again. If you forget your passphrase without it, "
            "nobody can read your notes.\n\n"
            "While your notes are unlocked you can make a new recovery code from the "
            "Private menu.",
            "Close Anyway",
        )

    # ---- the printout ----------------------------------------------------------------------

    def _sheet_pdf(self) -> bytes:
        from peercircle.pdf.recovery_sheet import RecoverySheet, build_recovery_sheet

        out = io.BytesIO()
        build_recovery_sheet(RecoverySheet(self._code, self._today()), out)
        return out.getvalue()

    def _make_preview(self) -> PdfPreviewDialog:
        from peercircle.ui.printing.preview_dialog import PdfPreviewDialog

        with busy_cursor():
            data = self._sheet_pdf()
        return PdfPreviewDialog(
            data,
            title="Recovery code",
            suggested_name="PeerCircle recovery code.pdf",
            dialogs=self._dialogs,
            parent=self,
        )

    def print_sheet(self) -> None:
        """Show the sheet in the preview, with Print… and Save PDF…."""
        if not self._code:
            return
        self.preview = self._make_preview()
        try:
            self.preview.exec()
            if self.preview.saved_to is not None:
                self._saved(self.preview.saved_to)
        finally:
            self._drop_preview()

    def save_sheet(self) -> Path | None:
        """Save the sheet as a PDF straight away (asks where)."""
        if not self._code:
            return None
        self.preview = self._make_preview()
        try:
            path = self.preview.save_pdf()
        finally:
            self._drop_preview()
        if path is not None:
            self._saved(path)
        return path

    def _saved(self, path: Path) -> None:
        self.status.setText(
            f"Saved to {path}. Print it or move it off this laptop, then delete the file."
        )

    def _drop_preview(self) -> None:
        if self.preview is not None:
            self.preview.data = b""
            self.preview.deleteLater()
            self.preview = None


class CodeDialog(QDialog):
    """A dialog whose last page is the recovery code: closing it without the checkbox asks
    first, and closing it in any way forgets the code and the fields in ``secret_edits``."""

    def __init__(
        self,
        dialogs: VaultDialogs,
        parent: QWidget | None,
        *,
        code_title: str,
        today: Callable[[], dt.date],
    ) -> None:
        super().__init__(parent)
        self.setMinimumWidth(DIALOG_WIDTH)
        self._dialogs = dialogs
        self.secret_edits: list[QLineEdit] = []
        self.pages = QStackedWidget(self)
        self.code_page = RecoveryCodePage(dialogs, self, title=code_title, today=today)
        self.code_page.done.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    def set_start_page(self, start: QWidget, secret_edits: list[QLineEdit]) -> None:
        """The page before the code; ``secret_edits`` are emptied when the code shows."""
        self.pages.addWidget(start)
        self.pages.addWidget(self.code_page)
        self.secret_edits = secret_edits

    def show_code(self, code: str) -> None:
        wipe(self.secret_edits)
        self.code_page.show_code(code)
        self.pages.setCurrentWidget(self.code_page)
        self.code_page.written_down.setFocus()

    def reject(self) -> None:
        if self.pages.currentWidget() is self.code_page and not self.code_page.may_close():
            return
        super().reject()

    def done(self, result: int) -> None:
        wipe(self.secret_edits)
        self.code_page.clear()
        super().done(result)


# ---- setting up --------------------------------------------------------------------------


class SetupVaultDialog(CodeDialog):
    """Step 1: what private notes are and a new passphrase. Step 2: the recovery code.

    ``was_set_up`` tells afterwards whether the vault was set up (it stays set up however
    the dialog is closed after step 1)."""

    def __init__(
        self,
        vault: VaultService,
        dialogs: VaultDialogs,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(dialogs, parent, code_title="Your recovery code", today=today)
        self.setWindowTitle("Set up private notes")
        self._vault = vault
        self.was_set_up = False

        start = QWidget(self)
        self.title = heading("Set up private notes", start)
        explanation = [
            paragraph(
                "Your notes and follow-ups are kept encrypted on this computer. They never "
                "appear on the projector or on a printout.",
                start,
            ),
            paragraph(
                "Choose a passphrase only you know. A few words you will remember are best.",
                start,
            ),
            paragraph(
                "Next you will get a recovery code to print or write down. If you forget the "
                "passphrase and lose the recovery code, nobody can read your notes — not "
                "even us.",
                start,
            ),
        ]
        form = QFormLayout()
        self.fields = NewPassphraseFields(form, start, label="&Passphrase:")
        self.show_passphrase = self.fields.show_passphrase
        self.error = ErrorLabel(start)
        self.set_up_button = primary_button("Set Up", start)
        self.cancel_button = QPushButton("Cancel", start)
        dialog_layout(
            start,
            [self.title, *explanation],
            [form, self.error],
            button_row(self.cancel_button, self.set_up_button),
            page=True,
        )
        self.set_start_page(start, self.fields.edits)

        self.set_up_button.clicked.connect(self.set_up)
        self.cancel_button.clicked.connect(self.reject)
        self.fields.passphrase.setFocus()

    def set_up(self) -> bool:
        """Check the passphrase, set the vault up (about a second) and show the code."""
        self.error.show_message(None)
        passphrase = self.fields.checked()
        if passphrase is None:
            return False
        try:
            with busy_cursor():
                code = self._vault.set_up(passphrase)
        except VaultError as exc:
            self.fields.show_refusal(exc, self.error)
            return False
        finally:
            del passphrase
        self.was_set_up = True
        self.show_code(code)
        return True


def set_up_vault(
    controller: VaultController, dialogs: VaultDialogs, parent: QWidget | None = None
) -> bool:
    """Run the set-up dialog; True if the vault was set up (the controller is told)."""
    if controller.vault.is_set_up():
        dialogs.info(
            "Already set up",
            "Private notes are already set up on this computer. Unlock them with your passphrase.",
        )
        return False
    dialog = SetupVaultDialog(controller.vault, dialogs, parent)
    try:
        dialog.exec()
        set_up = dialog.was_set_up
    finally:
        dialog.deleteLater()
    if set_up and controller.is_unlocked:
        # (It may have locked meanwhile after being left idle on the code page.)
        controller.notify_unlocked()
    return set_up
