"""Planning a roster import: what happens to each row of a file, decided against the database.

Reads only: loads the members once, then decides each row in file order (add, update,
unchanged or reject, and why). ``roster_csv`` shows the plan as a preview and writes it.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peercircle.db.models import Group, Member, Membership
from peercircle.domain import MemberStatus, Role
from peercircle.services.roster_csv_parsing import (
    ParsedRoster,
    RosterField,
    RosterImportError,
    SourceRow,
    parse_date,
    parse_role,
    parse_status,
    parse_yes_no,
)
from peercircle.services.roster_types import (
    GroupDraft,
    MemberDraft,
    clean_group,
    member_errors,
    trim_member,
)
from peercircle.services.validation import ValidationError

# MemberDraft attribute -> the column it comes from, in the order changes are listed.
DRAFT_FIELDS: tuple[tuple[str, RosterField], ...] = (
    ("display_name", RosterField.DISPLAY_NAME),
    ("full_name", RosterField.FULL_NAME),
    ("pronouns", RosterField.PRONOUNS),
    ("email", RosterField.EMAIL),
    ("phone", RosterField.PHONE),
    ("emergency_contact", RosterField.EMERGENCY_CONTACT),
    ("joined_on", RosterField.JOINED),
    ("first_visit_on", RosterField.FIRST_VISIT),
    ("status", RosterField.STATUS),
    ("may_contact", RosterField.MAY_CONTACT),
)
DRAFT_ATTRS = tuple(attr for attr, _ in DRAFT_FIELDS)

_UNREADABLE_DATE = "is not a date PeerCircle can read (write dates like 2024-03-05)"
# Columns whose cells are read, not just trimmed: (column, what it is, what is expected).
_CELL_READERS: tuple[tuple[RosterField, str, str], ...] = (
    (RosterField.JOINED, "The joined date", _UNREADABLE_DATE),
    (RosterField.FIRST_VISIT, "The first visit date", _UNREADABLE_DATE),
    (RosterField.STATUS, "The status", "should be active, inactive or alumni"),
    (RosterField.MAY_CONTACT, "“May contact”", "should be yes or no"),
    (RosterField.ROLE, "The role", "should be member or co-facilitator"),
)


class ImportAction(enum.StrEnum):
    ADD = "add"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REJECT = "reject"


@dataclass(frozen=True)
class PreviewRow:
    """What the import does with one row of the file.

    ``reason`` is the sentence to show: why a row is rejected, what an update changes, or a
    note on an addition. For add/update rows ``draft`` holds the member exactly as they will
    be stored, ``role`` the role they will have in the group (None: left as it is).
    """

    row_number: int
    action: ImportAction
    display_name: str
    reason: str = ""
    changes: tuple[RosterField, ...] = ()
    member_id: int | None = None
    restores: bool = False
    joins_group: bool = False
    role: Role | None = None
    draft: MemberDraft | None = None
    version: int | None = field(default=None, repr=False)


@dataclass(frozen=True)
class _Stored:
    """A stored member as loaded in bulk; the draft is built only for those a row matches."""

    id: int
    display_name: str
    email: str
    archived: bool
    version: int
    values: tuple[Any, ...]

    def draft(self) -> MemberDraft:
        return MemberDraft(**dict(zip(DRAFT_ATTRS, self.values, strict=True)))


@dataclass(frozen=True)
class _RowValues:
    draft: MemberDraft
    provided: frozenset[str]
    role: Role | None
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    group_name: str
    group_id: int | None
    rows: list[PreviewRow]
    next_seat: int


def _clean_group_name(name: str) -> str:
    try:
        return clean_group(GroupDraft(name)).name
    except ValidationError as exc:
        raise RosterImportError(str(exc)) from exc


def _find_group(s: Session, name: str) -> tuple[int | None, str]:
    wanted = name.casefold()
    for group_id, group_name, archived_at in s.execute(
        select(Group.id, Group.name, Group.archived_at)
    ):
        if group_name.casefold() == wanted:
            if archived_at is not None:
                raise RosterImportError(
                    f"The group “{group_name}” is archived. Restore it before importing into it."
                )
            return group_id, group_name
    return None, name


def _load_members(s: Session) -> list[_Stored]:
    cols = [getattr(Member, attr) for attr in DRAFT_ATTRS]
    stmt = select(Member.id, Member.archived_at, Member.version, *cols).order_by(Member.id)
    return [
        _Stored(r[0], r[3], r[6], r[1] is not None, r[2], tuple(r[3:])) for r in s.execute(stmt)
    ]


def plan_import(s: Session, parsed: ParsedRoster, group_name: str) -> Plan:
    group_id, group_name = _find_group(s, _clean_group_name(group_name))
    memberships: dict[int, Role] = {}
    next_seat = 0
    if group_id is not None:
        for member_id, role, seat in s.execute(
            select(Membership.member_id, Membership.role, Membership.seat_order).where(
                Membership.group_id == group_id
            )
        ):
            memberships[member_id] = role
            next_seat = max(next_seat, seat + 1)
    planner = _Planner(_load_members(s), memberships, parsed, group_name)
    rows = [planner.plan_row(row) for row in parsed.rows]
    return Plan(group_name, group_id, rows, next_seat)


class _Planner:
    """Decides each row in file order, remembering earlier rows to spot repeats."""

    def __init__(
        self,
        stored: list[_Stored],
        memberships: dict[int, Role],
        parsed: ParsedRoster,
        group_name: str,
    ) -> None:
        self._memberships = memberships
        self._group_name = group_name
        self._by_email: dict[str, list[_Stored]] = defaultdict(list)
        self._by_name: dict[str, list[_Stored]] = defaultdict(list)
        for member in stored:
            if member.email:
                self._by_email[member.email.casefold()].append(member)
            self._by_name[member.display_name].append(member)
        self._parsers: dict[RosterField, Callable[[str], Any]] = {
            RosterField.JOINED: partial(
                parse_date, day_first=parsed.day_first.get(RosterField.JOINED, True)
            ),
            RosterField.FIRST_VISIT: partial(
                parse_date, day_first=parsed.day_first.get(RosterField.FIRST_VISIT, True)
            ),
            RosterField.STATUS: parse_status,
            RosterField.MAY_CONTACT: parse_yes_no,
            RosterField.ROLE: parse_role,
        }
        self._readers = [r for r in _CELL_READERS if parsed.has(r[0])]
        self._seen_email: dict[str, int] = {}
        self._seen_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self._seen_member: dict[int, int] = {}

    def plan_row(self, source: SourceRow) -> PreviewRow:
        values = self._values(source)
        name, number = values.draft.display_name, source.row_number
        if not name:
            return PreviewRow(number, ImportAction.REJECT, "", "No name.")
        if values.problems:
            return PreviewRow(number, ImportAction.REJECT, name, " ".join(values.problems))
        email = values.draft.email.casefold()
        if earlier := self._earlier_row(name, email):
            return PreviewRow(number, ImportAction.REJECT, name, f"Same person as row {earlier}.")
        match = self._match(values.draft)
        if isinstance(match, str):
            return PreviewRow(number, ImportAction.REJECT, name, match)
        if match is not None and match.id in self._seen_member:
            earlier = self._seen_member[match.id]
            return PreviewRow(number, ImportAction.REJECT, name, f"Same person as row {earlier}.")

        if email:
            self._seen_email[email] = number
        self._seen_name[name].append((number, email))
        if match is None:
            return self._add(number, values)
        self._seen_member[match.id] = number
        return self._update(number, values, match)

    def _values(self, source: SourceRow) -> _RowValues:
        """The row as a trimmed draft, which fields it gives, and what is wrong with it."""
        problems: list[str] = []
        first_last = " ".join(
            p for p in (source.get(RosterField.FIRST_NAME), source.get(RosterField.LAST_NAME)) if p
        )
        display = source.get(RosterField.DISPLAY_NAME)
        full = source.get(RosterField.FULL_NAME)
        if not display:
            display = first_last or full
        elif first_last and not full and first_last != display:
            full = first_last

        cell: dict[RosterField, Any] = {}
        for fld, what, expected in self._readers:
            raw = source.get(fld)
            if raw:
                try:
                    cell[fld] = self._parsers[fld](raw)
                except ValueError:
                    problems.append(f"{what} “{raw}” {expected}.")
        joined = cell.get(RosterField.JOINED)
        first_visit = cell.get(RosterField.FIRST_VISIT)
        status = cell.get(RosterField.STATUS)
        may_contact = cell.get(RosterField.MAY_CONTACT)
        role = cell.get(RosterField.ROLE)
        draft = trim_member(
            MemberDraft(
                display_name=display,
                full_name=full,
                pronouns=source.get(RosterField.PRONOUNS),
                email=source.get(RosterField.EMAIL),
                phone=source.get(RosterField.PHONE),
                emergency_contact=source.get(RosterField.EMERGENCY_CONTACT),
                joined_on=joined,
                first_visit_on=first_visit,
                status=status or MemberStatus.ACTIVE,
                may_contact=bool(may_contact),
            )
        )
        if draft.display_name:
            problems[:0] = member_errors(draft).values()
        provided = {attr for attr in DRAFT_ATTRS[:6] if getattr(draft, attr)}
        provided.update(
            attr
            for attr, value in (
                ("joined_on", joined),
                ("first_visit_on", first_visit),
                ("status", status),
                ("may_contact", may_contact),
            )
            if value is not None
        )
        return _RowValues(draft, frozenset(provided), role, tuple(problems))

    def _earlier_row(self, name: str, email: str) -> int | None:
        """The earlier row of this file that is the same person, if any."""
        if email and email in self._seen_email:
            return self._seen_email[email]
        for number, other_email in self._seen_name.get(name, ()):
            if not (email and other_email and email != other_email):
                return number
        return None

    def _match(self, draft: MemberDraft) -> _Stored | str | None:
        """The stored member this row is about, None for a newcomer, or why it is unclear.

        E-mail decides first. Failing that the exact name does, unless both the row and the
        namesake have e-mail addresses and they differ: then they are two different people.
        """
        email, name = draft.email.casefold(), draft.display_name
        if email and (hits := self._by_email.get(email)):
            if len(hits) == 1:
                return hits[0]
            named = [m for m in hits if m.display_name == name]
            if len(named) == 1:
                return named[0]
            return (
                f"{len(hits)} members have the e-mail address {draft.email}; "
                "give them different addresses in PeerCircle first."
            )
        namesakes = [m for m in self._by_name.get(name, ()) if not (email and m.email)]
        if len(namesakes) == 1:
            return namesakes[0]
        if len(namesakes) > 1:
            return (
                f"{len(namesakes)} members are called “{name}”; add an e-mail to tell them apart."
            )
        return None

    def _add(self, number: int, values: _RowValues) -> PreviewRow:
        name = values.draft.display_name
        note = ""
        if self._by_name.get(name):
            note = f"Another member called “{name}” has a different e-mail address."
        return PreviewRow(
            number,
            ImportAction.ADD,
            name,
            note,
            joins_group=True,
            role=values.role or Role.MEMBER,
            draft=values.draft,
        )

    def _update(self, number: int, values: _RowValues, stored: _Stored) -> PreviewRow:
        before = stored.draft()
        provided = set(values.provided)
        if values.draft.email.casefold() == before.email.casefold():
            provided.discard("email")  # the same address; keep it as it was typed before
        merged = replace(before, **{attr: getattr(values.draft, attr) for attr in provided})
        changes = [
            fld for attr, fld in DRAFT_FIELDS if getattr(merged, attr) != getattr(before, attr)
        ]
        current_role = self._memberships.get(stored.id)
        joins = current_role is None
        role: Role | None = None
        if joins:
            role = values.role or Role.MEMBER
        elif values.role is not None and values.role is not current_role:
            role = values.role
            changes.append(RosterField.ROLE)
        name = merged.display_name
        if not (changes or joins or stored.archived):
            return PreviewRow(
                number, ImportAction.UNCHANGED, name, "Already up to date.", member_id=stored.id
            )
        notes = []
        if changes:
            notes.append("Changes " + ", ".join(_lower_first(str(c)) for c in changes))
        if stored.archived:
            notes.append("restores them from the archive")
        if joins:
            notes.append(f"adds them to {self._group_name}")
        reason = "; ".join(notes)
        return PreviewRow(
            number,
            ImportAction.UPDATE,
            name,
            reason[0].upper() + reason[1:] + ".",
            changes=tuple(changes),
            member_id=stored.id,
            restores=stored.archived,
            joins_group=joins,
            role=role,
            draft=merged,
            version=stored.version,
        )


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:]
