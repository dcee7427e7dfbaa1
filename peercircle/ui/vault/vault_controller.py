"""One object the window and every private panel share: is the vault open, is it hidden,
and the lock, hide and idle-lock behaviour.

Signals:
    about_to_lock(): the key is about to be wiped — an editor with unsaved changes saves now.
    locked(): the vault locked; every private panel must drop its text (and undo history).
    unlocked(): the vault was unlocked (or set up): private panels may show their content.
    hidden_changed(bool): True — blank every private panel at once; False — show again.
    state_changed(): anything above, or the vault was set up or reset.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

from peercircle.services.vault import VaultService
from peercircle.services.vault_types import (
    DEFAULT_IDLE_MINUTES,
    IDLE_MINUTES_CHOICES,
    VaultState,
)

log = logging.getLogger(__name__)

IDLE_SETTINGS_KEY = "vault/idle_minutes"
TICK_MS = 5_000
"""How often the idle time is checked (the clock itself is the vault's)."""

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class VaultController(QObject):
    about_to_lock = Signal()
    locked = Signal()
    unlocked = Signal()
    hidden_changed = Signal(bool)
    state_changed = Signal()

    def __init__(
        self,
        vault: VaultService,
        parent: QObject | None = None,
        *,
        settings: QSettings | None = None,
        watch_activity: bool = True,
    ) -> None:
        super().__init__(parent)
        self._vault = vault
        self._settings = settings if settings is not None else QSettings()
        self._hidden = False
        minutes = self._settings.value(IDLE_SETTINGS_KEY, DEFAULT_IDLE_MINUTES, type=int)
        vault.idle_minutes = minutes if minutes in IDLE_MINUTES_CHOICES else DEFAULT_IDLE_MINUTES

        self.lock_action = QAction("&Lock Private Notes", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.lock_action.setToolTip("Lock private notes now (Ctrl+Shift+L)")
        self.lock_action.triggered.connect(self.lock)
        self.hide_action = QAction("&Hide Private Panels", self)
        self.hide_action.setCheckable(True)
        hide_keys = [QKeySequence("F9")]
        if sys.platform != "darwin":  # Cmd+H hides the whole app on macOS
            hide_keys.append(QKeySequence("Ctrl+H"))
        self.hide_action.setShortcuts(hide_keys)
        self.hide_action.setToolTip("Blank every private panel at once (F9); again to show")
        self.hide_action.toggled.connect(self.set_hidden)

        # The application-wide activity filter (a Python call for every Qt event) is only
        # installed while unlocked; the 5-second idle check also notices an unlock made
        # without telling this controller (the set-up dialog's recovery-code page).
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.check_idle)
        self._timer.start()
        self._watch_activity = watch_activity
        self._watching = False
        self._stopped = False
        self._follow_vault()

    # ---- state ---------------------------------------------------------------------------

    @property
    def vault(self) -> VaultService:
        return self._vault

    @property
    def state(self) -> VaultState:
        return self._vault.state

    @property
    def is_unlocked(self) -> bool:
        return self._vault.is_unlocked

    @property
    def is_hidden(self) -> bool:
        return self._hidden

    @property
    def shows_private(self) -> bool:
        """May a private panel show decrypted text right now?"""
        return self._vault.is_unlocked and not self._hidden

    # ---- locking, hiding -----------------------------------------------------------------

    def lock(self) -> None:
        """Save what is being edited, wipe the key, and clear every private panel."""
        if self._vault.is_unlocked:
            self.about_to_lock.emit()
        self._vault.lock()
        self.locked.emit()
        self.refresh_state()

    def notify_unlocked(self) -> None:
        """Call after the vault was unlocked or set up (by a dialog or panel)."""
        self._vault.touch()
        self.unlocked.emit()
        self.refresh_state()

    def refresh_state(self) -> None:
        """Tell every panel to look again (also when the vault changed behind the window's
        back, e.g. sample data set one up)."""
        self.state_changed.emit()
        self._follow_vault()

    def notify_reset(self) -> None:
        """Call after the vault was reset: nothing private is left to show."""
        self.locked.emit()
        self.refresh_state()

    def set_hidden(self, hidden: bool) -> None:
        if hidden == self._hidden:
            return
        self._hidden = hidden
        self.hide_action.setChecked(hidden)  # no toggled signal when already so
        self.hidden_changed.emit(hidden)
        self.state_changed.emit()

    def toggle_hidden(self) -> None:
        self.set_hidden(not self._hidden)

    # ---- idle ----------------------------------------------------------------------------

    @property
    def idle_minutes(self) -> int:
        return round(self._vault.idle_minutes)

    def set_idle_minutes(self, minutes: int) -> None:
        if minutes not in IDLE_MINUTES_CHOICES:
            raise ValueError(f"Idle time must be one of {IDLE_MINUTES_CHOICES} minutes.")
        self._vault.idle_minutes = minutes
        self._settings.setValue(IDLE_SETTINGS_KEY, minutes)
        self._vault.touch()

    def check_idle(self) -> bool:
        """Lock if left idle for the idle time; True if it locked. (Run by a timer.)"""
        if self._vault.is_unlocked and self._vault.seconds_until_idle_lock() <= 0:
            log.info("Locking private notes: idle.")
            self.lock()
            return True
        self._follow_vault()
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self._vault.touch()
        return False

    def stop_watching(self) -> None:
        """Stop the idle timer and the activity filter for good (the window goes away)."""
        self._stopped = True
        self._timer.stop()
        self._watch(False)

    def _follow_vault(self) -> None:
        """The Lock action and the activity filter follow whether the vault is unlocked."""
        unlocked = self._vault.is_unlocked
        self.lock_action.setEnabled(unlocked)
        self._watch(unlocked and self._watch_activity and not self._stopped)

    def _watch(self, on: bool) -> None:
        app = QApplication.instance()
        if app is None or on == self._watching:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._watching = on
