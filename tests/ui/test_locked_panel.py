"""The locked panel: the right page for each state, and unlocking right where the notes go."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from peercircle.db import Database
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams
from peercircle.services.vault_types import VaultState, WrongPassphraseError
from peercircle.ui.vault.locked_panel import LockedPanel
from peercircle.ui.vault.vault_controller import VaultController

FAST = KdfParams(memory_kib=1024, iterations=1, lanes=1)
PASSPHRASE = "Ágnes' blue kettle"

UNLOCK_PAGE, SETUP_PAGE, HIDDEN_PAGE = 0, 1, 2


@pytest.fixture
def controller(qtbot, db: Database, tmp_path: Path) -> Iterator[VaultController]:  # type: ignore[no-untyped-def]
    vault = VaultService(db, kdf_params=FAST)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    made = VaultController(vault, settings=settings, watch_activity=False)
    yield made
    made.stop_watching()


@pytest.fixture
def panel(qtbot, controller: VaultController) -> LockedPanel:  # type: ignore[no-untyped-def]
    made = LockedPanel(controller, "Notes for this meeting")
    qtbot.addWidget(made)
    made.show()
    return made


def _locked(controller: VaultController) -> None:
    controller.vault.set_up(PASSPHRASE)
    controller.lock()


def test_not_set_up_offers_to_set_up(panel: LockedPanel, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert panel.pages.currentIndex() == SETUP_PAGE
    assert panel.title.text() == "Private notes are not set up yet"
    assert "never appear on the projector" in panel.text.text()
    with qtbot.waitSignal(panel.setup_requested):
        qtbot.mouseClick(panel.setup_button, Qt.MouseButton.LeftButton)


def test_locked_shows_the_passphrase_field(panel: LockedPanel, controller: VaultController) -> None:
    _locked(controller)
    assert panel.pages.currentIndex() == UNLOCK_PAGE
    assert panel.title.text() == "Notes for this meeting are locked"
    assert panel.passphrase.echoMode() == panel.passphrase.EchoMode.Password
    assert panel.error.isHidden()


def test_hidden_is_blank_whatever_the_state(
    panel: LockedPanel, controller: VaultController
) -> None:
    controller.set_hidden(True)
    assert panel.pages.currentIndex() == HIDDEN_PAGE
    assert panel.title.text() == "Private panels are hidden"
    _locked(controller)
    assert panel.pages.currentIndex() == HIDDEN_PAGE
    controller.set_hidden(False)
    assert panel.pages.currentIndex() == UNLOCK_PAGE


def test_a_wrong_passphrase_says_so_and_keeps_what_was_typed(
    panel: LockedPanel, controller: VaultController, qtbot
) -> None:  # type: ignore[no-untyped-def]
    _locked(controller)
    qtbot.keyClicks(panel.passphrase, "blue kettle")
    with qtbot.assertNotEmitted(controller.unlocked):
        qtbot.mouseClick(panel.unlock_button, Qt.MouseButton.LeftButton)
    assert panel.error.isVisible()
    assert panel.error.text() == str(WrongPassphraseError())
    assert panel.passphrase.text() == "blue kettle"
    assert panel.passphrase.selectedText() == "blue kettle"  # typing replaces it
    assert controller.state is VaultState.LOCKED


def test_nothing_typed_asks_for_the_passphrase(
    panel: LockedPanel, controller: VaultController
) -> None:
    _locked(controller)
    panel.unlock()
    assert panel.error.text() == "Type your passphrase first."
    assert controller.state is VaultState.LOCKED


def test_the_right_passphrase_unlocks_and_clears_the_field(
    panel: LockedPanel, controller: VaultController, qtbot
) -> None:  # type: ignore[no-untyped-def]
    _locked(controller)
    panel.unlock()  # an error first: it goes away once unlocked
    panel.passphrase.insert(PASSPHRASE)  # not ASCII: keyClicks cannot type it
    with qtbot.waitSignals([controller.unlocked, controller.state_changed]):
        qtbot.keyClick(panel.passphrase, Qt.Key.Key_Return)
    assert controller.state is VaultState.UNLOCKED
    assert panel.passphrase.text() == ""
    assert not panel.passphrase.isUndoAvailable()
    assert panel.error.isHidden()


def test_a_state_change_clears_a_half_typed_passphrase(
    panel: LockedPanel, controller: VaultController
) -> None:
    _locked(controller)
    panel.passphrase.insert("half typ")
    controller.set_hidden(True)
    assert panel.passphrase.text() == ""
    panel.passphrase.setEchoMode(panel.passphrase.EchoMode.Normal)
    panel.passphrase.undo()
    assert panel.passphrase.text() == ""  # not kept in the undo history either


def test_forgotten_passphrase_asks_for_recovery(
    panel: LockedPanel, controller: VaultController, qtbot
) -> None:  # type: ignore[no-untyped-def]
    _locked(controller)
    with qtbot.waitSignal(panel.recovery_requested):
        qtbot.mouseClick(panel.forgot_button, Qt.MouseButton.LeftButton)


def test_focus_goes_to_the_passphrase_only_on_the_unlock_page(
    panel: LockedPanel, controller: VaultController, qtbot
) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitActive(panel):
        panel.activateWindow()
    panel.focus_passphrase()
    assert not panel.passphrase.hasFocus()
    _locked(controller)
    panel.focus_passphrase()
    assert panel.passphrase.hasFocus()
