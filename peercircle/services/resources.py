"""The resource library: helplines, local services, readings, worksheets and websites that
facilitators hand out, and which of them each group hands out, in order.

Plain Python, no Qt. Takes a ``Database`` and hands back frozen dataclasses, never ORM rows.
Nothing is deleted: a resource that is no longer wanted is archived, which hides it from
choosing and from every group's handout until it is restored.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from peercircle.db import Database
from peercircle.db.models import Group, GroupResource, Resource
from peercircle.domain import ResourceKind
from peercircle.services.resource_types import (
    KIND_LABELS,
    ChangedElsewhereError,
    NotFoundError,
    ResourceDraft,
    ResourceRow,
    ValidationError,
    clean_resource,
    resource_errors,
    search_words,
    trim_resource,
)
from peercircle.services.roster_types import name_sort_key
from peercircle.services.saving import fetch, flush, saving

__all__ = [
    "KIND_LABELS",
    "ChangedElsewhereError",
    "NotFoundError",
    "ResourceDraft",
    "ResourceKind",
    "ResourceRow",
    "ResourceService",
    "ValidationError",
    "clean_resource",
    "resource_errors",
    "trim_resource",
]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _apply(resource: Resource, draft: ResourceDraft) -> None:
    """Copy a cleaned draft onto a stored resource."""
    resource.title = draft.title
    resource.kind = draft.kind
    resource.description = draft.description
    resource.phone = draft.phone
    resource.url = draft.url
    resource.address = draft.address
    resource.tags = draft.tags


class ResourceService:
    """Everything about the resource library and each group's handout."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # ---- the library --------------------------------------------------------------------

    def list_resources(self, *, include_archived: bool = False) -> list[ResourceRow]:
        """Every resource, by title (archived ones last, when asked for)."""
        stmt = select(Resource)
        if not include_archived:
            stmt = stmt.where(Resource.archived_at.is_(None))
        with self._db.session() as s:
            rows = self._rows(s, s.scalars(stmt))
        return sorted(rows, key=lambda r: (r.archived, name_sort_key(r.title), r.id))

    def search_resources(
        self,
        text: str = "",
        *,
        kind: ResourceKind | None = None,
        include_archived: bool = False,
    ) -> list[ResourceRow]:
        """Resources whose title, kind, tags, description, address or phone contain every word of
        ``text`` (any case, with or without accents), of one ``kind`` if given."""
        words = search_words(text)
        return [
            r
            for r in self.list_resources(include_archived=include_archived)
            if (kind is None or r.kind == kind) and r.matches(words)
        ]

    def get_resource(self, resource_id: int) -> ResourceRow:
        with self._db.session() as s:
            return self._rows(s, [self._resource(s, resource_id)])[0]

    def create_resource(self, draft: ResourceDraft) -> ResourceRow:
        draft = clean_resource(draft)
        with saving(self._db, "The resource library") as s:
            resource = Resource()
            _apply(resource, draft)
            s.add(resource)
            s.flush()
            return self._rows(s, [resource])[0]

    def update_resource(
        self, resource_id: int, draft: ResourceDraft, *, expected_version: int | None = None
    ) -> ResourceRow:
        """Save ``draft`` over the resource; with ``expected_version``, refuse (with
        ChangedElsewhereError) if someone else saved it since it was read."""
        draft = clean_resource(draft)
        with saving(self._db, "This resource") as s:
            resource = self._resource(s, resource_id, expected_version)
            _apply(resource, draft)
            flush(s, "This resource")
            return self._rows(s, [resource])[0]

    def archive_resource(self, resource_id: int) -> None:
        """Hide a resource from choosing and from handouts; groups keep their choice of it
        for when it is restored."""
        self._set_archived(resource_id, _now())

    def restore_resource(self, resource_id: int) -> None:
        self._set_archived(resource_id, None)

    def _set_archived(self, resource_id: int, when: dt.datetime | None) -> None:
        with saving(self._db, "This resource") as s:
            self._resource(s, resource_id).archived_at = when

    # ---- a group's handout --------------------------------------------------------------

    def group_resources(self, group_id: int) -> list[ResourceRow]:
        """The resources ``group_id`` hands out, in the handout's order (archived ones left
        out). Raises NotFoundError if the group no longer exists."""
        with self._db.session() as s:
            fetch(s, Group, group_id, "group")
            chosen = s.scalars(
                select(Resource)
                .join(GroupResource, GroupResource.resource_id == Resource.id)
                .where(GroupResource.group_id == group_id, Resource.archived_at.is_(None))
                .order_by(GroupResource.position, GroupResource.id)
            )
            return self._rows(s, chosen)

    def set_group_resources(self, group_id: int, resource_ids: Sequence[int]) -> list[ResourceRow]:
        """Choose and order the group's handout in one step: exactly ``resource_ids``, in
        that order (repeats ignored). Archived resources the group had chosen stay chosen,
        hidden, so that restoring one brings it back to the handout.

        Raises NotFoundError for a group or resource that no longer exists and
        ValidationError for an archived resource; nothing is changed then.
        """
        wanted = list(dict.fromkeys(resource_ids))
        with saving(self._db, "This group's handout") as s:
            fetch(s, Group, group_id, "group")
            found = {r.id: r for r in s.scalars(select(Resource).where(Resource.id.in_(wanted)))}
            if any(rid not in found for rid in wanted):
                raise NotFoundError("Some of those resources no longer exist.")
            archived = [found[rid].title for rid in wanted if found[rid].archived_at is not None]
            if archived:
                raise ValidationError(
                    {
                        "resources": f"“{archived[0]}” is archived. Restore it in the "
                        "Resource Library to hand it out again."
                    }
                )
            links = s.execute(
                select(GroupResource, Resource.archived_at)
                .join(Resource, Resource.id == GroupResource.resource_id)
                .where(GroupResource.group_id == group_id)
                .order_by(GroupResource.position, GroupResource.id)
            ).all()
            current = {link.resource_id: link for link, _ in links}
            kept_hidden = [link for link, archived_at in links if archived_at is not None]
            for link, archived_at in links:
                if archived_at is None and link.resource_id not in found:  # no longer chosen
                    s.delete(link)
            ordered = [
                current.get(rid) or GroupResource(group_id=group_id, resource_id=rid)
                for rid in wanted
            ]
            for position, link in enumerate(ordered + kept_hidden):
                link.position = position
            s.add_all(ordered)
        return self.group_resources(group_id)

    # ---- helpers ------------------------------------------------------------------------

    @staticmethod
    def _resource(s: Session, resource_id: int, expected_version: int | None = None) -> Resource:
        return fetch(s, Resource, resource_id, "resource", expected_version)

    @staticmethod
    def _rows(s: Session, resources: Iterable[Resource]) -> list[ResourceRow]:
        """Rows for ``resources`` (in their order), each with the groups that hand it out."""
        resources = list(resources)
        groups = _group_names_by_resource(s, [r.id for r in resources])
        return [_row(r, tuple(groups.get(r.id, ()))) for r in resources]


def _group_names_by_resource(s: Session, resource_ids: list[int]) -> dict[int, list[str]]:
    """The names of the (not archived) groups handing out each resource, by name."""
    if not resource_ids:
        return {}
    names: dict[int, list[str]] = defaultdict(list)
    for resource_id, name in s.execute(
        select(GroupResource.resource_id, Group.name)
        .join(Group, Group.id == GroupResource.group_id)
        .where(GroupResource.resource_id.in_(resource_ids), Group.archived_at.is_(None))
    ):
        names[resource_id].append(name)
    for group_names in names.values():
        group_names.sort(key=name_sort_key)
    return names


def _row(r: Resource, groups: tuple[str, ...]) -> ResourceRow:
    return ResourceRow(
        id=r.id,
        title=r.title,
        kind=r.kind,
        description=r.description,
        phone=r.phone,
        url=r.url,
        address=r.address,
        tags=r.tags,
        archived=r.archived_at is not None,
        version=r.version,
        groups=groups,
    )
