"""The prompt deck: its file format, the deck we ship, and the facilitator's own copy."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from peercircle.resources import resource_path
from peercircle.services import prompts as prompts_module
from peercircle.services.prompts import (
    DAMAGED_COPY_FILENAME,
    MAX_PROMPT_LENGTH,
    USER_DECK_FILENAME,
    PromptCategory,
    PromptDeck,
    PromptDeckError,
    check_deck,
    clean_name,
    clean_prompt,
    format_deck,
    is_customised,
    load_deck,
    parse_deck,
    reset_deck,
    save_deck,
    shipped_deck,
    user_deck_path,
)

DECK = PromptDeck(
    (
        PromptCategory("Opening", ("Hur mår du i dag?", "How are you arriving today?")),
        PromptCategory("Відображення", ("It sounds like … — did I get that right?",)),
        PromptCategory("Closing", ("Nguyễn asked: what are you taking with you?",)),
    )
)


# ---- the format ----------------------------------------------------------------------------


def test_the_shipped_deck_is_full_tidy_and_kind() -> None:
    text = resource_path("facilitator_prompts.md").read_text(encoding="utf-8")
    deck = parse_deck(text)
    assert deck == shipped_deck()
    assert text.startswith("# PeerCircle facilitator prompts\n")
    assert len(deck.categories) >= 5
    assert all(len(c.prompts) >= 5 for c in deck.categories)
    names = [c.name for c in deck.categories]
    assert {"Opening the round", "Reflective listening", "Closing the round"} <= set(names)
    # Written the way the app writes it, so saving never reshuffles it.
    assert format_deck(deck) == text
    # Peer support: asking and reflecting, never advising or diagnosing.
    words = " ".join(p for _c, p in deck.all_prompts())
    assert not re.search(
        r"\byou should\b|\byou must\b|diagnos|symptom|disorder|patient|therap|\btry to\b",
        words,
        re.IGNORECASE,
    )
    assert "What was that like for you?" in words


def test_parse_reads_headings_prompts_and_ignores_the_rest() -> None:
    text = (
        "\ufeff# My prompts\r\n"
        "A note about this file,\r\n"
        "over two lines.\r\n"
        "\r\n"
        "## Opening\r\n"
        "- Hur mår du   i dag?\r\n"
        "* How are you\r\n"
        "  arriving today?\r\n"
        "-\r\n"
        "\r\n"
        "###  Відображення\r\n"
        "+ It sounds like … — did I get that right?\r\n"
        "## Closing\r\n"
        "    - Nguyễn asked: what are you taking with you?\r\n"
    )
    deck = parse_deck(text)
    assert deck == DECK
    assert deck.prompt_count == 4
    assert deck.all_prompts()[1] == ("Opening", "How are you arriving today?")
    assert deck.category("Closing") == DECK.categories[2]
    assert deck.category("Missing") is None


def test_an_empty_category_is_kept() -> None:
    deck = parse_deck("## Waiting\n\n## Opening\n- Welcome, everyone.\n")
    assert [c.name for c in deck.categories] == ["Waiting", "Opening"]
    assert deck.categories[0].prompts == ()
    assert parse_deck(format_deck(deck)) == deck


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("# Title\n- Too early\n## Opening\n- Welcome\n", 2, "before any category"),
        ("## Opening\n- Welcome\n\nWhat now?\n", 4, "starts with a dash"),
        ("## Opening\nA description\n- Welcome\n", 2, "starts with a dash"),
        ("## Opening\n- Welcome\n##   \n- Hello\n", 3, "needs a name"),
        ("## Opening\n- Welcome\n## OPENING\n- Hello\n", 3, "already a category called"),
        ("## Opening\n- Welcome\n# Title at the end\n", 3, "two hash marks"),
        (f"## Opening\n- {'x' * (MAX_PROMPT_LENGTH + 1)}\n", 2, "at most 500"),
        (f"## {'Ж' * 81}\n- Welcome\n", 1, "at most 80"),
        ("## Opening\n- Welcome\n", None, None),
    ],
)
def test_parse_errors_say_which_line(text: str, line: int | None, words: str | None) -> None:
    if words is None:
        assert parse_deck(text).prompt_count == 1
        return
    with pytest.raises(PromptDeckError) as caught:
        parse_deck(text)
    assert isinstance(caught.value, ValueError)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"Line {line}: ")
    assert words in caught.value.reason


def test_a_duplicate_category_names_the_first_line() -> None:
    with pytest.raises(PromptDeckError, match=r"\(line 1\)"):
        parse_deck("## Opening\n- Welcome\n## opening\n- Hello\n")


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "# PeerCircle facilitator prompts\n\nJust a note.\n", "## A\n## B\n-\n"],
)
def test_a_deck_without_prompts_is_refused(text: str) -> None:
    with pytest.raises(PromptDeckError, match="no prompts") as caught:
        parse_deck(text)
    assert caught.value.line is None


def test_binary_junk_is_not_a_deck() -> None:
    with pytest.raises(PromptDeckError, match="text file"):
        parse_deck("## A\n- b\x00\x01")


def test_cleaning_puts_text_on_one_tidy_line() -> None:
    assert clean_prompt("  What was\tthat\n like\x07 for  you? ") == "What was that like for you?"
    assert clean_name(" ## # Ólafur's  group ") == "Ólafur's group"


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_NAMES = _TEXT.map(clean_name).filter(bool)
_PROMPTS = _TEXT.map(clean_prompt).filter(bool)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(_NAMES, st.lists(_PROMPTS, max_size=5)),
        min_size=1,
        max_size=5,
        unique_by=lambda pair: pair[0].casefold(),
    )
)
def test_format_and_parse_round_trip(categories: list[tuple[str, list[str]]]) -> None:
    deck = PromptDeck(tuple(PromptCategory(name, tuple(ps)) for name, ps in categories))
    assume(deck.prompt_count > 0)
    check_deck(deck)
    assert parse_deck(format_deck(deck)) == deck


@pytest.mark.parametrize(
    ("deck", "words"),
    [
        (PromptDeck(()), "no prompts to save"),
        (PromptDeck((PromptCategory("Empty", ()),)), "no prompts to save"),
        (PromptDeck((PromptCategory("", ("Hi",)),)), "needs a name"),
        (
            PromptDeck((PromptCategory("Same", ("a",)), PromptCategory("SAME", ("b",)))),
            "two categories",
        ),
        (PromptDeck((PromptCategory("A", ("",)),)), "cannot be empty"),
        (PromptDeck((PromptCategory("A", ("one\ntwo",)),)), "line breaks"),
        (PromptDeck((PromptCategory("# A", ("one",)),)), "line breaks"),
    ],
)
def test_check_deck_refuses_what_would_not_read_back(deck: PromptDeck, words: str) -> None:
    with pytest.raises(PromptDeckError, match=words):
        check_deck(deck)


# ---- the files -----------------------------------------------------------------------------


def test_without_a_file_of_their_own_the_facilitator_gets_ours(data_dir: Path) -> None:
    loaded = load_deck(data_dir)
    assert loaded.deck == shipped_deck()
    assert not loaded.customised and loaded.problem is None
    assert not is_customised(data_dir)
    assert not data_dir.exists()  # loading never creates anything


def test_saved_prompts_are_loaded_back_private_to_the_user(data_dir: Path) -> None:
    save_deck(data_dir, DECK)
    path = user_deck_path(data_dir)
    assert path == data_dir / USER_DECK_FILENAME
    assert is_customised(data_dir)
    assert parse_deck(path.read_text(encoding="utf-8")) == DECK
    loaded = load_deck(data_dir)
    assert loaded.deck == DECK and loaded.customised and loaded.problem is None
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in data_dir.iterdir()) == [USER_DECK_FILENAME]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"- first\n## Later\n- second\n", "Line 1: This prompt comes before any category"),
        (b"## Caf\xe9\n- Bonjour\n", "UTF-8"),
        (b"## A\n- " + b"x" * 1_000_001, "too big"),
        (b"", "no prompts"),
    ],
)
def test_a_damaged_copy_falls_back_to_ours_and_is_left_alone(
    data_dir: Path, content: bytes, words: str
) -> None:
    data_dir.mkdir()
    path = user_deck_path(data_dir)
    path.write_bytes(content)
    before = path.stat()
    loaded = load_deck(data_dir)
    assert loaded.deck == shipped_deck()
    assert not loaded.customised
    assert loaded.problem is not None
    assert words in loaded.problem and str(path) in loaded.problem
    assert path.read_bytes() == content
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert is_customised(data_dir)


def test_an_unreadable_copy_falls_back_too(data_dir: Path) -> None:
    user_deck_path(data_dir).mkdir(parents=True)  # a folder where the file should be
    loaded = load_deck(data_dir)
    assert loaded.deck == shipped_deck()
    assert loaded.problem is not None and "could not be opened" in loaded.problem
    assert user_deck_path(data_dir).is_dir()


def test_a_missing_shipped_deck_never_crashes_loading(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts_module, "resource_path", lambda name: tmp_path / "gone" / name)
    loaded = load_deck(data_dir)
    assert loaded.deck == PromptDeck(()) and not loaded.customised
    assert loaded.problem is not None and "reinstall" in loaded.problem


def test_a_failed_save_leaves_the_old_file_and_no_temporary_file(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_deck(data_dir, DECK)
    path = user_deck_path(data_dir)
    before = path.read_bytes()

    def full_disk(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    changed = PromptDeck((PromptCategory("Other", ("Something new?",)),))
    with pytest.raises(PromptDeckError, match="the disk is full") as caught:
        save_deck(data_dir, changed)
    assert "Nothing was changed" in str(caught.value)
    assert path.read_bytes() == before
    assert [p.name for p in data_dir.iterdir()] == [USER_DECK_FILENAME]


def test_a_deck_that_cannot_be_saved_writes_nothing(data_dir: Path) -> None:
    with pytest.raises(PromptDeckError, match="no prompts to save"):
        save_deck(data_dir, PromptDeck((PromptCategory("Empty", ()),)))
    assert not data_dir.exists()


def test_saving_over_a_damaged_copy_keeps_that_copy(data_dir: Path) -> None:
    data_dir.mkdir()
    path = user_deck_path(data_dir)
    damaged = b"- My own prompt, written before any heading\n## Mine\n- Another\n"
    path.write_bytes(damaged)
    save_deck(data_dir, DECK)
    assert (data_dir / DAMAGED_COPY_FILENAME).read_bytes() == damaged
    assert load_deck(data_dir).deck == DECK

    path.write_bytes(b"oops")
    save_deck(data_dir, DECK)
    assert (data_dir / DAMAGED_COPY_FILENAME).read_bytes() == damaged
    assert (data_dir / "facilitator_prompts.damaged-2.md").read_bytes() == b"oops"
    save_deck(data_dir, DECK)  # a good file is simply replaced
    assert len(list(data_dir.iterdir())) == 3


def test_reset_goes_back_to_ours(data_dir: Path) -> None:
    reset_deck(data_dir)  # nothing to remove: fine
    save_deck(data_dir, DECK)
    reset_deck(data_dir)
    assert not is_customised(data_dir)
    assert not user_deck_path(data_dir).exists()
    assert load_deck(data_dir).deck == shipped_deck()


def test_a_failed_reset_says_so(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save_deck(data_dir, DECK)

    def refuse(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "unlink", refuse)
    with pytest.raises(PromptDeckError, match="not allowed"):
        reset_deck(data_dir)
    monkeypatch.undo()
    assert load_deck(data_dir).deck == DECK
