"""Reading a roster spreadsheet saved as CSV: bytes to text, columns to roster fields.

Plain Python, no database: decoding (UTF-8 with or without BOM, UTF-16, Windows-1252),
delimiter detection, loose header matching and the value formats spreadsheets produce
(dates in several orders, yes/no in several spellings). ``roster_csv`` builds on this.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import enum
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from peercircle.domain import MemberStatus, Role

MAX_FILE_BYTES = 50 * 1024 * 1024
"""A roster of thousands of people is well under a megabyte; anything this big is not one."""

_DELIMITERS = ",;\t"
_SNIFF_SAMPLE = 16_384
_CONTROL_SHARE_LIMIT = 0.05


class RosterImportError(Exception):
    """A roster import that cannot go ahead; the message says why. Nothing was imported."""


class RosterFileError(RosterImportError):
    """The file cannot be read as a roster at all; the message says why."""


class RosterField(enum.StrEnum):
    """A roster column PeerCircle understands; the value is the heading it exports."""

    DISPLAY_NAME = "Name"
    FULL_NAME = "Full name"
    FIRST_NAME = "First name"
    LAST_NAME = "Last name"
    PRONOUNS = "Pronouns"
    EMAIL = "E-mail"
    PHONE = "Phone"
    EMERGENCY_CONTACT = "Emergency contact"
    JOINED = "Joined"
    FIRST_VISIT = "First visit"
    STATUS = "Status"
    MAY_CONTACT = "May contact"
    ROLE = "Role"


# Headings are compared after ``header_key``: accents folded, case folded, and anything
# that is not a letter or digit dropped, so "E-mail", "e_mail" and "EMAIL" are all "email".
_SYNONYMS: dict[RosterField, tuple[str, ...]] = {
    RosterField.DISPLAY_NAME: (
        "name",
        "displayname",
        "preferredname",
        "nickname",
        "goesby",
        "member",
        "membername",
        "participant",
        "participantname",
    ),
    RosterField.FULL_NAME: ("fullname", "legalname"),
    RosterField.FIRST_NAME: (
        "firstname",
        "first",
        "givenname",
        "forename",
        "imie",
        "vorname",
        "prenom",
        "nombre",
    ),
    RosterField.LAST_NAME: (
        "lastname",
        "last",
        "surname",
        "familyname",
        "nazwisko",
        "nachname",
        "nom",
        "apellido",
        "apellidos",
    ),
    RosterField.PRONOUNS: ("pronouns", "pronoun"),
    RosterField.EMAIL: ("email", "emailaddress", "mail"),
    RosterField.PHONE: (
        "phone",
        "phonenumber",
        "telephone",
        "tel",
        "mobile",
        "cell",
        "cellphone",
        "mobilephone",
        "telefon",
        "telefono",
    ),
    RosterField.EMERGENCY_CONTACT: ("emergencycontact", "emergency"),
    RosterField.JOINED: (
        "joined",
        "joindate",
        "joinedon",
        "datejoined",
        "membersince",
        "startdate",
    ),
    RosterField.FIRST_VISIT: ("firstvisit", "firstvisiton", "firstattended"),
    RosterField.STATUS: ("status",),
    RosterField.MAY_CONTACT: ("maycontact", "maybecontacted", "oktocontact", "consent"),
    RosterField.ROLE: ("role",),
}
_FIELD_BY_KEY = {key: fld for fld, keys in _SYNONYMS.items() for key in keys}

_YES = {"yes", "y", "true", "1", "x", "tak", "ja", "oui", "si"}
_NO = {"no", "n", "false", "0", "nie", "nein", "non"}
_TICKS = {"✓", "✔", "☑"}
_STATUS = {
    **dict.fromkeys(("active", "current"), MemberStatus.ACTIVE),
    **dict.fromkeys(("inactive", "paused", "onhold", "away"), MemberStatus.INACTIVE),
    **dict.fromkeys(("alumni", "alumnus", "alumna", "alum", "former", "past"), MemberStatus.ALUMNI),
}
_ROLES = {
    **dict.fromkeys(("member", "participant"), Role.MEMBER),
    **dict.fromkeys(("cofacilitator", "facilitator", "cofac"), Role.CO_FACILITATOR),
}

_TIME_SUFFIX = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_YEAR_FIRST = re.compile(rf"^(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME_SUFFIX}$")
_DOTTED = re.compile(rf"^(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}}){_TIME_SUFFIX}$")
_SLASHED = re.compile(rf"^(\d{{1,2}})[/-](\d{{1,2}})[/-](\d{{4}}){_TIME_SUFFIX}$")


def header_key(text: str) -> str:
    """A heading reduced to lower-case letters and digits, accents folded ("Imię" → "imie")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum() and not _is_mark(ch))


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def field_for_header(text: str) -> RosterField | None:
    """The roster field a column heading stands for, or None if it is not one we know."""
    return _FIELD_BY_KEY.get(header_key(text))


# ---- bytes to text ---------------------------------------------------------------------


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    """How the file was read, for people: "UTF-8", "UTF-8 with BOM", "UTF-16", "Windows-1252"."""


_NOT_TEXT = (
    "This file doesn't look like a CSV text file. In your spreadsheet, choose "
    "File › Save As… (or Download) › CSV, then import that file."
)
_WORKBOOK = (
    "This looks like a spreadsheet workbook (such as .xlsx or .ods), not a CSV file. "
    "In your spreadsheet, choose File › Save As… (or Download) › CSV, then import that file."
)


def read_roster_file(path: Path) -> bytes:
    """The bytes of ``path``, or RosterFileError with a message a person can act on."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RosterFileError(
                f"“{path.name}” is {size // (1024 * 1024)} MB, far too big for a roster file."
            )
        return path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise RosterFileError(f"Could not read “{path}”: {reason}.") from exc


def decode_roster_bytes(data: bytes) -> DecodedText:
    """Decode a spreadsheet's CSV export, refusing anything that is not text."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise RosterFileError("The file is empty.")
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise RosterFileError(
            "This file is saved as UTF-32 text, which PeerCircle does not read. "
            "Please save it as “CSV UTF-8” instead."
        )
    if data.startswith(codecs.BOM_UTF8):
        decoded = DecodedText(_decode(data, "utf-8-sig"), "UTF-8 with BOM")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        decoded = DecodedText(_decode(data, "utf-16"), "UTF-16")
    elif (bom_less := _bomless_utf16(data)) is not None:
        decoded = DecodedText(_decode(data, bom_less), "UTF-16")
    else:
        if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
            raise RosterFileError(_WORKBOOK)
        if b"\x00" in data:
            raise RosterFileError(_NOT_TEXT)
        try:
            decoded = DecodedText(data.decode("utf-8"), "UTF-8")
        except UnicodeDecodeError:
            decoded = DecodedText(_decode(data, "cp1252"), "Windows-1252")
    _refuse_control_characters(decoded.text)
    if not decoded.text.strip():
        raise RosterFileError("The file is empty.")
    return decoded


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise RosterFileError(_NOT_TEXT) from exc


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte order mark: mostly-ASCII text leaves every other byte zero."""
    head = data[:400]
    if len(head) < 8 or len(data) % 2:
        return None
    even_zeros, odd_zeros = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if odd_zeros > half * 0.6 and even_zeros < half * 0.1:
        return "utf-16-le"
    if even_zeros > half * 0.6 and odd_zeros < half * 0.1:
        return "utf-16-be"
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _refuse_control_characters(text: str) -> None:
    """Binary data decodes to many control characters; a real roster has (almost) none."""
    if "\x00" in text or len(_CONTROL.findall(text)) > len(text) * _CONTROL_SHARE_LIMIT:
        raise RosterFileError(_NOT_TEXT)


# ---- text to records -------------------------------------------------------------------


def detect_delimiter(text: str) -> str:
    """Comma, semicolon or tab: ask csv.Sniffer, and trust the heading line when it disagrees."""
    header = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    counts = {d: _count_outside_quotes(header, d) for d in _DELIMITERS}
    by_header = max(_DELIMITERS, key=lambda d: counts[d])  # ties keep the earlier: comma
    try:
        sniffed = csv.Sniffer().sniff(text[:_SNIFF_SAMPLE], delimiters=_DELIMITERS).delimiter
    except csv.Error:
        return by_header if counts[by_header] else ","
    if counts.get(sniffed, 0) == 0 and counts[by_header] > 0:
        return by_header
    return sniffed


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


_SEP_LINE = re.compile(r"^sep=(.)\r?\n", re.IGNORECASE)


def split_records(text: str) -> tuple[str, list[list[str]]]:
    """The delimiter and every record (quoted delimiters and line breaks kept in their cell).

    Excel's "sep=;" first line, when present, names the delimiter and is not a record.
    """
    if match := _SEP_LINE.match(text):
        delimiter, text = match.group(1), text[match.end() :]
    else:
        delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        return delimiter, list(reader)
    except csv.Error as exc:  # e.g. a field larger than csv.field_size_limit()
        raise RosterFileError(f"This file could not be read as CSV ({exc}).") from exc


# ---- records to roster rows -------------------------------------------------------------


@dataclass(frozen=True)
class SourceRow:
    """One non-blank data row: its spreadsheet row number and the cells we understood."""

    row_number: int
    cells: Mapping[RosterField, str]

    def get(self, fld: RosterField) -> str:
        return self.cells.get(fld, "").strip()


@dataclass(frozen=True)
class ParsedRoster:
    """A roster file read into rows, before anything is compared with the database."""

    encoding: str
    delimiter: str
    column_mapping: dict[str, RosterField]
    ignored_columns: list[str]
    rows: list[SourceRow]
    day_first: dict[RosterField, bool] = field(default_factory=dict)
    """For each date column: read "3/4/2024" as 3 April (True) or March 4 (False)."""

    def has(self, fld: RosterField) -> bool:
        return fld in self.column_mapping.values()


_DATE_FIELDS = (RosterField.JOINED, RosterField.FIRST_VISIT)


def parse_roster(data: bytes) -> ParsedRoster:
    """Decode ``data`` and read its heading row and data rows; RosterFileError if unusable."""
    decoded = decode_roster_bytes(data)
    delimiter, records = split_records(decoded.text)
    header_index = next((i for i, record in enumerate(records) if _has_content(record)), None)
    if header_index is None:
        raise RosterFileError("The file is empty.")
    header = [cell.strip() for cell in records[header_index]]

    positions: dict[RosterField, int] = {}
    mapping: dict[str, RosterField] = {}
    ignored: list[str] = []
    for position, heading in enumerate(header):
        if not heading:
            continue
        fld = field_for_header(heading)
        if fld is None or fld in positions:
            ignored.append(heading)
        else:
            positions[fld] = position
            mapping[heading] = fld
    if not (RosterField.DISPLAY_NAME in positions or RosterField.FIRST_NAME in positions) and (
        RosterField.FULL_NAME not in positions
    ):
        raise RosterFileError(_no_name_column_message(h for h in header if h))

    rows = []
    for index in range(header_index + 1, len(records)):
        record = records[index]
        if not _has_content(record):
            continue
        cells = {fld: record[pos] for fld, pos in positions.items() if pos < len(record)}
        rows.append(SourceRow(row_number=index + 1, cells=cells))
    day_first = {
        fld: slash_dates_day_first(row.get(fld) for row in rows)
        for fld in _DATE_FIELDS
        if fld in positions
    }
    return ParsedRoster(
        encoding=decoded.encoding,
        delimiter=delimiter,
        column_mapping=mapping,
        ignored_columns=ignored,
        rows=rows,
        day_first=day_first,
    )


def _has_content(record: list[str]) -> bool:
    return any(cell.strip() for cell in record)


def _no_name_column_message(headings: Iterable[str]) -> str:
    found = ", ".join(f"“{h}”" for h in headings)
    return (
        "No column with people's names was found; the first row should hold headings "
        f"such as “Name” or “First name”. The columns found were: {found}."
    )


# ---- cell values -------------------------------------------------------------------------


def slash_dates_day_first(values: Iterable[str]) -> bool:
    """Decide how a column writes "a/b/yyyy": day first unless some value proves month first."""
    month_first = False
    for value in values:
        match = _SLASHED.match(value.strip())
        if match is None:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12:
            return True
        if second > 12:
            month_first = True
    return not month_first


def parse_date(value: str, *, day_first: bool = True) -> dt.date | None:
    """A date written as YYYY-MM-DD, YYYY/MM/DD, DD.MM.YYYY or D/M/YYYY (M/D/YYYY if told).

    Returns None for an empty value; raises ValueError for anything else it cannot read.
    """
    value = value.strip()
    if not value:
        return None
    if match := _YEAR_FIRST.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DOTTED.match(value):
        day, month, year = (int(g) for g in match.groups())
    elif match := _SLASHED.match(value):
        a, b, year = (int(g) for g in match.groups())
        day, month = (a, b) if day_first else (b, a)
    else:
        raise ValueError(value)
    return dt.date(year, month, day)


def parse_yes_no(value: str) -> bool | None:
    """True/False for yes/no in the usual spellings, None if empty; ValueError otherwise."""
    value = value.strip()
    if not value:
        return None
    if value in _TICKS:
        return True
    key = header_key(value)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueError(value)


def parse_status(value: str) -> MemberStatus | None:
    """Active, inactive or alumni (a few looser words too), None if empty; ValueError otherwise."""
    if not value.strip():
        return None
    try:
        return _STATUS[header_key(value)]
    except KeyError:
        raise ValueError(value) from None


def parse_role(value: str) -> Role | None:
    """Member or co-facilitator, None if empty; ValueError otherwise."""
    if not value.strip():
        return None
    try:
        return _ROLES[header_key(value)]
    except KeyError:
        raise ValueError(value) from None


def role_label(role: Role) -> str:
    return "co-facilitator" if role is Role.CO_FACILITATOR else "member"
