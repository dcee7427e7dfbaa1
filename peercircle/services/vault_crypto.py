"""The notes vault's cryptography, apart from the database: key derivation, key wrapping and
the encrypted-field format. Everything here uses the ``cryptography`` package.

- A random 256-bit *data key* encrypts every private field with AES-256-GCM.
- The data key is stored only *wrapped* (AES-256-GCM) by a key derived from the
  facilitator's passphrase — or from the recovery code — with Argon2id.
- An encrypted field is a versioned blob: ``version (1 byte) | nonce (12) | ciphertext+tag``.
  The associated data binds it to its table, row and field, so a ciphertext copied to
  another row or field does not decrypt.

While unlocked, the data key lives in exactly one place, a ``KeyHolder``'s buffer, which is
overwritten with zeros on lock. Keys derived for wrapping live in short-lived buffers that
are zeroed straight after use. (Python strings — the passphrase, decrypted text — cannot be
zeroed; they are dropped as soon as they are no longer needed.)
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

FORMAT_VERSION = 1
KDF_NAME = "argon2id"
KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
TAG_BYTES = 16
WRAPPED_KEY_BYTES = NONCE_BYTES + KEY_BYTES + TAG_BYTES
RECOVERY_CODE_BYTES = 20  # 160 random bits, shown as 32 letters and digits
_RECOVERY_CODE_LETTERS = 32
_RECOVERY_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
# Easily confused characters typed from a printout: these are not in the alphabet.
_RECOVERY_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


class FieldDecryptError(Exception):
    """A blob did not decrypt: damaged, moved to another row or field, or of an unknown
    format version."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id's cost: memory in KiB, passes over it, and parallel lanes."""

    memory_kib: int
    iterations: int
    lanes: int = 1

    def is_plausible(self) -> bool:
        """Could these have been written by PeerCircle? (A damaged slot's may not.)"""
        return (
            1 <= self.lanes <= 16
            and 8 * self.lanes <= self.memory_kib <= MAX_MEMORY_KIB
            and 1 <= self.iterations <= 64
        )

    def meets_minimum(self) -> bool:
        return (
            self.memory_kib >= MINIMUM_KDF.memory_kib and self.iterations >= MINIMUM_KDF.iterations
        )


MINIMUM_KDF = KdfParams(memory_kib=64 * 1024, iterations=3, lanes=1)
"""The least a new vault is given: 64 MiB and three passes."""
MAX_MEMORY_KIB = 1024 * 1024
"""Calibration never asks for more than 1 GiB; a stored value above it means damage."""
TARGET_UNLOCK_SECONDS = 0.7
"""Calibration aims for an unlock of about this long (between half a second and a second)."""


def calibrate_kdf(
    target_seconds: float = TARGET_UNLOCK_SECONDS,
    *,
    timer: Callable[[], float] = time.perf_counter,
    runs: int = 2,
) -> KdfParams:
    """Argon2id parameters that take about ``target_seconds`` on this computer, never below
    ``MINIMUM_KDF``. Time grows with memory, so memory is scaled from timed runs at the
    minimum (in steps of 16 MiB, up to 1 GiB; past that, more passes). The fastest of
    ``runs`` counts: a busy moment should not decide the cost for years."""
    took = float("inf")
    for _ in range(runs):
        started = timer()
        salt = secrets.token_bytes(SALT_BYTES)
        _derive(b"calibration", salt, MINIMUM_KDF, bytearray(KEY_BYTES))
        took = min(took, timer() - started)
    took = max(took, 1e-6)
    scale = target_seconds / took
    if scale <= 1:
        return MINIMUM_KDF
    step = 16 * 1024
    memory = int(MINIMUM_KDF.memory_kib * scale) // step * step
    memory = max(MINIMUM_KDF.memory_kib, min(memory, MAX_MEMORY_KIB))
    iterations = MINIMUM_KDF.iterations
    if memory == MAX_MEMORY_KIB:
        per_pass = took / MINIMUM_KDF.iterations * (MAX_MEMORY_KIB / MINIMUM_KDF.memory_kib)
        iterations = max(iterations, min(64, round(target_seconds / per_pass)))
    return KdfParams(memory_kib=memory, iterations=iterations, lanes=MINIMUM_KDF.lanes)


def _derive(secret: bytes, salt: bytes, params: KdfParams, into: bytearray) -> None:
    Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    ).derive_into(secret, into)


def _zero(buffer: bytearray) -> None:
    buffer[:] = bytes(len(buffer))


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


def slot_associated_data(kind: str) -> bytes:
    return b"peercircle/key-slot/v%d/%s" % (FORMAT_VERSION, kind.encode("ascii"))


def field_associated_data(table: str, row_id: int, field: str) -> bytes:
    """Binds an encrypted field to where it belongs."""
    return b"peercircle/field/v%d\x00%s\x00%d\x00%s" % (
        FORMAT_VERSION,
        table.encode("ascii"),
        row_id,
        field.encode("ascii"),
    )


def slot_checksum(
    kind: str, format_version: int, kdf: str, salt: bytes, params: KdfParams, wrapped: bytes
) -> bytes:
    """A SHA-256 over everything stored in a key slot (none of it secret).

    A wrong passphrase and a damaged slot both make unwrapping fail; the checksum tells the
    two apart, so each gets its own message.
    """
    digest = hashlib.sha256()
    for part in (
        kind.encode("ascii"),
        str(format_version).encode("ascii"),
        kdf.encode("ascii"),
        salt,
        b"%d/%d/%d" % (params.memory_kib, params.iterations, params.lanes),
        wrapped,
    ):
        digest.update(len(part).to_bytes(4, "big"))
        digest.update(part)
    return digest.digest()


def wrap_key(
    holder: KeyHolder, secret: bytes, salt: bytes, params: KdfParams, associated: bytes
) -> bytes:
    """The holder's data key encrypted with a key derived from ``secret``: nonce + ciphertext."""
    kek = bytearray(KEY_BYTES)
    try:
        _derive(secret, salt, params, kek)
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce + holder._with_key(lambda key: AESGCM(kek).encrypt(nonce, key, associated))
    finally:
        _zero(kek)


def unwrap_key_into(
    holder: KeyHolder,
    wrapped: bytes,
    secret: bytes,
    salt: bytes,
    params: KdfParams,
    associated: bytes,
) -> None:
    """Derive the wrapping key from ``secret`` and decrypt the data key straight into
    ``holder``. Raises ``InvalidTag`` when ``secret`` is not the one it was wrapped with."""
    kek = bytearray(KEY_BYTES)
    try:
        _derive(secret, salt, params, kek)
        holder._load(
            lambda into: AESGCM(kek).decrypt_into(
                wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], associated, into
            )
        )
    finally:
        _zero(kek)


class KeyHolder:
    """The one place the data key is kept while the vault is unlocked."""

    def __init__(self) -> None:
        self._key = bytearray(KEY_BYTES)
        self._open = False

    @property
    def is_open(self) -> bool:
        return self._open

    def generate(self) -> None:
        """Fill with a new random data key."""
        self._key[:] = secrets.token_bytes(KEY_BYTES)
        self._open = True

    def wipe(self) -> None:
        """Overwrite the key with zeros; encrypting and decrypting stop working."""
        _zero(self._key)
        self._open = False

    def key_bytes_for_test(self) -> bytes:
        """A copy of the buffer, for tests that check it is zeroed. Never used otherwise."""
        return bytes(self._key)

    def _load(self, fill: Callable[[bytearray], object]) -> None:
        try:
            fill(self._key)
        except BaseException:
            self.wipe()
            raise
        self._open = True

    def _with_key(self, use: Callable[[bytearray], bytes]) -> bytes:
        if not self._open:
            raise RuntimeError("The vault is locked.")
        return use(self._key)

    def encrypt(self, plaintext: bytes, associated: bytes) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._with_key(lambda key: AESGCM(key).encrypt(nonce, plaintext, associated))
        return bytes([FORMAT_VERSION]) + nonce + sealed

    def decrypt(self, blob: bytes, associated: bytes) -> bytes:
        if len(blob) < 1 + NONCE_BYTES + TAG_BYTES or blob[0] != FORMAT_VERSION:
            raise FieldDecryptError("unknown format or too short")
        nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
        try:
            return self._with_key(lambda key: AESGCM(key).decrypt(nonce, sealed, associated))
        except InvalidTag as exc:
            raise FieldDecryptError("authentication failed") from exc


# ---- recovery codes ------------------------------------------------------------------------


def new_recovery_code() -> str:
    """160 random bits as eight groups of four letters and digits: ``ABCD-EFGH-…``."""
    letters = base64.b32encode(secrets.token_bytes(RECOVERY_CODE_BYTES)).decode("ascii")
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def normalise_recovery_code(text: str) -> str | None:
    """The code as stored for derivation (32 letters, no dashes), or None if ``text`` cannot
    be a recovery code. Spaces, dashes, lower case and 0/1/8 for O/I/B are forgiven."""
    letters = "".join(ch for ch in text.upper() if not ch.isspace() and ch != "-")
    letters = letters.translate(_RECOVERY_LOOKALIKES)
    if len(letters) != _RECOVERY_CODE_LETTERS or not set(letters) <= _RECOVERY_ALPHABET:
        return None
    return letters
