"""Attendance import as values: problems, the preview and the result. No SQLAlchemy, no Qt.

``attendance_import`` builds and re-exports these; a window can import them from here
without loading the database layer.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from functools import cached_property

from peercircle.domain import AttendanceStatus
from peercircle.services.roster_csv_parsing import RosterImportError


class AttendanceFormat(enum.StrEnum):
    """How a sheet is laid out: a list of marks, or a grid of people by meetings."""

    LONG = "long"
    GRID = "grid"

    @property
    def label(self) -> str:
        """How the form is named for people."""
        if self is AttendanceFormat.LONG:
            return "a list (one line per person per meeting)"
        return "a grid (one column per meeting)"


class ProblemKind(enum.StrEnum):
    UNKNOWN_NAME = "unknown_name"
    AMBIGUOUS_NAME = "ambiguous_name"
    BAD_NAME = "bad_name"
    """No name on a line with marks, or a name that cannot be a member's name."""
    UNREADABLE_DATE = "unreadable_date"
    MISSING_DATE = "missing_date"
    UNKNOWN_MARK = "unknown_mark"
    CONFLICT = "conflict"
    """The same person marked twice on one day, differently."""


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Column:
    """A column of the file: its position and its heading as written."""

    index: int
    heading: str

    @cached_property
    def letter(self) -> str:
        return column_letter(self.index)

    @cached_property
    def label(self) -> str:
        """The letter and heading, like D (2026-03-03); just the letter if there is none."""
        return f"{self.letter} ({self.heading})" if self.heading else self.letter


@dataclass(frozen=True)
class AttendanceProblem:
    """Something in the file that stops the import, and where it is."""

    row: int
    """The spreadsheet row number (the heading row is usually 1)."""
    column: str
    """The column's letter and heading, e.g. "D (2026-03-03)"."""
    message: str
    kind: ProblemKind
    column_index: int = 0
    """The column's 0-based position, to keep a row's problems in left-to-right order."""

    @property
    def location(self) -> str:
        return f"row {self.row}, column {self.column}"


STATUS_WORDS = {
    AttendanceStatus.PRESENT: "present",
    AttendanceStatus.LATE: "late",
    AttendanceStatus.EXCUSED: "excused",
    AttendanceStatus.ABSENT: "absent",
}


class AttendanceImportError(RosterImportError):
    """An attendance import that cannot go ahead; the message says why. Nothing was imported.

    A kind of RosterImportError, so callers that handle imports catch both with one type.
    """


class AttendanceOutdatedError(AttendanceImportError):
    """The group's members, meetings or marks changed since the preview; nothing was imported."""

    def __init__(self) -> None:
        super().__init__(
            "The group's members or attendance changed after the preview was made (perhaps "
            "in another window). Nothing was imported; please preview the file again."
        )


class MarkAction(enum.StrEnum):
    ADD = "add"
    CHANGE = "change"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class PlannedMark:
    """One mark the import writes (or finds already stored)."""

    date: dt.date
    member_id: int | None
    """None for someone the import adds as a new member (``name`` is then their name)."""
    name: str
    """The member's name as stored, or the new member's name as written in the file."""
    status: AttendanceStatus
    before: AttendanceStatus | None
    """What is stored now for this person on this day; None: nothing."""
    meeting_id: int | None
    """The existing meeting on that day; None: the import creates it."""

    @property
    def action(self) -> MarkAction:
        if self.before is None:
            return MarkAction.ADD
        return MarkAction.UNCHANGED if self.before is self.status else MarkAction.CHANGE


@dataclass(frozen=True)
class MeetingPreview:
    """One day of the file: its meeting (existing or new) and what the import does to it."""

    date: dt.date
    meeting_id: int | None
    """None: the import creates this meeting."""
    present: int = 0
    late: int = 0
    excused: int = 0
    absent: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def creates(self) -> bool:
        return self.meeting_id is None


@dataclass(frozen=True)
class NewMember:
    name: str
    first_visit_on: dt.date | None


@dataclass(frozen=True)
class AttendancePreview:
    """Everything a person needs to decide whether to import an attendance sheet."""

    group_id: int
    group_name: str
    format: AttendanceFormat
    encoding: str
    """How the file was read: "UTF-8", "UTF-8 with BOM", "UTF-16", "Windows-1252"."""
    delimiter: str
    ignored_columns: tuple[str, ...]
    problems: tuple[AttendanceProblem, ...]
    """Everything that stops the import, in file order. Empty: the file is clean."""
    unknown_names: tuple[str, ...]
    """Names in the file that are not members of the group (first spelling, file order)."""
    add_unknown: bool
    new_members: tuple[NewMember, ...]
    """The members the import adds (only with ``add_unknown``)."""
    meetings: tuple[MeetingPreview, ...]
    """One per day with marks, in date order."""
    marks: tuple[PlannedMark, ...]
    data: bytes = field(repr=False)

    @property
    def dates(self) -> tuple[dt.date, ...]:
        return tuple(m.date for m in self.meetings)

    @property
    def delimiter_name(self) -> str:
        return {",": "comma", ";": "semicolon", "\t": "tab"}.get(self.delimiter, self.delimiter)

    @property
    def new_member_names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.new_members)

    @property
    def meetings_created(self) -> int:
        return sum(1 for m in self.meetings if m.creates)

    @property
    def meetings_existing(self) -> int:
        return len(self.meetings) - self.meetings_created

    @property
    def marks_added(self) -> int:
        return sum(m.added for m in self.meetings)

    @property
    def marks_changed(self) -> int:
        return sum(m.changed for m in self.meetings)

    @property
    def marks_unchanged(self) -> int:
        return sum(m.unchanged for m in self.meetings)

    @property
    def has_problems(self) -> bool:
        return bool(self.problems)

    @property
    def has_changes(self) -> bool:
        """True if committing would write anything at all."""
        return bool(self.marks_added or self.marks_changed or self.new_members)

    @property
    def can_commit(self) -> bool:
        return self.has_changes and not self.has_problems


@dataclass(frozen=True)
class AttendanceImportResult:
    group_id: int
    group_name: str
    meetings_created: int
    marks_added: int
    marks_changed: int
    marks_unchanged: int
    members_added: tuple[str, ...]
    dates: tuple[dt.date, ...]

    def describe(self) -> str:
        """One sentence for a status bar or a terminal."""
        parts = [f"{plural(self.marks_added, 'mark')} added"]
        if self.marks_changed:
            parts.append(f"{self.marks_changed} changed")
        if self.meetings_created:
            parts.append(plural(self.meetings_created, "new meeting"))
        if self.members_added:
            parts.append(plural(len(self.members_added), "new member"))
        return f"Imported attendance into “{self.group_name}”: " + ", ".join(parts) + "."


def plural(n: int, word: str) -> str:
    """“1 mark”, “3 marks”."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
