"""The resource library's values and checks: drafts, rows, search words. No SQLAlchemy, no Qt.

``peercircle.services.resources`` re-exports all of these; the window imports them from here
so that it can be built before the database layer is loaded.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from peercircle import domain as limits
from peercircle.domain import ResourceKind
from peercircle.services import validation as v
from peercircle.services.roster_types import (
    ChangedElsewhereError,
    NotFoundError,
    fold_for_search,
)
from peercircle.services.validation import ValidationError

__all__ = [
    "KIND_LABELS",
    "ChangedElsewhereError",
    "NotFoundError",
    "ResourceDraft",
    "ResourceKind",
    "ResourceRow",
    "ValidationError",
    "check_url",
    "clean_resource",
    "normalise_tags",
    "normalise_url",
    "resource_errors",
    "search_words",
    "trim_resource",
]

KIND_LABELS = {
    ResourceKind.HELPLINE: "Helpline",
    ResourceKind.LOCAL_SERVICE: "Local service",
    ResourceKind.READING: "Reading",
    ResourceKind.WORKSHEET: "Worksheet",
    ResourceKind.WEBSITE: "Website",
}

# A scheme such as "mailto:" or "ftp://"; "example.org:8080" is a host and port, not a scheme.
_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*:(?!\d)", re.IGNORECASE)
# One part of a host name: letters (any script) and digits, with hyphens inside.
_HOST_LABEL = re.compile(r"[^\W_](?:[\w\-]*[^\W_])?")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
_TAG_SEPARATORS = re.compile(r"[,;]")


@dataclass(frozen=True)
class ResourceDraft:
    """What the facilitator typed for a resource; ``tags`` is comma-separated."""

    title: str
    kind: ResourceKind
    description: str = ""
    phone: str = ""
    url: str = ""
    address: str = ""
    tags: str = ""


@dataclass(frozen=True)
class ResourceRow:
    """A resource as the library shows it; ``groups`` are the groups that hand it out."""

    id: int
    title: str
    kind: ResourceKind
    description: str
    phone: str
    url: str
    address: str
    tags: str
    archived: bool
    version: int
    groups: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def tag_list(self) -> tuple[str, ...]:
        return tuple(t.strip() for t in self.tags.split(",") if t.strip())

    def to_draft(self) -> ResourceDraft:
        return ResourceDraft(
            self.title, self.kind, self.description, self.phone, self.url, self.address, self.tags
        )

    def search_text(self) -> str:
        """Everything a facilitator might type to find this resource, folded for matching."""
        return fold_for_search(
            " ".join(
                (self.title, self.kind_label, self.tags, self.description, self.address, self.phone)
            )
        )

    def matches(self, words: tuple[str, ...], search_text: str | None = None) -> bool:
        """True if every one of ``words`` (from ``search_words``) is in this resource."""
        text = self.search_text() if search_text is None else search_text
        return all(word in text for word in words)


def search_words(text: str) -> tuple[str, ...]:
    """The folded words of a search: “sleep  carers” finds resources with both words."""
    return tuple(fold_for_search(text).split())


# ---- checks ---------------------------------------------------------------------------------


def normalise_url(value: str) -> str:
    """``value`` trimmed, with ``https://`` put in front of a bare “www.example.org/help”."""
    value = value.strip()
    if value and "://" not in value and not _SCHEME.match(value):
        return "https://" + value
    return value


def check_url(value: str) -> str | None:
    """A message if ``value`` (already trimmed) is not a well-formed http(s) web address."""
    if not value:
        return None
    if len(value) > limits.RESOURCE_URL_MAX:
        return (
            f"The web address is too long ({len(value)} characters; "
            f"at most {limits.RESOURCE_URL_MAX})."
        )
    url = normalise_url(value)
    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("http", "https"):
        return "A web address starts with http:// or https://, like https://example.org."
    if not _well_formed(url):
        return f"“{value}” doesn't look like a web address (like https://example.org/help)."
    return None


def _well_formed(url: str) -> bool:
    if _SPACE_OR_CONTROL.search(url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return False
    host = parts.hostname
    if not host or parts.username is not None:
        return False
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.split(".")
    if host == "localhost":
        return True
    return (
        len(labels) >= 2
        and all(_HOST_LABEL.fullmatch(label) for label in labels)
        and not labels[-1].isdigit()
    )


def normalise_tags(text: str) -> str:
    """Tags trimmed, tidied, repeats dropped: “ sleep;carers, Sleep ” → “sleep, carers”."""
    seen: set[str] = set()
    tags: list[str] = []
    for part in _TAG_SEPARATORS.split(text):
        tag = " ".join(part.split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return ", ".join(tags)


def trim_resource(draft: ResourceDraft) -> ResourceDraft:
    """Surrounding spaces trimmed and tags tidied; nothing else changed."""
    return replace(
        draft,
        title=v.clean_text(draft.title),
        kind=ResourceKind(draft.kind) if draft.kind in KIND_LABELS else draft.kind,
        description=draft.description.replace("\r\n", "\n").strip(),
        phone=v.clean_text(draft.phone),
        url=v.clean_text(draft.url),
        address=v.clean_text(draft.address),
        tags=normalise_tags(draft.tags),
    )


def resource_errors(draft: ResourceDraft) -> dict[str, str]:
    """The problems with an already-trimmed draft, one message per field (empty if fine)."""
    checks = {
        "title": v.check_name(draft.title, what="title", limit=limits.RESOURCE_TITLE_MAX),
        "kind": None if draft.kind in KIND_LABELS else "Please choose what kind of resource it is.",
        "description": v.check_short_text(
            draft.description, what="description", limit=limits.RESOURCE_DESCRIPTION_MAX
        ),
        "phone": v.check_phone(draft.phone),
        "url": check_url(draft.url),
        "address": v.check_name(
            draft.address, what="address", limit=limits.RESOURCE_ADDRESS_MAX, required=False
        ),
        "tags": v.check_name(
            draft.tags, what="list of tags", limit=limits.RESOURCE_TAGS_MAX, required=False
        ),
    }
    return {name: msg for name, msg in checks.items() if msg}


def clean_resource(draft: ResourceDraft) -> ResourceDraft:
    """Trim and check a resource draft; raise ValidationError with a message per field.

    A web address typed without its start (“www.example.org”) is stored with ``https://``.
    """
    draft = trim_resource(draft)
    if errors := resource_errors(draft):
        raise ValidationError(errors)
    return replace(draft, url=normalise_url(draft.url))
