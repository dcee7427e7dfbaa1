"""Groups, members and memberships: create, edit, archive, restore, search.

Plain Python, no Qt. Takes a ``Database`` and hands back frozen dataclasses, never
ORM rows, so callers cannot change stored data by accident.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import func, null, select
from sqlalchemy.orm import Session

from peercircle.db import Database
from peercircle.db.models import Group, Member, Membership
from peercircle.domain import MemberStatus, Role
from peercircle.services.roster_types import (
    WEEKDAYS,
    ChangedElsewhereError,
    GroupDraft,
    GroupInfo,
    MemberDraft,
    MemberRow,
    NotFoundError,
    clean_group,
    clean_member,
    fold_for_search,
    member_errors,
    name_sort_key,
    trim_member,
)
from peercircle.services.saving import fetch, flush, saving
from peercircle.services.validation import ValidationError

__all__ = [
    "ChangedElsewhereError",
    "GroupDraft",
    "GroupInfo",
    "MemberDraft",
    "MemberRow",
    "MemberStatus",
    "NotFoundError",
    "Role",
    "RosterService",
    "ValidationError",
    "WEEKDAYS",
    "clean_group",
    "clean_member",
    "fold_for_search",
    "member_errors",
    "name_sort_key",
    "trim_member",
]


def apply_member(member: Member, draft: MemberDraft) -> None:
    """Copy a cleaned draft onto a stored member."""
    member.display_name = draft.display_name
    member.full_name = draft.full_name
    member.pronouns = draft.pronouns
    member.email = draft.email
    member.phone = draft.phone
    member.emergency_contact = draft.emergency_contact
    member.joined_on = draft.joined_on
    member.first_visit_on = draft.first_visit_on
    member.status = draft.status
    member.may_contact = draft.may_contact


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class RosterService:
    """Everything about who is in which group."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # ---- groups -------------------------------------------------------------------------

    def list_groups(self, *, include_archived: bool = False) -> list[GroupInfo]:
        counts = (
            select(Membership.group_id, func.count().label("n"))
            .join(Member, Member.id == Membership.member_id)
            .where(Member.archived_at.is_(None))
            .group_by(Membership.group_id)
            .subquery()
        )
        stmt = select(Group, func.coalesce(counts.c.n, 0)).outerjoin(
            counts, counts.c.group_id == Group.id
        )
        if not include_archived:
            stmt = stmt.where(Group.archived_at.is_(None))
        with self._db.session() as s:
            rows = s.execute(stmt).all()
            groups = [_group_info(g, n) for g, n in rows]
        return sorted(groups, key=lambda g: (g.archived, name_sort_key(g.name)))

    def get_group(self, group_id: int) -> GroupInfo:
        with self._db.session() as s:
            group = s.get(Group, group_id)
            if group is None:
                raise NotFoundError("That group no longer exists.")
            return _group_info(group, _member_count(s, group_id))

    def find_group(self, name: str) -> GroupInfo | None:
        """The group called ``name`` (ignoring case and surrounding spaces), if any."""
        wanted = name.strip().casefold()
        for group in self.list_groups(include_archived=True):
            if group.name.casefold() == wanted:
                return group
        return None

    def create_group(self, draft: GroupDraft) -> GroupInfo:
        draft = clean_group(draft)
        with saving(self._db, "The list of groups") as s:
            self._check_group_name_free(s, draft.name, None)
            group = Group(
                name=draft.name,
                meeting_weekday=draft.meeting_weekday,
                meeting_time=draft.meeting_time,
                place=draft.place,
                agreements=draft.agreements,
            )
            s.add(group)
            s.flush()
            return _group_info(group, 0)

    def update_group(
        self, group_id: int, draft: GroupDraft, *, expected_version: int | None = None
    ) -> GroupInfo:
        draft = clean_group(draft)
        with saving(self._db, "This group") as s:
            group = self._group(s, group_id, expected_version)
            self._check_group_name_free(s, draft.name, group_id)
            group.name = draft.name
            group.meeting_weekday = draft.meeting_weekday
            group.meeting_time = draft.meeting_time
            group.place = draft.place
            group.agreements = draft.agreements
            flush(s, "This group")
            return _group_info(group, _member_count(s, group_id))

    def archive_group(self, group_id: int) -> None:
        self._set_group_archived(group_id, _now())

    def restore_group(self, group_id: int) -> None:
        self._set_group_archived(group_id, None)

    def _set_group_archived(self, group_id: int, when: dt.datetime | None) -> None:
        with saving(self._db, "This group") as s:
            self._group(s, group_id).archived_at = when

    @staticmethod
    def _check_group_name_free(s: Session, name: str, group_id: int | None) -> None:
        for other_id, other_name in s.execute(select(Group.id, Group.name)):
            if other_id != group_id and other_name.casefold() == name.casefold():
                raise ValidationError({"name": f"There is already a group called “{other_name}”."})

    @staticmethod
    def _group(s: Session, group_id: int, expected_version: int | None = None) -> Group:
        return fetch(s, Group, group_id, "group", expected_version)

    # ---- members ------------------------------------------------------------------------

    def list_members(
        self, group_id: int | None = None, *, include_archived: bool = False
    ) -> list[MemberRow]:
        """Members of one group in seating order, or everyone sorted by name."""
        cols = (
            Member.id,
            Member.display_name,
            Member.full_name,
            Member.pronouns,
            Member.email,
            Member.phone,
            Member.emergency_contact,
            Member.joined_on,
            Member.first_visit_on,
            Member.status,
            Member.may_contact,
            Member.archived_at,
            Member.version,
        )
        with self._db.session() as s:
            group_names = self._group_names_by_member(s)
            if group_id is None:
                stmt = select(*cols, null(), null())
            else:
                stmt = (
                    select(*cols, Membership.role, Membership.seat_order)
                    .join(Membership, Membership.member_id == Member.id)
                    .where(Membership.group_id == group_id)
                    .order_by(Membership.seat_order, Member.id)
                )
            if not include_archived:
                stmt = stmt.where(Member.archived_at.is_(None))
            rows = [
                MemberRow(
                    id=r[0],
                    display_name=r[1],
                    full_name=r[2],
                    pronouns=r[3],
                    email=r[4],
                    phone=r[5],
                    emergency_contact=r[6],
                    joined_on=r[7],
                    first_visit_on=r[8],
                    status=r[9],
                    may_contact=r[10],
                    archived=r[11] is not None,
                    version=r[12],
                    groups=tuple(group_names.get(r[0], ())),
                    role=r[13],
                    seat=r[14],
                )
                for r in s.execute(stmt)
            ]
        if group_id is None:
            rows.sort(key=lambda m: name_sort_key(m.display_name))
        return rows

    def count_members(self, *, include_archived: bool = False) -> int:
        """How many members there are (cheaper than listing them)."""
        stmt = select(func.count()).select_from(Member)
        if not include_archived:
            stmt = stmt.where(Member.archived_at.is_(None))
        with self._db.session() as s:
            return s.scalar(stmt) or 0

    def search_members(
        self, text: str, group_id: int | None = None, *, include_archived: bool = False
    ) -> list[MemberRow]:
        """Members whose name, pronouns, e-mail, phone or groups contain ``text`` (any case)."""
        needle = fold_for_search(text.strip())
        rows = self.list_members(group_id, include_archived=include_archived)
        return [m for m in rows if needle in m.search_text()] if needle else rows

    def get_member(self, member_id: int) -> MemberRow:
        for_one = self._member_rows_by_id([member_id])
        if member_id not in for_one:
            raise NotFoundError("That member no longer exists.")
        return for_one[member_id]

    def create_member(
        self, draft: MemberDraft, *, group_id: int | None = None, role: Role = Role.MEMBER
    ) -> MemberRow:
        draft = clean_member(draft)
        with saving(self._db, "The roster") as s:
            member = Member()
            apply_member(member, draft)
            s.add(member)
            s.flush()
            if group_id is not None:
                add_membership(s, member.id, group_id, role)
            member_id = member.id
        return self.get_member(member_id)

    def update_member(
        self, member_id: int, draft: MemberDraft, *, expected_version: int | None = None
    ) -> MemberRow:
        draft = clean_member(draft)
        with saving(self._db, "This member") as s:
            member = self._member(s, member_id, expected_version)
            apply_member(member, draft)
            flush(s, "This member")
        return self.get_member(member_id)

    def save_member(
        self,
        member_id: int | None,
        draft: MemberDraft,
        memberships: Mapping[int, Role],
        *,
        expected_version: int | None = None,
    ) -> MemberRow:
        """Create or update a member and set exactly the groups (and roles) given, atomically."""
        draft = clean_member(draft)
        with saving(self._db, "This member") as s:
            if member_id is None:
                member = Member()
                s.add(member)
            else:
                member = self._member(s, member_id, expected_version)
            apply_member(member, draft)
            flush(s, "This member")
            current = {
                m.group_id: m
                for m in s.scalars(select(Membership).where(Membership.member_id == member.id))
            }
            for group_id, membership in current.items():
                if group_id not in memberships:
                    s.delete(membership)
            for group_id, role in memberships.items():
                add_membership(s, member.id, group_id, role)
            saved_id = member.id
        return self.get_member(saved_id)

    def archive_member(self, member_id: int) -> None:
        self._set_member_archived(member_id, _now())

    def restore_member(self, member_id: int) -> None:
        self._set_member_archived(member_id, None)

    def _set_member_archived(self, member_id: int, when: dt.datetime | None) -> None:
        with saving(self._db, "This member") as s:
            self._member(s, member_id).archived_at = when

    # ---- memberships --------------------------------------------------------------------

    def add_to_group(self, member_id: int, group_id: int, role: Role = Role.MEMBER) -> None:
        with saving(self._db, "This group") as s:
            self._member(s, member_id)
            add_membership(s, member_id, group_id, role)

    def remove_from_group(self, member_id: int, group_id: int) -> None:
        with saving(self._db, "This group") as s:
            membership = self._membership(s, member_id, group_id)
            if membership is not None:
                s.delete(membership)

    def set_role(self, member_id: int, group_id: int, role: Role) -> None:
        with saving(self._db, "This group") as s:
            membership = self._membership(s, member_id, group_id)
            if membership is None:
                raise NotFoundError("That person is not in this group.")
            membership.role = role

    def set_seating(self, group_id: int, member_ids: Sequence[int]) -> None:
        """Seat the group's members in the order given; anyone not listed keeps their turn after."""
        with saving(self._db, "This group") as s:
            self._group(s, group_id)
            memberships = {
                m.member_id: m
                for m in s.scalars(select(Membership).where(Membership.group_id == group_id))
            }
            unknown = [mid for mid in member_ids if mid not in memberships]
            if unknown:
                raise NotFoundError("Some of those people are not in this group.")
            rest = sorted(
                (m for mid, m in memberships.items() if mid not in set(member_ids)),
                key=lambda m: (m.seat_order, m.member_id),
            )
            ordered = [memberships[mid] for mid in member_ids] + rest
            for seat, membership in enumerate(ordered):
                membership.seat_order = seat

    def groups_of(self, member_id: int) -> list[tuple[GroupInfo, Role]]:
        with self._db.session() as s:
            rows = s.execute(
                select(Group, Membership.role)
                .join(Membership, Membership.group_id == Group.id)
                .where(Membership.member_id == member_id)
            ).all()
            result = [(_group_info(g, _member_count(s, g.id)), role) for g, role in rows]
        return sorted(result, key=lambda pair: pair[0].name.casefold())

    # ---- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _membership(s: Session, member_id: int, group_id: int) -> Membership | None:
        return s.scalar(
            select(Membership).where(
                Membership.member_id == member_id, Membership.group_id == group_id
            )
        )

    @staticmethod
    def _member(s: Session, member_id: int, expected_version: int | None = None) -> Member:
        return fetch(s, Member, member_id, "member", expected_version)

    @staticmethod
    def _group_names_by_member(
        s: Session, member_ids: Iterable[int] | None = None
    ) -> dict[int, list[str]]:
        stmt = (
            select(Membership.member_id, Group.name)
            .join(Group, Group.id == Membership.group_id)
            .where(Group.archived_at.is_(None))
            .order_by(Group.name)
        )
        if member_ids is not None:
            stmt = stmt.where(Membership.member_id.in_(list(member_ids)))
        names: dict[int, list[str]] = defaultdict(list)
        for member_id, name in s.execute(stmt):
            names[member_id].append(name)
        for group_names in names.values():
            group_names.sort(key=str.casefold)  # SQL sorts "Zeta" before "alpha"
        return names

    def _member_rows_by_id(self, member_ids: Sequence[int]) -> dict[int, MemberRow]:
        with self._db.session() as s:
            names = self._group_names_by_member(s, member_ids)
            members = s.scalars(select(Member).where(Member.id.in_(list(member_ids))))
            return {m.id: _member_row(m, tuple(names.get(m.id, ()))) for m in members}


def _member_count(s: Session, group_id: int) -> int:
    return (
        s.scalar(
            select(func.count())
            .select_from(Membership)
            .join(Member, Member.id == Membership.member_id)
            .where(Membership.group_id == group_id, Member.archived_at.is_(None))
        )
        or 0
    )


def _group_info(group: Group, member_count: int) -> GroupInfo:
    return GroupInfo(
        id=group.id,
        name=group.name,
        meeting_weekday=group.meeting_weekday,
        meeting_time=group.meeting_time,
        place=group.place,
        agreements=group.agreements,
        archived=group.archived_at is not None,
        member_count=member_count,
        version=group.version,
    )


def _member_row(m: Member, groups: tuple[str, ...]) -> MemberRow:
    return MemberRow(
        id=m.id,
        display_name=m.display_name,
        full_name=m.full_name,
        pronouns=m.pronouns,
        email=m.email,
        phone=m.phone,
        emergency_contact=m.emergency_contact,
        joined_on=m.joined_on,
        first_visit_on=m.first_visit_on,
        status=m.status,
        may_contact=m.may_contact,
        archived=m.archived_at is not None,
        version=m.version,
        groups=groups,
    )


def add_membership(s: Session, member_id: int, group_id: int, role: Role = Role.MEMBER) -> None:
    """Seat ``member_id`` at the end of ``group_id``'s circle (or just set the role)."""
    RosterService._group(s, group_id)
    existing = RosterService._membership(s, member_id, group_id)
    if existing is not None:
        existing.role = role
        return
    last = s.scalar(select(func.max(Membership.seat_order)).where(Membership.group_id == group_id))
    s.add(
        Membership(
            member_id=member_id,
            group_id=group_id,
            role=role,
            seat_order=0 if last is None else last + 1,
        )
    )
