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
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from peercircle.services.vault_types import VaultError, VaultState
from peercircle.ui.vault.vault_controller import VaultController


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

        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("Passphrase")
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase.setMinimumWidth(260)
        self.unlock_button = QPushButton("Unlock", self)
        self.unlock_button.setObjectName("primaryButton")
        self.unlock_button.setDefault(True)
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error.hide()
        self.forgot_button = QPushButton("I have forgotten my passphrase…", self)
        self.forgot_button.setFlat(True)
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

        self.setup_button = QPushButton("Set up private notes…", self)
        self.setup_button.setObjectName("primaryButton")
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
        self._wipe_passphrase()
        self.error.hide()
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
        text = self.passphrase.text()
        if not text:
            self._show_error("Type your passphrase first.")
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._controller.vault.unlock(text)
        except VaultError as exc:
            self._show_error(str(exc))
            self.passphrase.selectAll()
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
            del text
        self._wipe_passphrase()
        self._controller.notify_unlocked()

    def _wipe_passphrase(self) -> None:
        # setText, not clear(): clear() is an undoable edit, so the passphrase would stay in
        # the field's undo history.
        self.passphrase.setText("")

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
