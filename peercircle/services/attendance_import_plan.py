"""Planning an attendance import: the file's names and marks decided against one group.

Reads only. Matches each distinct name once, finds the group's meetings and stored marks,
and returns what ``attendance_import`` shows as a preview and later writes. The rules are
described in ``attendance_import``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from peercircle.db.models import Attendance, Group, Meeting, Member, Membership
from peercircle.domain import DISPLAY_NAME_MAX, AttendanceStatus
from peercircle.services.attendance_csv_parsing import ParsedAttendance, SheetName, name_key
from peercircle.services.attendance_import_types import (
    STATUS_WORDS,
    AttendanceImportError,
    AttendancePreview,
    AttendanceProblem,
    MarkAction,
    MeetingPreview,
    NewMember,
    PlannedMark,
    ProblemKind,
    plural,
)
from peercircle.services.roster_types import name_sort_key
from peercircle.services.validation import check_name, clean_text


@dataclass(frozen=True)
class Plan:
    """What an import would do, decided in one session. A commit plans again and compares."""

    group_id: int
    group_name: str
    group_place: str
    problems: tuple[AttendanceProblem, ...]
    unknown_names: tuple[str, ...]
    new_members: tuple[NewMember, ...]
    meetings: tuple[MeetingPreview, ...]
    marks: tuple[PlannedMark, ...]

    def same_as(self, preview: AttendancePreview) -> bool:
        return (
            self.group_id,
            self.group_name,
            self.problems,
            self.unknown_names,
            self.new_members,
            self.meetings,
            self.marks,
        ) == (
            preview.group_id,
            preview.group_name,
            preview.problems,
            preview.unknown_names,
            preview.new_members,
            preview.meetings,
            preview.marks,
        )


def find_group(s: Session, name: str) -> int:
    """The id of the group called ``name``; AttendanceImportError if there is none."""
    wanted = name_key(name)
    if not wanted:
        raise AttendanceImportError("Please choose the group to import the attendance into.")
    active: list[str] = []
    for group_id, group_name, archived_at in s.execute(
        select(Group.id, Group.name, Group.archived_at)
    ):
        if name_key(group_name) == wanted:
            if archived_at is not None:
                raise AttendanceImportError(
                    f"The group “{group_name}” is archived. Restore it before importing into it."
                )
            return group_id
        if archived_at is None:
            active.append(group_name)
    known = (
        f"Your groups: {', '.join(sorted(active, key=name_sort_key))}."
        if active
        else "You have no groups yet: create the group (or import its roster) first."
    )
    raise AttendanceImportError(f"There is no group called “{clean_text(name)}”. {known}")


def _group_by_id(s: Session, group_id: int) -> tuple[str, str]:
    row = s.execute(
        select(Group.name, Group.place, Group.archived_at).where(Group.id == group_id)
    ).first()
    if row is None or row.archived_at is not None:
        raise AttendanceImportError("The group is no longer available.")
    return row.name, row.place


class _Names:
    """The group's members by name: display name first, then full name."""

    def __init__(self, members: Iterable[tuple[int, str, str]]) -> None:
        self.by_display: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.by_full: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for member_id, display, full in members:
            self.by_display[name_key(display)].append((member_id, display))
            if full.strip():
                self.by_full[name_key(full)].append((member_id, display))

    def find(self, key: str) -> list[tuple[int, str]]:
        """Who ``key`` may be: one member, several (ambiguous) or nobody."""
        return self.by_display.get(key) or self.by_full.get(key) or []


_Identity = tuple[str, int | str]  # ("m", member id) or ("n", name key of a new member)


def plan_import(s: Session, parsed: ParsedAttendance, group_id: int, *, add_unknown: bool) -> Plan:
    group_name, place = _group_by_id(s, group_id)
    names = _Names(
        (member_id, display, full)
        for member_id, display, full in s.execute(
            select(Member.id, Member.display_name, Member.full_name)
            .join(Membership, Membership.member_id == Member.id)
            .where(Membership.group_id == group_id)
            .order_by(Member.id)
        )
    )
    problems = list(parsed.problems)
    identities, display, unknown, new_names = _resolve_names(
        s, parsed.names, names, group_id, group_name, add_unknown, problems
    )

    seen: dict[tuple[dt.date, _Identity], tuple[AttendanceStatus, int, str]] = {}
    wanted: list[tuple[dt.date, _Identity, AttendanceStatus]] = []
    for mark in parsed.marks:
        identity = identities.get(name_key(mark.name))
        if identity is None:
            continue
        slot = (mark.date, identity)
        if slot in seen:
            status, row, letter = seen[slot]
            if status is not mark.status:
                problems.append(
                    AttendanceProblem(
                        mark.row,
                        mark.column.label,
                        f"{display[identity]} is marked {STATUS_WORDS[mark.status]} here but "
                        f"{STATUS_WORDS[status]} in row {row}, column {letter}, "
                        f"for the same day ({mark.date.isoformat()}).",
                        ProblemKind.CONFLICT,
                        mark.column.index,
                    )
                )
            continue
        seen[slot] = (mark.status, mark.row, mark.column.letter)
        wanted.append((mark.date, identity, mark.status))

    meeting_ids: dict[dt.date, int] = {}
    for stored_id, day in s.execute(
        select(Meeting.id, Meeting.date).where(Meeting.group_id == group_id).order_by(Meeting.id)
    ):
        meeting_ids.setdefault(day, stored_id)
    stored = {
        (meeting_id, member_id): status
        for meeting_id, member_id, status in s.execute(
            select(Attendance.meeting_id, Attendance.member_id, Attendance.status)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Meeting.group_id == group_id)
        )
    }
    marks = []
    for day, identity, status in sorted(wanted, key=lambda w: w[0]):
        meeting_id = meeting_ids.get(day)
        kind, value = identity
        member_id = value if kind == "m" and isinstance(value, int) else None
        before = (
            stored.get((meeting_id, member_id))
            if meeting_id is not None and member_id is not None
            else None
        )
        marks.append(PlannedMark(day, member_id, display[identity], status, before, meeting_id))

    first_visits: dict[_Identity, dt.date] = {}
    for day, identity, status in wanted:
        if status.attended and (identity not in first_visits or day < first_visits[identity]):
            first_visits[identity] = day
    problems.sort(key=lambda p: (p.row, p.column_index))
    return Plan(
        group_id=group_id,
        group_name=group_name,
        group_place=place,
        problems=tuple(problems),
        unknown_names=tuple(unknown),
        new_members=tuple(
            NewMember(name, first_visits.get(("n", key))) for key, name in new_names.items()
        ),
        meetings=_meetings(parsed.dates, meeting_ids, marks),
        marks=tuple(marks),
    )


def _resolve_names(
    s: Session,
    sheet_names: Iterable[SheetName],
    names: _Names,
    group_id: int,
    group_name: str,
    add_unknown: bool,
    problems: list[AttendanceProblem],
) -> tuple[dict[str, _Identity], dict[_Identity, str], list[str], dict[str, str]]:
    """Match each distinct name once; a problem names its first row and counts the rest.

    Returns who each name key is, each identity's name for messages, the unknown names,
    and the members to add (name key → name as written).
    """
    rows: dict[str, list[SheetName]] = defaultdict(list)
    for sheet_name in sheet_names:
        rows[name_key(sheet_name.name)].append(sheet_name)
    identities: dict[str, _Identity] = {}
    display: dict[_Identity, str] = {}
    unknown: list[str] = []
    new_names: dict[str, str] = {}
    elsewhere: set[str] | None = None
    for key, found_on in rows.items():
        first = found_on[0]
        others = len({n.row for n in found_on}) - 1
        also = f" It is also on {plural(others, 'other row')}." if others else ""
        at = (first.row, first.column.label)
        matches = names.find(key)
        if len(matches) == 1:
            member_id, stored_name = matches[0]
            identities[key] = ("m", member_id)
            display[("m", member_id)] = stored_name
            continue
        if matches:
            problems.append(
                AttendanceProblem(
                    *at,
                    f"{len(matches)} members of {group_name} are called “{first.name}”; give "
                    "them different names in PeerCircle so the import knows who is who." + also,
                    ProblemKind.AMBIGUOUS_NAME,
                    first.column.index,
                )
            )
            continue
        name = clean_text(" ".join(first.name.split()))
        unknown.append(name)
        if add_unknown:
            if message := check_name(name, what="name", limit=DISPLAY_NAME_MAX):
                problems.append(
                    AttendanceProblem(
                        *at,
                        f"“{_shorten(name)}” can't be added as a member: {message}",
                        ProblemKind.BAD_NAME,
                        first.column.index,
                    )
                )
                continue
            identities[key] = ("n", key)
            display[("n", key)] = name
            new_names[key] = name
            continue
        if elsewhere is None:
            elsewhere = _names_outside(s, group_id)
        hint = (
            " Someone of that name is in your roster: if it is them, add them to the group first."
            if key in elsewhere
            else ""
        )
        problems.append(
            AttendanceProblem(
                *at,
                f"“{_shorten(first.name)}” is not a member of {group_name}.{hint}{also}",
                ProblemKind.UNKNOWN_NAME,
                first.column.index,
            )
        )
    return identities, display, unknown, new_names


def _names_outside(s: Session, group_id: int) -> set[str]:
    in_group = select(Membership.member_id).where(Membership.group_id == group_id)
    return {
        name_key(name)
        for name in s.scalars(select(Member.display_name).where(Member.id.not_in(in_group)))
    }


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _meetings(
    dates: Iterable[dt.date], meeting_ids: dict[dt.date, int], marks: list[PlannedMark]
) -> tuple[MeetingPreview, ...]:
    by_day: dict[dt.date, list[PlannedMark]] = defaultdict(list)
    for mark in marks:
        by_day[mark.date].append(mark)
    previews = []
    for day in dates:
        on_day = by_day.get(day, [])
        statuses = [m.status for m in on_day]
        actions = [m.action for m in on_day]
        previews.append(
            MeetingPreview(
                date=day,
                meeting_id=meeting_ids.get(day),
                present=statuses.count(AttendanceStatus.PRESENT),
                late=statuses.count(AttendanceStatus.LATE),
                excused=statuses.count(AttendanceStatus.EXCUSED),
                absent=statuses.count(AttendanceStatus.ABSENT),
                added=actions.count(MarkAction.ADD),
                changed=actions.count(MarkAction.CHANGE),
                unchanged=actions.count(MarkAction.UNCHANGED),
            )
        )
    return tuple(previews)
