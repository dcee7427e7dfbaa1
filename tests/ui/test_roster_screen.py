"""The roster screen and its dialogs, driven with qtbot on a real database."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from peercircle.db.models import Role
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.ui.roster.member_dialog import MemberDialog
from peercircle.ui.roster.roster_screen import RosterScreen


@pytest.fixture
def group(roster: RosterService):
    g = roster.create_group(GroupDraft("Tuesday Circle", 1, dt.time(18, 30), "Library"))
    for name in ("Zofia", "Ángel", "Ангелина", "Mai"):
        roster.create_member(MemberDraft(name), group_id=g.id)
    return roster.get_group(g.id)


@pytest.fixture
def screen(qtbot, roster: RosterService, dialogs, group) -> RosterScreen:
    widget = RosterScreen(roster, dialogs)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    widget.show_group(group)
    return widget


def shown_names(screen: RosterScreen) -> list[str]:
    proxy = screen.proxy
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def test_shows_group_in_seating_order_with_schedule(screen: RosterScreen) -> None:
    assert screen.title.text() == "Tuesday Circle"
    assert screen.subtitle.text() == "4 people · Tuesdays at 18:30 · Library"
    assert shown_names(screen) == ["Zofia", "Ángel", "Ангелина", "Mai"]
    assert screen.count.text() == "4 people"


def test_typing_filters_instantly(qtbot, screen: RosterScreen) -> None:
    # QTest can only type ASCII; insert() stands in for typing other scripts.
    screen.search.insert("анг")
    assert shown_names(screen) == ["Ангелина"]
    assert screen.count.text() == "1 of 4 people"
    screen.search.clear()
    qtbot.keyClicks(screen.search, "nobody")
    assert screen.stack.currentWidget() is screen.empty_message
    assert "No one matches “nobody”" in screen.empty_message.text()
    screen.search.clear()
    assert screen.stack.currentWidget() is screen.table


def test_clicking_a_header_sorts(qtbot, screen: RosterScreen) -> None:
    header = screen.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_center(header, 0))
    assert shown_names(screen) == ["Ángel", "Mai", "Zofia", "Ангелина"]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_center(header, 0))
    assert shown_names(screen) == ["Ангелина", "Zofia", "Mai", "Ángel"]
    # A third click goes back to the seating order.
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_center(header, 0))
    assert shown_names(screen) == ["Zofia", "Ángel", "Ангелина", "Mai"]


def _section_center(header, section: int):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPoint

    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    return QPoint(x, header.height() // 2)


def test_add_member_through_dialog(
    qtbot, screen: RosterScreen, roster: RosterService, group, answer_dialog
) -> None:
    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, MemberDialog)
        assert not dialog.save_button.isEnabled()  # a name is required
        dialog.display_name.insert("  Siobhán Ó'Brien-Nowak  ")  # QTest types ASCII only
        qtbot.keyClicks(dialog.email, "siobhan@example.org")
        dialog.pronouns.setCurrentText("she/they")
        assert dialog.save_button.isEnabled()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer_dialog(fill)
    screen.add_button.click()
    assert "Siobhán Ó'Brien-Nowak" in shown_names(screen)
    stored = [m for m in roster.list_members(group.id) if m.email == "siobhan@example.org"]
    assert [m.display_name for m in stored] == ["Siobhán Ó'Brien-Nowak"]  # trimmed
    assert stored[0].pronouns == "she/they"
    assert stored[0].seat == 4  # seated last
    assert screen.selected_member_id() == stored[0].id


def test_inline_validation_in_member_dialog(qtbot, roster: RosterService, group) -> None:
    dialog = MemberDialog(roster.list_groups(), None, {group.id: Role.MEMBER})
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.save_button.isEnabled()
    assert not dialog.errors["display_name"].isVisible()  # no scolding before typing
    qtbot.keyClicks(dialog.display_name, "Sam")
    qtbot.keyClicks(dialog.email, "sam@")
    assert dialog.errors["email"].isVisible()
    assert "doesn't look like an e-mail" in dialog.errors["email"].text()
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.email, "example.org")
    assert not dialog.errors["email"].isVisible()
    qtbot.keyClicks(dialog.phone, "call me")
    assert "phone number" in dialog.errors["phone"].text()
    dialog.phone.clear()
    qtbot.keyClicks(dialog.phone, "+48 601 234 567")
    assert dialog.save_button.isEnabled()
    dialog.display_name.selectAll()
    qtbot.keyClick(dialog.display_name, Qt.Key.Key_Delete)
    assert dialog.errors["display_name"].text() == "Please enter a name."
    assert not dialog.save_button.isEnabled()


def test_edit_member_and_make_co_facilitator(
    qtbot, screen: RosterScreen, roster: RosterService, group, answer_dialog
) -> None:
    assert screen.select_member(roster.list_members(group.id)[1].id)

    def edit(dialog) -> None:  # type: ignore[no-untyped-def]
        assert dialog.display_name.text() == "Ángel"
        dialog.display_name.setText("Ángel M.")
        dialog.groups_model.setData(
            dialog.groups_model.index(0, 1),
            Qt.CheckState.Checked.value,
            Qt.ItemDataRole.CheckStateRole,
        )
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    answer_dialog(edit)
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)  # Enter on a row opens the editor
    member = screen.selected_member()
    assert member is not None and member.display_name == "Ángel M."
    assert member.role == Role.CO_FACILITATOR
    assert "with Ángel M." in screen.subtitle.text()


def test_archive_and_restore(
    qtbot, screen: RosterScreen, roster: RosterService, group, dialogs
) -> None:
    mai = next(m for m in roster.list_members(group.id) if m.display_name == "Mai")
    screen.select_member(mai.id)
    dialogs.confirm_answer = False
    screen.archive_button.click()
    assert "Mai" in shown_names(screen)  # cancelled: nothing changed
    dialogs.confirm_answer = True
    screen.archive_button.click()
    assert "Archive Mai?" in dialogs.asked[-1][1]
    assert "Mai" not in shown_names(screen)
    assert roster.get_member(mai.id).archived

    screen.show_archived.setChecked(True)
    assert "Mai" in shown_names(screen)
    assert screen.select_member(mai.id)
    assert screen.restore_button.isVisible() and not screen.archive_button.isVisible()
    screen.restore_button.click()
    assert not roster.get_member(mai.id).archived
    screen.show_archived.setChecked(False)
    assert "Mai" in shown_names(screen)


def test_empty_group_shows_a_gentle_hint(qtbot, roster: RosterService, dialogs) -> None:
    empty = roster.create_group(GroupDraft("Brand new circle"))
    widget = RosterScreen(roster, dialogs)
    qtbot.addWidget(widget)
    widget.show_group(empty)
    assert widget.stack.currentWidget() is widget.empty_message
    assert "No one in this group yet" in widget.empty_message.text()


def test_ctrl_f_focuses_search(qtbot, screen: RosterScreen) -> None:
    screen.activateWindow()
    screen.table.setFocus()
    screen.find_action.trigger()
    qtbot.waitUntil(screen.search.hasFocus)
