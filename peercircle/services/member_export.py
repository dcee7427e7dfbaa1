"""Everything stored about one member, for them to have (GDPR articles 15 and 20): a JSON file
a machine can read and a PDF a person can.

The facilitator's private notes about them and the text of their follow-ups are included
only when the notes and follow-ups services are given, and then only while the vault is
unlocked. The files are written readable by the user only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from peercircle.db import Database
from peercircle.db.models import (
    Attendance,
    FollowUp,
    Group,
    Meeting,
    Member,
    Membership,
    Note,
    Round,
    RoundTurn,
)
from peercircle.files import os_error_reason, write_atomically
from peercircle.pdf.member_export import (
    ExportedAttendance,
    ExportedFollowUp,
    ExportedMember,
    ExportedMembership,
    ExportedNote,
    ExportedTurn,
    MemberExport,
    build_member_export,
)
from peercircle.services.follow_ups import FollowUpService
from peercircle.services.lookups import values_by_id
from peercircle.services.notes import NoteService
from peercircle.services.roster_types import NotFoundError, name_sort_key

EXPORT_FORMAT = "peercircle-member-export"
EXPORT_VERSION = 1


class ExportError(Exception):
    """The export could not be written; the message says where and why."""


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def gather(
    db: Database,
    member_id: int,
    *,
    notes: NoteService | None,
    follow_ups: FollowUpService | None,
    now: Callable[[], dt.datetime] = _utc_now,
) -> MemberExport:
    """Everything stored about ``member_id``. Private notes and the follow-ups' reasons and
    outcomes only when ``notes`` and ``follow_ups`` are given (both or neither); then the
    vault must be unlocked (VaultLockedError otherwise). NotFoundError if there is no such
    member."""
    if (notes is None) != (follow_ups is None):
        raise ValueError("Give both the notes and the follow-ups service, or neither.")
    private = notes is not None and follow_ups is not None
    if follow_ups is not None:
        # Asks the vault first, so a locked vault refuses even for a member with no notes.
        follow_ups.follow_ups(now().date(), member_id=member_id, include_done=False)
    with db.session() as s:
        member = s.get(Member, member_id)
        if member is None:
            raise NotFoundError("That member no longer exists.")
        exported = ExportedMember(
            id=member.id,
            display_name=member.display_name,
            full_name=member.full_name,
            pronouns=member.pronouns,
            email=member.email,
            phone=member.phone,
            emergency_contact=member.emergency_contact,
            joined_on=member.joined_on,
            first_visit_on=member.first_visit_on,
            status=member.status,
            may_contact=member.may_contact,
            archived_at=member.archived_at,
            created_at=member.created_at,
            updated_at=member.updated_at,
        )
        memberships = tuple(
            ExportedMembership(name, role, seat, joined)
            for name, role, seat, joined in s.execute(
                select(Group.name, Membership.role, Membership.seat_order, Membership.created_at)
                .join(Group, Group.id == Membership.group_id)
                .where(Membership.member_id == member_id)
            )
        )
        memberships = tuple(sorted(memberships, key=lambda m: name_sort_key(m.group_name)))
        attendance = tuple(
            ExportedAttendance(day, name, status)
            for day, name, status in s.execute(
                select(Meeting.date, Group.name, Attendance.status)
                .join(Meeting, Meeting.id == Attendance.meeting_id)
                .join(Group, Group.id == Meeting.group_id)
                .where(Attendance.member_id == member_id)
                .order_by(Meeting.date, Group.name, Meeting.id)
            )
        )
        turns = tuple(
            ExportedTurn(
                date=t.date,
                group_name=t.name,
                duration_seconds=t.duration_seconds,
                allotted_seconds=t.allotted_seconds,
                passed=t.passed,
                check_in_later=t.check_in_later,
                came_back=t.came_back,
            )
            for t in s.execute(
                select(
                    Meeting.date,
                    Group.name,
                    RoundTurn.duration_seconds,
                    RoundTurn.allotted_seconds,
                    RoundTurn.passed,
                    RoundTurn.check_in_later,
                    RoundTurn.came_back,
                )
                .join(Round, Round.id == RoundTurn.round_id)
                .join(Meeting, Meeting.id == Round.meeting_id)
                .join(Group, Group.id == Meeting.group_id)
                .where(RoundTurn.member_id == member_id)
                .order_by(Meeting.date, Round.started_at, RoundTurn.position)
            )
        )
        follow_up_rows = s.execute(
            select(
                FollowUp.id,
                FollowUp.due_date,
                FollowUp.done_at,
                FollowUp.source,
                FollowUp.group_id,
            )
            .where(FollowUp.member_id == member_id)
            .order_by(FollowUp.due_date, FollowUp.id)
        ).all()
        group_names = values_by_id(s, Group.id, Group.name, (r.group_id for r in follow_up_rows))
        note_groups = sorted(
            set(s.scalars(select(Note.group_id).where(Note.member_id == member_id)))
        )
        note_group_names = values_by_id(s, Group.id, Group.name, note_groups)

    exported_follow_ups = []
    for row in follow_up_rows:
        reason = outcome = None
        if follow_ups is not None:
            info = follow_ups.follow_up(row.id)
            reason, outcome = info.reason, info.outcome or None
        exported_follow_ups.append(
            ExportedFollowUp(
                due_date=row.due_date,
                done_at=row.done_at,
                source=row.source,
                group_name=group_names.get(row.group_id) if row.group_id is not None else None,
                reason=reason,
                outcome=outcome,
            )
        )
    exported_notes: list[ExportedNote] = []
    if notes is not None:
        for group_id in note_groups:
            for note in notes.notes(group_id, member_id=member_id):
                exported_notes.append(
                    ExportedNote(
                        group_name=note_group_names.get(group_id, ""),
                        meeting_date=note.meeting_date,
                        title=note.title,
                        body=note.body,
                        tags=note.tags,
                        created_at=note.created_at,
                        updated_at=note.updated_at,
                    )
                )
        exported_notes.sort(key=lambda n: (n.created_at, n.title))
    return MemberExport(
        exported_at=now(),
        member=exported,
        memberships=memberships,
        attendance=attendance,
        round_turns=turns,
        follow_ups=tuple(exported_follow_ups),
        notes=tuple(exported_notes),
        private_notes_included=private,
    )


# ---- JSON ----------------------------------------------------------------------------------


def _moment(value: dt.datetime | None) -> str | None:
    """A stored UTC time as ISO 8601 with its zone: "2026-11-24T18:30:00Z"."""
    return None if value is None else value.replace(microsecond=0).isoformat() + "Z"


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _seconds(value: float) -> float:
    return round(value, 1)


def export_data(export: MemberExport) -> dict[str, Any]:
    """The export as plain JSON-ready values."""
    m = export.member
    follow_ups = []
    for f in export.follow_ups:
        item: dict[str, Any] = {
            "due_date": _day(f.due_date),
            "done_at": _moment(f.done_at),
            "source": f.source.value,
            "group": f.group_name,
        }
        if export.private_notes_included:
            item["reason"] = f.reason
            item["outcome"] = f.outcome
        follow_ups.append(item)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _moment(export.exported_at),
        "private_notes_included": export.private_notes_included,
        "member": {
            "id": m.id,
            "display_name": m.display_name,
            "full_name": m.full_name,
            "pronouns": m.pronouns,
            "email": m.email,
            "phone": m.phone,
            "emergency_contact": m.emergency_contact,
            "joined_on": _day(m.joined_on),
            "first_visit_on": _day(m.first_visit_on),
            "status": m.status.value,
            "may_contact": m.may_contact,
            "archived_at": _moment(m.archived_at),
            "created_at": _moment(m.created_at),
            "updated_at": _moment(m.updated_at),
        },
        "memberships": [
            {
                "group": g.group_name,
                "role": g.role.value,
                "seat_order": g.seat_order,
                "joined": _moment(g.joined),
            }
            for g in export.memberships
        ],
        "attendance": [
            {"date": _day(a.date), "group": a.group_name, "mark": a.mark.value}
            for a in export.attendance
        ],
        "round_turns": [
            {
                "date": _day(t.date),
                "group": t.group_name,
                "duration_seconds": _seconds(t.duration_seconds),
                "allotted_seconds": _seconds(t.allotted_seconds),
                "passed": t.passed,
                "check_in_later": t.check_in_later,
                "came_back": t.came_back,
            }
            for t in export.round_turns
        ],
        "follow_ups": follow_ups,
        # null, not []: "not included" must not read as "there are none".
        "notes": (
            [
                {
                    "group": n.group_name,
                    "meeting_date": _day(n.meeting_date),
                    "title": n.title,
                    "body": n.body,
                    "tags": list(n.tags),
                    "created_at": _moment(n.created_at),
                    "updated_at": _moment(n.updated_at),
                }
                for n in export.notes
            ]
            if export.private_notes_included
            else None
        ),
    }


def to_json(export: MemberExport) -> str:
    """The export as JSON text: UTF-8 ready (names unescaped), indented."""
    return json.dumps(export_data(export), ensure_ascii=False, indent=2)


# ---- files ---------------------------------------------------------------------------------


def default_pdf_path(json_path: Path) -> Path:
    """The PDF beside the JSON file, with the same name: "Ágnes.json" -> "Ágnes.pdf"."""
    return json_path.with_suffix(".pdf")


def write_member_export(export: MemberExport, json_path: Path, pdf_path: Path | None) -> None:
    """Write the JSON file and (unless ``pdf_path`` is None) the PDF, each completely or not
    at all, readable by the user only. Raises ExportError; then neither file is left new."""
    pdf = io.BytesIO()
    if pdf_path is not None:
        build_member_export(export, pdf)
    json_data = (to_json(export) + "\n").encode("utf-8")
    existed = json_path.exists()
    try:
        write_atomically(json_path, json_data)
    except OSError as exc:
        raise ExportError(f"Could not save {json_path}: {os_error_reason(exc)}.") from exc
    if pdf_path is None:
        return
    try:
        write_atomically(pdf_path, pdf.getvalue())
    except OSError as exc:
        if not existed:  # one file without the other would be a half-done export
            with contextlib.suppress(OSError):
                os.unlink(json_path)
        raise ExportError(f"Could not save {pdf_path}: {os_error_reason(exc)}.") from exc


__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "ExportError",
    "ExportedAttendance",
    "ExportedFollowUp",
    "ExportedMember",
    "ExportedMembership",
    "ExportedNote",
    "ExportedTurn",
    "MemberExport",
    "default_pdf_path",
    "export_data",
    "gather",
    "to_json",
    "write_member_export",
]
