"""The private notes vault: setting it up, unlocking, locking (by hand, when idle, when the
presenter view opens), changing the passphrase, the recovery code, and starting over.

The vault owns the data key (one ``KeyHolder``) and encrypts and decrypts the private fields
of notes and follow-ups for their services. Roster and attendance never depend on it.
Nothing here logs or returns note content; log lines name events and ids only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from peercircle.db import Database
from peercircle.db.models import FollowUp, Note, VaultKeySlot
from peercircle.domain import KeySlotKind
from peercircle.services import vault_crypto as crypto
from peercircle.services.vault_types import (
    DEFAULT_IDLE_MINUTES,
    MIN_PASSPHRASE_LENGTH,
    DamagedFieldError,
    DamagedKeySlotError,
    VaultAlreadySetUpError,
    VaultLockedError,
    VaultNotSetUpError,
    VaultState,
    WeakPassphraseError,
    WrongPassphraseError,
    WrongRecoveryCodeError,
)

log = logging.getLogger(__name__)

_calibrated: crypto.KdfParams | None = None


def default_kdf_params() -> crypto.KdfParams:
    """Argon2id settings calibrated on this computer (once per run)."""
    global _calibrated
    if _calibrated is None:
        _calibrated = crypto.calibrate_kdf()
    return _calibrated


def check_new_passphrase(passphrase: str, repeated: str | None = None) -> None:
    """Raise WeakPassphraseError if ``passphrase`` will not do as a new passphrase."""
    if len(passphrase.strip()) < MIN_PASSPHRASE_LENGTH:
        raise WeakPassphraseError(
            f"Use at least {MIN_PASSPHRASE_LENGTH} characters. A few words you will remember "
            "(“blue kettle on the stairs”) are stronger than a short word with symbols."
        )
    if repeated is not None and repeated != passphrase:
        raise WeakPassphraseError("The two passphrases are not the same. Type them again.")


def _secret(passphrase: str) -> bytes:
    return passphrase.encode("utf-8")


def _code_secret(code: str) -> bytes:
    """What a recovery code PeerCircle made derives its key from (its 32 letters)."""
    letters = crypto.normalise_recovery_code(code)
    assert letters is not None
    return _secret(letters)


def _has_slots(s: Session) -> bool:
    return s.scalar(select(VaultKeySlot.id).limit(1)) is not None


class VaultService:
    """One per open database. ``clock`` is monotonic seconds (for idle locking)."""

    def __init__(
        self,
        db: Database,
        *,
        kdf_params: crypto.KdfParams | None = None,
        clock: Callable[[], float] = time.monotonic,
        idle_minutes: float = DEFAULT_IDLE_MINUTES,
    ) -> None:
        self._db = db
        self._kdf_params = kdf_params
        self._clock = clock
        self._holder = crypto.KeyHolder()
        self._idle_seconds = idle_minutes * 60
        self._last_activity = clock()
        self._lock_listeners: list[Callable[[], None]] = []

    # ---- state ---------------------------------------------------------------------------

    @property
    def state(self) -> VaultState:
        if self._holder.is_open:
            return VaultState.UNLOCKED
        return VaultState.LOCKED if self.is_set_up() else VaultState.NOT_SET_UP

    @property
    def kdf_params(self) -> crypto.KdfParams | None:
        """The key costs given to this service, or None for the calibrated defaults."""
        return self._kdf_params

    @property
    def is_unlocked(self) -> bool:
        return self._holder.is_open

    def is_set_up(self) -> bool:
        with self._db.session() as s:
            return _has_slots(s)

    def require_unlocked(self) -> None:
        """Raise VaultLockedError (or VaultNotSetUpError) unless the vault is unlocked."""
        if not self._holder.is_open:
            if not self.is_set_up():
                raise VaultNotSetUpError()
            raise VaultLockedError()

    def add_lock_listener(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` every time the vault locks (to drop decrypted copies)."""
        self._lock_listeners.append(listener)

    # ---- setting up, unlocking and locking -----------------------------------------------

    def set_up(self, passphrase: str) -> str:
        """Create the vault, unlocked; return the recovery code (shown once, never stored)."""
        check_new_passphrase(passphrase)
        params = self._params()
        code = crypto.new_recovery_code()
        holder = crypto.KeyHolder()
        holder.generate()
        try:
            with self._db.session() as s:
                if _has_slots(s):
                    raise VaultAlreadySetUpError()
                s.add(self._new_slot(holder, KeySlotKind.PASSPHRASE, _secret(passphrase), params))
                s.add(self._new_slot(holder, KeySlotKind.RECOVERY, _code_secret(code), params))
        except BaseException:
            holder.wipe()
            raise
        self._adopt(holder)
        log.info("Private notes vault set up.")
        return code

    def unlock(self, passphrase: str) -> None:
        self._unlock(KeySlotKind.PASSPHRASE, _secret(passphrase))
        log.info("Private notes unlocked.")

    def unlock_with_recovery_code(self, code: str) -> None:
        letters = crypto.normalise_recovery_code(code)
        if letters is None:
            raise WrongRecoveryCodeError(malformed=True)
        self._unlock(KeySlotKind.RECOVERY, _secret(letters))
        log.info("Private notes unlocked with the recovery code.")

    def recover(self, code: str, new_passphrase: str) -> None:
        """Forgotten passphrase: unlock with the recovery code and set ``new_passphrase``."""
        check_new_passphrase(new_passphrase)
        self.unlock_with_recovery_code(code)
        self._rewrap(KeySlotKind.PASSPHRASE, _secret(new_passphrase))
        log.info("Passphrase replaced using the recovery code.")

    def lock(self) -> None:
        """Zero the key and tell every listener to drop what it decrypted."""
        was_open = self._holder.is_open
        self._holder.wipe()
        for listener in list(self._lock_listeners):
            listener()
        if was_open:
            log.info("Private notes locked.")

    # ---- passphrase and recovery code ----------------------------------------------------

    def change_passphrase(self, current: str, new: str) -> None:
        """Re-wrap the data key for ``new`` in one transaction; notes are not touched.

        ``current`` is checked first, so an unlocked laptop left alone is not enough."""
        self.require_unlocked()
        check_new_passphrase(new)
        self._check_secret(KeySlotKind.PASSPHRASE, _secret(current))
        self._rewrap(KeySlotKind.PASSPHRASE, _secret(new))
        log.info("Passphrase changed.")

    def new_recovery_code(self, passphrase: str) -> str:
        """Replace the recovery code (the old one stops working); return the new one."""
        self.require_unlocked()
        self._check_secret(KeySlotKind.PASSPHRASE, _secret(passphrase))
        code = crypto.new_recovery_code()
        self._rewrap(KeySlotKind.RECOVERY, _code_secret(code))
        log.info("Recovery code replaced.")
        return code

    def reset(self) -> tuple[int, int]:
        """Forgotten passphrase and no recovery code: delete the key slots and everything
        encrypted with that key (notes, follow-ups), so a new vault can be set up. Rosters,
        meetings and attendance are untouched. Returns (notes, follow-ups) deleted."""
        self.lock()
        with self._db.session() as s:
            follow_ups = s.scalar(select(func.count(FollowUp.id))) or 0
            notes = s.scalar(select(func.count(Note.id))) or 0
            s.execute(delete(FollowUp))
            s.execute(delete(Note))
            s.execute(delete(VaultKeySlot))
        log.info("Private notes vault reset.")
        return notes, follow_ups

    # ---- idle locking --------------------------------------------------------------------

    @property
    def idle_minutes(self) -> float:
        return self._idle_seconds / 60

    @idle_minutes.setter
    def idle_minutes(self, minutes: float) -> None:
        if minutes <= 0:
            raise ValueError("The idle time must be positive.")
        self._idle_seconds = minutes * 60

    def touch(self) -> None:
        """The facilitator did something: the idle time starts again."""
        self._last_activity = self._clock()

    def seconds_until_idle_lock(self) -> float:
        return max(0.0, self._last_activity + self._idle_seconds - self._clock())

    def lock_if_idle(self) -> bool:
        """Lock if unlocked and idle for the whole idle time (or longer); True if it locked."""
        if self._holder.is_open and self.seconds_until_idle_lock() <= 0:
            self.lock()
            log.info("Private notes locked after being left idle.")
            return True
        return False

    # ---- fields --------------------------------------------------------------------------

    def encrypt(self, table: str, row_id: int, field: str, text: str) -> bytes:
        self.require_unlocked()
        associated = crypto.field_associated_data(table, row_id, field)
        return self._holder.encrypt(text.encode("utf-8"), associated)

    def decrypt(self, table: str, row_id: int, field: str, blob: bytes) -> str:
        """The text of one field; DamagedFieldError if it was damaged or moved."""
        self.require_unlocked()
        associated = crypto.field_associated_data(table, row_id, field)
        try:
            return self._holder.decrypt(blob, associated).decode("utf-8")
        except (crypto.FieldDecryptError, UnicodeDecodeError) as exc:
            log.warning("Could not decrypt %s %d (%s).", table, row_id, field)
            raise DamagedFieldError() from exc

    def key_holder_for_test(self) -> crypto.KeyHolder:
        """The holder, for tests that check its buffer is zeroed on lock."""
        return self._holder

    # ---- inside ---------------------------------------------------------------------------

    def _params(self) -> crypto.KdfParams:
        return self._kdf_params or default_kdf_params()

    def _adopt(self, holder: crypto.KeyHolder) -> None:
        """Move ``holder``'s key into the vault's own holder (then zero the other)."""
        self._holder._load(lambda into: into.__setitem__(slice(None), holder._key))
        holder.wipe()
        self.touch()

    def _new_slot(
        self, holder: crypto.KeyHolder, kind: KeySlotKind, secret: bytes, params: crypto.KdfParams
    ) -> VaultKeySlot:
        slot = VaultKeySlot(kind=kind)
        self._fill_slot(slot, holder, secret, params)
        return slot

    @staticmethod
    def _fill_slot(
        slot: VaultKeySlot,
        holder: crypto.KeyHolder,
        secret: bytes,
        params: crypto.KdfParams,
    ) -> None:
        kind = str(slot.kind)
        salt = crypto.new_salt()
        wrapped = crypto.wrap_key(holder, secret, salt, params, crypto.slot_associated_data(kind))
        slot.format_version = crypto.FORMAT_VERSION
        slot.kdf = crypto.KDF_NAME
        slot.salt = salt
        slot.memory_kib = params.memory_kib
        slot.iterations = params.iterations
        slot.lanes = params.lanes
        slot.wrapped_key = wrapped
        slot.checksum = crypto.slot_checksum(
            kind, crypto.FORMAT_VERSION, crypto.KDF_NAME, salt, params, wrapped
        )

    def _load_slot(self, s: Session, kind: KeySlotKind) -> VaultKeySlot:
        slot = s.scalar(select(VaultKeySlot).where(VaultKeySlot.kind == kind))
        if slot is None:
            if not _has_slots(s):
                raise VaultNotSetUpError()
            raise DamagedKeySlotError(recovery=kind is KeySlotKind.RECOVERY)
        params = crypto.KdfParams(slot.memory_kib, slot.iterations, slot.lanes)
        intact = (
            slot.format_version == crypto.FORMAT_VERSION
            and slot.kdf == crypto.KDF_NAME
            and len(slot.salt) == crypto.SALT_BYTES
            and len(slot.wrapped_key) == crypto.WRAPPED_KEY_BYTES
            and params.is_plausible()
            and slot.checksum
            == crypto.slot_checksum(
                str(kind), slot.format_version, slot.kdf, slot.salt, params, slot.wrapped_key
            )
        )
        if not intact:
            log.warning("The %s key slot is damaged.", kind)
            raise DamagedKeySlotError(recovery=kind is KeySlotKind.RECOVERY)
        return slot

    def _open_slot(self, slot: VaultKeySlot, holder: crypto.KeyHolder, secret: bytes) -> None:
        params = crypto.KdfParams(slot.memory_kib, slot.iterations, slot.lanes)
        crypto.unwrap_key_into(
            holder,
            slot.wrapped_key,
            secret,
            slot.salt,
            params,
            crypto.slot_associated_data(str(slot.kind)),
        )

    def _unlock(self, kind: KeySlotKind, secret: bytes) -> None:
        holder = crypto.KeyHolder()
        with self._db.session() as s:
            slot = self._load_slot(s, kind)
            try:
                self._open_slot(slot, holder, secret)
            except InvalidTag as exc:
                log.info("Unlocking failed: wrong %s.", kind)
                if kind is KeySlotKind.RECOVERY:
                    raise WrongRecoveryCodeError() from exc
                raise WrongPassphraseError() from exc
        self._adopt(holder)

    def _check_secret(self, kind: KeySlotKind, secret: bytes) -> None:
        """Raise WrongPassphraseError unless ``secret`` opens the ``kind`` slot."""
        probe = crypto.KeyHolder()
        try:
            with self._db.session() as s:
                self._open_slot(self._load_slot(s, kind), probe, secret)
        except InvalidTag as exc:
            raise WrongPassphraseError() from exc
        finally:
            probe.wipe()

    def _rewrap(self, kind: KeySlotKind, secret: bytes) -> None:
        """Replace the ``kind`` slot's wrapped key in one transaction (a damaged or missing
        slot is written afresh)."""
        self.require_unlocked()
        params = self._params()
        with self._db.session() as s:
            slot = s.scalar(select(VaultKeySlot).where(VaultKeySlot.kind == kind))
            if slot is None:
                slot = VaultKeySlot(kind=kind)
                s.add(slot)
            self._fill_slot(slot, self._holder, secret, params)
