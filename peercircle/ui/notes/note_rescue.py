"""Keeping a note's writing when it must be saved at once, asking nothing.

When the vault is about to lock (by hand or when left idle), the private panels are being
hidden, or another group or screen is chosen, the note is saved there and then. If the title
is too long, the tags too many or the text too long for one note, rescued drafts keep every
word anyway; a note changed or removed elsewhere meanwhile is kept as a new note. (No Qt.)
"""

from __future__ import annotations

from dataclasses import replace

from peercircle.domain import NOTE_BODY_MAX, NOTE_TAGS_MAX, NOTE_TITLE_MAX
from peercircle.services.notes import NoteService, check_note
from peercircle.services.notes_types import NoteDraft, NoteInfo, format_tags, parse_tags
from peercircle.services.roster_types import ChangedElsewhereError, NotFoundError
from peercircle.services.validation import CONTROL_CHARS, ValidationError


def keep_writing(notes: NoteService, note: NoteInfo | None, draft: NoteDraft) -> NoteInfo | None:
    """Save ``draft`` (over ``note``, if given) now, whatever happens: the note that holds
    the writing, or None when nothing at all was written.

    Raises NotFoundError if the group itself is gone, VaultError if the vault is locked.
    """
    try:
        drafts = [check_note(draft)]
    except ValidationError:
        drafts = rescued_drafts(draft)
    if not drafts:
        return None
    saved = _write_anyway(notes, note, drafts[0])
    for extra in drafts[1:]:
        _write_anyway(notes, None, extra)
    return saved


def _write_anyway(notes: NoteService, note: NoteInfo | None, draft: NoteDraft) -> NoteInfo:
    if note is not None:
        try:
            return notes.update(note.id, draft, note.version)
        except (ChangedElsewhereError, NotFoundError):
            pass  # kept as a note of its own below; the other version stays as it is
    try:
        return notes.create(draft)
    except NotFoundError:  # its member or meeting went away meanwhile
        return notes.create(NoteDraft(draft.group_id, draft.title, draft.body, draft.tags))


def rescued_drafts(draft: NoteDraft) -> list[NoteDraft]:
    """Drafts the notes service accepts that together hold every word of ``draft``.

    A title that is too long is shortened, and kept whole at the top of the text; tags that
    do not fit go at the end of the text; text too long for one note goes on in further
    notes titled “… (continued 2)”. A draft with no words at all gives no drafts.
    """
    title = CONTROL_CHARS.sub(" ", draft.title).strip()
    top = ""
    if len(title) > NOTE_TITLE_MAX:
        top = title
        title = title[: NOTE_TITLE_MAX - 1].rstrip() + "…"
    kept: list[str] = []
    spilled: list[str] = []
    for tag in parse_tags(format_tags(draft.tags)):
        fits = len(format_tags((*kept, tag))) <= NOTE_TAGS_MAX
        (kept if fits else spilled).append(tag)
    bottom = f"Tags: {format_tags(tuple(spilled))}" if spilled else ""
    body = draft.body.strip("\n\r\t ")
    text = "\n\n".join(part for part in (top, body, bottom) if part)
    if not title and not text:
        if not kept:
            return []
        title = "Untitled note"  # only tags were written: they are kept, with a title
    chunks = [text[i : i + NOTE_BODY_MAX] for i in range(0, len(text), NOTE_BODY_MAX)] or [""]
    first = replace(draft, title=title, body=chunks[0], tags=tuple(kept))
    return [first] + [
        replace(draft, title=_continued(title, number), body=chunk, tags=tuple(kept))
        for number, chunk in enumerate(chunks[1:], start=2)
    ]


def _continued(title: str, number: int) -> str:
    suffix = f" (continued {number})"
    base = (title or "Note").removesuffix("…")
    return base[: NOTE_TITLE_MAX - len(suffix)].rstrip() + suffix
