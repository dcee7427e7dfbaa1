"""The real key-derivation settings: never below 64 MiB and three passes, stored with the
vault, and used again to unlock. (The one test here that runs Argon2id at full cost.)"""

from __future__ import annotations

from sqlalchemy import select

from peercircle.db import Database
from peercircle.db.models import VaultKeySlot
from peercircle.domain import KeySlotKind
from peercircle.services.vault import VaultService, default_kdf_params
from peercircle.services.vault_crypto import MINIMUM_KDF, KdfParams, calibrate_kdf

MIB = 1024


def test_a_vault_set_up_with_the_real_settings_stores_and_uses_them(db: Database) -> None:
    assert (MINIMUM_KDF.memory_kib, MINIMUM_KDF.iterations) == (64 * MIB, 3)
    calibrated = calibrate_kdf()
    defaults = default_kdf_params()
    for params in (calibrated, defaults):
        assert params.memory_kib >= 64 * MIB
        assert params.iterations >= 3
        assert params.meets_minimum() and params.is_plausible()

    vault = VaultService(db)  # no kdf_params: the calibrated defaults
    code = vault.set_up("Ágnes keeps the tea warm")
    with db.session() as s:
        slots = {
            slot.kind: KdfParams(slot.memory_kib, slot.iterations, slot.lanes)
            for slot in s.scalars(select(VaultKeySlot))
        }
    assert slots == {KeySlotKind.PASSPHRASE: defaults, KeySlotKind.RECOVERY: defaults}
    assert code

    vault.lock()
    vault.unlock("Ágnes keeps the tea warm")
    assert vault.is_unlocked
