"""Left alone, the vault locks itself: after 5 minutes unless the facilitator chose another
idle time, exactly when that time is up, and any activity starts the count again."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fakes import FakeClock
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from security_helpers import FAST_KDF, PASSPHRASE

from peercircle.db import Database
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import NoteDraft
from peercircle.services.roster import RosterService
from peercircle.services.roster_types import GroupDraft
from peercircle.services.vault import VaultService
from peercircle.services.vault_types import (
    DEFAULT_IDLE_MINUTES,
    IDLE_MINUTES_CHOICES,
    VaultLockedError,
    VaultState,
)
from peercircle.ui.vault.vault_controller import IDLE_SETTINGS_KEY, VaultController

START = 1000.0


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def timed_vault(db: Database, clock: FakeClock) -> VaultService:
    """A set-up, unlocked vault whose idle time runs on ``clock`` (set up at ``START``)."""
    vault = VaultService(db, kdf_params=FAST_KDF, clock=clock)
    vault.set_up(PASSPHRASE)
    return vault


def settings_at(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_controller(
    qapp: QApplication, tmp_path: Path, timed_vault: VaultService
) -> Iterator[Callable[[], VaultController]]:
    made: list[VaultController] = []

    def make() -> VaultController:
        controller = VaultController(
            timed_vault, settings=settings_at(tmp_path), watch_activity=False
        )
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.stop_watching()


# ---- the service --------------------------------------------------------------------------


def test_the_vault_locks_after_five_idle_minutes_exactly(
    timed_vault: VaultService, clock: FakeClock
) -> None:
    assert DEFAULT_IDLE_MINUTES == 5
    assert timed_vault.idle_minutes == 5
    locks: list[str] = []
    timed_vault.add_lock_listener(lambda: locks.append("locked"))

    clock.now = START + 5 * 60 - 1
    assert timed_vault.seconds_until_idle_lock() == 1
    assert not timed_vault.lock_if_idle()
    assert timed_vault.is_unlocked and locks == []

    clock.now = START + 5 * 60
    assert timed_vault.seconds_until_idle_lock() == 0
    assert timed_vault.lock_if_idle()
    assert timed_vault.state is VaultState.LOCKED
    assert locks == ["locked"]
    assert timed_vault.key_holder_for_test().key_bytes_for_test() == bytes(32)
    assert not timed_vault.lock_if_idle()  # already locked: nothing more happens
    assert locks == ["locked"]


def test_activity_starts_the_idle_time_again(timed_vault: VaultService, clock: FakeClock) -> None:
    clock.now = START + 4 * 60
    timed_vault.touch()
    clock.now = START + 9 * 60 - 1
    assert not timed_vault.lock_if_idle()
    clock.now = START + 9 * 60
    assert timed_vault.lock_if_idle()


def test_unlocking_starts_the_idle_time_again(timed_vault: VaultService, clock: FakeClock) -> None:
    timed_vault.lock()
    clock.now = START + 60 * 60
    timed_vault.unlock(PASSPHRASE)
    assert timed_vault.seconds_until_idle_lock() == 5 * 60
    clock.now += 5 * 60 - 1
    assert not timed_vault.lock_if_idle()


def test_each_idle_time_offered_locks_exactly_when_it_is_up(
    timed_vault: VaultService, clock: FakeClock
) -> None:
    for minutes in IDLE_MINUTES_CHOICES:
        timed_vault.idle_minutes = minutes
        timed_vault.unlock(PASSPHRASE)
        started = clock.now
        clock.now = started + minutes * 60 - 1
        assert not timed_vault.lock_if_idle(), minutes
        clock.now = started + minutes * 60
        assert timed_vault.lock_if_idle(), minutes


def test_the_idle_time_is_given_when_the_vault_is_made(db: Database, clock: FakeClock) -> None:
    vault = VaultService(db, kdf_params=FAST_KDF, clock=clock, idle_minutes=2)
    vault.set_up(PASSPHRASE)
    clock.now = START + 2 * 60 - 1
    assert not vault.lock_if_idle()
    clock.now = START + 2 * 60
    assert vault.lock_if_idle()


def test_changing_the_idle_time_applies_at_once(
    timed_vault: VaultService, clock: FakeClock
) -> None:
    clock.now = START + 90
    timed_vault.idle_minutes = 1
    assert timed_vault.lock_if_idle()  # already idle for longer than one minute
    with pytest.raises(ValueError):
        timed_vault.idle_minutes = 0


def test_an_idle_lock_drops_decrypted_notes(
    db: Database, timed_vault: VaultService, clock: FakeClock
) -> None:
    group_id = RosterService(db).create_group(GroupDraft("Wednesday Circle", 2)).id
    notes = NoteService(db, timed_vault)
    notes.create(NoteDraft(group_id, "Ольга", "Asked for a quieter seat."))
    assert len(notes.notes(group_id)) == 1
    clock.now = START + 5 * 60
    assert timed_vault.lock_if_idle()
    with pytest.raises(VaultLockedError):
        notes.notes(group_id)
    assert notes.count(group_id) == 1


# ---- the controller -----------------------------------------------------------------------


def test_the_controller_locks_after_five_minutes_exactly(
    make_controller: Callable[[], VaultController], timed_vault: VaultService, clock: FakeClock
) -> None:
    controller = make_controller()
    assert controller.idle_minutes == 5
    signals: list[str] = []
    controller.about_to_lock.connect(lambda: signals.append("about_to_lock"))
    controller.locked.connect(lambda: signals.append("locked"))
    controller.state_changed.connect(lambda: signals.append("state_changed"))

    clock.now = START + 5 * 60 - 1
    assert not controller.check_idle()
    assert controller.is_unlocked and signals == []
    assert controller.lock_action.isEnabled()

    clock.now = START + 5 * 60
    assert controller.check_idle()
    assert signals == ["about_to_lock", "locked", "state_changed"]
    assert controller.state is VaultState.LOCKED
    assert not controller.shows_private
    assert not controller.lock_action.isEnabled()
    assert not controller.check_idle()
    assert signals == ["about_to_lock", "locked", "state_changed"]


def test_the_controller_remembers_the_chosen_idle_time(
    make_controller: Callable[[], VaultController],
    timed_vault: VaultService,
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    controller = make_controller()
    clock.now = START + 4 * 60
    controller.set_idle_minutes(10)  # choosing counts as activity
    assert timed_vault.idle_minutes == 10
    assert settings_at(tmp_path).value(IDLE_SETTINGS_KEY, type=int) == 10

    clock.now = START + 14 * 60 - 1
    assert not controller.check_idle()
    clock.now = START + 14 * 60
    assert controller.check_idle()

    timed_vault.idle_minutes = 5
    assert make_controller().idle_minutes == 10  # read back from the settings file
    assert timed_vault.idle_minutes == 10
    with pytest.raises(ValueError):
        controller.set_idle_minutes(7)
    assert settings_at(tmp_path).value(IDLE_SETTINGS_KEY, type=int) == 10


def test_an_unusable_stored_idle_time_falls_back_to_five_minutes(
    make_controller: Callable[[], VaultController], timed_vault: VaultService, tmp_path: Path
) -> None:
    settings = settings_at(tmp_path)
    settings.setValue(IDLE_SETTINGS_KEY, 7)
    settings.sync()
    assert make_controller().idle_minutes == DEFAULT_IDLE_MINUTES


def test_notify_unlocked_starts_the_idle_time_again(
    make_controller: Callable[[], VaultController], timed_vault: VaultService, clock: FakeClock
) -> None:
    controller = make_controller()
    controller.lock()
    clock.now = START + 30 * 60
    timed_vault.unlock(PASSPHRASE)
    controller.notify_unlocked()
    clock.now += 5 * 60 - 1
    assert not controller.check_idle()
    clock.now += 1
    assert controller.check_idle()
