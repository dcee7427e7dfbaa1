"""Damaged or moved ciphertext, and the key slots: one bad field never hides anything else, a
blob only decrypts where it was written, changing the passphrase leaves every note untouched,
and the recovery code opens the vault when the passphrase is forgotten."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from security_helpers import PASSPHRASE, Circle
from sqlalchemy import text

from peercircle.db import Database
from peercircle.services.follow_ups import FollowUpService
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import DAMAGED_TEXT, NoteInfo
from peercircle.services.vault_crypto import NONCE_BYTES, TAG_BYTES
from peercircle.services.vault_types import (
    DamagedKeySlotError,
    WrongPassphraseError,
    WrongRecoveryCodeError,
)

NEW_PASSPHRASE = "Ágnes keeps the tea warm"

_COLUMNS = {"notes": ("title", "body", "tags"), "follow_ups": ("reason", "outcome")}


def read_blob(db: Database, table: str, row_id: int, field: str) -> bytes:
    assert field in _COLUMNS[table]
    with db.session() as s:
        blob = s.execute(
            text(f"SELECT {field} FROM {table} WHERE id = :id"), {"id": row_id}
        ).scalar_one()
    assert isinstance(blob, bytes)
    return blob


def write_blob(db: Database, table: str, row_id: int, field: str, blob: bytes) -> None:
    """Change a stored field behind the services' back, as damage on disk would."""
    assert field in _COLUMNS[table]
    with db.session() as s:
        done = s.execute(
            text(f"UPDATE {table} SET {field} = :blob WHERE id = :id"),
            {"blob": blob, "id": row_id},
        )
        assert done.rowcount == 1  # type: ignore[attr-defined]


def all_rows(db: Database, table: str) -> list[tuple[Any, ...]]:
    with db.session() as s:
        return [tuple(row) for row in s.execute(text(f"SELECT * FROM {table} ORDER BY id"))]


def read_fresh(db: Database, circle: Circle) -> dict[int, NoteInfo]:
    """The group's notes read again from the database (a new service: nothing cached)."""
    return {n.id: n for n in NoteService(db, circle.vault).notes(circle.group_id)}


def flipped(blob: bytes, offset: int) -> bytes:
    return blob[:offset] + bytes([blob[offset] ^ 0x01]) + blob[offset + 1 :]


# Where to flip a bit in ``version | nonce (12) | ciphertext | tag (16)``, by blob size.
REGIONS: dict[str, Callable[[int], int]] = {
    "version byte": lambda size: 0,
    "nonce": lambda size: NONCE_BYTES // 2,
    "ciphertext": lambda size: 1 + NONCE_BYTES + (size - 1 - NONCE_BYTES - TAG_BYTES) // 2,
    "tag": lambda size: size - 1,
}


@pytest.mark.parametrize("region", list(REGIONS))
def test_one_flipped_byte_damages_only_that_note(db: Database, circle: Circle, region: str) -> None:
    before = read_fresh(db, circle)
    first, second, third = circle.note_ids
    blob = read_blob(db, "notes", second, "body")
    assert len(blob) > 1 + NONCE_BYTES + TAG_BYTES  # there is a ciphertext region
    write_blob(db, "notes", second, "body", flipped(blob, REGIONS[region](len(blob))))

    after = read_fresh(db, circle)
    damaged = after[second]
    assert damaged.damaged
    assert damaged.body == DAMAGED_TEXT
    assert (damaged.title, damaged.tags) == (before[second].title, before[second].tags)
    assert after[first] == before[first] and after[third] == before[third]
    assert NoteService(db, circle.vault).note(second) == damaged
    # Searching still finds the others, and the damaged note by what is intact.
    notes = NoteService(db, circle.vault)
    assert [n.id for n in notes.search(circle.group_id, "handout")] == [third]
    assert [n.id for n in notes.search(circle.group_id, "agnes")] == [second]


@pytest.mark.parametrize("field", ["reason", "outcome"])
def test_a_damaged_follow_up_field_leaves_the_other_follow_ups(
    db: Database, circle: Circle, field: str
) -> None:
    call, done = circle.follow_up_ids
    blob = read_blob(db, "follow_ups", done, field)
    write_blob(db, "follow_ups", done, field, flipped(blob, len(blob) // 2))

    follow_ups = FollowUpService(db, circle.vault)
    damaged = follow_ups.follow_up(done)
    assert damaged.damaged
    assert getattr(damaged, field) == DAMAGED_TEXT
    other = {"reason": "outcome", "outcome": "reason"}[field]
    assert getattr(damaged, other) != DAMAGED_TEXT
    intact = follow_ups.follow_up(call)
    assert (intact.damaged, intact.reason) == (False, "Ask how the week went")


def test_a_ciphertext_copied_to_another_row_does_not_decrypt(db: Database, circle: Circle) -> None:
    first, second, third = circle.note_ids
    before = read_fresh(db, circle)
    write_blob(db, "notes", third, "body", read_blob(db, "notes", first, "body"))

    after = read_fresh(db, circle)
    assert after[third].damaged and after[third].body == DAMAGED_TEXT
    assert after[third].title == before[third].title
    assert after[first] == before[first] and after[second] == before[second]


def test_a_ciphertext_copied_to_another_field_does_not_decrypt(
    db: Database, circle: Circle
) -> None:
    first = circle.note_ids[0]
    write_blob(db, "notes", first, "title", read_blob(db, "notes", first, "body"))

    note = read_fresh(db, circle)[first]
    assert note.damaged
    assert note.title == DAMAGED_TEXT
    assert note.body == "Quiet start."


def test_a_ciphertext_copied_to_another_table_does_not_decrypt(
    db: Database, circle: Circle
) -> None:
    # Note 1's body and follow-up 1's reason share a row id, not a table.
    assert circle.note_ids[0] == circle.follow_up_ids[0]
    row_id = circle.note_ids[0]
    write_blob(db, "follow_ups", row_id, "reason", read_blob(db, "notes", row_id, "body"))

    follow_up = FollowUpService(db, circle.vault).follow_up(row_id)
    assert follow_up.damaged and follow_up.reason == DAMAGED_TEXT


def test_changing_the_passphrase_rewraps_the_key_and_leaves_notes_byte_identical(
    db: Database, circle: Circle
) -> None:
    notes_before, follow_ups_before = all_rows(db, "notes"), all_rows(db, "follow_ups")
    slots_before = {row[1]: row for row in all_rows(db, "vault_key_slots")}
    assert len(notes_before) == 3 and len(follow_ups_before) == 2

    circle.vault.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)

    assert all_rows(db, "notes") == notes_before
    assert all_rows(db, "follow_ups") == follow_ups_before
    slots_after = {row[1]: row for row in all_rows(db, "vault_key_slots")}
    assert slots_after["recovery"] == slots_before["recovery"]
    assert slots_after["passphrase"] != slots_before["passphrase"]
    circle.vault.lock()
    with pytest.raises(WrongPassphraseError):
        circle.vault.unlock(PASSPHRASE)
    circle.vault.unlock(NEW_PASSPHRASE)
    assert read_fresh(db, circle)[circle.note_ids[1]].body == "Talked about sleep."


def test_changing_the_passphrase_needs_the_current_one(db: Database, circle: Circle) -> None:
    slots_before = all_rows(db, "vault_key_slots")
    with pytest.raises(WrongPassphraseError):
        circle.vault.change_passphrase("not the passphrase", NEW_PASSPHRASE)
    assert all_rows(db, "vault_key_slots") == slots_before


def test_a_new_recovery_code_replaces_the_old_one_without_touching_notes(
    db: Database, circle: Circle
) -> None:
    notes_before, follow_ups_before = all_rows(db, "notes"), all_rows(db, "follow_ups")
    code = circle.vault.new_recovery_code(PASSPHRASE)
    assert code != circle.recovery_code
    assert all_rows(db, "notes") == notes_before
    assert all_rows(db, "follow_ups") == follow_ups_before
    circle.vault.lock()
    with pytest.raises(WrongRecoveryCodeError):
        circle.vault.unlock_with_recovery_code(circle.recovery_code)
    circle.vault.unlock_with_recovery_code(code)
    assert circle.vault.is_unlocked


def test_the_recovery_code_sets_a_new_passphrase(db: Database, circle: Circle) -> None:
    vault, code = circle.vault, circle.recovery_code
    vault.lock()
    vault.unlock_with_recovery_code(code.lower().replace("-", " "))
    assert read_fresh(db, circle)[circle.note_ids[0]].title == "First evening"
    vault.lock()

    with pytest.raises(WrongRecoveryCodeError) as malformed:
        vault.recover("ABCD-EFGH", NEW_PASSPHRASE)
    assert "32 letters and digits" in str(malformed.value)
    wrong = "-".join(["AAAA"] * 8)
    with pytest.raises(WrongRecoveryCodeError) as not_it:
        vault.recover(wrong, NEW_PASSPHRASE)
    assert "does not unlock" in str(not_it.value)
    assert not vault.is_unlocked
    vault.unlock(PASSPHRASE)  # a failed recovery changed nothing
    vault.lock()

    notes_before = all_rows(db, "notes")
    vault.recover(code, NEW_PASSPHRASE)
    assert vault.is_unlocked
    assert all_rows(db, "notes") == notes_before
    vault.lock()
    with pytest.raises(WrongPassphraseError):
        vault.unlock(PASSPHRASE)
    vault.unlock(NEW_PASSPHRASE)
    assert {n.title for n in read_fresh(db, circle).values()} == {
        "First evening",
        "Ágnes came back",
        "Nguyễn",
    }
    vault.lock()
    vault.unlock_with_recovery_code(code)  # the printout still works until replaced


def test_a_damaged_passphrase_slot_says_so_and_the_recovery_code_still_opens(
    db: Database, circle: Circle
) -> None:
    circle.vault.lock()
    with db.session() as s:
        wrapped = s.execute(
            text("SELECT wrapped_key FROM vault_key_slots WHERE kind = 'passphrase'")
        ).scalar_one()
        s.execute(
            text("UPDATE vault_key_slots SET wrapped_key = :w WHERE kind = 'passphrase'"),
            {"w": flipped(wrapped, len(wrapped) - 1)},
        )
    with pytest.raises(DamagedKeySlotError) as damaged:
        circle.vault.unlock(PASSPHRASE)
    assert "recovery code" in str(damaged.value)
    with pytest.raises(DamagedKeySlotError):
        circle.vault.unlock("not the passphrase")  # not "wrong passphrase": it is damaged

    circle.vault.recover(circle.recovery_code, NEW_PASSPHRASE)
    circle.vault.lock()
    circle.vault.unlock(NEW_PASSPHRASE)
    assert not any(n.damaged for n in read_fresh(db, circle).values())
