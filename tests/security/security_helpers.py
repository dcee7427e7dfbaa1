"""Shared by the privacy and crash tests (imported as ``from security_helpers import ...``)."""

from __future__ import annotations

from dataclasses import dataclass

from peercircle.services.follow_ups import FollowUpService
from peercircle.services.notes import NoteService
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams

FAST_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)
"""Cheap Argon2id settings: every test except the one about the real settings uses these."""
PASSPHRASE = "blue kettle on the stairs"


@dataclass(frozen=True)
class Circle:
    """A set-up, unlocked vault with one group, two members, notes and follow-ups."""

    vault: VaultService
    notes: NoteService
    follow_ups: FollowUpService
    recovery_code: str
    group_id: int
    member_ids: tuple[int, int]
    note_ids: tuple[int, int, int]
    follow_up_ids: tuple[int, int]
