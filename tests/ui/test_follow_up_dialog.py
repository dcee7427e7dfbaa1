"""The follow-up dialog, the “How did it go?” dialog, and who can be chosen."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from peercircle.domain import FollowUpSource, MemberStatus
from peercircle.services.notes_types import FollowUpDraft
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.ui.follow_ups.follow_up_dialog import (
    DoneDialog,
    FollowUpDialog,
    coming_friday,
    follow_up_members,
    next_week,
    tomorrow,
)

TODAY = dt.date(2026, 11, 25)  # a Wednesday
MEMBERS = [(1, "Ágnes"), (2, "Nguyễn Văn An"), (3, "Ольга"), (4, "Zoë")]


@pytest.fixture
def dialog(qtbot) -> FollowUpDialog:  # type: ignore[no-untyped-def]
    widget = FollowUpDialog(MEMBERS, None, draft=None, today=TODAY)
    qtbot.addWidget(widget)
    widget.show()
    return widget


# ---- who can be chosen ----------------------------------------------------------------------


def test_members_are_active_ones_by_name_each_once(roster: RosterService) -> None:
    tue = roster.create_group(GroupDraft("Tuesday Circle")).id
    thu = roster.create_group(GroupDraft("Thursday Circle")).id
    zoe = roster.create_member(MemberDraft("Zoë"), group_id=tue).id
    agnes = roster.create_member(MemberDraft("Ágnes"), group_id=tue).id
    roster.add_to_group(agnes, thu)  # in two groups: listed once
    olga = roster.create_member(MemberDraft("Ольга"), group_id=thu).id
    gone = roster.create_member(MemberDraft("Bertil", status=MemberStatus.ALUMNI), group_id=tue)
    archived = roster.create_member(MemberDraft("Chidi"), group_id=tue).id
    roster.archive_member(archived)

    assert follow_up_members(roster) == [(agnes, "Ágnes"), (zoe, "Zoë"), (olga, "Ольга")]
    assert follow_up_members(roster, tue) == [(agnes, "Ágnes"), (zoe, "Zoë")]
    assert follow_up_members(roster, thu) == [(agnes, "Ágnes"), (olga, "Ольга")]
    # The member a follow-up is already about stays choosable even when no longer active.
    assert follow_up_members(roster, tue, include=(gone.id, "Bertil")) == [
        (agnes, "Ágnes"),
        (gone.id, "Bertil"),
        (zoe, "Zoë"),
    ]


def test_two_people_with_one_name_are_told_apart(roster: RosterService) -> None:
    tue = roster.create_group(GroupDraft("Tuesday Circle")).id
    thu = roster.create_group(GroupDraft("Thursday Circle")).id
    first = roster.create_member(MemberDraft("Sam"), group_id=tue).id
    second = roster.create_member(MemberDraft("Sam"), group_id=thu).id
    assert follow_up_members(roster) == [
        (second, "Sam (Thursday Circle)"),
        (first, "Sam (Tuesday Circle)"),
    ]


# ---- dates ----------------------------------------------------------------------------------


def test_quick_dates() -> None:
    assert tomorrow(TODAY) == dt.date(2026, 11, 26)
    assert coming_friday(TODAY) == dt.date(2026, 11, 27)
    assert coming_friday(dt.date(2026, 11, 27)) == dt.date(2026, 12, 4)  # on a Friday: next
    assert next_week(TODAY) == dt.date(2026, 11, 30)  # Monday
    assert next_week(dt.date(2026, 11, 29)) == dt.date(2026, 11, 30)  # from a Sunday


def test_quick_date_buttons_set_the_date(qtbot, dialog: FollowUpDialog) -> None:  # type: ignore[no-untyped-def]
    assert dialog.due.date().toPython() == dt.date(2026, 11, 27)  # a gentle default
    expected = {
        "Tomorrow": dt.date(2026, 11, 26),
        "Friday": dt.date(2026, 11, 27),
        "Next week": dt.date(2026, 11, 30),
    }
    for label, day in expected.items():
        qtbot.mouseClick(dialog.quick_dates[label], Qt.MouseButton.LeftButton)
        assert dialog.due.date().toPython() == day
    assert dialog.quick_dates["Next week"].toolTip() == "Monday 30 November"
    assert dialog.due.calendarPopup()


# ---- choosing someone -------------------------------------------------------------------------


def test_typing_part_of_a_name_narrows_the_list(qtbot, dialog: FollowUpDialog) -> None:  # type: ignore[no-untyped-def]
    dialog.member.lineEdit().insert("nguyen")  # without accents finds Nguyễn
    popup = dialog.member.completer().popup()
    shown = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert shown == ["Nguyễn Văn An"]
    assert dialog.member.member_id() is None
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.member.member_id() == 2


def test_whole_name_in_any_case_counts(dialog: FollowUpDialog) -> None:
    dialog.member.lineEdit().insert("ОЛЬГА")
    assert dialog.member.member_id() == 3


def test_checked_as_typed(qtbot, dialog: FollowUpDialog) -> None:  # type: ignore[no-untyped-def]
    assert not dialog.save_button.isEnabled()
    assert not dialog.errors["member"].isVisible()  # no scolding before anything is typed
    dialog.member.lineEdit().insert("Nobody")
    assert dialog.errors["member"].text() == (
        "No one called “Nobody” here; choose someone from the list."
    )
    dialog.member.set_member(4)
    assert not dialog.errors["member"].isVisible()
    assert dialog.save_button.isEnabled()  # the reason may be left empty
    dialog.reason.insert("r" * 301)
    assert dialog.errors["reason"].text() == (
        "The reason is too long (301 characters; at most 300)."
    )
    assert not dialog.save_button.isEnabled()
    dialog.reason.backspace()
    assert dialog.save_button.isEnabled()
    assert dialog.reason.placeholderText().startswith("A few words for yourself")


def test_result_keeps_the_context_and_the_fields_are_wiped(qtbot) -> None:  # type: ignore[no-untyped-def]
    given = FollowUpDraft(
        member_id=3,
        due_date=dt.date(2026, 11, 20),
        reason="ask about the move",
        group_id=7,
        note_id=11,
        meeting_id=5,
        source=FollowUpSource.NOTE,
    )
    dialog = FollowUpDialog(MEMBERS, None, draft=given, today=TODAY, editing=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Edit follow-up"
    assert dialog.member.currentText() == "Ольга"
    assert not dialog.is_changed()
    dialog.reason.selectAll()
    dialog.reason.insert("ask how the move went")
    assert dialog.is_changed()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == FollowUpDialog.DialogCode.Accepted
    assert dialog.draft() == FollowUpDraft(
        member_id=3,
        due_date=dt.date(2026, 11, 20),
        reason="ask how the move went",
        group_id=7,
        note_id=11,
        meeting_id=5,
        source=FollowUpSource.NOTE,
    )
    assert dialog.reason.text() == ""
    assert not dialog.reason.isUndoAvailable()  # the old words cannot be brought back
    assert dialog.member.count() == 0 and dialog.member.currentText() == ""


def test_cancel_wipes_too(qtbot, dialog: FollowUpDialog) -> None:  # type: ignore[no-untyped-def]
    dialog.member.set_member(1)
    dialog.reason.insert("something private")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.reason.text() == "" and not dialog.reason.isUndoAvailable()
    assert dialog.member.count() == 0


def test_restore_after_a_refused_save(qtbot, dialog: FollowUpDialog) -> None:  # type: ignore[no-untyped-def]
    dialog.member.set_member(2)
    dialog.reason.insert("lend the book")
    dialog.save_button.click()
    kept = dialog.draft()
    dialog.restore(kept)
    dialog.show_errors({"reason": "Something was wrong with it."})
    assert dialog.member.currentText() == "Nguyễn Văn An"
    assert dialog.reason.text() == "lend the book"
    assert dialog.errors["reason"].text() == "Something was wrong with it."


# ---- done ---------------------------------------------------------------------------------


def test_done_dialog(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = DoneDialog(None, who="Ágnes", reason="ask how the new job is going")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.heading.text() == "How did it go?"
    assert dialog.context.text() == "Your check-in with Ágnes: ask how the new job is going"
    assert dialog.save_button.text() == "Mark done"
    assert dialog.save_button.isEnabled()  # how it went is optional
    assert not dialog.is_changed()
    dialog.outcome_edit.insertPlainText("x" * 1001)
    assert dialog.errors["outcome"].text() == "Please keep it under 1000 characters (now 1001)."
    assert not dialog.save_button.isEnabled()
    dialog.outcome_edit.setPlainText("  She loves it.\nWill come on Tuesday.  ")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome() == "She loves it.\nWill come on Tuesday."
    assert dialog.outcome_edit.toPlainText() == ""
    assert not dialog.outcome_edit.document().isUndoAvailable()


def test_done_dialog_cancel_wipes(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = DoneDialog(None, who="Zoë")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.outcome_edit.insertPlainText("private words")
    dialog.reject()
    assert dialog.outcome_edit.toPlainText() == ""
