"""What a private panel shows while the vault is locked, not set up, or hidden.

Locked: a passphrase field and Unlock, right where the notes will appear. Not set up: a short
explanation and “Set up private notes…”. Hidden: a quiet blank page. The panel never shows
anything private itself.

Signals:
    setup_requested(): the facilitator wants to set up private notes.
    recovery_requested(): the facilitator has forgotten the passphrase.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from peercircle.services.vault_types import VaultState
from peercircle.ui.form_helpers import ErrorLabel
from peercircle.ui.vault.vault_controller import VaultController
from peercircle.ui.vault.vault_widgets import (
    passphrase_edit,
    primary_button,
    quiet_button,
    unlock_with_typed,
    wipe,
)


class LockedPanel(QWidget):
    setup_requested = Signal()
    recovery_requested = Signal()

    def __init__(
        self,
        controller: VaultController,
        what: str = "Your private notes",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lockedPanel")
        self._controller = controller
        self._what = what

        self.title = QLabel(self)
        self.title.setObjectName("screenTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel(self)
        self.text.setObjectName("hint")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.passphrase = passphrase_edit(self, "Passphrase")
        self.passphrase.setPlaceholderText("Passphrase")
        self.unlock_button = primary_button("Unlock", self)
        self.error = ErrorLabel(self)
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.forgot_button = quiet_button("I have forgotten my passphrase…", self, flat=True)
        unlock_row = QHBoxLayout()
        unlock_row.addStretch(1)
        unlock_row.addWidget(self.passphrase)
        unlock_row.addWidget(self.unlock_button)
        unlock_row.addStretch(1)
        unlock_page = QWidget(self)
        unlock_layout = QVBoxLayout(unlock_page)
        unlock_layout.setContentsMargins(0, 0, 0, 0)
        unlock_layout.addLayout(unlock_row)
        unlock_layout.addWidget(self.error)
        unlock_layout.addWidget(self.forgot_button, 0, Qt.AlignmentFlag.AlignHCenter)

        self.setup_button = primary_button("Set up private notes…", self)
        setup_page = QWidget(self)
        setup_layout = QVBoxLayout(setup_page)
        setup_layout.setContentsMargins(0, 0, 0, 0)
        setup_layout.addWidget(self.setup_button, 0, Qt.AlignmentFlag.AlignHCenter)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(unlock_page)
        self.pages.addWidget(setup_page)
        self.pages.addWidget(QWidget(self))  # hidden: nothing at all

        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addSpacing(12)
        layout.addWidget(self.pages)
        layout.addStretch(2)

        self.unlock_button.clicked.connect(self.unlock)
        self.passphrase.returnPressed.connect(self.unlock)
        self.forgot_button.clicked.connect(self.recovery_requested)
        self.setup_button.clicked.connect(self.setup_requested)
        controller.state_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Show the page that fits the vault's state now."""
        wipe([self.passphrase])
        self.error.show_message(None)
        if self._controller.is_hidden:
            self.title.setText("Private panels are hidden")
            self.text.setText("Press F9 to show them again.")
            self.pages.setCurrentIndex(2)
            return
        state = self._controller.state
        if state is VaultState.NOT_SET_UP:
            self.title.setText("Private notes are not set up yet")
            self.text.setText(
                "Notes and follow-ups are kept encrypted on this computer with a passphrase "
                "only you know. They never appear on the projector or on a printout."
            )
            self.pages.setCurrentIndex(1)
        else:
            self.title.setText(f"{self._what} are locked")
            self.text.setText("Type your passphrase to unlock them.")
            self.pages.setCurrentIndex(0)

    def focus_passphrase(self) -> None:
        """The keyboard to what comes first here: the passphrase, or “Set up…”."""
        if self.pages.currentIndex() == 0:
            self.passphrase.setFocus()
        elif self.pages.currentIndex() == 1:
            self.setup_button.setFocus()

    def unlock(self) -> None:
        if not unlock_with_typed(self.passphrase, self.error, self._controller.vault):
            return
        wipe([self.passphrase])
        self._controller.notify_unlocked()
