"""Field checks with messages a person understands, shared by dialogs, import and CLI."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from peercircle import domain as models

# Used with fullmatch: "$" would also accept a value ending in a newline.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_PHONE_CHARS = re.compile(r"\+?[0-9 ()\-./]+((ext\.?|x)\s*[0-9]+)?", re.IGNORECASE)
# C0 and C1 control characters, and the Unicode line and paragraph separators (which
# break a line in Qt and in printed sheets just like a newline does).
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(eq=False)  # compared and hashed by identity, like every other exception
class ValidationError(Exception):
    """One message per field that needs the user's attention, keyed by field name."""

    errors: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return " ".join(self.errors.values())


def clean_text(value: str | None) -> str:
    """Trim surrounding whitespace (including non-breaking spaces); keep the rest unchanged."""
    return (value or "").strip()


def check_name(value: str, *, what: str, limit: int, required: bool = True) -> str | None:
    """Return a message if ``value`` (already trimmed) is not an acceptable name."""
    if not value:
        return f"Please enter a {what}." if required else None
    if len(value) > limit:
        return f"The {what} is too long ({len(value)} characters; at most {limit})."
    if CONTROL_CHARS.search(value):
        return f"The {what} should be on one line, without special characters."
    return None


def check_email(value: str) -> str | None:
    if not value:
        return None
    if len(value) > models.EMAIL_MAX:
        return "That e-mail address is too long."
    if not _EMAIL.fullmatch(value):
        return f"“{value}” doesn't look like an e-mail address (like name@example.org)."
    return None


def check_phone(value: str) -> str | None:
    if not value:
        return None
    digits = sum(ch.isdigit() for ch in value)
    if len(value) > models.PHONE_MAX or not _PHONE_CHARS.fullmatch(value) or not 3 <= digits <= 20:
        return f"“{value}” doesn't look like a phone number (digits, spaces, + - ( ) only)."
    return None


def check_short_text(value: str, *, what: str, limit: int) -> str | None:
    if len(value) > limit:
        return f"The {what} is too long ({len(value)} characters; at most {limit})."
    return None
