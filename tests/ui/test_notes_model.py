"""The notes list model, its friendly texts, and the drafts that keep writing when a note
must be saved at once (locking, hiding) but does not pass the checks."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peercircle.domain import NOTE_BODY_MAX, NOTE_TAGS_MAX, NOTE_TITLE_MAX
from peercircle.services.notes import check_note
from peercircle.services.notes_types import NoteDraft, NoteInfo, format_tags
from peercircle.ui.notes.note_list_model import (
    NoteInfoRole,
    NoteListModel,
    friendly_updated,
    note_details,
)
from peercircle.ui.notes.note_rescue import rescued_drafts

NOW = dt.datetime(2026, 11, 24, 19, 30, tzinfo=dt.UTC)  # a Tuesday


def note(
    note_id: int = 1,
    *,
    title: str = "Sleep",
    body: str = "",
    tags: tuple[str, ...] = (),
    member: str | None = None,
    meeting_date: dt.date | None = None,
    updated: dt.datetime = dt.datetime(2026, 11, 24, 18, 5),
    damaged: bool = False,
) -> NoteInfo:
    return NoteInfo(
        id=note_id,
        group_id=1,
        meeting_id=7 if meeting_date else None,
        meeting_date=meeting_date,
        member_id=3 if member else None,
        member_name=member,
        title=title,
        body=body,
        tags=tags,
        created_at=updated,
        updated_at=updated,
        version=1,
        damaged=damaged,
    )


def test_the_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = NoteListModel(lambda: NOW)
    model.set_notes(
        [
            note(1, member="Ágnes", tags=("sleep", "family")),
            note(2, title="", body="Ольга asked about the library\nmore"),
        ]
    )
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.row_of(2) == 1 and model.row_of(99) == -1
    assert model.index(1).data() == (
        "Ольга asked about the library\nupdated today 18:05"
    )  # no title: the first line
    assert model.index(0).data(NoteInfoRole).id == 1
    model.clear()
    assert model.rowCount() == 0
    qtmodeltester.check(model)


@pytest.mark.parametrize(
    ("updated", "text"),
    [
        (dt.datetime(2026, 11, 24, 19, 29, 30), "updated just now"),
        (dt.datetime(2026, 11, 24, 8, 0), "updated today 08:00"),
        (dt.datetime(2026, 11, 23, 21, 15), "updated yesterday 21:15"),
        (dt.datetime(2026, 11, 20, 18, 30), "updated Fri 18:30"),
        (dt.datetime(2026, 3, 3, 18, 30), "updated 3 Mar"),
        (dt.datetime(2025, 12, 30, 18, 30), "updated 30 Dec 2025"),
    ],
)
def test_updated_is_said_the_way_a_person_says_it(updated: dt.datetime, text: str) -> None:
    assert friendly_updated(updated, NOW) == text


def test_updated_is_in_local_time() -> None:
    evening_in_lisbon_is_next_day_in_tokyo = dt.datetime(2026, 11, 24, 16, 0)
    tokyo_now = NOW.astimezone(dt.timezone(dt.timedelta(hours=9)))
    assert friendly_updated(evening_in_lisbon_is_next_day_in_tokyo, tokyo_now) == (
        "updated today 01:00"
    )


def test_details_name_the_member_the_meeting_the_tags_and_damage() -> None:
    text = note_details(
        note(
            member="Nguyễn",
            meeting_date=dt.date(2026, 11, 24),
            tags=("sleep", "family"),
            damaged=True,
        ),
        NOW,
    )
    assert text == "Nguyễn · Tue 24 Nov · partly damaged · updated today 18:05 · sleep, family"
    assert note_details(note(meeting_date=dt.date(2025, 3, 4)), NOW).startswith("Tue 4 Mar 2025 · ")


# ---- rescued drafts ----------------------------------------------------------------------


def draft(**fields: object) -> NoteDraft:
    return NoteDraft(group_id=1, **fields)  # type: ignore[arg-type]


def test_a_draft_that_passes_is_kept_as_it_is() -> None:
    good = draft(title="Ágnes", body="Slept badly.", tags=("sleep",), member_id=3)
    assert rescued_drafts(good) == [good]


def test_no_words_gives_nothing_and_tags_alone_get_a_title() -> None:
    assert rescued_drafts(draft(title="  ", body="\n")) == []
    [kept] = rescued_drafts(draft(title="", body="", tags=("sleep",)))
    assert kept.title == "Untitled note" and kept.tags == ("sleep",)


def test_a_long_title_is_shortened_and_kept_whole_in_the_text() -> None:
    title = "Ágnes " * 60
    [kept] = rescued_drafts(draft(title=title, body="Slept badly."))
    assert len(kept.title) == NOTE_TITLE_MAX and kept.title.endswith("…")
    assert kept.body == f"{title.strip()}\n\nSlept badly."


def test_tags_that_do_not_fit_go_at_the_end_of_the_text() -> None:
    tags = tuple(f"tag{i:03}" for i in range(40))
    [kept] = rescued_drafts(draft(title="T", body="B", tags=tags))
    assert len(format_tags(kept.tags)) <= NOTE_TAGS_MAX
    spilled = tags[len(kept.tags) :]
    assert spilled and kept.body == f"B\n\nTags: {format_tags(spilled)}"


def test_a_long_text_goes_on_in_further_notes() -> None:
    body = "x" * NOTE_BODY_MAX + "y" * 10
    first, second = rescued_drafts(draft(title="Long evening", body=body, member_id=3))
    assert first.title == "Long evening" and first.body == "x" * NOTE_BODY_MAX
    assert second.title == "Long evening (continued 2)" and second.body == "y" * 10
    assert second.member_id == 3


@settings(max_examples=150, deadline=None)
@given(
    title=st.text(max_size=260),
    body=st.one_of(st.text(max_size=50), st.just("ä" * (NOTE_BODY_MAX + 5))),
    tags=st.lists(st.text(alphabet="abcdé ,", max_size=30), max_size=20),
)
def test_rescued_drafts_always_pass_the_checks(title: str, body: str, tags: list[str]) -> None:
    original = draft(title=title, body=body, tags=tuple(tags))
    drafts = rescued_drafts(original)
    for each in drafts:
        check_note(each)  # raises if it would not be saved
    if not drafts:
        written = title + body + "".join(tags).replace(",", "")
        assert not any(ch.isprintable() and not ch.isspace() for ch in written)
        return
    bodies = "".join(d.body for d in drafts)
    assert squash(body) in squash(bodies)  # every letter of the text, in order
    tags_kept = format_tags(drafts[0].tags)
    for tag in format_tags(tuple(tags)).split(","):
        assert squash(tag) in squash(tags_kept) or squash(tag) in squash(bodies)


def squash(text: str) -> str:
    return "".join(text.split())
