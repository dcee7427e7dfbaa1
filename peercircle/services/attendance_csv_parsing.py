"""Reading an attendance sheet saved as CSV: a list of (date, name, mark) or a grid.

Plain Python, no database. Bytes to records come from ``roster_csv_parsing`` (the same
encodings, delimiters, size limit and date forms as roster import); this module finds the
heading row, tells the two forms apart and reads every mark, noting each problem with its
row and column. ``attendance_import`` matches the names against a group and plans the writes.

The two forms:

* **List** ("long"): one line per person per meeting, with a date column ("Date", "Day",
  "Meeting date", "Datum"…), a name column ("Name", "Member", "Participant"…, or "First
  name" + "Last name") and usually a mark column ("Status", "Attendance", "Mark",
  "Present"…). Without a mark column everyone listed was present. A blank date repeats the
  date above it, as a spreadsheet with merged date cells exports it (up to an empty line).
* **Grid** ("wide"): a name column and one column per meeting whose heading is its date.
  If the top-left heading is blank, the first column holds the names. Columns whose
  heading is neither a name nor a date ("Total", "Phone"…) are ignored and listed; a
  heading that looks like a date but cannot be read is a problem.

In both, a line whose name is "Total" (or "Sum", "Count") is a tally and is skipped, and
the heading row may have title lines above it.

A blank mark means "not marked": nothing is recorded for that person on that day.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from peercircle.domain import AttendanceStatus
from peercircle.services.attendance_import_types import (
    AttendanceFormat,
    AttendanceProblem,
    Column,
    ProblemKind,
)
from peercircle.services.roster_csv_parsing import (
    MAX_FILE_BYTES,
    RosterField,
    RosterFileError,
    decode_roster_bytes,
    field_for_header,
    header_key,
    parse_date,
    read_roster_file,
    slash_dates_day_first,
    split_records,
)

# The heading row is looked for among the first few non-blank lines, so a title line such
# as "Tuesday Circle — attendance 2026" above the headings does no harm.
_HEADER_SEARCH_LINES = 10


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Headings are compared after ``header_key`` (accents and case folded, only letters kept).
_DATE_HEADINGS = _words(
    "date day when meeting meetingdate meetingday dateofmeeting session sessiondate "
    "datum data fecha dzien"
)
_STATUS_HEADINGS = _words(
    "status attendance attendancestatus attended mark marks present presence here checkin "
    "checkedin tick anwesenheit obecnosc asistencia presenza"
)
# A line "named" like this is a tally under the people, not a person, and is skipped.
_TALLY_NAMES = _words("total totals sum count totalpresent numberpresent")
# Name headings beyond the roster's own ("Name", "Member", "Participant", "First name"…).
_EXTRA_NAME_HEADINGS = _words(
    "attendee attendeename person who names members participants teilnehmer teilnehmerin "
    "uczestnik participante asistente persona"
)

_PRESENT = ("x", "✓", "✔", "☑", "✅", "p", "present", "yes", "y", "1", "here")
_LATE = ("l", "late")
_EXCUSED = ("e", "excused", "exc")
_ABSENT = ("a", "absent", "no", "n", "0", "-", "–")
_MARKS: dict[str, AttendanceStatus] = {
    **dict.fromkeys(_PRESENT, AttendanceStatus.PRESENT),
    **dict.fromkeys(_LATE, AttendanceStatus.LATE),
    **dict.fromkeys(_EXCUSED, AttendanceStatus.EXCUSED),
    **dict.fromkeys(_ABSENT, AttendanceStatus.ABSENT),
}
MARKS_HINT = "x = present, L = late, E = excused, A = absent, blank = not marked"

_MONTH_WORD = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE
)
_NUMERIC_DATE_LIKE = re.compile(r"\d+\s*[./-]\s*\d+|^\d{8}$")
UNREADABLE_DATE = "is not a date PeerCircle can read (write dates like 2026-03-03)"


@dataclass(frozen=True)
class SheetName:
    """A name written on one line of the file."""

    row: int
    name: str
    column: Column


@dataclass(frozen=True)
class SheetMark:
    """One mark read from the file: who (as written), which day, how they were, and where."""

    row: int
    name: str
    date: dt.date
    status: AttendanceStatus
    column: Column
    """Where the mark is (the name's column when the list has no mark column)."""


@dataclass(frozen=True)
class ParsedAttendance:
    """An attendance file read into names and marks, before any name is matched."""

    format: AttendanceFormat
    encoding: str
    delimiter: str
    header_row: int
    ignored_columns: tuple[str, ...]
    names: tuple[SheetName, ...]
    """Every line's name, in file order (a line may name someone without any mark)."""
    marks: tuple[SheetMark, ...]
    problems: tuple[AttendanceProblem, ...] = field(default=())
    """Problems found in the file alone: unreadable dates, unknown marks, missing names."""

    @property
    def dates(self) -> tuple[dt.date, ...]:
        """Every day with at least one mark, in order."""
        return tuple(sorted({mark.date for mark in self.marks}))


def parse_mark(value: str) -> AttendanceStatus | None:
    """The status a cell stands for, None if blank; ValueError if it is not a known mark.

    Case, surrounding spaces and full-width letters (NFKC) are ignored.
    """
    key = unicodedata.normalize("NFKC", value).strip().casefold()
    if not key:
        return None
    try:
        return _MARKS[key]
    except KeyError:
        raise ValueError(value) from None


@lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """A name as compared: spaces trimmed and collapsed, case folded, Unicode composed (NFC).

    Accents are kept: “Ágnes” and “Agnes” may be two people.
    """
    return unicodedata.normalize("NFC", " ".join(name.split())).casefold()


def read_attendance_file(path: Path) -> bytes:
    """The bytes of ``path``, or RosterFileError with a message a person can act on."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_roster_file says why the file cannot be read
    if size > MAX_FILE_BYTES:
        raise RosterFileError(
            f"“{path.name}” is {size // (1024 * 1024)} MB, far too big for an attendance sheet."
        )
    return read_roster_file(path)


# ---- the heading row ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    format: AttendanceFormat
    header_index: int
    name_columns: dict[RosterField, Column]
    date_column: Column | None = None
    status_column: Column | None = None
    date_columns: tuple[tuple[Column, dt.date | None], ...] = ()
    """Grid: each meeting column and its date (None: the heading could not be read)."""
    ignored: tuple[str, ...] = ()


_NAME_FIELDS = (
    RosterField.DISPLAY_NAME,
    RosterField.FULL_NAME,
    RosterField.FIRST_NAME,
    RosterField.LAST_NAME,
)


def _name_field(heading: str) -> RosterField | None:
    fld = field_for_header(heading)
    if fld in _NAME_FIELDS:
        return fld
    if header_key(heading) in _EXTRA_NAME_HEADINGS:
        return RosterField.DISPLAY_NAME
    return None


def _looks_like_date(heading: str) -> bool:
    return any(ch.isdigit() for ch in heading) and bool(
        _NUMERIC_DATE_LIKE.search(heading) or _MONTH_WORD.search(heading)
    )


def _layout(header: Sequence[str], header_index: int) -> _Layout | None:
    """How a heading row lays the sheet out, or None if it is not an attendance heading."""
    names: dict[RosterField, Column] = {}
    date_column = status_column = None
    rest: list[Column] = []
    for index, raw in enumerate(header):
        heading = raw.strip()
        if not heading:
            continue
        column = Column(index, heading)
        key = header_key(heading)
        fld = _name_field(heading)
        if fld is not None and fld not in names:
            names[fld] = column
        elif key in _DATE_HEADINGS and date_column is None:
            date_column = column
        elif key in _STATUS_HEADINGS and status_column is None:
            status_column = column
        else:
            rest.append(column)
    if not names:
        if date_column is not None or (header and header[0].strip()):
            return None
        # A grid whose top-left cell was left blank: the names are in the first column.
        names[RosterField.DISPLAY_NAME] = Column(0, "")
    if date_column is not None:
        ignored = [c.heading for c in rest]
        return _Layout(
            AttendanceFormat.LONG,
            header_index,
            names,
            date_column=date_column,
            status_column=status_column,
            ignored=tuple(ignored),
        )
    # A grid: the heading row holds the dates. A "Status" heading there is not a date.
    if status_column is not None:
        rest.insert(0, status_column)
        rest.sort(key=lambda c: c.index)
    day_first = slash_dates_day_first(c.heading for c in rest)
    dated: list[tuple[Column, dt.date | None]] = []
    ignored = []
    for column in rest:
        try:
            day = parse_date(column.heading, day_first=day_first)
        except ValueError:
            day = None
        if day is not None:
            dated.append((column, day))
        elif _looks_like_date(column.heading):
            dated.append((column, None))
        else:
            ignored.append(column.heading)
    if not any(day is not None for _, day in dated):
        return None
    return _Layout(
        AttendanceFormat.GRID,
        header_index,
        names,
        date_columns=tuple(dated),
        ignored=tuple(ignored),
    )


def _has_content(record: Sequence[str]) -> bool:
    return any(cell.strip() for cell in record)


def _find_layout(records: list[list[str]]) -> _Layout:
    candidates = [i for i, record in enumerate(records) if _has_content(record)]
    if not candidates:
        raise RosterFileError("The file is empty.")
    for index in candidates[:_HEADER_SEARCH_LINES]:
        if (layout := _layout(records[index], index)) is not None:
            return layout
    searched = [records[i] for i in candidates[:_HEADER_SEARCH_LINES]]
    named = next((r for r in searched if any(_name_field(c.strip()) for c in r if c.strip())), None)
    if named is None:
        raise RosterFileError(
            "No column with people's names was found; the heading row should have a column "
            f"such as “Name”. The columns found were: {_headings(searched[0])}."
        )
    raise RosterFileError(
        "No meeting dates were found. PeerCircle reads a list with a “Date” column, or a grid "
        "with one column per meeting headed by its date (like 2026-03-03). "
        f"The columns found were: {_headings(named)}."
    )


def _headings(record: Iterable[str]) -> str:
    return ", ".join(f"“{cell.strip()}”" for cell in record if cell.strip())


# ---- the lines ---------------------------------------------------------------------------


def parse_attendance(data: bytes) -> ParsedAttendance:
    """Decode ``data`` and read its names and marks; RosterFileError if it is unusable.

    Problems with single cells (unreadable dates, unknown marks, marks without a name) are
    collected in ``problems`` rather than raised, so every one of them can be shown at once.
    """
    if len(data) > MAX_FILE_BYTES:
        raise RosterFileError(
            f"The file is {len(data) // (1024 * 1024)} MB, far too big for an attendance sheet."
        )
    decoded = decode_roster_bytes(data)
    delimiter, records = split_records(decoded.text)
    layout = _find_layout(records)
    reader = _LongReader(layout) if layout.format is AttendanceFormat.LONG else None
    names: list[SheetName] = []
    marks: list[SheetMark] = []
    problems: list[AttendanceProblem] = []
    if layout.format is AttendanceFormat.GRID:
        problems.extend(
            AttendanceProblem(
                layout.header_index + 1,
                column.label,
                f"The heading “{column.heading}” {UNREADABLE_DATE}.",
                ProblemKind.UNREADABLE_DATE,
                column.index,
            )
            for column, day in layout.date_columns
            if day is None
        )
    body = records[layout.header_index + 1 :]
    if reader is not None:
        reader.decide_day_first(body)
    for offset, record in enumerate(body):
        if not _has_content(record):
            if reader is not None:
                reader.blank_line()
            continue
        row = layout.header_index + 2 + offset
        if reader is not None:
            reader.read(row, record, names, marks, problems)
        else:
            _read_grid_row(layout, row, record, names, marks, problems)
    problems.sort(key=lambda p: (p.row, p.column_index))
    return ParsedAttendance(
        format=layout.format,
        encoding=decoded.encoding,
        delimiter=delimiter,
        header_row=layout.header_index + 1,
        ignored_columns=layout.ignored,
        names=tuple(names),
        marks=tuple(marks),
        problems=tuple(problems),
    )


def _cell(record: Sequence[str], column: Column | None) -> str:
    if column is None or column.index >= len(record):
        return ""
    return record[column.index].strip()


def _name_of(layout: _Layout, record: Sequence[str]) -> tuple[str, Column]:
    """The line's name and the column it is taken from (as roster import combines them)."""
    cols = layout.name_columns
    for fld in (RosterField.DISPLAY_NAME, RosterField.FULL_NAME):
        if fld in cols and (value := _cell(record, cols[fld])):
            return value, cols[fld]
    first_last = " ".join(
        part
        for part in (
            _cell(record, cols.get(RosterField.FIRST_NAME)),
            _cell(record, cols.get(RosterField.LAST_NAME)),
        )
        if part
    )
    first_column = min(cols.values(), key=lambda c: c.index)
    return first_last, cols.get(RosterField.FIRST_NAME, first_column)


def _mark_problem(row: int, column: Column, raw: str) -> AttendanceProblem:
    return AttendanceProblem(
        row,
        column.label,
        f"“{raw}” is not a mark PeerCircle knows ({MARKS_HINT}).",
        ProblemKind.UNKNOWN_MARK,
        column.index,
    )


def _no_name(row: int, column: Column) -> AttendanceProblem:
    return AttendanceProblem(
        row, column.label, "This line has marks but no name.", ProblemKind.BAD_NAME, column.index
    )


def _read_grid_row(
    layout: _Layout,
    row: int,
    record: Sequence[str],
    names: list[SheetName],
    marks: list[SheetMark],
    problems: list[AttendanceProblem],
) -> None:
    name, name_column = _name_of(layout, record)
    if header_key(name) in _TALLY_NAMES:
        return
    if name:
        names.append(SheetName(row, name, name_column))
    marked = False
    for column, day in layout.date_columns:
        raw = _cell(record, column)
        if not raw:
            continue
        marked = True
        try:
            status = parse_mark(raw)
        except ValueError:
            problems.append(_mark_problem(row, column, raw))
            continue
        if name and day is not None and status is not None:
            marks.append(SheetMark(row, name, day, status, column))
    if marked and not name:
        problems.append(_no_name(row, name_column))


class _LongReader:
    """Reads a list line by line, carrying a blank date down from the line above."""

    _UNREADABLE = object()

    def __init__(self, layout: _Layout) -> None:
        assert layout.date_column is not None
        self._layout = layout
        self._date_column = layout.date_column
        self._status_column = layout.status_column
        self._day_first = True
        self._current: dt.date | object | None = None

    def decide_day_first(self, body: Iterable[Sequence[str]]) -> None:
        self._day_first = slash_dates_day_first(_cell(r, self._date_column) for r in body)

    def blank_line(self) -> None:
        """An empty line ends a block: the date above does not carry past it."""
        self._current = None

    def read(
        self,
        row: int,
        record: Sequence[str],
        names: list[SheetName],
        marks: list[SheetMark],
        problems: list[AttendanceProblem],
    ) -> None:
        name, name_column = _name_of(self._layout, record)
        if header_key(name) in _TALLY_NAMES:
            return
        raw_date = _cell(record, self._date_column)
        if raw_date:
            try:
                self._current = parse_date(raw_date, day_first=self._day_first)
            except ValueError:
                self._current = self._UNREADABLE
                problems.append(
                    AttendanceProblem(
                        row,
                        self._date_column.label,
                        f"“{raw_date}” {UNREADABLE_DATE}.",
                        ProblemKind.UNREADABLE_DATE,
                        self._date_column.index,
                    )
                )
        status: AttendanceStatus | None = AttendanceStatus.PRESENT
        column = name_column
        if self._status_column is not None:
            column = self._status_column
            raw = _cell(record, column)
            try:
                status = parse_mark(raw)
            except ValueError:
                problems.append(_mark_problem(row, column, raw))
                status = None
            if raw and not name:
                problems.append(_no_name(row, name_column))
        if not name:
            return  # a line with only a date sets the date for the lines below it
        names.append(SheetName(row, name, name_column))
        if status is None:
            return
        if self._current is None:
            problems.append(
                AttendanceProblem(
                    row,
                    self._date_column.label,
                    "This line has no date.",
                    ProblemKind.MISSING_DATE,
                    self._date_column.index,
                )
            )
        elif isinstance(self._current, dt.date):
            marks.append(SheetMark(row, name, self._current, status, column))
