"""The notes vault: setting up, unlocking, locking (by hand and when idle), the recovery code,
changing the passphrase, damaged key slots, and starting over."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fakes import FakeClock
from sqlalchemy import text

from peercircle.db import Database
from peercircle.domain import AttendanceStatus
from peercircle.services import vault as vault_module
from peercircle.services.follow_ups import FollowUpService
from peercircle.services.meeting_types import MeetingDraft
from peercircle.services.meetings import MeetingService
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import FollowUpDraft, NoteDraft
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.services.vault import VaultService, check_new_passphrase
from peercircle.services.vault_crypto import KdfParams
from peercircle.services.vault_types import (
    MIN_PASSPHRASE_LENGTH,
    DamagedFieldError,
    DamagedKeySlotError,
    VaultAlreadySetUpError,
    VaultError,
    VaultLockedError,
    VaultNotSetUpError,
    VaultState,
    WeakPassphraseError,
    WrongPassphraseError,
    WrongRecoveryCodeError,
)

FAST = KdfParams(memory_kib=1024, iterations=1, lanes=1)
PASSPHRASE = "blue kettle on the stairs"
NEW_PASSPHRASE = "Ольга пьёт чай у окна"
CODE_PATTERN = re.compile(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){7}")
TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def vault(db: Database, clock: FakeClock) -> VaultService:
    return VaultService(db, kdf_params=FAST, clock=clock, idle_minutes=5)


@pytest.fixture
def code(vault: VaultService) -> str:
    """A vault set up with PASSPHRASE, then locked; its recovery code."""
    recovery = vault.set_up(PASSPHRASE)
    vault.lock()
    return recovery


def _slot(db: Database, kind: str) -> dict[str, object]:
    with db.engine.connect() as conn:
        row = conn.execute(
            text("SELECT * FROM vault_key_slots WHERE kind = :kind"), {"kind": kind}
        ).one()
    return dict(row._mapping)


def _set_slot_column(db: Database, kind: str, column: str, value: object) -> None:
    assert column.isidentifier()
    with db.engine.begin() as conn:
        conn.execute(
            text(f"UPDATE vault_key_slots SET {column} = :value WHERE kind = :kind"),
            {"value": value, "kind": kind},
        )


def _flip(blob: object, index: int = 0) -> bytes:
    assert isinstance(blob, bytes)
    damaged = bytearray(blob)
    damaged[index] ^= 0x01
    return bytes(damaged)


def _damage(db: Database, kind: str, column: str) -> None:
    """Change one stored value of a key slot the way a bad disk sector might."""
    value = _slot(db, kind)[column]
    if isinstance(value, bytes):
        _set_slot_column(db, kind, column, _flip(value, len(value) // 2))
    elif isinstance(value, int):
        _set_slot_column(db, kind, column, value ^ 1)
    else:
        assert isinstance(value, str)
        _set_slot_column(db, kind, column, value.upper())


def _private_blobs(db: Database) -> dict[str, list[tuple[object, ...]]]:
    with db.engine.connect() as conn:
        return {
            "notes": [
                tuple(r) for r in conn.execute(text("SELECT id, title, body, tags FROM notes"))
            ],
            "follow_ups": [
                tuple(r) for r in conn.execute(text("SELECT id, reason, outcome FROM follow_ups"))
            ],
        }


def _table_counts(db: Database) -> dict[str, int]:
    tables = ("groups", "members", "memberships", "meetings", "attendance", "notes", "follow_ups")
    with db.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}


def _write_private_things(db: Database, vault: VaultService) -> tuple[int, int]:
    """A group with members, a meeting with attendance, two notes and two follow-ups."""
    roster = RosterService(db)
    group = roster.create_group(GroupDraft("Tuesday Circle", 1)).id
    agnes = roster.create_member(MemberDraft("Ágnes"), group_id=group).id
    nguyen = roster.create_member(MemberDraft("Nguyễn"), group_id=group).id
    meetings = MeetingService(db)
    meeting = meetings.create_meeting(group, MeetingDraft(TODAY)).id
    meetings.set_attendance(meeting, agnes, AttendanceStatus.PRESENT)
    meetings.set_attendance(meeting, nguyen, AttendanceStatus.ABSENT)
    notes = NoteService(db, vault)
    notes.create(NoteDraft(group, "First night", "Ágnes spoke about her mother.", ("family",)))
    note = notes.create(NoteDraft(group, "", "Quiet evening.", meeting_id=meeting)).id
    follow_ups = FollowUpService(db, vault)
    follow_ups.create(FollowUpDraft(nguyen, TODAY, "Ask how the move went", group_id=group))
    done = follow_ups.create(FollowUpDraft(agnes, TODAY, "Phone after surgery", note_id=note))
    follow_ups.complete(done.id, "She is recovering well.", done.version)
    return group, note


# ---- states and setting up -----------------------------------------------------------------


def test_state_moves_from_not_set_up_to_unlocked_to_locked_and_back(
    db: Database, vault: VaultService
) -> None:
    assert vault.state is VaultState.NOT_SET_UP
    assert not vault.is_set_up()
    assert not vault.is_unlocked
    vault.set_up(PASSPHRASE)
    assert vault.state is VaultState.UNLOCKED
    assert vault.is_set_up() and vault.is_unlocked
    vault.lock()
    assert vault.state is VaultState.LOCKED
    assert vault.is_set_up() and not vault.is_unlocked
    vault.unlock(PASSPHRASE)
    assert vault.state is VaultState.UNLOCKED
    # Another run of the app finds it set up and locked.
    assert VaultService(db, kdf_params=FAST).state is VaultState.LOCKED


def test_set_up_returns_a_recovery_code_that_unlocks(db: Database, vault: VaultService) -> None:
    recovery = vault.set_up(PASSPHRASE)
    assert CODE_PATTERN.fullmatch(recovery)
    blob = vault.encrypt("notes", 1, "body", "Ágnes — written before locking")
    vault.lock()
    vault.unlock_with_recovery_code(recovery)
    assert vault.state is VaultState.UNLOCKED
    assert vault.decrypt("notes", 1, "body", blob) == "Ágnes — written before locking"
    # Typed from the printout: lower case, spaces, lookalike digits.
    later = VaultService(db, kdf_params=FAST)
    later.unlock_with_recovery_code(recovery.lower().replace("-", " ").replace("o", "0"))
    assert later.decrypt("notes", 1, "body", blob) == "Ágnes — written before locking"


def test_the_key_is_the_same_for_passphrase_and_recovery_code_across_runs(
    db: Database, vault: VaultService, code: str
) -> None:
    vault.unlock(PASSPHRASE)
    blob = vault.encrypt("follow_ups", 3, "reason", "Call Nguyễn")
    other = VaultService(db, kdf_params=FAST)
    other.unlock_with_recovery_code(code)
    assert other.decrypt("follow_ups", 3, "reason", blob) == "Call Nguyễn"


def test_setting_up_twice_is_refused_and_changes_nothing(
    db: Database, vault: VaultService, code: str
) -> None:
    before = _slot(db, "passphrase"), _slot(db, "recovery")
    with pytest.raises(VaultAlreadySetUpError, match="already set up"):
        vault.set_up("another long passphrase")
    with pytest.raises(VaultAlreadySetUpError):
        VaultService(db, kdf_params=FAST).set_up("another long passphrase")
    assert (_slot(db, "passphrase"), _slot(db, "recovery")) == before
    assert vault.state is VaultState.LOCKED
    vault.unlock(PASSPHRASE)
    vault.lock()
    vault.unlock_with_recovery_code(code)


def test_the_kdf_parameters_are_stored_with_each_slot(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without explicit parameters the vault uses this computer's calibrated ones."""
    calibrated = KdfParams(memory_kib=2048, iterations=2, lanes=1)
    monkeypatch.setattr(vault_module, "_calibrated", calibrated)
    assert vault_module.default_kdf_params() == calibrated
    VaultService(db).set_up(PASSPHRASE)
    for kind in ("passphrase", "recovery"):
        slot = _slot(db, kind)
        assert (slot["memory_kib"], slot["iterations"], slot["lanes"]) == (2048, 2, 1)
        assert slot["kdf"] == "argon2id"
        assert slot["format_version"] == 1
        assert isinstance(slot["salt"], bytes) and len(slot["salt"]) == 16
    assert _slot(db, "passphrase")["salt"] != _slot(db, "recovery")["salt"]


def test_a_weak_passphrase_is_refused_with_advice(vault: VaultService) -> None:
    for weak in ("", "short", "seven77", "  seven  ", " " * 20, "\t1234567\n"):
        with pytest.raises(WeakPassphraseError) as caught:
            vault.set_up(weak)
        assert f"at least {MIN_PASSPHRASE_LENGTH} characters" in str(caught.value)
        assert vault.state is VaultState.NOT_SET_UP


def test_passphrase_checks() -> None:
    check_new_passphrase("8 chars!")
    check_new_passphrase("Nguyễn's ", "Nguyễn's ")
    with pytest.raises(WeakPassphraseError, match="not the same"):
        check_new_passphrase(PASSPHRASE, PASSPHRASE + " ")
    with pytest.raises(WeakPassphraseError, match="at least"):
        check_new_passphrase("short", "short")


def test_every_vault_error_speaks_plainly() -> None:
    errors: list[VaultError] = [
        VaultLockedError(),
        VaultNotSetUpError(),
        VaultAlreadySetUpError(),
        WrongPassphraseError(),
        WrongRecoveryCodeError(),
        WrongRecoveryCodeError(malformed=True),
        DamagedKeySlotError(),
        DamagedKeySlotError(recovery=True),
        DamagedFieldError(),
    ]
    messages = [str(error) for error in errors]
    assert len(set(messages)) == len(messages)
    for message in messages:
        assert message.endswith(".")
        assert "Error" not in message and "exception" not in message.lower()


# ---- unlocking -----------------------------------------------------------------------------


def test_a_wrong_passphrase_has_its_own_message(vault: VaultService, code: str) -> None:
    with pytest.raises(WrongPassphraseError) as caught:
        vault.unlock(PASSPHRASE.upper())
    assert "does not unlock" in str(caught.value)
    assert "Caps Lock" in str(caught.value)
    assert "damaged" not in str(caught.value)
    assert vault.state is VaultState.LOCKED
    assert vault.key_holder_for_test().key_bytes_for_test() == bytes(32)
    vault.unlock(PASSPHRASE)
    assert vault.is_unlocked


def test_a_failed_unlock_while_unlocked_keeps_it_unlocked(vault: VaultService, code: str) -> None:
    vault.unlock(PASSPHRASE)
    blob = vault.encrypt("notes", 1, "title", "Kept")
    with pytest.raises(WrongPassphraseError):
        vault.unlock("not the passphrase")
    assert vault.is_unlocked
    assert vault.decrypt("notes", 1, "title", blob) == "Kept"


def test_unlocking_before_setting_up_says_so(vault: VaultService) -> None:
    with pytest.raises(VaultNotSetUpError):
        vault.unlock(PASSPHRASE)
    with pytest.raises(VaultNotSetUpError):
        vault.unlock_with_recovery_code("ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567")


def test_recovery_codes_wrong_and_malformed_have_their_own_messages(
    vault: VaultService, code: str
) -> None:
    with pytest.raises(WrongRecoveryCodeError) as malformed:
        vault.unlock_with_recovery_code(code[:-1])
    assert "32 letters and digits" in str(malformed.value)
    with pytest.raises(WrongRecoveryCodeError, match="32 letters"):
        vault.unlock_with_recovery_code(PASSPHRASE)
    other = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"
    assert other != code
    with pytest.raises(WrongRecoveryCodeError) as wrong:
        vault.unlock_with_recovery_code(other)
    assert "does not unlock" in str(wrong.value)
    assert str(wrong.value) != str(malformed.value)
    assert vault.state is VaultState.LOCKED


SLOT_COLUMNS = (
    "wrapped_key",
    "salt",
    "checksum",
    "memory_kib",
    "iterations",
    "lanes",
    "format_version",
    "kdf",
)


def test_a_damaged_passphrase_slot_is_told_apart_and_the_recovery_code_repairs_it(
    db: Database, vault: VaultService, code: str
) -> None:
    vault.unlock(PASSPHRASE)
    blob = vault.encrypt("notes", 5, "body", "Still here")
    vault.lock()
    passphrase = PASSPHRASE
    for column in SLOT_COLUMNS:
        _damage(db, "passphrase", column)
        with pytest.raises(DamagedKeySlotError) as caught:
            vault.unlock(passphrase)
        message = str(caught.value)
        assert message != str(WrongPassphraseError())
        assert "damaged" in message and "recovery code" in message
        # Even a wrong passphrase gets the damage message: no passphrase can open it.
        with pytest.raises(DamagedKeySlotError):
            vault.unlock("not the passphrase")
        assert vault.state is VaultState.LOCKED

        vault.unlock_with_recovery_code(code)
        assert vault.decrypt("notes", 5, "body", blob) == "Still here"
        vault.lock()
        new_passphrase = f"{NEW_PASSPHRASE} ({column})"
        vault.recover(code, new_passphrase)
        assert vault.is_unlocked
        vault.lock()
        with pytest.raises(WrongPassphraseError):
            vault.unlock(passphrase)
        vault.unlock(new_passphrase)
        assert vault.decrypt("notes", 5, "body", blob) == "Still here"
        vault.lock()
        passphrase = new_passphrase


@pytest.mark.sqlite_only  # 2**40 fits only SQLite's INTEGER
def test_implausible_kdf_costs_count_as_damage_without_running_them(
    db: Database, vault: VaultService, code: str
) -> None:
    """A damaged memory cost must not make Argon2id try to allocate a terabyte."""
    stored = _slot(db, "passphrase")["memory_kib"]
    for value in (2**40, 0, -1):
        _set_slot_column(db, "passphrase", "memory_kib", value)
        with pytest.raises(DamagedKeySlotError):
            vault.unlock(PASSPHRASE)
    _set_slot_column(db, "passphrase", "memory_kib", stored)
    vault.unlock(PASSPHRASE)


def test_a_missing_passphrase_slot_is_damage(db: Database, vault: VaultService, code: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM vault_key_slots WHERE kind = 'passphrase'"))
    assert vault.state is VaultState.LOCKED
    with pytest.raises(DamagedKeySlotError):
        vault.unlock(PASSPHRASE)
    vault.recover(code, NEW_PASSPHRASE)
    vault.lock()
    vault.unlock(NEW_PASSPHRASE)


def test_a_damaged_recovery_slot_has_its_own_message(
    db: Database, vault: VaultService, code: str
) -> None:
    for column in ("wrapped_key", "salt", "checksum", "iterations"):
        _damage(db, "recovery", column)
        with pytest.raises(DamagedKeySlotError) as caught:
            vault.unlock_with_recovery_code(code)
        assert str(caught.value) == str(DamagedKeySlotError(recovery=True))
        assert str(caught.value) != str(DamagedKeySlotError())
        assert "recovery" in str(caught.value)
        with pytest.raises(DamagedKeySlotError):
            vault.recover(code, NEW_PASSPHRASE)
        # The passphrase still works, and a new recovery code repairs the slot.
        vault.unlock(PASSPHRASE)
        code = vault.new_recovery_code(PASSPHRASE)
        vault.lock()
        vault.unlock_with_recovery_code(code)
        assert vault.is_unlocked
        vault.lock()


def test_recover_needs_a_good_new_passphrase_and_a_right_code(
    vault: VaultService, code: str
) -> None:
    with pytest.raises(WeakPassphraseError):
        vault.recover(code, "short")
    with pytest.raises(WrongRecoveryCodeError):
        vault.recover("ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567", NEW_PASSPHRASE)
    assert vault.state is VaultState.LOCKED
    vault.unlock(PASSPHRASE)  # nothing was replaced
    vault.lock()
    vault.recover(code, NEW_PASSPHRASE)
    vault.lock()
    with pytest.raises(WrongPassphraseError):
        vault.unlock(PASSPHRASE)
    vault.unlock(NEW_PASSPHRASE)
    vault.lock()
    vault.unlock_with_recovery_code(code)  # the code itself still works


# ---- changing the passphrase and the recovery code -----------------------------------------


def test_changing_the_passphrase_rewraps_the_key_and_leaves_every_note_alone(
    db: Database, vault: VaultService, code: str
) -> None:
    vault.unlock(PASSPHRASE)
    _write_private_things(db, vault)
    before = _private_blobs(db)
    assert len(before["notes"]) == 2 and len(before["follow_ups"]) == 2
    recovery_slot = _slot(db, "recovery")
    passphrase_slot = _slot(db, "passphrase")

    with pytest.raises(WrongPassphraseError):
        vault.change_passphrase("not the passphrase", NEW_PASSPHRASE)
    with pytest.raises(WeakPassphraseError):
        vault.change_passphrase(PASSPHRASE, "short")
    assert _slot(db, "passphrase") == passphrase_slot

    vault.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)
    assert vault.is_unlocked
    assert _private_blobs(db) == before
    assert _slot(db, "recovery") == recovery_slot
    changed = _slot(db, "passphrase")
    assert changed["wrapped_key"] != passphrase_slot["wrapped_key"]
    assert changed["salt"] != passphrase_slot["salt"]

    vault.lock()
    with pytest.raises(WrongPassphraseError):
        vault.unlock(PASSPHRASE)
    vault.unlock(NEW_PASSPHRASE)
    group = NoteService(db, vault).notes(1)
    assert {n.label for n in group} == {"First night", "Quiet evening."}
    assert not any(n.damaged for n in group)
    vault.lock()
    vault.unlock_with_recovery_code(code)


def test_changing_the_passphrase_needs_the_vault_unlocked(vault: VaultService, code: str) -> None:
    with pytest.raises(VaultLockedError):
        vault.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)
    with pytest.raises(VaultLockedError):
        vault.new_recovery_code(PASSPHRASE)


def test_a_new_recovery_code_replaces_the_old_one(
    db: Database, vault: VaultService, code: str
) -> None:
    vault.unlock(PASSPHRASE)
    passphrase_slot = _slot(db, "passphrase")
    with pytest.raises(WrongPassphraseError):
        vault.new_recovery_code("not the passphrase")
    fresh = vault.new_recovery_code(PASSPHRASE)
    assert CODE_PATTERN.fullmatch(fresh) and fresh != code
    assert _slot(db, "passphrase") == passphrase_slot
    vault.lock()
    with pytest.raises(WrongRecoveryCodeError):
        vault.unlock_with_recovery_code(code)
    vault.unlock_with_recovery_code(fresh)
    vault.lock()
    vault.unlock(PASSPHRASE)


# ---- starting over -------------------------------------------------------------------------


def test_reset_deletes_the_private_data_and_keeps_the_roster(
    db: Database, vault: VaultService, code: str
) -> None:
    vault.unlock(PASSPHRASE)
    _write_private_things(db, vault)
    before = _table_counts(db)
    assert before == {
        "groups": 1,
        "members": 2,
        "memberships": 2,
        "meetings": 1,
        "attendance": 2,
        "notes": 2,
        "follow_ups": 2,
    }
    locks: list[str] = []
    vault.add_lock_listener(lambda: locks.append("locked"))

    assert vault.reset() == (2, 2)
    assert locks == ["locked"]
    assert vault.state is VaultState.NOT_SET_UP
    assert vault.key_holder_for_test().key_bytes_for_test() == bytes(32)
    assert _table_counts(db) == {**before, "notes": 0, "follow_ups": 0}
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM vault_key_slots")).scalar_one() == 0

    with pytest.raises(VaultNotSetUpError):
        vault.unlock_with_recovery_code(code)
    fresh = vault.set_up(NEW_PASSPHRASE)
    assert fresh != code
    assert vault.reset() == (0, 0)


# ---- locking -------------------------------------------------------------------------------


def test_lock_zeroes_the_key_and_tells_every_listener(vault: VaultService) -> None:
    heard: list[str] = []
    vault.add_lock_listener(lambda: heard.append("notes"))
    vault.add_lock_listener(lambda: heard.append("follow-ups"))
    vault.set_up(PASSPHRASE)
    holder = vault.key_holder_for_test()
    assert holder.key_bytes_for_test() != bytes(32)
    vault.lock()
    assert holder.key_bytes_for_test() == bytes(32)
    assert not holder.is_open
    assert heard == ["notes", "follow-ups"]


def test_encrypting_and_decrypting_need_the_vault_unlocked(
    db: Database, vault: VaultService
) -> None:
    with pytest.raises(VaultNotSetUpError):
        vault.encrypt("notes", 1, "body", "words")
    with pytest.raises(VaultNotSetUpError):
        vault.decrypt("notes", 1, "body", b"\x01" + bytes(40))
    with pytest.raises(VaultNotSetUpError):
        vault.require_unlocked()
    vault.set_up(PASSPHRASE)
    blob = vault.encrypt("notes", 1, "body", "words")
    vault.require_unlocked()
    vault.lock()
    with pytest.raises(VaultLockedError) as caught:
        vault.encrypt("notes", 1, "body", "words")
    assert "locked" in str(caught.value)
    with pytest.raises(VaultLockedError):
        vault.decrypt("notes", 1, "body", blob)
    with pytest.raises(VaultLockedError):
        vault.require_unlocked()


def test_a_damaged_or_moved_field_is_a_damaged_field_error(vault: VaultService) -> None:
    vault.set_up(PASSPHRASE)
    blob = vault.encrypt("notes", 1, "body", "Ágnes")
    assert vault.decrypt("notes", 1, "body", blob) == "Ágnes"
    for table, row, field, damaged in (
        ("notes", 2, "body", blob),
        ("notes", 1, "title", blob),
        ("follow_ups", 1, "body", blob),
        ("notes", 1, "body", _flip(blob, len(blob) - 1)),
        ("notes", 1, "body", b""),
    ):
        with pytest.raises(DamagedFieldError, match="damaged"):
            vault.decrypt(table, row, field, damaged)
    assert vault.is_unlocked


# ---- idle locking --------------------------------------------------------------------------


def test_idle_locking_follows_the_clock(vault: VaultService, clock: FakeClock) -> None:
    heard: list[bool] = []
    vault.add_lock_listener(lambda: heard.append(True))
    assert not vault.lock_if_idle()  # nothing to lock before set-up
    vault.set_up(PASSPHRASE)
    assert vault.idle_minutes == 5
    assert vault.seconds_until_idle_lock() == 300

    clock.now += 299
    assert vault.seconds_until_idle_lock() == 1
    assert not vault.lock_if_idle()
    assert vault.is_unlocked

    vault.touch()  # the facilitator typed something: the five minutes start again
    clock.now += 299
    assert not vault.lock_if_idle()
    clock.now += 1
    assert vault.seconds_until_idle_lock() == 0
    assert vault.lock_if_idle()
    assert vault.state is VaultState.LOCKED
    assert heard == [True]
    assert not vault.lock_if_idle()  # already locked: nothing more
    assert heard == [True]


def test_unlocking_restarts_the_idle_time(vault: VaultService, clock: FakeClock) -> None:
    vault.set_up(PASSPHRASE)
    vault.lock()
    clock.now += 3600
    vault.unlock(PASSPHRASE)
    assert vault.seconds_until_idle_lock() == 300
    assert not vault.lock_if_idle()


def test_the_idle_time_can_be_changed(vault: VaultService, clock: FakeClock) -> None:
    vault.set_up(PASSPHRASE)
    vault.idle_minutes = 1
    assert vault.idle_minutes == 1
    clock.now += 59
    assert not vault.lock_if_idle()
    clock.now += 1
    assert vault.lock_if_idle()
    for bad in (0, -5):
        with pytest.raises(ValueError):
            vault.idle_minutes = bad
    assert vault.idle_minutes == 1
