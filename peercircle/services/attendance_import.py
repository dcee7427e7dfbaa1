"""Attendance import: a paper or spreadsheet history previewed first, then saved whole.

``preview_attendance_import`` reads a sheet (see ``attendance_csv_parsing`` for the two
forms it accepts), matches its names against the members of one existing group and says
what would be written: which meetings are created, which marks are added, changed or
already there, and every problem with its row and column. ``commit_attendance_import``
plans the same import again inside its transaction and refuses, writing nothing, if the
file has problems or if the plan is no longer the one previewed. Plain Python, no Qt.

Rules, decided here:

* Names match the group's members (archived ones too: this is history) by display name,
  ignoring case and surrounding or repeated spaces; failing that, by full name. Two
  members with that name make it ambiguous. A name that is not in the group is a problem,
  unless ``add_unknown``: then it becomes a new member of the group, whose first visit is
  the first day the file shows them present or late.
* One meeting per group and day: an existing meeting of the group on that day is used
  (the oldest, if there are several), otherwise one is created with the group's place.
  Only days with at least one mark get a meeting.
* A stored mark is changed only if the file says something different; a blank cell never
  removes one. The same person marked twice on one day is fine if the marks agree, and a
  problem if they do not.
"""

from __future__ import annotations

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from peercircle.db import Database
from peercircle.db.models import Base, Meeting, Member
from peercircle.domain import MemberStatus
from peercircle.services.attendance_csv_parsing import parse_attendance, read_attendance_file
from peercircle.services.attendance_import_plan import Plan, find_group, plan_import
from peercircle.services.attendance_import_types import (
    AttendanceFormat,
    AttendanceImportError,
    AttendanceImportResult,
    AttendanceOutdatedError,
    AttendancePreview,
    AttendanceProblem,
    MarkAction,
    MeetingPreview,
    NewMember,
    PlannedMark,
    ProblemKind,
    plural,
)
from peercircle.services.roster import add_membership
from peercircle.services.roster_csv_parsing import RosterFileError, RosterImportError

__all__ = [
    "AttendanceFormat",
    "AttendanceImportError",
    "AttendanceImportResult",
    "AttendanceOutdatedError",
    "AttendancePreview",
    "AttendanceProblem",
    "MarkAction",
    "MeetingPreview",
    "NewMember",
    "PlannedMark",
    "ProblemKind",
    "RosterFileError",
    "RosterImportError",
    "commit_attendance_import",
    "preview_attendance_import",
    "read_attendance_file",
]


# ---- preview and commit ------------------------------------------------------------------


def preview_attendance_import(
    db: Database, data: bytes, group_name: str, *, add_unknown: bool = False
) -> AttendancePreview:
    """Read ``data`` (a CSV file's bytes) and say what importing it into ``group_name`` does.

    The group must exist and not be archived (matched ignoring case and spaces). Raises
    RosterFileError if the file cannot be used at all, AttendanceImportError for a group
    that cannot be used. Problems inside the file are returned in ``problems``. Writes
    nothing.
    """
    parsed = parse_attendance(data)
    with db.session() as s:
        plan = plan_import(s, parsed, find_group(s, group_name), add_unknown=add_unknown)
    return AttendancePreview(
        group_id=plan.group_id,
        group_name=plan.group_name,
        format=parsed.format,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        ignored_columns=parsed.ignored_columns,
        problems=plan.problems,
        unknown_names=plan.unknown_names,
        add_unknown=add_unknown,
        new_members=plan.new_members,
        meetings=plan.meetings,
        marks=plan.marks,
        data=data,
    )


def commit_attendance_import(db: Database, preview: AttendancePreview) -> AttendanceImportResult:
    """Write the previewed import in one transaction: all of it, or (on any error) none.

    Raises AttendanceImportError if the preview lists problems, and AttendanceOutdatedError
    if the group, its members, its meetings or their marks changed since the preview in a
    way that changes the plan. A preview with nothing to change writes nothing.
    """
    if preview.problems:
        raise AttendanceImportError(
            f"Nothing was imported: the file has {plural(len(preview.problems), 'problem')}. "
            "Please correct the file (or choose to add the unknown names) and try again."
        )
    parsed = parse_attendance(preview.data)
    try:
        with db.session() as s:
            try:
                plan = plan_import(s, parsed, preview.group_id, add_unknown=preview.add_unknown)
            except AttendanceImportError as exc:  # the group was archived or removed
                raise AttendanceOutdatedError() from exc
            if not plan.same_as(preview):
                raise AttendanceOutdatedError()
            if preview.has_changes:
                _write(s, plan)
    except OperationalError as exc:
        # In WAL mode a transaction that read and then tries to write after another
        # connection committed cannot write (SQLITE_BUSY_SNAPSHOT): what it read is stale.
        if getattr(exc.orig, "sqlite_errorname", None) == "SQLITE_BUSY_SNAPSHOT":
            raise AttendanceOutdatedError() from exc
        raise
    return AttendanceImportResult(
        group_id=plan.group_id,
        group_name=plan.group_name,
        meetings_created=preview.meetings_created if preview.has_changes else 0,
        marks_added=preview.marks_added,
        marks_changed=preview.marks_changed,
        marks_unchanged=preview.marks_unchanged,
        members_added=preview.new_member_names,
        dates=preview.dates,
    )


# ---- writing -----------------------------------------------------------------------------


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _write(s: Session, plan: Plan) -> None:
    """Add the new members, then the missing meetings, then the marks; one transaction."""
    new_ids: dict[str, int] = {}
    if plan.new_members:
        ids = s.scalars(
            insert(Member).returning(Member.id, sort_by_parameter_order=True),
            [
                {
                    "display_name": m.name,
                    "first_visit_on": m.first_visit_on,
                    "status": MemberStatus.ACTIVE,
                }
                for m in plan.new_members
            ],
        ).all()
        new_ids = {m.name: member_id for m, member_id in zip(plan.new_members, ids, strict=True)}
        for m in plan.new_members:  # seated after everyone, in the file's order
            add_membership(s, new_ids[m.name], plan.group_id)
    meeting_ids = {m.date: m.meeting_id for m in plan.meetings if m.meeting_id is not None}
    to_create = [m.date for m in plan.meetings if m.meeting_id is None]
    if to_create:
        created = s.scalars(
            insert(Meeting).returning(Meeting.id, sort_by_parameter_order=True),
            [
                {"group_id": plan.group_id, "date": day, "place": plan.group_place}
                for day in to_create
            ],
        ).all()
        meeting_ids.update(zip(to_create, created, strict=True))
    additions = [
        {
            "meeting_id": meeting_ids[m.date],
            "member_id": m.member_id if m.member_id is not None else new_ids[m.name],
            "status": m.status,
        }
        for m in plan.marks
        if m.action is MarkAction.ADD
    ]
    if additions:
        s.execute(insert(_table("attendance")), additions)  # Core: no ORM overhead
    changes = [
        {"b_meeting": m.meeting_id, "b_member": m.member_id, "b_status": m.status}
        for m in plan.marks
        if m.action is MarkAction.CHANGE
    ]
    if changes:
        attendance = _table("attendance")
        s.execute(
            update(attendance)
            .where(
                attendance.c.meeting_id == bindparam("b_meeting"),
                attendance.c.member_id == bindparam("b_member"),
            )
            .values(status=bindparam("b_status")),
            changes,
        )
