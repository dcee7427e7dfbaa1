"""Private notes: writing, reading, filtering and searching them through the vault; what a
locked vault, a stale edit or a damaged field does to them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pytest
from sqlalchemy import text

from peercircle.db import Database
from peercircle.domain import NOTE_BODY_MAX, NOTE_TAGS_MAX, NOTE_TITLE_MAX
from peercircle.services.meeting_types import MeetingDraft
from peercircle.services.meetings import MeetingService
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import (
    DAMAGED_TEXT,
    NoteDraft,
    NoteInfo,
    format_tags,
    parse_tags,
)
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.services.roster_types import ChangedElsewhereError, NotFoundError
from peercircle.services.validation import ValidationError
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams
from peercircle.services.vault_types import VaultLockedError, VaultNotSetUpError

FAST = KdfParams(memory_kib=1024, iterations=1, lanes=1)
PASSPHRASE = "blue kettle on the stairs"
START = dt.datetime(2026, 11, 24, 20, 0)


class Ticker:
    """A UTC clock for the service that moves on a minute every time it is read."""

    def __init__(self, start: dt.datetime = START) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now


@dataclass
class World:
    db: Database
    vault: VaultService
    notes: NoteService
    roster: RosterService
    meetings: MeetingService
    group: int
    other_group: int
    agnes: int
    nguyen: int
    olga: int
    meeting: int
    other_meeting: int


@pytest.fixture
def w(db: Database, roster: RosterService) -> World:
    group = roster.create_group(GroupDraft("Tuesday Circle", 1)).id
    other_group = roster.create_group(GroupDraft("Thursday Circle", 3)).id
    agnes = roster.create_member(MemberDraft("Ágnes"), group_id=group).id
    nguyen = roster.create_member(MemberDraft("Nguyễn"), group_id=group).id
    olga = roster.create_member(MemberDraft("Ольга"), group_id=other_group).id
    meetings = MeetingService(db)
    meeting = meetings.create_meeting(group, MeetingDraft(dt.date(2026, 11, 24))).id
    other_meeting = meetings.create_meeting(other_group, MeetingDraft(dt.date(2026, 11, 26))).id
    vault = VaultService(db, kdf_params=FAST)
    vault.set_up(PASSPHRASE)
    notes = NoteService(db, vault, now=Ticker())
    return World(
        db,
        vault,
        notes,
        roster,
        meetings,
        group,
        other_group,
        agnes,
        nguyen,
        olga,
        meeting,
        other_meeting,
    )


def _raw_note(db: Database, note_id: int) -> dict[str, bytes]:
    with db.engine.connect() as conn:
        row = conn.execute(
            text("SELECT title, body, tags FROM notes WHERE id = :id"), {"id": note_id}
        ).one()
    return {"title": row.title, "body": row.body, "tags": row.tags}


def _set_raw(db: Database, note_id: int, field: str, value: bytes) -> None:
    assert field in ("title", "body", "tags")
    with db.engine.begin() as conn:
        conn.execute(
            text(f"UPDATE notes SET {field} = :v WHERE id = :id"), {"v": value, "id": note_id}
        )


def _flipped(blob: bytes) -> bytes:
    damaged = bytearray(blob)
    damaged[-5] ^= 0x20
    return bytes(damaged)


def _three_notes(w: World) -> tuple[NoteInfo, NoteInfo, NoteInfo]:
    first = w.notes.create(
        NoteDraft(
            w.group,
            "Ágnes and her mother",
            "She spoke about the hospital visits.",
            ("family", "Hospital"),
            meeting_id=w.meeting,
            member_id=w.agnes,
        )
    )
    second = w.notes.create(
        NoteDraft(
            w.group, "", "Nguyễn was quiet; ask about the new job.", ("work",), member_id=w.nguyen
        )
    )
    third = w.notes.create(NoteDraft(w.group, "Room too cold", "Bring the heater next time."))
    return first, second, third


# ---- writing and reading -------------------------------------------------------------------


def test_a_created_note_reads_back_and_is_stored_encrypted(w: World) -> None:
    note = w.notes.create(
        NoteDraft(
            w.group,
            "  Ágnes and her mother ",
            "\nShe spoke about the hospital.\n\n",
            ("family", " Hospital ", "FAMILY"),
            meeting_id=w.meeting,
            member_id=w.agnes,
        )
    )
    assert note.title == "Ágnes and her mother"
    assert note.body == "She spoke about the hospital."
    assert note.tags == ("family", "Hospital")
    assert (note.group_id, note.meeting_id, note.member_id) == (w.group, w.meeting, w.agnes)
    assert note.meeting_date == dt.date(2026, 11, 24)
    assert note.member_name == "Ágnes"
    assert note.created_at == note.updated_at == START + dt.timedelta(minutes=1)
    assert note.created_at.tzinfo is None
    assert not note.damaged
    assert w.notes.note(note.id) == note
    assert w.notes.notes(w.group) == [note]

    raw = _raw_note(w.db, note.id)
    for field, plain in (("title", "Ágnes"), ("body", "hospital"), ("tags", "family")):
        assert plain.encode() not in raw[field]
        assert raw[field][0] == 1  # the vault's blob format
    # Every field is bound to this row: a different blob in each.
    assert len(set(raw.values())) == 3


def test_notes_are_listed_most_recently_changed_first(w: World) -> None:
    first, second, third = _three_notes(w)
    assert [n.id for n in w.notes.notes(w.group)] == [third.id, second.id, first.id]
    updated = w.notes.update(first.id, replace(first.draft(), body="Changed."), first.version)
    assert updated.version == first.version + 1
    assert updated.created_at == first.created_at
    assert updated.updated_at > third.updated_at
    assert [n.id for n in w.notes.notes(w.group)] == [first.id, third.id, second.id]
    assert w.notes.notes(w.group)[0].body == "Changed."
    assert w.notes.notes(w.other_group) == []


def test_an_update_can_move_a_note_to_another_group(w: World) -> None:
    first, _second, _third = _three_notes(w)
    assert len(w.notes.notes(w.group)) == 3
    assert w.notes.notes(w.other_group) == []  # both lists are now cached
    moved = w.notes.update(
        first.id,
        NoteDraft(
            w.other_group, "About Ольга", "Moved.", meeting_id=w.other_meeting, member_id=w.olga
        ),
        first.version,
    )
    assert [n.id for n in w.notes.notes(w.other_group)] == [moved.id]
    assert first.id not in [n.id for n in w.notes.notes(w.group)]
    assert moved.member_name == "Ольга"
    assert moved.meeting_date == dt.date(2026, 11, 26)


def test_deleting_a_note(w: World) -> None:
    first, second, third = _three_notes(w)
    assert w.notes.count(w.group) == 3
    w.notes.delete(second.id)
    assert [n.id for n in w.notes.notes(w.group)] == [third.id, first.id]
    assert w.notes.count(w.group) == 2
    with pytest.raises(NotFoundError):
        w.notes.note(second.id)
    with pytest.raises(NotFoundError):
        w.notes.delete(second.id)
    with pytest.raises(NotFoundError):
        w.notes.update(second.id, second.draft(), second.version)


def test_filters_by_meeting_and_member(w: World) -> None:
    first, second, third = _three_notes(w)
    about_meeting_only = w.notes.create(NoteDraft(w.group, "Topic went well", meeting_id=w.meeting))
    assert [n.id for n in w.notes.notes(w.group, meeting_id=w.meeting)] == [
        about_meeting_only.id,
        first.id,
    ]
    assert [n.id for n in w.notes.notes(w.group, member_id=w.nguyen)] == [second.id]
    assert [n.id for n in w.notes.notes(w.group, member_id=w.agnes)] == [first.id]
    assert [n.id for n in w.notes.notes(w.group, meeting_id=w.meeting, member_id=w.agnes)] == [
        first.id
    ]
    assert w.notes.notes(w.group, meeting_id=w.meeting, member_id=w.nguyen) == []
    assert len(w.notes.notes(w.group)) == 4
    assert third.meeting_id is None and third.member_id is None


def test_count_needs_no_key(w: World) -> None:
    _three_notes(w)
    w.notes.create(NoteDraft(w.other_group, "Elsewhere"))
    w.vault.lock()
    assert w.notes.count(w.group) == 3
    assert w.notes.count(w.other_group) == 1
    assert w.notes.count(999) == 0


# ---- searching -----------------------------------------------------------------------------


def test_search_ignores_case_and_accents_and_needs_every_word(w: World) -> None:
    first, second, third = _three_notes(w)

    def found(query: str) -> list[int]:
        return [n.id for n in w.notes.search(w.group, query)]

    assert found("agnes") == [first.id]  # the title says “Ágnes”
    assert found("AGNES MOTHER") == [first.id]
    assert found("nguyen") == [second.id]  # Nguyễn in the body and as the member
    assert found("hospital") == [first.id]  # tag and body
    assert found("WORK") == [second.id]  # a tag only
    assert found("heater") == [third.id]
    assert found("agnes heater") == []
    assert found("the") == [third.id, second.id, first.id]
    assert found("") == [third.id, second.id, first.id]
    assert found("   ") == [third.id, second.id, first.id]
    assert found("zzz") == []
    assert w.notes.search(w.other_group, "agnes") == []


def test_search_finds_the_member_a_note_is_about(w: World) -> None:
    note = w.notes.create(NoteDraft(w.group, "Check in next week", member_id=w.agnes))
    assert [n.id for n in w.notes.search(w.group, "ágnes check")] == [note.id]


def test_search_sees_notes_written_and_deleted_since_the_last_search(w: World) -> None:
    assert w.notes.search(w.group, "kettle") == []
    note = w.notes.create(NoteDraft(w.group, "Kettle broke"))
    assert [n.id for n in w.notes.search(w.group, "kettle")] == [note.id]
    w.notes.update(note.id, NoteDraft(w.group, "Heater broke"), note.version)
    assert w.notes.search(w.group, "kettle") == []
    assert len(w.notes.search(w.group, "heater")) == 1
    w.notes.delete(note.id)
    assert w.notes.search(w.group, "heater") == []


@pytest.mark.sqlite_only  # SQLite reuses the id
def test_changes_made_by_another_window_show_at_once(w: World) -> None:
    first, second, third = _three_notes(w)
    assert len(w.notes.search(w.group, "")) == 3  # everything decrypted and kept
    elsewhere = NoteService(w.db, w.vault, now=Ticker(START + dt.timedelta(days=1)))
    elsewhere.update(second.id, NoteDraft(w.group, "Rewritten elsewhere"), second.version)
    assert w.notes.notes(w.group)[0].title == "Rewritten elsewhere"
    # The newest note deleted elsewhere: SQLite gives its id to the next note written.
    elsewhere.delete(third.id)
    reused = elsewhere.create(NoteDraft(w.group, "A different note", "New words."))
    assert reused.id == third.id
    listed = {n.id: n for n in w.notes.notes(w.group)}
    assert listed[third.id].title == "A different note"
    assert [n.id for n in w.notes.search(w.group, "heater")] == []
    assert set(listed) == {first.id, second.id, third.id}


# ---- validation and conflicts --------------------------------------------------------------


def _errors(w: World, draft: NoteDraft) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        w.notes.create(draft)
    return caught.value.errors


def test_validation_messages(w: World) -> None:
    assert _errors(w, NoteDraft(w.group, "  ", " \n\t ")) == {
        "title": "Write a title or a few words in the note."
    }
    long_title = _errors(w, NoteDraft(w.group, "t" * (NOTE_TITLE_MAX + 1)))
    assert long_title == {
        "title": f"The title is too long ({NOTE_TITLE_MAX + 1} characters; at most "
        f"{NOTE_TITLE_MAX})."
    }
    assert "one line" in _errors(w, NoteDraft(w.group, "two\nlines"))["title"]
    long_body = _errors(w, NoteDraft(w.group, "", "b" * (NOTE_BODY_MAX + 1)))
    assert long_body == {
        "body": f"The note is too long ({NOTE_BODY_MAX + 1} characters; at most {NOTE_BODY_MAX})."
    }
    many_tags = tuple(f"tag{i}" for i in range(40))
    assert len(format_tags(many_tags)) > NOTE_TAGS_MAX
    assert _errors(w, NoteDraft(w.group, "Fine", tags=many_tags)) == {
        "tags": f"Use fewer tags (at most {NOTE_TAGS_MAX} characters in all)."
    }
    both = _errors(w, NoteDraft(w.group, "t" * (NOTE_TITLE_MAX + 1), "b" * (NOTE_BODY_MAX + 1)))
    assert set(both) == {"title", "body"}
    # The limits themselves are fine; a body alone or a title alone is enough.
    w.notes.create(NoteDraft(w.group, "t" * NOTE_TITLE_MAX, "b" * NOTE_BODY_MAX))
    w.notes.create(NoteDraft(w.group, "", "Only a body"))
    w.notes.create(NoteDraft(w.group, "Only a title"))
    assert w.notes.count(w.group) == 3


def test_validation_comes_before_the_key(w: World) -> None:
    w.vault.lock()
    with pytest.raises(ValidationError):
        w.notes.create(NoteDraft(w.group, ""))


def test_a_stale_version_is_refused_and_nothing_is_overwritten(w: World) -> None:
    note = w.notes.create(NoteDraft(w.group, "Original"))
    mine = w.notes.update(note.id, NoteDraft(w.group, "Mine"), note.version)
    with pytest.raises(ChangedElsewhereError) as caught:
        w.notes.update(note.id, NoteDraft(w.group, "Theirs"), note.version)
    assert "changed by someone else" in str(caught.value)
    assert w.notes.note(note.id).title == "Mine"
    assert w.notes.note(note.id).version == mine.version


def test_links_that_do_not_exist_are_refused(w: World) -> None:
    cases = [
        (NoteDraft(999, "x"), "group"),
        (NoteDraft(w.group, "x", member_id=999), "member"),
        (NoteDraft(w.group, "x", meeting_id=999), "meeting"),
        (NoteDraft(w.group, "x", meeting_id=w.other_meeting), "meeting"),  # another group's
    ]
    for draft, what in cases:
        with pytest.raises(NotFoundError, match=what):
            w.notes.create(draft)
    note = w.notes.create(NoteDraft(w.group, "x"))
    for draft, what in cases:
        with pytest.raises(NotFoundError, match=what):
            w.notes.update(note.id, draft, note.version)
    assert w.notes.count(w.group) == 1
    assert w.notes.note(note.id).version == note.version
    with pytest.raises(NotFoundError):
        w.notes.note(999)


# ---- the vault -----------------------------------------------------------------------------


def test_a_locked_vault_keeps_notes_closed(w: World) -> None:
    note = w.notes.create(NoteDraft(w.group, "Private"))
    assert len(w.notes.notes(w.group)) == 1  # cached
    w.vault.lock()
    for read in (
        lambda: w.notes.notes(w.group),
        lambda: w.notes.search(w.group, "private"),
        lambda: w.notes.note(note.id),
        lambda: w.notes.create(NoteDraft(w.group, "New")),
        lambda: w.notes.update(note.id, NoteDraft(w.group, "Changed"), note.version),
    ):
        with pytest.raises(VaultLockedError):
            read()
    assert w.notes.count(w.group) == 1
    w.vault.unlock(PASSPHRASE)
    assert w.notes.note(note.id).title == "Private"


def test_notes_before_the_vault_is_set_up(db: Database, roster: RosterService) -> None:
    group = roster.create_group(GroupDraft("Tuesday Circle")).id
    notes = NoteService(db, VaultService(db, kdf_params=FAST))
    assert notes.count(group) == 0
    with pytest.raises(VaultNotSetUpError):
        notes.notes(group)
    with pytest.raises(VaultNotSetUpError):
        notes.create(NoteDraft(group, "First"))


def test_locking_drops_what_was_decrypted(w: World) -> None:
    first, _second, _third = _three_notes(w)
    assert len(w.notes.notes(w.group)) == 3
    # Another window's service writes a note; after lock and unlock this one sees it too,
    # because nothing decrypted before the lock is kept.
    elsewhere = NoteService(w.db, w.vault, now=Ticker())
    added = elsewhere.create(NoteDraft(w.group, "Written elsewhere"))
    w.vault.lock()
    w.vault.unlock(PASSPHRASE)
    listed = w.notes.notes(w.group)
    assert added.id in [n.id for n in listed]
    assert len(listed) == 4
    assert [n.id for n in w.notes.search(w.group, "agnes")] == [first.id]


def test_one_damaged_field_marks_only_its_note(w: World) -> None:
    first, second, third = _three_notes(w)
    raw = _raw_note(w.db, second.id)
    _set_raw(w.db, second.id, "body", _flipped(raw["body"]))
    w.vault.lock()
    w.vault.unlock(PASSPHRASE)

    listed = {n.id: n for n in w.notes.notes(w.group)}
    assert listed[second.id].damaged
    assert listed[second.id].body == DAMAGED_TEXT
    assert listed[second.id].tags == ("work",)  # the other fields still read
    assert listed[second.id].member_name == "Nguyễn"
    for fine in (first, third):
        assert listed[fine.id] == fine
    assert w.notes.note(second.id).damaged
    # A damaged note can still be written over (the facilitator retypes it) or deleted.
    damaged = w.notes.note(second.id)
    repaired = w.notes.update(second.id, replace(damaged.draft(), body="Retyped."), damaged.version)
    assert not repaired.damaged and repaired.body == "Retyped."


def test_damaged_title_and_tags(w: World) -> None:
    first, second, _third = _three_notes(w)
    _set_raw(w.db, first.id, "title", _flipped(_raw_note(w.db, first.id)["title"]))
    _set_raw(w.db, second.id, "tags", b"")
    w.vault.lock()
    w.vault.unlock(PASSPHRASE)
    one, two = w.notes.note(first.id), w.notes.note(second.id)
    assert one.damaged and one.title == DAMAGED_TEXT and one.label == DAMAGED_TEXT
    assert one.body == first.body
    assert two.damaged and two.tags == () and two.body == second.body


def test_a_field_copied_from_another_note_does_not_read(w: World) -> None:
    first, second, _third = _three_notes(w)
    _set_raw(w.db, second.id, "body", _raw_note(w.db, first.id)["body"])
    # Even the same note's title blob in its body field does not read.
    _set_raw(w.db, first.id, "title", _raw_note(w.db, first.id)["title"])
    w.vault.lock()
    w.vault.unlock(PASSPHRASE)
    copied_to = w.notes.note(second.id)
    assert copied_to.damaged and copied_to.body == DAMAGED_TEXT
    assert w.notes.note(first.id) == first

    _set_raw(w.db, first.id, "body", _raw_note(w.db, first.id)["title"])
    assert w.notes.note(first.id).damaged


# ---- what happens to notes when the roster and meetings change -----------------------------


def test_deleting_a_meeting_keeps_its_notes(w: World) -> None:
    first, _second, _third = _three_notes(w)
    assert w.notes.notes(w.group, meeting_id=w.meeting) == [first]
    w.meetings.delete_meeting(w.meeting)
    kept = w.notes.note(first.id)
    assert kept.meeting_id is None and kept.meeting_date is None
    assert kept.body == first.body
    assert w.notes.notes(w.group, meeting_id=w.meeting) == []
    assert first.id in [n.id for n in w.notes.notes(w.group)]
    assert next(n for n in w.notes.notes(w.group) if n.id == first.id).meeting_id is None


def test_archiving_a_member_keeps_their_notes(w: World) -> None:
    first, _second, _third = _three_notes(w)
    w.roster.archive_member(w.agnes)
    kept = w.notes.note(first.id)
    assert kept.member_id == w.agnes and kept.member_name == "Ágnes"
    assert [n.id for n in w.notes.notes(w.group, member_id=w.agnes)] == [first.id]


def test_a_member_renamed_shows_the_new_name(w: World) -> None:
    first, _second, _third = _three_notes(w)
    assert w.notes.search(w.group, "agi") == []
    w.roster.update_member(w.agnes, MemberDraft("Ági"))
    assert w.notes.note(first.id).member_name == "Ági"
    assert [n.id for n in w.notes.search(w.group, "agi")] == [first.id]


def test_deleting_a_member_row_deletes_their_notes(w: World) -> None:
    first, second, third = _three_notes(w)
    with w.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM members WHERE id = :id"), {"id": w.agnes})
    assert w.notes.count(w.group) == 2
    assert [n.id for n in w.notes.notes(w.group)] == [third.id, second.id]
    with pytest.raises(NotFoundError):
        w.notes.note(first.id)


def test_text_of_notes_deleted_elsewhere_is_not_kept_after_the_next_list(w: World) -> None:
    """An erased member's notes go from the database at once, and from memory at the next
    list (not only when the vault locks)."""
    first, second, _third = _three_notes(w)
    w.notes.notes(w.group)  # all three decrypted and kept
    with w.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM members WHERE id = :id"), {"id": w.agnes})
    w.notes.notes(w.group)
    kept = [t.title for t in w.notes._texts.values()]
    assert first.id not in w.notes._texts and first.title not in kept
    assert second.id in w.notes._texts


# ---- the value types -----------------------------------------------------------------------


def test_labels_and_tags() -> None:
    def info(title: str, body: str) -> NoteInfo:
        return NoteInfo(1, 1, None, None, None, None, title, body, (), START, START, 1)

    assert info("Title", "Body").label == "Title"
    assert info("", "\n  First line  \nSecond").label == "First line"
    assert info("", "x" * 100).label == "x" * 80
    assert info("", "").label == "Untitled note"
    assert parse_tags("sleep, Family ,sleep, ,  family  , grief   work") == (
        "sleep",
        "Family",
        "grief work",
    )
    assert parse_tags("") == ()
    assert format_tags(("sleep", "Family")) == "sleep, Family"
    draft = info("Title", "Body").draft()
    assert draft == NoteDraft(1, "Title", "Body")
