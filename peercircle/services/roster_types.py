"""The roster's values and checks: drafts, rows, errors. No SQLAlchemy, no Qt.

``peercircle.services.roster`` re-exports all of these; the window imports them from here
so that it can be built before the database layer is loaded.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, replace

from peercircle import domain as models
from peercircle.domain import MemberStatus, Role
from peercircle.services import validation as v
from peercircle.services.validation import ValidationError

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def name_sort_key(text: str) -> str:
    """Sort “Ángel” with the A's: accents folded, case ignored, scripts kept apart."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class NotFoundError(LookupError):
    """The group or member asked for does not exist (any more)."""


class ChangedElsewhereError(Exception):
    """Someone else saved this record since it was opened; nothing was overwritten."""

    def __init__(self, what: str = "This record") -> None:
        super().__init__(
            f"{what} was changed by someone else since you opened it. "
            "Your changes were not saved; please open it again."
        )


def fold_for_search(text: str) -> str:
    """``text`` folded for matching: any case, with or without accents.

    Typing “agnes” finds “Ágnes” and “nguyen” finds “Nguyễn”, the way a facilitator
    types on any keyboard; letters that are not an accent plus a base letter (ł, ø, ß→ss)
    stay themselves. Names are stored exactly as typed; only the search keys are folded.
    """
    return name_sort_key(text)


@dataclass(frozen=True)
class GroupDraft:
    name: str
    meeting_weekday: int | None = None
    meeting_time: dt.time | None = None
    place: str = ""
    agreements: str = ""


@dataclass(frozen=True)
class GroupInfo:
    id: int
    name: str
    meeting_weekday: int | None
    meeting_time: dt.time | None
    place: str
    agreements: str
    archived: bool
    member_count: int
    version: int

    @property
    def schedule(self) -> str:
        """A friendly one-line schedule such as “Tuesdays at 18:30 · Library room 2”."""
        parts = []
        when = WEEKDAYS[self.meeting_weekday] + "s" if self.meeting_weekday is not None else ""
        if self.meeting_time is not None:
            when = f"{when} at {self.meeting_time:%H:%M}".strip()
        if when:
            parts.append(when[0].upper() + when[1:])
        if self.place:
            parts.append(self.place)
        return " · ".join(parts)

    def to_draft(self) -> GroupDraft:
        return GroupDraft(
            self.name, self.meeting_weekday, self.meeting_time, self.place, self.agreements
        )


@dataclass(frozen=True)
class MemberDraft:
    display_name: str
    full_name: str = ""
    pronouns: str = ""
    email: str = ""
    phone: str = ""
    emergency_contact: str = ""
    joined_on: dt.date | None = None
    first_visit_on: dt.date | None = None
    status: MemberStatus = MemberStatus.ACTIVE
    may_contact: bool = False


@dataclass(frozen=True)
class MemberRow:
    """A member as the roster shows them; ``role``/``seat`` are set in a group's roster."""

    id: int
    display_name: str
    full_name: str
    pronouns: str
    email: str
    phone: str
    emergency_contact: str
    joined_on: dt.date | None
    first_visit_on: dt.date | None
    status: MemberStatus
    may_contact: bool
    archived: bool
    version: int
    groups: tuple[str, ...] = ()
    role: Role | None = None
    seat: int | None = None

    def to_draft(self) -> MemberDraft:
        return MemberDraft(
            self.display_name,
            self.full_name,
            self.pronouns,
            self.email,
            self.phone,
            self.emergency_contact,
            self.joined_on,
            self.first_visit_on,
            self.status,
            self.may_contact,
        )

    def search_text(self) -> str:
        """Everything a facilitator might type to find this person, folded for matching."""
        return fold_for_search(
            " ".join(
                (
                    self.display_name,
                    self.full_name,
                    self.pronouns,
                    self.email,
                    self.phone,
                    *self.groups,
                )
            )
        )


def clean_group(draft: GroupDraft) -> GroupDraft:
    """Trim and check a group draft; raise ValidationError with a message per field."""
    draft = replace(
        draft,
        name=v.clean_text(draft.name),
        place=v.clean_text(draft.place),
        agreements=draft.agreements.strip(),
    )
    errors: dict[str, str] = {}
    if msg := v.check_name(draft.name, what="group name", limit=models.GROUP_NAME_MAX):
        errors["name"] = msg
    if msg := v.check_short_text(draft.place, what="place", limit=models.PLACE_MAX):
        errors["place"] = msg
    if msg := v.check_short_text(
        draft.agreements, what="agreements text", limit=models.AGREEMENTS_MAX
    ):
        errors["agreements"] = msg
    if draft.meeting_weekday is not None and not 0 <= draft.meeting_weekday <= 6:
        errors["meeting_weekday"] = "Please choose a day of the week."
    if errors:
        raise ValidationError(errors)
    return draft


def member_errors(draft: MemberDraft) -> dict[str, str]:
    """The problems with an already-trimmed draft, one message per field (empty if fine)."""
    checks = {
        "display_name": v.check_name(
            draft.display_name, what="name", limit=models.DISPLAY_NAME_MAX
        ),
        "full_name": v.check_name(
            draft.full_name, what="full name", limit=models.FULL_NAME_MAX, required=False
        ),
        "pronouns": v.check_short_text(
            draft.pronouns, what="pronouns text", limit=models.PRONOUNS_MAX
        ),
        "email": v.check_email(draft.email),
        "phone": v.check_phone(draft.phone),
        "emergency_contact": v.check_short_text(
            draft.emergency_contact, what="emergency contact", limit=models.EMERGENCY_CONTACT_MAX
        ),
    }
    return {name: msg for name, msg in checks.items() if msg}


def trim_member(draft: MemberDraft) -> MemberDraft:
    return replace(
        draft,
        display_name=v.clean_text(draft.display_name),
        full_name=v.clean_text(draft.full_name),
        pronouns=v.clean_text(draft.pronouns),
        email=v.clean_text(draft.email),
        phone=v.clean_text(draft.phone),
        emergency_contact=v.clean_text(draft.emergency_contact),
    )


def clean_member(draft: MemberDraft) -> MemberDraft:
    """Trim and check a member draft; raise ValidationError with a message per field."""
    draft = trim_member(draft)
    if errors := member_errors(draft):
        raise ValidationError(errors)
    return draft
