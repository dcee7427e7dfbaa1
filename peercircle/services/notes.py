"""Private notes: written, read, searched and deleted through the unlocked vault.

Title, body and tags are encrypted separately, each bound to its row and field. Decrypted
texts are kept in memory (for searching as one types) only while the vault is unlocked;
locking drops them. Each list is built from the stored rows every time (a cheap query of
plain columns), so a deleted meeting, a renamed member or a note written by another window
shows at once; only notes whose version changed are decrypted again. A note whose field does
not decrypt is returned with that field replaced by ``DAMAGED_TEXT`` and ``damaged=True`` —
one bad note never hides others.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peercircle.db import Database
from peercircle.db.models import Group, Meeting, Member, Note
from peercircle.domain import NOTE_BODY_MAX, NOTE_TAGS_MAX, NOTE_TITLE_MAX
from peercircle.services import validation as v
from peercircle.services.lookups import values_by_id
from peercircle.services.notes_types import (
    DAMAGED_TEXT,
    NoteDraft,
    NoteInfo,
    format_tags,
    parse_tags,
)
from peercircle.services.roster_types import NotFoundError, fold_for_search
from peercircle.services.saving import fetch, flush, saving
from peercircle.services.vault import VaultService
from peercircle.services.vault_types import DamagedFieldError

log = logging.getLogger(__name__)

TABLE = "notes"
_FIELDS = ("title", "body", "tags")
_CHUNK = 500  # SQLite limits the number of bound parameters; ask in slices


@dataclass(frozen=True)
class _Texts:
    """One note's decrypted fields, valid for the stored row they were read from."""

    stamp: tuple[int, dt.datetime]  # (version, created_at): a new id reuse never matches
    title: str
    body: str
    tags: tuple[str, ...]
    damaged: bool
    folded: str  # title, body and tags folded for search once, not at every keystroke


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def check_note(draft: NoteDraft) -> NoteDraft:
    """The draft trimmed, or ValidationError with a message per field."""
    title = v.clean_text(draft.title)
    body = draft.body.strip("\n\r\t ")
    tags = parse_tags(format_tags(draft.tags))
    errors: dict[str, str] = {}
    if not title and not body:
        errors["title"] = "Write a title or a few words in the note."
    elif problem := v.check_name(title, what="title", limit=NOTE_TITLE_MAX, required=False):
        errors["title"] = problem
    if len(body) > NOTE_BODY_MAX:
        errors["body"] = f"The note is too long ({len(body)} characters; at most {NOTE_BODY_MAX})."
    if len(format_tags(tags)) > NOTE_TAGS_MAX:
        errors["tags"] = f"Use fewer tags (at most {NOTE_TAGS_MAX} characters in all)."
    if errors:
        raise v.ValidationError(errors)
    return NoteDraft(
        group_id=draft.group_id,
        title=title,
        body=body,
        tags=tags,
        meeting_id=draft.meeting_id,
        member_id=draft.member_id,
    )


class NoteService:
    def __init__(
        self, db: Database, vault: VaultService, *, now: Callable[[], dt.datetime] = _utc_now
    ) -> None:
        self._db = db
        self._vault = vault
        self._now = now
        self._texts: dict[int, _Texts] = {}
        # Notes as last returned, by id, with the plain facts they were made from: a list
        # or a search re-uses them while nothing about the note changed.
        self._infos: dict[int, tuple[tuple[object, ...], NoteInfo]] = {}
        vault.add_lock_listener(self._forget)

    # ---- reading (needs the vault unlocked) ----------------------------------------------

    def notes(
        self, group_id: int, *, meeting_id: int | None = None, member_id: int | None = None
    ) -> list[NoteInfo]:
        """The group's notes, most recently changed first; only those about ``meeting_id``
        and/or ``member_id`` if given."""
        notes = self._group_notes(group_id)
        return [
            note
            for note in notes
            if (meeting_id is None or note.meeting_id == meeting_id)
            and (member_id is None or note.member_id == member_id)
        ]

    def search(self, group_id: int, text: str) -> list[NoteInfo]:
        """Notes with every word of ``text`` in them (any case, with or without accents),
        searched in memory: the text is never sent to the database."""
        words = fold_for_search(text).split()
        notes = self._group_notes(group_id)
        if not words:
            return notes
        names = {name: fold_for_search(name) for name in {n.member_name for n in notes} if name}
        found = []
        for note in notes:
            folded = self._texts[note.id].folded
            name = names.get(note.member_name or "", "")
            if all(word in folded or word in name for word in words):
                found.append(note)
        return found

    def note(self, note_id: int) -> NoteInfo:
        with self._db.session() as s:
            row = s.get(Note, note_id)
            if row is None:
                raise NotFoundError("That note no longer exists.")
            return self._info(s, row)

    def count(self, group_id: int) -> int:
        """How many notes the group has (no key needed: nothing is decrypted)."""
        with self._db.session() as s:
            return int(s.scalar(select(func.count(Note.id)).where(Note.group_id == group_id)) or 0)

    # ---- writing -------------------------------------------------------------------------

    def create(self, draft: NoteDraft) -> NoteInfo:
        draft = check_note(draft)
        self._vault.require_unlocked()
        with saving(self._db, "This note") as s:
            self._check_links(s, draft)
            now = self._now()
            row = Note(
                group_id=draft.group_id,
                meeting_id=draft.meeting_id,
                member_id=draft.member_id,
                title=b"",
                body=b"",
                tags=b"",
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            flush(s, "This note")  # the id is part of what each field is bound to
            self._seal(row, draft)
            flush(s, "This note")
            info = self._info(s, row)
        log.info("Note %d saved.", info.id)
        return info

    def update(self, note_id: int, draft: NoteDraft, expected_version: int) -> NoteInfo:
        draft = check_note(draft)
        self._vault.require_unlocked()
        with saving(self._db, "This note") as s:
            row = fetch(s, Note, note_id, "note", expected_version)
            self._check_links(s, draft)
            row.group_id = draft.group_id
            row.meeting_id = draft.meeting_id
            row.member_id = draft.member_id
            row.updated_at = self._now()
            self._seal(row, draft)
            flush(s, "This note")
            info = self._info(s, row)
        log.info("Note %d saved.", note_id)
        return info

    def delete(self, note_id: int) -> None:
        with saving(self._db, "This note") as s:
            s.delete(fetch(s, Note, note_id, "note"))
        self._texts.pop(note_id, None)
        self._infos.pop(note_id, None)
        log.info("Note %d deleted.", note_id)

    # ---- inside ---------------------------------------------------------------------------

    def _group_notes(self, group_id: int) -> list[NoteInfo]:
        self._vault.require_unlocked()
        with self._db.session() as s:
            rows = s.execute(
                select(
                    Note.id,
                    Note.group_id,
                    Note.meeting_id,
                    Note.member_id,
                    Note.created_at,
                    Note.updated_at,
                    Note.version,
                )
                .where(Note.group_id == group_id)
                .order_by(Note.updated_at.desc(), Note.id.desc())
            ).all()
            stale = [r.id for r in rows if self._cached(r.id, (r.version, r.created_at)) is None]
            for start in range(0, len(stale), _CHUNK):
                for row in s.scalars(
                    select(Note).where(Note.id.in_(stale[start : start + _CHUNK]))
                ):
                    self._decrypt(row)
            names = values_by_id(s, Member.id, Member.display_name, (r.member_id for r in rows))
            dates = values_by_id(s, Meeting.id, Meeting.date, (r.meeting_id for r in rows))
        self._drop_gone(group_id, {r.id for r in rows})
        notes = []
        for r in rows:
            facts = (*r, names.get(r.member_id or 0), dates.get(r.meeting_id or 0))
            known = self._infos.get(r.id)
            if known is None or known[0] != facts:
                known = (facts, _note_info(r, self._texts[r.id], names, dates))
                self._infos[r.id] = known
            notes.append(known[1])
        return notes

    def _drop_gone(self, group_id: int, present: set[int]) -> None:
        """Forget the decrypted text of this group's notes that are no longer stored (deleted
        elsewhere, or with an erased member), rather than keeping it until the vault locks."""
        gone = [
            note_id
            for note_id, (_facts, info) in self._infos.items()
            if info.group_id == group_id and note_id not in present
        ]
        for note_id in gone:
            del self._infos[note_id]
            self._texts.pop(note_id, None)

    def _forget(self) -> None:
        """The vault locked: drop every decrypted text."""
        self._texts.clear()
        self._infos.clear()

    def _cached(self, note_id: int, stamp: tuple[int, dt.datetime]) -> _Texts | None:
        texts = self._texts.get(note_id)
        return texts if texts is not None and texts.stamp == stamp else None

    def _seal(self, row: Note, draft: NoteDraft) -> None:
        row.title = self._vault.encrypt(TABLE, row.id, "title", draft.title)
        row.body = self._vault.encrypt(TABLE, row.id, "body", draft.body)
        row.tags = self._vault.encrypt(TABLE, row.id, "tags", format_tags(draft.tags))

    def _info(self, s: Session, row: Note) -> NoteInfo:
        texts = self._decrypt(row)
        names = values_by_id(s, Member.id, Member.display_name, [row.member_id])
        dates = values_by_id(s, Meeting.id, Meeting.date, [row.meeting_id])
        return _note_info(row, texts, names, dates)

    def _decrypt(self, row: Note) -> _Texts:
        """Decrypt ``row``'s fields (and keep them for the next list or search)."""
        texts: dict[str, str] = {}
        damaged = False
        for field in _FIELDS:
            try:
                texts[field] = self._vault.decrypt(TABLE, row.id, field, getattr(row, field))
            except DamagedFieldError:
                texts[field] = "" if field == "tags" else DAMAGED_TEXT
                damaged = True
        decrypted = _Texts(
            stamp=(row.version, row.created_at),
            title=texts["title"],
            body=texts["body"],
            tags=parse_tags(texts["tags"]),
            damaged=damaged,
            folded=fold_for_search(" ".join((texts["title"], texts["body"], texts["tags"]))),
        )
        self._texts[row.id] = decrypted
        return decrypted

    @staticmethod
    def _check_links(s: Session, draft: NoteDraft) -> None:
        if s.get(Group, draft.group_id) is None:
            raise NotFoundError("That group no longer exists.")
        if draft.member_id is not None and s.get(Member, draft.member_id) is None:
            raise NotFoundError("That member no longer exists.")
        if draft.meeting_id is not None:
            meeting = s.get(Meeting, draft.meeting_id)
            if meeting is None or meeting.group_id != draft.group_id:
                raise NotFoundError("That meeting no longer exists.")


class _Plain(Protocol):
    """What a note row says without the key: a ``Note`` or a row of its plain columns."""

    @property
    def id(self) -> int: ...
    @property
    def group_id(self) -> int: ...
    @property
    def meeting_id(self) -> int | None: ...
    @property
    def member_id(self) -> int | None: ...
    @property
    def created_at(self) -> dt.datetime: ...
    @property
    def updated_at(self) -> dt.datetime: ...
    @property
    def version(self) -> int: ...


def _note_info(
    row: _Plain, texts: _Texts, names: dict[int, str], dates: dict[int, dt.date]
) -> NoteInfo:
    return NoteInfo(
        id=row.id,
        group_id=row.group_id,
        meeting_id=row.meeting_id,
        meeting_date=dates.get(row.meeting_id) if row.meeting_id is not None else None,
        member_id=row.member_id,
        member_name=names.get(row.member_id) if row.member_id is not None else None,
        title=texts.title,
        body=texts.body,
        tags=texts.tags,
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
        damaged=texts.damaged,
    )
