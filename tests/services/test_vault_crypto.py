"""The vault's cryptography on its own: field blobs, the key holder, key wrapping, recovery
codes, Argon2id calibration and the key-slot checksum."""

from __future__ import annotations

import base64
import itertools
import re
from collections.abc import Callable, Iterator

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given, settings
from hypothesis import strategies as st

from peercircle.services import vault_crypto as crypto
from peercircle.services.vault_crypto import (
    FORMAT_VERSION,
    MAX_MEMORY_KIB,
    MINIMUM_KDF,
    NONCE_BYTES,
    TAG_BYTES,
    FieldDecryptError,
    KdfParams,
    KeyHolder,
    calibrate_kdf,
    field_associated_data,
    new_recovery_code,
    normalise_recovery_code,
    slot_associated_data,
    slot_checksum,
    unwrap_key_into,
    wrap_key,
)

FAST = KdfParams(memory_kib=1024, iterations=1, lanes=1)
AD = field_associated_data("notes", 7, "body")
MIB = 1024
CODE_PATTERN = re.compile(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){7}")


@pytest.fixture
def holder() -> Iterator[KeyHolder]:
    key_holder = KeyHolder()
    key_holder.generate()
    yield key_holder
    key_holder.wipe()


# ---- field blobs ---------------------------------------------------------------------------


def test_a_field_decrypts_to_what_was_encrypted(holder: KeyHolder) -> None:
    for text in ("", "Ágnes seemed tired tonight.", "Ольга — 😊\nsecond line", "x" * 20_000):
        plain = text.encode("utf-8")
        assert holder.decrypt(holder.encrypt(plain, AD), AD) == plain


def test_every_encryption_uses_a_fresh_nonce(holder: KeyHolder) -> None:
    plain = "Nguyễn asked to talk next week".encode()
    first, second = holder.encrypt(plain, AD), holder.encrypt(plain, AD)
    assert first != second
    assert first[1 : 1 + NONCE_BYTES] != second[1 : 1 + NONCE_BYTES]
    nonces = {holder.encrypt(plain, AD)[1 : 1 + NONCE_BYTES] for _ in range(200)}
    assert len(nonces) == 200


def test_blob_layout_is_version_nonce_then_ciphertext_with_tag(holder: KeyHolder) -> None:
    plain = b"the same words"
    blob = holder.encrypt(plain, AD)
    assert blob[0] == FORMAT_VERSION == 1
    assert len(blob) == 1 + NONCE_BYTES + len(plain) + TAG_BYTES
    nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    # Standard AES-256-GCM with the holder's key opens it: no hidden framing.
    key = holder.key_bytes_for_test()
    assert len(key) == 32
    assert AESGCM(key).decrypt(nonce, sealed, AD) == plain
    assert plain not in blob


def test_a_flipped_byte_anywhere_fails_to_decrypt(holder: KeyHolder) -> None:
    blob = holder.encrypt(b"a short private note", AD)
    for index in range(len(blob)):
        for mask in (0x01, 0x80, 0xFF):
            damaged = bytearray(blob)
            damaged[index] ^= mask
            with pytest.raises(FieldDecryptError):
                holder.decrypt(bytes(damaged), AD)
    assert holder.decrypt(blob, AD) == b"a short private note"


def test_truncated_or_extended_blobs_fail_to_decrypt(holder: KeyHolder) -> None:
    blob = holder.encrypt(b"words", AD)
    for damaged in (
        b"",
        blob[:1],
        blob[: 1 + NONCE_BYTES + TAG_BYTES - 1],
        blob[:-1],
        blob + b"\0",
    ):
        with pytest.raises(FieldDecryptError):
            holder.decrypt(damaged, AD)


@pytest.mark.parametrize(
    "elsewhere",
    [
        field_associated_data("notes", 8, "body"),  # another row
        field_associated_data("notes", 77, "body"),
        field_associated_data("notes", 7, "title"),  # another field
        field_associated_data("follow_ups", 7, "body"),  # another table
        b"",
    ],
)
def test_a_blob_does_not_decrypt_anywhere_else(holder: KeyHolder, elsewhere: bytes) -> None:
    blob = holder.encrypt(b"bound to notes 7 body", AD)
    with pytest.raises(FieldDecryptError):
        holder.decrypt(blob, elsewhere)


def test_associated_data_differs_for_every_place() -> None:
    places = [
        ("notes", 1, "title"),
        ("notes", 1, "body"),
        ("notes", 11, "title"),
        ("notes", 1, "tags"),
        ("follow_ups", 1, "title"),
        ("follow_ups", 1, "reason"),
    ]
    assert len({field_associated_data(*place) for place in places}) == len(places)
    assert slot_associated_data("passphrase") != slot_associated_data("recovery")


@pytest.mark.parametrize("version", [0, 2, 255])
def test_an_unknown_format_version_is_refused(holder: KeyHolder, version: int) -> None:
    blob = bytearray(holder.encrypt(b"words", AD))
    blob[0] = version
    with pytest.raises(FieldDecryptError, match="unknown format"):
        holder.decrypt(bytes(blob), AD)


def test_another_key_cannot_read_a_blob(holder: KeyHolder) -> None:
    other = KeyHolder()
    other.generate()
    with pytest.raises(FieldDecryptError):
        other.decrypt(holder.encrypt(b"words", AD), AD)


# ---- the key holder ------------------------------------------------------------------------


def test_a_new_holder_is_closed_and_refuses_to_work() -> None:
    fresh = KeyHolder()
    assert not fresh.is_open
    with pytest.raises(RuntimeError):
        fresh.encrypt(b"words", AD)


def test_wipe_zeroes_the_buffer_and_further_use_raises(holder: KeyHolder) -> None:
    blob = holder.encrypt(b"words", AD)
    assert holder.is_open
    assert holder.key_bytes_for_test() != bytes(32)
    holder.wipe()
    assert not holder.is_open
    assert holder.key_bytes_for_test() == bytes(32)
    with pytest.raises(RuntimeError):
        holder.encrypt(b"words", AD)
    with pytest.raises(RuntimeError):
        holder.decrypt(blob, AD)
    with pytest.raises(RuntimeError):
        wrap_key(holder, b"secret", crypto.new_salt(), FAST, slot_associated_data("passphrase"))


def test_each_generated_key_is_new(holder: KeyHolder) -> None:
    first = holder.key_bytes_for_test()
    holder.generate()
    assert holder.key_bytes_for_test() != first


# ---- wrapping the data key -----------------------------------------------------------------


def test_wrap_and_unwrap_the_data_key(holder: KeyHolder) -> None:
    salt = crypto.new_salt()
    associated = slot_associated_data("passphrase")
    wrapped = wrap_key(holder, b"blue kettle on the stairs", salt, FAST, associated)
    assert len(wrapped) == crypto.WRAPPED_KEY_BYTES
    assert holder.key_bytes_for_test() not in wrapped
    # Wrapping again gives other bytes (fresh nonce) that open to the same key.
    assert wrap_key(holder, b"blue kettle on the stairs", salt, FAST, associated) != wrapped

    opened = KeyHolder()
    unwrap_key_into(opened, wrapped, b"blue kettle on the stairs", salt, FAST, associated)
    assert opened.is_open
    assert opened.key_bytes_for_test() == holder.key_bytes_for_test()
    assert opened.decrypt(holder.encrypt(b"words", AD), AD) == b"words"


@pytest.mark.parametrize("what", ["secret", "salt", "params", "associated", "wrapped"])
def test_unwrapping_with_anything_different_fails_and_leaves_the_holder_wiped(
    holder: KeyHolder, what: str
) -> None:
    salt = crypto.new_salt()
    associated = slot_associated_data("passphrase")
    wrapped = wrap_key(holder, b"blue kettle on the stairs", salt, FAST, associated)
    arguments: dict[str, object] = {
        "wrapped": wrapped,
        "secret": b"blue kettle on the stairs",
        "salt": salt,
        "params": FAST,
        "associated": associated,
    }
    arguments[what] = {
        "secret": b"blue kettle on the stair",
        "salt": crypto.new_salt(),
        "params": KdfParams(memory_kib=1024, iterations=2, lanes=1),
        "associated": slot_associated_data("recovery"),
        "wrapped": wrapped[:-1] + bytes([wrapped[-1] ^ 1]),
    }[what]
    target = KeyHolder()
    target.generate()  # a failed unwrap must not leave any key behind
    with pytest.raises(InvalidTag):
        unwrap_key_into(target, **arguments)  # type: ignore[arg-type]
    assert not target.is_open
    assert target.key_bytes_for_test() == bytes(32)


# ---- recovery codes ------------------------------------------------------------------------


def test_recovery_codes_are_eight_groups_of_four_with_at_least_128_bits() -> None:
    codes = {new_recovery_code() for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert CODE_PATTERN.fullmatch(code), code
        letters = code.replace("-", "")
        assert len(letters) == 32
        assert set(letters) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        assert len(base64.b32decode(letters)) * 8 >= 128
    assert crypto.RECOVERY_CODE_BYTES * 8 >= 128
    # Every one of the 32 letters is used across many codes: they carry 5 bits each.
    assert set("".join(codes).replace("-", "")) == set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def _lookalike(code: str) -> str:
    return code.replace("O", "0").replace("I", "1").replace("B", "8")


def test_typed_recovery_codes_are_forgiven_case_spaces_dashes_and_lookalikes() -> None:
    code = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"
    letters = code.replace("-", "")
    for typed in (
        code,
        code.lower(),
        code.replace("-", " "),
        code.replace("-", ""),
        f"  {code.lower()}\n",
        "ABCDEFGH IJKL-MNOP\tqrst uvwx-yz23 4567",
        _lookalike(code),
        "A-B-C-D-E-F-G-H-I-J-K-L-M-N-O-P-Q-R-S-T-U-V-W-X-Y-Z-2-3-4-5-6-7",
        "\u00a0".join(code.split("-")),  # no-break spaces from a copied printout
    ):
        assert normalise_recovery_code(typed) == letters, typed


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-456",  # 31 letters
        "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-45677",  # 33 letters
        "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4569",  # 9 is not in the alphabet
        "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-456!",
        "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-456É",
        "ABCD_EFGH_IJKL_MNOP_QRST_UVWX_YZ23_4567",
        "my passphrase is blue kettle on the stairs",
    ],
)
def test_what_cannot_be_a_recovery_code_is_refused(typed: str) -> None:
    assert normalise_recovery_code(typed) is None


@settings(max_examples=200, deadline=None)
@given(
    raw=st.binary(min_size=crypto.RECOVERY_CODE_BYTES, max_size=crypto.RECOVERY_CODE_BYTES),
    lower=st.booleans(),
    separator=st.sampled_from(["-", " ", "", " - ", "\t"]),
    lookalikes=st.booleans(),
)
def test_any_code_survives_how_it_is_typed(
    raw: bytes, lower: bool, separator: str, lookalikes: bool
) -> None:
    letters = base64.b32encode(raw).decode("ascii")
    groups = [letters[i : i + 4] for i in range(0, 32, 4)]
    typed = separator.join(groups)
    if lookalikes:
        typed = _lookalike(typed)
    if lower:
        typed = typed.lower()
    assert normalise_recovery_code(typed) == letters


# ---- calibrating Argon2id ------------------------------------------------------------------


def _fake_timer(took: float) -> Callable[[], float]:
    readings = itertools.cycle([100.0, 100.0 + took])
    return lambda: next(readings)


@pytest.fixture
def derived(monkeypatch: pytest.MonkeyPatch) -> list[KdfParams]:
    """Calibration's timed derivations, recorded instead of run (the timer is fake)."""
    calls: list[KdfParams] = []

    def fake_derive(secret: bytes, salt: bytes, params: KdfParams, into: bytearray) -> None:
        calls.append(params)

    monkeypatch.setattr(crypto, "_derive", fake_derive)
    return calls


def test_the_fastest_timed_run_counts(derived: list[KdfParams]) -> None:
    readings = iter([0.0, 0.7, 10.0, 10.35])  # a busy first run, then the real speed
    assert calibrate_kdf(0.7, timer=lambda: next(readings)).memory_kib == 128 * MIB


@pytest.mark.parametrize("took", [0.7, 0.71, 1.0, 5.0])
def test_a_computer_that_is_slow_at_the_minimum_gets_the_minimum(
    derived: list[KdfParams], took: float
) -> None:
    assert calibrate_kdf(0.7, timer=_fake_timer(took)) == MINIMUM_KDF
    assert derived == [MINIMUM_KDF, MINIMUM_KDF]


@pytest.mark.parametrize(
    ("took", "memory_mib", "iterations"),
    [
        (0.65, 64, 3),  # a little faster: rounds down to the minimum, never below it
        (0.35, 128, 3),  # twice as fast: twice the memory
        (0.3, 144, 3),  # 149.3 MiB rounds down to a 16 MiB step
        (0.1, 448, 3),
        (0.04, 1024, 3),  # would want 1120 MiB: capped at 1 GiB
        (0.01, 1024, 13),  # far faster: 1 GiB, and more passes for the rest
        (0.0, 1024, 64),  # an instant reading: every cap at once
    ],
)
def test_faster_computers_get_more_memory_in_16_mib_steps_up_to_1_gib(
    derived: list[KdfParams], took: float, memory_mib: int, iterations: int
) -> None:
    params = calibrate_kdf(0.7, timer=_fake_timer(took))
    assert params == KdfParams(memory_kib=memory_mib * MIB, iterations=iterations, lanes=1)
    assert derived == [MINIMUM_KDF, MINIMUM_KDF]


@settings(max_examples=200, deadline=None)
@given(
    took=st.floats(min_value=0.0, max_value=10.0, allow_nan=False),
    target=st.floats(min_value=0.1, max_value=2.0, allow_nan=False),
)
def test_calibration_is_never_below_the_minimum_nor_above_the_cap(
    took: float, target: float
) -> None:
    original = crypto._derive
    crypto._derive = lambda *args: None  # type: ignore[assignment]
    try:
        params = calibrate_kdf(target, timer=_fake_timer(took))
        slower = calibrate_kdf(target, timer=_fake_timer(took * 2 + 0.01))
    finally:
        crypto._derive = original
    assert params.meets_minimum()
    assert params.is_plausible()
    assert params.memory_kib % (16 * MIB) == 0
    assert MINIMUM_KDF.memory_kib <= params.memory_kib <= MAX_MEMORY_KIB
    assert 3 <= params.iterations <= 64
    assert params.lanes == 1
    # A slower computer never gets a heavier setting.
    assert slower.memory_kib <= params.memory_kib
    assert slower.iterations <= params.iterations


def test_real_calibration_meets_the_minimum() -> None:
    params = calibrate_kdf(0.05)
    assert params.meets_minimum()
    assert params.is_plausible()


def test_plausible_and_minimum_params() -> None:
    assert MINIMUM_KDF.meets_minimum()
    assert MINIMUM_KDF.is_plausible()
    assert FAST.is_plausible()
    assert not FAST.meets_minimum()
    assert not KdfParams(64 * MIB, 2).meets_minimum()
    assert not KdfParams(MAX_MEMORY_KIB + 1, 3).is_plausible()
    assert not KdfParams(1024, 0).is_plausible()
    assert not KdfParams(1024, 65).is_plausible()
    assert not KdfParams(1024, 1, 0).is_plausible()
    assert not KdfParams(1024, 1, 17).is_plausible()
    assert not KdfParams(7, 1, 1).is_plausible()


# ---- key-slot checksum ---------------------------------------------------------------------


def test_the_slot_checksum_changes_with_every_input() -> None:
    base = {
        "kind": "passphrase",
        "format_version": 1,
        "kdf": "argon2id",
        "salt": b"s" * 16,
        "params": KdfParams(65536, 3, 1),
        "wrapped": b"w" * 60,
    }
    reference = slot_checksum(**base)  # type: ignore[arg-type]
    assert len(reference) == 32
    assert slot_checksum(**base) == reference  # type: ignore[arg-type]
    changes: list[tuple[str, object]] = [
        ("kind", "recovery"),
        ("format_version", 2),
        ("kdf", "argon2i"),
        ("salt", b"s" * 15 + b"t"),
        ("params", KdfParams(65537, 3, 1)),
        ("params", KdfParams(65536, 4, 1)),
        ("params", KdfParams(65536, 3, 2)),
        ("wrapped", b"w" * 59 + b"x"),
        ("wrapped", b"w" * 61),
    ]
    seen = {reference}
    for field, value in changes:
        checksum = slot_checksum(**{**base, field: value})  # type: ignore[arg-type]
        assert checksum not in seen, field
        seen.add(checksum)


def test_the_slot_checksum_keeps_its_parts_apart() -> None:
    """Moving a byte from the salt to the wrapped key is still a change."""
    params = KdfParams(65536, 3, 1)
    assert slot_checksum("passphrase", 1, "argon2id", b"ab", params, b"c") != slot_checksum(
        "passphrase", 1, "argon2id", b"a", params, b"bc"
    )
