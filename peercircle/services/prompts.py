"""The facilitator's prompt deck: open questions and reflections, kept in a plain text file.

PeerCircle ships a deck in ``resources/facilitator_prompts.md``; once the facilitator edits
it, their copy lives in the data folder and is used instead. The file is a small subset of
Markdown a person can edit in any text editor::

    # PeerCircle facilitator prompts
    A paragraph about the file (ignored).

    ## Opening the round
    - How are you arriving today?

No Qt here: the round window and the editor dialog use these functions.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from peercircle.files import os_error_reason, write_atomically
from peercircle.resources import resource_path

__all__ = [
    "DAMAGED_COPY_FILENAME",
    "MAX_NAME_LENGTH",
    "MAX_PROMPT_LENGTH",
    "USER_DECK_FILENAME",
    "LoadedDeck",
    "PromptCategory",
    "PromptDeck",
    "PromptDeckError",
    "check_deck",
    "clean_name",
    "clean_prompt",
    "format_deck",
    "is_customised",
    "load_deck",
    "name_problem",
    "parse_deck",
    "prompt_problem",
    "reset_deck",
    "save_deck",
    "shipped_deck",
    "user_deck_path",
]

USER_DECK_FILENAME = "facilitator_prompts.md"
DAMAGED_COPY_FILENAME = "facilitator_prompts.damaged.md"
MAX_PROMPT_LENGTH = 500
MAX_NAME_LENGTH = 80
MAX_FILE_BYTES = 1_000_000  # a deck is a few kilobytes; anything this big is not one

TITLE = "# PeerCircle facilitator prompts"
# No line here may start with "#" or "-": it would be read as a heading or a prompt.
INTRO = """\
Gentle questions and reflections for you, the facilitator, to glance at during a sharing
round. Only you see them: they never appear in the presenter view. Change them in
PeerCircle (Facilitator Prompts) or in any text editor. A line that starts with ## names a
category, and each line that starts with a dash and a space is one prompt. Blank lines are
ignored."""

_HEADING = re.compile(r"(#+)(.*)")
_BULLET = re.compile(r"[-*+](?:\s+(.*)|$)")
# C0 and C1 control characters: never part of a prompt (tabs and newlines become spaces).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LEADING_HASHES = re.compile(r"^[#\s]+")


class PromptDeckError(ValueError):
    """A prompts file (or a deck about to be saved) that cannot be used, and why.

    ``line`` is the line of the file the problem is on, when there is one; ``reason`` is
    the message without it.
    """

    def __init__(self, reason: str, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(f"Line {line}: {reason}" if line is not None else reason)


@dataclass(frozen=True)
class PromptCategory:
    name: str
    prompts: tuple[str, ...]


@dataclass(frozen=True)
class PromptDeck:
    categories: tuple[PromptCategory, ...]

    def all_prompts(self) -> list[tuple[str, str]]:
        """Every prompt with the name of its category, in deck order."""
        return [(c.name, prompt) for c in self.categories for prompt in c.prompts]

    @property
    def prompt_count(self) -> int:
        return sum(len(c.prompts) for c in self.categories)

    def category(self, name: str) -> PromptCategory | None:
        return next((c for c in self.categories if c.name == name), None)


@dataclass(frozen=True)
class LoadedDeck:
    """The deck to use: the facilitator's own copy (``customised``) or the one we ship.

    ``problem`` says, in words for the facilitator, why their copy could not be used.
    """

    deck: PromptDeck
    customised: bool
    problem: str | None = None


# ---- text --------------------------------------------------------------------------------


def clean_prompt(text: str) -> str:
    """``text`` on one line: control characters dropped, runs of spaces made one."""
    return " ".join(_CONTROL.sub(" ", text).split())


def clean_name(text: str) -> str:
    """A category name on one line, without the heading's ``#`` marks in front."""
    return _LEADING_HASHES.sub("", clean_prompt(text))


def name_problem(name: str) -> str | None:
    """Why ``name`` (already cleaned) cannot name a category, or None."""
    if not name:
        return "A category needs a name."
    if len(name) > MAX_NAME_LENGTH:
        return f"A category name can be at most {MAX_NAME_LENGTH} characters long."
    return None


def prompt_problem(prompt: str) -> str | None:
    """Why ``prompt`` (already cleaned) cannot be a prompt, or None."""
    if not prompt:
        return "A prompt cannot be empty."
    if len(prompt) > MAX_PROMPT_LENGTH:
        return f"A prompt can be at most {MAX_PROMPT_LENGTH} characters long."
    return None


def parse_deck(text: str) -> PromptDeck:
    """Read a prompts file. Raises PromptDeckError (with the line) if it cannot be used.

    Blank lines and the paragraph before the first category are ignored; a line of text
    straight after a prompt carries that prompt on (a text editor may have wrapped it).
    """
    if "\x00" in text:
        raise PromptDeckError("This does not look like a text file.")
    categories: list[tuple[str, list[str]]] = []
    first_seen: dict[str, int] = {}
    continuing = False  # the line before was a prompt, so plain text carries it on
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continuing = False
            continue
        heading = _HEADING.fullmatch(line)
        bullet = None if heading else _BULLET.fullmatch(line)
        if heading and len(heading[1]) == 1:
            if categories:
                raise PromptDeckError(
                    "A category heading starts with two hash marks, like “## Closing”.", number
                )
            continuing = False  # the title
        elif heading:
            name = clean_name(heading[2])
            problem = name_problem(name)
            if problem:
                raise PromptDeckError(problem, number)
            if name.casefold() in first_seen:
                raise PromptDeckError(
                    f"There is already a category called “{name}” (line "
                    f"{first_seen[name.casefold()]}). Please give each one its own name.",
                    number,
                )
            first_seen[name.casefold()] = number
            categories.append((name, []))
            continuing = False
        elif bullet:
            if not categories:
                raise PromptDeckError(
                    "This prompt comes before any category. Put a heading such as "
                    "“## Open questions” above it.",
                    number,
                )
            prompt = clean_prompt(bullet[1] or "")
            continuing = bool(prompt)
            if prompt:
                _add_prompt(categories[-1][1], prompt, number)
        elif continuing:
            prompts = categories[-1][1]
            _add_prompt(prompts, clean_prompt(f"{prompts.pop()} {line}"), number)
        elif categories:
            raise PromptDeckError(
                "Each prompt goes on a line that starts with a dash and a space (“- ”).", number
            )
    deck = PromptDeck(tuple(PromptCategory(name, tuple(ps)) for name, ps in categories))
    if not deck.prompt_count:
        raise PromptDeckError(
            "There are no prompts in it. Each prompt is a line starting with “- ” under a "
            "category heading starting with “## ”."
        )
    return deck


def _add_prompt(prompts: list[str], prompt: str, line: int) -> None:
    problem = prompt_problem(prompt)
    if problem:
        raise PromptDeckError(problem, line)
    prompts.append(prompt)


def format_deck(deck: PromptDeck) -> str:
    """The text of a prompts file for ``deck``; ``parse_deck`` reads it back unchanged."""
    lines = [TITLE, "", INTRO]
    for category in deck.categories:
        lines += ["", f"## {category.name}", *(f"- {prompt}" for prompt in category.prompts)]
    return "\n".join(lines) + "\n"


def check_deck(deck: PromptDeck) -> None:
    """Raise PromptDeckError if ``deck`` could not be saved and read back as it is."""
    seen: set[str] = set()
    for category in deck.categories:
        problem = name_problem(category.name)
        if problem is None and category.name.casefold() in seen:
            problem = f"There are two categories called “{category.name}”."
        problem = problem or next(filter(None, map(prompt_problem, category.prompts)), None)
        if problem:
            raise PromptDeckError(problem)
        seen.add(category.name.casefold())
    if not deck.prompt_count:
        raise PromptDeckError(
            "There are no prompts to save. Add at least one, or restore our prompts."
        )
    try:
        same = parse_deck(format_deck(deck)) == deck
    except PromptDeckError:
        same = False
    if not same:
        raise PromptDeckError("Some prompts or category names have line breaks or odd spacing.")


# ---- files -------------------------------------------------------------------------------


def user_deck_path(data_dir: Path) -> Path:
    return data_dir / USER_DECK_FILENAME


def is_customised(data_dir: Path) -> bool:
    """Whether the facilitator has their own prompts file (readable or not)."""
    return os.path.lexists(user_deck_path(data_dir))


def shipped_deck() -> PromptDeck:
    """The deck PeerCircle ships. Raises PromptDeckError if it is missing or damaged."""
    try:
        text = resource_path("facilitator_prompts.md").read_text(encoding="utf-8-sig")
        return parse_deck(text)
    except (OSError, UnicodeDecodeError, PromptDeckError) as exc:
        raise PromptDeckError(
            "PeerCircle's own prompts are missing or damaged; please reinstall PeerCircle."
        ) from exc


def load_deck(data_dir: Path) -> LoadedDeck:
    """The facilitator's own deck if they have one that reads well, otherwise ours.

    Never raises and never changes a file: whatever is wrong is told in ``problem``.
    """
    path = user_deck_path(data_dir)
    problem: str | None = None
    try:
        return LoadedDeck(_read_deck(path), customised=True)
    except FileNotFoundError:
        pass
    except PromptDeckError as exc:
        problem = (
            f"Your prompts file could not be used. {exc} PeerCircle's own prompts are shown "
            f"instead, and your file was left as it is: {path}. If you save prompts here, a "
            f"copy of it is kept as {DAMAGED_COPY_FILENAME}."
        )
    try:
        deck = shipped_deck()
    except PromptDeckError as exc:
        message = f"{problem} {exc}" if problem else str(exc)
        return LoadedDeck(PromptDeck(()), customised=False, problem=message)
    return LoadedDeck(deck, customised=False, problem=problem)


def _read_deck(path: Path) -> PromptDeck:
    """The deck in ``path``. Raises FileNotFoundError if there is no file there, and
    PromptDeckError (whose message says why) if it cannot be read or used."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise PromptDeckError(f"It could not be opened ({os_error_reason(exc)}).") from exc
    if len(data) > MAX_FILE_BYTES:
        raise PromptDeckError("It is far too big to be a prompts file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PromptDeckError(
            "Some of its letters could not be read; it should be saved as UTF-8 text."
        ) from exc
    return parse_deck(text)


def save_deck(data_dir: Path, deck: PromptDeck) -> None:
    """Make ``deck`` the facilitator's deck: written completely or not at all, readable by
    the user only. A file there that could not be read is kept under another name first.

    Raises PromptDeckError, with a message for the facilitator, if it could not be saved
    (the file there before is then unchanged)."""
    check_deck(deck)
    data = format_deck(deck).encode("utf-8")
    path = user_deck_path(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        _keep_damaged_copy(path)
        write_atomically(path, data)
    except OSError as exc:
        raise PromptDeckError(
            f"Your prompts could not be saved ({os_error_reason(exc)}). Nothing was changed."
        ) from exc


def reset_deck(data_dir: Path) -> None:
    """Go back to the prompts we ship: the facilitator's own file is removed."""
    path = user_deck_path(data_dir)
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise PromptDeckError(
            f"Our prompts could not be put back ({os_error_reason(exc)}). "
            f"Your file is still at {path}."
        ) from exc


def _keep_damaged_copy(path: Path) -> None:
    """Before ``path`` is replaced: if it holds a file that cannot be used, copy it aside so
    that hand-made prompts with one slip in them are never lost."""
    try:
        _read_deck(path)
    except FileNotFoundError:
        return
    except PromptDeckError:
        data = path.read_bytes()  # unreadable: the OSError stops the save
        stem, suffix = DAMAGED_COPY_FILENAME.rsplit(".", 1)
        copy = path.with_name(DAMAGED_COPY_FILENAME)
        number = 2
        while os.path.lexists(copy):
            copy = path.with_name(f"{stem}-{number}.{suffix}")
            number += 1
        write_atomically(copy, data)
