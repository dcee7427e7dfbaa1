"""The Private menu: unlock, lock, hide, set up, change the passphrase, a new recovery code,
how long before locking when idle, and starting over.

Its items follow the vault's state (``controller.state_changed``). ``setup()`` and
``recover()`` are slots for a LockedPanel's ``setup_requested`` and ``recovery_requested``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from peercircle.services.attendance_import_types import plural
from peercircle.services.vault_types import IDLE_MINUTES_CHOICES, VaultState
from peercircle.ui.vault.passphrase_dialogs import (
    change_passphrase,
    make_new_recovery_code,
    unlock_vault,
)
from peercircle.ui.vault.recovery_dialog import recover_vault, reset_vault
from peercircle.ui.vault.setup_dialog import set_up_vault
from peercircle.ui.vault.vault_controller import VaultController
from peercircle.ui.vault.vault_widgets import VaultDialogs

UNLOCK_SHORTCUT = "Ctrl+Shift+U"


def idle_label(minutes: int) -> str:
    """ "1 minute", "5 minutes", "1 hour"."""
    return plural(minutes // 60, "hour") if minutes % 60 == 0 else plural(minutes, "minute")


class VaultMenu(QObject):
    """Owns the Private menu (``menu``) and runs each vault dialog from it."""

    def __init__(
        self, controller: VaultController, dialogs: VaultDialogs, parent_widget: QWidget
    ) -> None:
        super().__init__(parent_widget)
        self._controller = controller
        self._dialogs = dialogs
        self._parent = parent_widget

        self.menu = QMenu("Pri&vate", parent_widget)
        self.unlock_action = self.menu.addAction("&Unlock Private Notes…")
        self.unlock_action.setShortcut(QKeySequence(UNLOCK_SHORTCUT))
        self.unlock_action.setToolTip(f"Unlock private notes ({UNLOCK_SHORTCUT})")
        self.menu.addAction(controller.lock_action)
        self.menu.addAction(controller.hide_action)
        self.menu.addSeparator()
        self.setup_action = self.menu.addAction("&Set Up Private Notes…")
        self.change_action = self.menu.addAction("&Change Passphrase…")
        self.new_code_action = self.menu.addAction("New &Recovery Code…")
        self.idle_menu = self.menu.addMenu("Lock After &Idle")
        self.idle_group = QActionGroup(self)
        self.idle_group.setExclusive(True)
        self.idle_actions: dict[int, QAction] = {}
        for minutes in IDLE_MINUTES_CHOICES:
            action = self.idle_menu.addAction(idle_label(minutes))
            action.setCheckable(True)
            action.setData(minutes)
            self.idle_group.addAction(action)
            self.idle_actions[minutes] = action
        self.menu.addSeparator()
        self.start_over_action = self.menu.addAction("Start &Over…")
        self.start_over_action.setToolTip(
            "Forgotten passphrase and no recovery code: delete the private notes and "
            "follow-ups, keep everything else"
        )

        self.unlock_action.triggered.connect(self.unlock)
        self.setup_action.triggered.connect(self.setup)
        self.change_action.triggered.connect(self.change_passphrase)
        self.new_code_action.triggered.connect(self.new_recovery_code)
        self.idle_group.triggered.connect(self._on_idle_chosen)
        self.start_over_action.triggered.connect(self.start_over)
        controller.state_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Enable what makes sense in the vault's state; tick the idle time."""
        state = self._controller.state
        unlocked = state is VaultState.UNLOCKED
        self.unlock_action.setEnabled(state is VaultState.LOCKED)
        self.setup_action.setEnabled(state is VaultState.NOT_SET_UP)
        self.change_action.setEnabled(unlocked)
        self.new_code_action.setEnabled(unlocked)
        self.start_over_action.setEnabled(state is not VaultState.NOT_SET_UP)
        chosen = self.idle_actions.get(self._controller.idle_minutes)
        if chosen is not None:
            chosen.setChecked(True)

    # ---- slots ---------------------------------------------------------------------------

    def unlock(self) -> bool:
        return unlock_vault(self._controller, self._dialogs, self._parent)

    def setup(self) -> bool:
        return set_up_vault(self._controller, self._dialogs, self._parent)

    def recover(self) -> bool:
        return recover_vault(self._controller, self._dialogs, self._parent)

    def change_passphrase(self) -> bool:
        return change_passphrase(self._controller, self._dialogs, self._parent)

    def new_recovery_code(self) -> bool:
        return make_new_recovery_code(self._controller, self._dialogs, self._parent)

    def start_over(self) -> bool:
        return reset_vault(self._controller, self._dialogs, self._parent)

    def _on_idle_chosen(self, action: QAction) -> None:
        self._controller.set_idle_minutes(int(action.data()))
