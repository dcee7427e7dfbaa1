"""What the notes vault says back: its state, and one error per thing that can go wrong,
each with a message a facilitator can act on."""

from __future__ import annotations

import enum

MIN_PASSPHRASE_LENGTH = 8
DEFAULT_IDLE_MINUTES = 5
IDLE_MINUTES_CHOICES = (1, 2, 5, 10, 15, 30, 60)


class VaultState(enum.StrEnum):
    NOT_SET_UP = "not_set_up"
    LOCKED = "locked"
    UNLOCKED = "unlocked"


class VaultError(Exception):
    """Something about the private notes vault, explained in plain words."""


class VaultLockedError(VaultError):
    def __init__(self) -> None:
        super().__init__("Your private notes are locked. Unlock them with your passphrase first.")


class VaultNotSetUpError(VaultError):
    def __init__(self) -> None:
        super().__init__("Private notes have not been set up yet.")


class VaultAlreadySetUpError(VaultError):
    def __init__(self) -> None:
        super().__init__("Private notes are already set up on this computer.")


class WeakPassphraseError(VaultError):
    """The new passphrase is too short, or the two copies typed do not match."""


class WrongPassphraseError(VaultError):
    def __init__(self) -> None:
        super().__init__(
            "That passphrase does not unlock your notes. Check Caps Lock and try again — "
            "or use your recovery code if you have forgotten it."
        )


class WrongRecoveryCodeError(VaultError):
    def __init__(self, malformed: bool = False) -> None:
        super().__init__(
            "A recovery code has 32 letters and digits, in eight groups of four. "
            "Check what you typed against your printout."
            if malformed
            else "That recovery code does not unlock your notes. Check each group of four "
            "against your printout."
        )


class DamagedKeySlotError(VaultError):
    """The stored copy of the key (for the passphrase or the recovery code) is damaged."""

    def __init__(self, recovery: bool = False) -> None:
        super().__init__(
            "The stored recovery key is damaged, so the recovery code cannot be used. "
            "If you still know your passphrase, unlock with it and make a new recovery code."
            if recovery
            else "The stored key for your passphrase is damaged, so no passphrase can open it. "
            "Your notes are still there: unlock them with your recovery code, which also lets "
            "you set a new passphrase."
        )


class DamagedFieldError(VaultError):
    """One encrypted field (a note's title, a follow-up's reason…) cannot be read."""

    def __init__(self) -> None:
        super().__init__(
            "This part of a note is damaged and cannot be read. Everything else is unaffected."
        )
