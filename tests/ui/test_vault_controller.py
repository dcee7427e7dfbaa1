"""The vault controller: locking by hand and when idle, activity, hiding, the idle setting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import FakeClock
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from peercircle.db import Database
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams
from peercircle.services.vault_types import DEFAULT_IDLE_MINUTES, VaultLockedError, VaultState
from peercircle.ui.vault.vault_controller import IDLE_SETTINGS_KEY, VaultController

FAST = KdfParams(memory_kib=1024, iterations=1, lanes=1)
PASSPHRASE = "blue kettle on the stairs"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def vault(db: Database, clock: FakeClock) -> VaultService:
    return VaultService(db, kdf_params=FAST, clock=clock)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def controller(qtbot, vault: VaultService, settings: QSettings) -> Iterator[VaultController]:  # type: ignore[no-untyped-def]
    made = VaultController(vault, settings=settings, watch_activity=False)
    yield made
    made.stop_watching()


def _unlocked(controller: VaultController) -> None:
    controller.vault.set_up(PASSPHRASE)
    controller.notify_unlocked()


def test_states_and_what_may_be_shown(controller: VaultController) -> None:
    assert controller.state is VaultState.NOT_SET_UP
    assert not controller.shows_private
    assert not controller.lock_action.isEnabled()
    _unlocked(controller)
    assert controller.state is VaultState.UNLOCKED
    assert controller.shows_private
    assert controller.lock_action.isEnabled()
    controller.set_hidden(True)
    assert controller.is_unlocked and not controller.shows_private
    controller.set_hidden(False)
    controller.lock()
    assert controller.state is VaultState.LOCKED
    assert not controller.shows_private
    assert not controller.lock_action.isEnabled()


def test_no_idle_lock_before_the_idle_time_and_a_lock_after(
    controller: VaultController, clock: FakeClock, qtbot
) -> None:  # type: ignore[no-untyped-def]
    _unlocked(controller)
    clock.now += DEFAULT_IDLE_MINUTES * 60 - 1
    assert controller.check_idle() is False
    assert controller.is_unlocked
    clock.now += 1
    with qtbot.waitSignals([controller.about_to_lock, controller.locked, controller.state_changed]):
        assert controller.check_idle() is True
    assert controller.state is VaultState.LOCKED
    assert controller.vault.key_holder_for_test().key_bytes_for_test() == bytes(32)
    assert controller.check_idle() is False  # already locked: nothing more happens


def test_about_to_lock_comes_first_while_the_key_still_works(
    controller: VaultController, clock: FakeClock
) -> None:
    _unlocked(controller)
    vault = controller.vault
    blob = vault.encrypt("notes", 7, "body", "Ольга asked for a call")
    heard: list[str] = []

    def save_now() -> None:
        # An editor saving its last changes: encrypting and decrypting still work here.
        heard.append(vault.decrypt("notes", 7, "body", vault.encrypt("notes", 7, "body", "ok")))

    controller.about_to_lock.connect(save_now)
    controller.locked.connect(lambda: heard.append(f"locked, unlocked={vault.is_unlocked}"))
    clock.now += DEFAULT_IDLE_MINUTES * 60
    assert controller.check_idle()
    assert heard == ["ok", "locked, unlocked=False"]
    with pytest.raises(VaultLockedError):
        vault.decrypt("notes", 7, "body", blob)


def test_locking_when_already_locked_does_not_ask_editors_to_save(
    controller: VaultController, qtbot
) -> None:  # type: ignore[no-untyped-def]
    controller.vault.set_up(PASSPHRASE)
    controller.lock()
    with qtbot.assertNotEmitted(controller.about_to_lock):
        controller.lock()


def test_a_key_press_restarts_the_idle_time(
    qtbot, vault: VaultService, settings: QSettings, clock: FakeClock
) -> None:  # type: ignore[no-untyped-def]
    controller = VaultController(vault, settings=settings, watch_activity=True)
    try:
        _unlocked(controller)
        field = QLineEdit()
        qtbot.addWidget(field)
        field.show()
        clock.now += DEFAULT_IDLE_MINUTES * 60 - 10
        qtbot.keyClick(field, Qt.Key.Key_A)
        assert field.text() == "a"
        clock.now += DEFAULT_IDLE_MINUTES * 60 - 10
        assert not controller.check_idle()
        assert controller.is_unlocked
        clock.now += 10
        assert controller.check_idle()

        # Once it stops watching, key presses no longer count as activity.
        vault.unlock(PASSPHRASE)
        controller.notify_unlocked()
        controller.stop_watching()
        clock.now += DEFAULT_IDLE_MINUTES * 60 - 10
        qtbot.keyClick(field, Qt.Key.Key_B)
        clock.now += 10
        assert controller.check_idle()
    finally:
        controller.stop_watching()


def test_without_watching_a_key_press_is_not_activity(
    controller: VaultController, clock: FakeClock, qtbot
) -> None:  # type: ignore[no-untyped-def]
    _unlocked(controller)
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    clock.now += DEFAULT_IDLE_MINUTES * 60 - 10
    qtbot.keyClick(field, Qt.Key.Key_A)
    clock.now += 10
    assert controller.check_idle()


def test_lock_action_locks(controller: VaultController, qtbot) -> None:  # type: ignore[no-untyped-def]
    _unlocked(controller)
    with qtbot.waitSignal(controller.locked):
        controller.lock_action.trigger()
    assert controller.state is VaultState.LOCKED
    assert controller.lock_action.shortcut().toString() == "Ctrl+Shift+L"


@pytest.mark.parametrize("key", [Qt.Key.Key_F9, "ctrl+h"])
def test_hide_toggles_with_its_shortcut(controller: VaultController, qtbot, key) -> None:  # type: ignore[no-untyped-def]
    _unlocked(controller)
    window = QWidget()
    qtbot.addWidget(window)
    window.addAction(controller.hide_action)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    shown: list[bool] = []
    controller.hidden_changed.connect(shown.append)

    def press() -> None:
        if key == "ctrl+h":
            qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
        else:
            qtbot.keyClick(window, key)

    press()
    assert controller.is_hidden
    assert controller.hide_action.isChecked()
    assert not controller.shows_private
    press()
    assert not controller.is_hidden
    assert not controller.hide_action.isChecked()
    assert shown == [True, False]


def test_toggle_hidden_and_the_action_agree(controller: VaultController, qtbot) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignals([controller.hidden_changed, controller.state_changed]):
        controller.toggle_hidden()
    assert controller.hide_action.isChecked()
    with qtbot.assertNotEmitted(controller.hidden_changed):
        controller.set_hidden(True)  # already hidden: nothing changes
    controller.hide_action.setChecked(False)
    assert not controller.is_hidden


def test_idle_minutes_are_read_from_and_saved_to_the_settings(
    vault: VaultService, settings: QSettings, clock: FakeClock
) -> None:
    settings.setValue(IDLE_SETTINGS_KEY, 15)
    controller = VaultController(vault, settings=settings, watch_activity=False)
    try:
        assert controller.idle_minutes == 15
        assert vault.idle_minutes == 15
        controller.set_idle_minutes(1)
        assert settings.value(IDLE_SETTINGS_KEY, type=int) == 1
        vault.set_up(PASSPHRASE)
        controller.notify_unlocked()
        clock.now += 60
        assert controller.check_idle()
        with pytest.raises(ValueError):
            controller.set_idle_minutes(3)
        assert controller.idle_minutes == 1
    finally:
        controller.stop_watching()


@pytest.mark.parametrize("stored", [3, "soon", 0])
def test_an_unknown_stored_idle_time_falls_back_to_the_default(
    vault: VaultService, settings: QSettings, stored: object
) -> None:
    settings.setValue(IDLE_SETTINGS_KEY, stored)
    controller = VaultController(vault, settings=settings, watch_activity=False)
    try:
        assert controller.idle_minutes == DEFAULT_IDLE_MINUTES
    finally:
        controller.stop_watching()


def test_notify_reset_tells_panels_to_drop_everything(controller: VaultController, qtbot) -> None:  # type: ignore[no-untyped-def]
    _unlocked(controller)
    controller.vault.reset()
    with qtbot.waitSignals([controller.locked, controller.state_changed]):
        controller.notify_reset()
    assert controller.state is VaultState.NOT_SET_UP
    assert not controller.lock_action.isEnabled()
