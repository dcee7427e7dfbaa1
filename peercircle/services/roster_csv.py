"""Roster CSV import and export: a preview first, then one all-or-nothing transaction.

``preview_roster_import`` reads a file and says, row by row, what would be added, updated,
left unchanged or rejected and why. ``commit_roster_import`` plans the same import again
inside its transaction and refuses (writing nothing) if the plan is not the one previewed,
so what is written is exactly what the person saw. Plain Python, no Qt.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.orm import Session

from peercircle.db import Database
from peercircle.db.models import Base, Group, Member, Membership
from peercircle.domain import Role
from peercircle.files import write_atomically
from peercircle.services.roster import RosterService
from peercircle.services.roster_csv_parsing import (
    RosterField,
    RosterFileError,
    RosterImportError,
    parse_roster,
    read_roster_file,
    role_label,
)
from peercircle.services.roster_import_plan import (
    DRAFT_ATTRS,
    ImportAction,
    Plan,
    PreviewRow,
    plan_import,
)
from peercircle.services.roster_types import MemberDraft

__all__ = [
    "EXPORT_COLUMNS",
    "ImportAction",
    "ImportOutdatedError",
    "ImportPreview",
    "ImportResult",
    "PreviewRow",
    "RosterField",
    "RosterFileError",
    "RosterImportError",
    "commit_roster_import",
    "export_roster_csv",
    "preview_roster_import",
    "read_roster_file",
]

EXPORT_COLUMNS: tuple[RosterField, ...] = (
    RosterField.DISPLAY_NAME,
    RosterField.FULL_NAME,
    RosterField.PRONOUNS,
    RosterField.EMAIL,
    RosterField.PHONE,
    RosterField.EMERGENCY_CONTACT,
    RosterField.JOINED,
    RosterField.FIRST_VISIT,
    RosterField.STATUS,
    RosterField.MAY_CONTACT,
    RosterField.ROLE,
)


class ImportOutdatedError(RosterImportError):
    """The members changed between the preview and the commit; nothing was imported."""

    def __init__(self) -> None:
        super().__init__(
            "The roster changed after the preview was made (perhaps in another window). "
            "Nothing was imported; please preview the file again."
        )


@dataclass(frozen=True)
class ImportPreview:
    """Everything a person needs to decide whether to go ahead with an import."""

    group_name: str
    group_id: int | None
    """None when the group does not exist yet: committing creates it."""
    rows: list[PreviewRow]
    column_mapping: dict[str, RosterField]
    """Each recognised heading, as written in the file, and what it was read as."""
    ignored_columns: list[str]
    encoding: str
    delimiter: str
    data: bytes = field(repr=False)

    def _count(self, action: ImportAction) -> int:
        return sum(1 for row in self.rows if row.action is action)

    @property
    def added(self) -> int:
        return self._count(ImportAction.ADD)

    @property
    def updated(self) -> int:
        return self._count(ImportAction.UPDATE)

    @property
    def unchanged(self) -> int:
        return self._count(ImportAction.UNCHANGED)

    @property
    def rejected(self) -> int:
        return self._count(ImportAction.REJECT)

    @property
    def creates_group(self) -> bool:
        return self.group_id is None

    @property
    def has_changes(self) -> bool:
        """True if committing would write anything at all."""
        return self.added + self.updated > 0

    @property
    def delimiter_name(self) -> str:
        return {",": "comma", ";": "semicolon", "\t": "tab"}.get(self.delimiter, self.delimiter)


@dataclass(frozen=True)
class ImportResult:
    group_id: int | None
    """None only if nothing was written and the group did not exist."""
    group_name: str
    group_created: bool
    added: int
    updated: int
    unchanged: int
    rejected: int


# ---- planning ----------------------------------------------------------------------------


# ---- preview and commit ------------------------------------------------------------------


def preview_roster_import(db: Database, data: bytes, group_name: str) -> ImportPreview:
    """Read ``data`` (a CSV file's bytes) and say what importing it into ``group_name`` does.

    The group is matched ignoring case; if there is none it will be created on commit.
    Raises RosterFileError if the file cannot be used at all, RosterImportError if the group
    name is not acceptable or the group is archived. Writes nothing.
    """
    parsed = parse_roster(data)
    with db.session() as s:
        plan = plan_import(s, parsed, group_name)
    return ImportPreview(
        group_name=plan.group_name,
        group_id=plan.group_id,
        rows=plan.rows,
        column_mapping=parsed.column_mapping,
        ignored_columns=parsed.ignored_columns,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        data=data,
    )


def commit_roster_import(db: Database, preview: ImportPreview) -> ImportResult:
    """Write the previewed import in one transaction: all of it, or (on any error) none of it.

    Raises ImportOutdatedError, writing nothing, if the members or the group changed since
    ``preview`` was made. Rejected rows are skipped; if every row is rejected nothing is
    written and no group is created.
    """
    parsed = parse_roster(preview.data)
    with db.session() as s:
        plan = plan_import(s, parsed, preview.group_name)
        if plan.rows != preview.rows or plan.group_id != preview.group_id:
            raise ImportOutdatedError()
        result = ImportResult(
            group_id=plan.group_id,
            group_name=plan.group_name,
            group_created=False,
            added=preview.added,
            updated=preview.updated,
            unchanged=preview.unchanged,
            rejected=preview.rejected,
        )
        if all(row.action is ImportAction.REJECT for row in plan.rows):
            return result
        group_id = plan.group_id
        if group_id is None:
            group = Group(name=plan.group_name)
            s.add(group)
            s.flush()
            group_id = group.id
        new_ids = _insert_members(s, [r for r in plan.rows if r.action is ImportAction.ADD])
        _update_members(s, [r for r in plan.rows if r.action is ImportAction.UPDATE])
        _insert_memberships(s, group_id, plan, new_ids)
        _update_roles(s, group_id, plan.rows)
    return replace(result, group_id=group_id, group_created=plan.group_id is None)


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _draft_values(draft: MemberDraft | None) -> dict[str, Any]:
    assert draft is not None
    return {attr: getattr(draft, attr) for attr in DRAFT_ATTRS}


def _insert_members(s: Session, rows: list[PreviewRow]) -> list[int]:
    """Insert the new members in one statement; their ids, in the order of ``rows``."""
    if not rows:
        return []
    stmt = insert(Member).returning(Member.id, sort_by_parameter_order=True)
    return list(s.scalars(stmt, [_draft_values(r.draft) for r in rows]))


def _update_members(s: Session, rows: list[PreviewRow]) -> None:
    """Write changed and restored members, bumping each version as an edit would."""
    params = [
        {
            "b_id": r.member_id,
            "b_version": r.version,
            **{f"b_{attr}": value for attr, value in _draft_values(r.draft).items()},
        }
        for r in rows
        if r.restores or any(c is not RosterField.ROLE for c in r.changes)
    ]
    if not params:
        return
    members = _table("members")
    stmt = (
        update(members)
        .where(members.c.id == bindparam("b_id"), members.c.version == bindparam("b_version"))
        .values(
            {
                **{attr: bindparam(f"b_{attr}") for attr in DRAFT_ATTRS},
                "archived_at": None,
                "version": members.c.version + 1,
            }
        )
    )
    result = s.execute(stmt, params)
    if result.rowcount != len(params):  # type: ignore[attr-defined]
        raise ImportOutdatedError()


def _insert_memberships(s: Session, group_id: int, plan: Plan, new_ids: list[int]) -> None:
    ids = iter(new_ids)
    params = []
    seat = plan.next_seat
    for row in plan.rows:
        member_id = next(ids) if row.action is ImportAction.ADD else row.member_id
        if row.joins_group:
            params.append(
                {
                    "group_id": group_id,
                    "member_id": member_id,
                    "role": row.role or Role.MEMBER,
                    "seat_order": seat,
                }
            )
            seat += 1
    if params:
        s.execute(insert(Membership), params)


def _update_roles(s: Session, group_id: int, rows: list[PreviewRow]) -> None:
    params = [
        {"b_member": r.member_id, "b_role": r.role}
        for r in rows
        if r.action is ImportAction.UPDATE and not r.joins_group and r.role is not None
    ]
    if params:
        memberships = _table("memberships")
        s.execute(
            update(memberships)
            .where(
                memberships.c.group_id == group_id,
                memberships.c.member_id == bindparam("b_member"),
            )
            .values(role=bindparam("b_role")),
            params,
        )


# ---- export ------------------------------------------------------------------------------


def export_roster_csv(
    db: Database,
    group_id: int | None,
    path: str | os.PathLike[str],
    *,
    include_archived: bool = False,
) -> int:
    """Write the group's members in seating order (everyone, by name, if ``group_id`` is None).

    UTF-8 with a BOM, commas, CRLF line ends and ISO dates, so spreadsheets open it as-is and
    PeerCircle reads it back unchanged. The file is replaced atomically and readable by the
    user only. Returns the number of members written. Raises NotFoundError for an unknown
    group and OSError if the file cannot be written (any earlier file is left as it was).
    """
    roster = RosterService(db)
    if group_id is not None:
        roster.get_group(group_id)
    members = roster.list_members(group_id, include_archived=include_archived)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([str(c) for c in EXPORT_COLUMNS])
    for m in members:
        writer.writerow(
            [
                m.display_name,
                m.full_name,
                m.pronouns,
                m.email,
                m.phone,
                m.emergency_contact,
                _iso(m.joined_on),
                _iso(m.first_visit_on),
                m.status.value,
                "yes" if m.may_contact else "no",
                role_label(m.role) if m.role is not None else "",
            ]
        )
    write_atomically(Path(path), buffer.getvalue().encode("utf-8-sig"))
    return len(members)


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""
