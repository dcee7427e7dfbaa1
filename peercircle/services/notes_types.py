"""What the notes and follow-ups services take and return (frozen; no ORM rows)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from peercircle.domain import FollowUpSource, SuggestionKind

DAMAGED_TEXT = "(This part is damaged and cannot be read.)"
"""Shown instead of a field that did not decrypt; the rest of the note still shows."""


def parse_tags(text: str) -> tuple[str, ...]:
    """“sleep, Family ,sleep” -> ("sleep", "Family"): trimmed, no blanks, no repeats."""
    seen: set[str] = set()
    tags = []
    for part in text.split(","):
        tag = " ".join(part.split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tuple(tags)


def format_tags(tags: tuple[str, ...]) -> str:
    return ", ".join(tags)


@dataclass(frozen=True)
class NoteDraft:
    """A note as written: about a meeting, a member, both, or the group in general."""

    group_id: int
    title: str
    body: str = ""
    tags: tuple[str, ...] = ()
    meeting_id: int | None = None
    member_id: int | None = None


@dataclass(frozen=True)
class NoteInfo:
    id: int
    group_id: int
    meeting_id: int | None
    meeting_date: dt.date | None
    member_id: int | None
    member_name: str | None
    title: str
    body: str
    tags: tuple[str, ...]
    created_at: dt.datetime  # UTC
    updated_at: dt.datetime  # UTC
    version: int
    damaged: bool = False

    @property
    def label(self) -> str:
        """The title, or the body's first line when there is no title."""
        if self.title:
            return self.title
        first = self.body.strip().splitlines()[0].strip() if self.body.strip() else ""
        return first[:80].rstrip() or "Untitled note"

    def draft(self) -> NoteDraft:
        return NoteDraft(
            group_id=self.group_id,
            title=self.title,
            body=self.body,
            tags=self.tags,
            meeting_id=self.meeting_id,
            member_id=self.member_id,
        )


@dataclass(frozen=True)
class FollowUpDraft:
    member_id: int
    due_date: dt.date
    reason: str
    group_id: int | None = None
    note_id: int | None = None
    meeting_id: int | None = None
    source: FollowUpSource = FollowUpSource.MEMBER


class DueBucket(enum.StrEnum):
    OVERDUE = "overdue"
    TODAY = "today"
    THIS_WEEK = "this_week"
    LATER = "later"
    DONE = "done"

    @property
    def label(self) -> str:
        return _BUCKET_LABELS[self]


_BUCKET_LABELS = {
    DueBucket.OVERDUE: "Overdue",
    DueBucket.TODAY: "Today",
    DueBucket.THIS_WEEK: "This week",
    DueBucket.LATER: "Later",
    DueBucket.DONE: "Done",
}


def due_bucket(due: dt.date, today: dt.date, done: bool = False) -> DueBucket:
    """Overdue before today; this week means the six days after today."""
    if done:
        return DueBucket.DONE
    if due < today:
        return DueBucket.OVERDUE
    if due == today:
        return DueBucket.TODAY
    if due <= today + dt.timedelta(days=6):
        return DueBucket.THIS_WEEK
    return DueBucket.LATER


@dataclass(frozen=True)
class FollowUpInfo:
    id: int
    member_id: int
    member_name: str
    group_id: int | None
    group_name: str | None
    note_id: int | None
    meeting_id: int | None
    source: FollowUpSource
    due_date: dt.date
    reason: str
    outcome: str | None
    done_at: dt.datetime | None  # UTC
    created_at: dt.datetime  # UTC
    version: int
    damaged: bool = False

    @property
    def done(self) -> bool:
        return self.done_at is not None

    def bucket(self, today: dt.date) -> DueBucket:
        return due_bucket(self.due_date, today, self.done)

    def draft(self) -> FollowUpDraft:
        return FollowUpDraft(
            member_id=self.member_id,
            due_date=self.due_date,
            reason=self.reason,
            group_id=self.group_id,
            note_id=self.note_id,
            meeting_id=self.meeting_id,
            source=self.source,
        )


@dataclass(frozen=True)
class DueCounts:
    """Open follow-ups by when they are due; counted without the key (dates are plain)."""

    overdue: int = 0
    today: int = 0
    this_week: int = 0
    later: int = 0

    @property
    def due_now(self) -> int:
        return self.overdue + self.today


@dataclass(frozen=True)
class Suggestion:
    """Something in the attendance or a round log that may call for a check-in.

    ``text`` is plain and made from plain data (attendance, the round's flag), never notes.
    """

    kind: SuggestionKind
    group_id: int
    group_name: str
    member_id: int
    member_name: str
    anchor_id: int
    text: str
    meeting_id: int | None = None
    reason: str = field(default="", compare=False)
    """A reason to start a follow-up from (“Missed the last 2 meetings — check in kindly”)."""

    @property
    def source(self) -> FollowUpSource:
        if self.kind is SuggestionKind.ROUND_FLAG:
            return FollowUpSource.ROUND
        return FollowUpSource.ATTENDANCE
