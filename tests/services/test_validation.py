"""The field checks shared by the dialogs, the CSV import and the command line."""

from __future__ import annotations

import pytest

from peercircle.db import models
from peercircle.services.validation import (
    ValidationError,
    check_email,
    check_name,
    check_phone,
    check_short_text,
    clean_text,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (None, ""),
        ("", ""),
        ("  Ann  ", "Ann"),
        ("\t\nAnn\r\n", "Ann"),
        ("\u00a0Ann\u00a0", "Ann"),  # non-breaking spaces from spreadsheets
        ("\u3000王小明\u3000", "王小明"),  # ideographic space
        ("Ann  Marie", "Ann  Marie"),  # inside is left alone
        ("Zoe\u0308", "Zoe\u0308"),  # no Unicode normalisation
    ],
)
def test_clean_text_only_trims_the_ends(raw: str | None, clean: str) -> None:
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    "name", ["Ann", "Łukasz Żółć", "Наталья", "محمد", "王小明", "Ngozi 🌻", "Zoe\u0308", "a" * 80]
)
def test_acceptable_names(name: str) -> None:
    assert check_name(name, what="name", limit=80) is None


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Please enter a name."),
        ("a" * 81, "The name is too long (81 characters; at most 80)."),
        ("Ann\nBo", "The name should be on one line, without special characters."),
        ("Ann\rBo", "The name should be on one line, without special characters."),
        ("Ann\tBo", "The name should be on one line, without special characters."),
        ("Ann\x00", "The name should be on one line, without special characters."),
        ("Ann\x1b[31m", "The name should be on one line, without special characters."),
        ("Ann\x7f", "The name should be on one line, without special characters."),
        ("Ann\x85Bo", "The name should be on one line, without special characters."),
        ("Ann\u2028Bo", "The name should be on one line, without special characters."),
        ("Ann\u2029Bo", "The name should be on one line, without special characters."),
    ],
)
def test_unacceptable_names(name: str, message: str) -> None:
    assert check_name(name, what="name", limit=80) == message


def test_optional_names_may_be_empty_but_are_still_checked() -> None:
    assert check_name("", what="full name", limit=160, required=False) is None
    assert check_name("A\nB", what="full name", limit=160, required=False) is not None


def test_the_limit_counts_characters_not_bytes() -> None:
    assert check_name("ж" * 80, what="name", limit=80) is None  # 160 bytes in UTF-8
    assert check_name("ж" * 81, what="name", limit=80) is not None


@pytest.mark.parametrize(
    "email",
    ["", "ann@example.org", "Ann.B+circle@Example.ORG", "zoë@exämple.de", "a@b.co.uk"],
)
def test_acceptable_emails(email: str) -> None:
    assert check_email(email) is None


@pytest.mark.parametrize(
    "email",
    [
        "ann",
        "ann@example",
        "ann@@example.org",
        "ann@exa mple.org",
        "ann example@org.com",
        "@example.org",
        "ann@example.org.",
        "ann@example.org\n",  # "$" alone would have let this through
        "ann@example.org\nbo@example.org",
    ],
)
def test_unacceptable_emails(email: str) -> None:
    message = check_email(email)
    assert message is not None
    assert "doesn't look like an e-mail address" in message


def test_an_overlong_email_is_refused_as_too_long() -> None:
    email = "a" * 250 + "@example.org"
    assert len(email) > models.EMAIL_MAX
    assert check_email(email) == "That e-mail address is too long."


@pytest.mark.parametrize(
    "phone",
    [
        "",
        "112",
        "+48 601 234 567",
        "(555) 010-0199 ext 12",
        "(555) 010-0199 EXT. 12",
        "555-0199 x12",
        "555.010.0199",
        "030/1234567",
        "+44 20 7946 0958",
    ],
)
def test_acceptable_phones(phone: str) -> None:
    assert check_phone(phone) is None


@pytest.mark.parametrize(
    "phone",
    [
        "12",  # too few digits
        "1" * 21,  # too many digits
        "call me",
        "555 0199 or 555 0200",
        "+48 +601",
        "555-0199\n",  # "$" alone would have let this through
        "ext 12",
        "1" * 10 + " " * 31,  # longer than the column
    ],
)
def test_unacceptable_phones(phone: str) -> None:
    message = check_phone(phone)
    assert message is not None
    assert "doesn't look like a phone number" in message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        ("x" * 40, None),
        ("x" * 41, "The pronouns text is too long (41 characters; at most 40)."),
        ("line one\nline two", None),  # short texts may span lines (agreements do)
    ],
)
def test_check_short_text(value: str, expected: str | None) -> None:
    assert check_short_text(value, what="pronouns text", limit=40) == expected


def test_validation_error_carries_one_message_per_field() -> None:
    error = ValidationError({"display_name": "Please enter a name.", "email": "Bad e-mail."})
    assert error.errors["email"] == "Bad e-mail."
    assert str(error) == "Please enter a name. Bad e-mail."
    with pytest.raises(ValidationError):
        raise error


def test_validation_errors_can_be_hashed_like_any_exception() -> None:
    # A dataclass with eq=True is unhashable, which breaks code that keeps exceptions in
    # sets or dict keys (traceback formatting, logging handlers, Qt's error hooks).
    first, second = ValidationError({"a": "x"}), ValidationError({"a": "x"})
    assert len({first, second}) == 2
    assert first != second
