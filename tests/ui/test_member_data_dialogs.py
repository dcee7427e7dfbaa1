"""Export Member… and Erase Member… on the roster screen, driven with qtbot on a real
database: the files written, the private-notes box, and erasing only after typing ERASE."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from peercircle.db import Database
from peercircle.services.follow_ups import FollowUpService
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import NoteDraft
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams
from peercircle.ui.main_window import MainWindow
from peercircle.ui.roster.member_data_dialogs import (
    EraseMemberDialog,
    ExportMemberDialog,
    MemberData,
    suggested_file_name,
)
from peercircle.ui.roster.roster_screen import RosterScreen

FAST = KdfParams(memory_kib=1024, iterations=1, lanes=1)
PASSPHRASE = "blue kettle on the stairs"
NOTE_TEXT = "Worried about the new job"


@dataclass
class FakePrivate:
    """The parts of the window's private side the dialogs use."""

    vault: VaultService
    notes: NoteService
    follow_ups: FollowUpService
    changes: int = 0

    def data_changed(self) -> None:
        self.changes += 1


@pytest.fixture
def private(db: Database) -> FakePrivate:
    vault = VaultService(db, kdf_params=FAST)
    vault.set_up(PASSPHRASE)
    return FakePrivate(vault, NoteService(db, vault), FollowUpService(db, vault))


@pytest.fixture
def screen(qtbot, db: Database, roster: RosterService, dialogs, private: FakePrivate):  # type: ignore[no-untyped-def]
    group = roster.create_group(GroupDraft("Tuesday Circle", 1))
    for name in ("Ольга", "Nguyễn Thị Ánh", "Mai"):
        roster.create_member(MemberDraft(name, email="x@example.org"), group_id=group.id)
    anh = roster.list_members(group.id)[1]
    private.notes.create(NoteDraft(group.id, "After the meeting", NOTE_TEXT, member_id=anh.id))
    widget = RosterScreen(roster, dialogs)
    qtbot.addWidget(widget)
    widget.set_member_data(MemberData(db, dialogs, widget, lambda: private))
    widget.resize(900, 600)
    widget.show()
    widget.show_group(roster.get_group(group.id))
    assert widget.select_member(anh.id)
    return widget


def _shown(screen: RosterScreen) -> list[str]:
    return [screen.proxy.index(r, 0).data() for r in range(screen.proxy.rowCount())]


def test_the_actions_need_a_selected_member(screen: RosterScreen) -> None:
    assert screen.export_member_action.isEnabled() and screen.erase_member_action.isEnabled()
    screen.table.clearSelection()
    screen.table.selectionModel().clearCurrentIndex()
    assert not screen.export_member_action.isEnabled()
    assert not screen.erase_member_action.isEnabled()


def test_export_writes_the_json_and_the_pdf_beside_it(
    screen: RosterScreen, dialogs, answer_dialog, tmp_path: Path
) -> None:
    dialogs.save_path = tmp_path / "for Ánh"  # typed without ".json"

    def export(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, ExportMemberDialog)
        assert not dialog.include_private.isChecked()
        dialog.export_button.click()

    answer_dialog(export)
    screen.export_member_action.trigger()
    json_path, pdf_path = tmp_path / "for Ánh.json", tmp_path / "for Ánh.pdf"
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["member"]["display_name"] == "Nguyễn Thị Ánh"
    assert data["private_notes_included"] is False and data["notes"] is None
    assert pdf_path.read_bytes().startswith(b"%PDF")
    [(title, text)] = dialogs.infos
    assert title == "Member data exported" and "for Ánh.pdf" in text
    assert NOTE_TEXT not in json_path.read_text(encoding="utf-8")


def test_the_private_notes_box_is_off_while_the_notes_are_locked(
    screen: RosterScreen, dialogs, answer_dialog, private: FakePrivate
) -> None:
    private.vault.lock()
    seen = []

    def look(dialog) -> None:  # type: ignore[no-untyped-def]
        seen.append((dialog.include_private.isEnabled(), "locked" in dialog.private_hint.text()))
        dialog.cancel_button.click()

    answer_dialog(look)
    screen.export_member_action.trigger()
    assert seen == [(False, True)]
    assert dialogs.infos == [] and dialogs.errors == []


def test_including_private_notes_asks_first_and_then_includes_them(
    screen: RosterScreen, dialogs, answer_dialog, tmp_path: Path
) -> None:
    dialogs.save_path = tmp_path / "anh.json"
    dialogs.confirm_answer = False

    def tick(dialog) -> None:  # type: ignore[no-untyped-def]
        assert dialog.include_private.isEnabled()
        dialog.include_private.click()
        assert not dialog.include_private.isChecked()  # declined: left out
        dialogs.confirm_answer = True
        dialog.include_private.click()
        assert dialog.include_private.isChecked()
        dialog.export_button.click()

    answer_dialog(tick)
    screen.export_member_action.trigger()
    [(title, question), _again] = dialogs.asked
    assert title == "Include private notes?"
    assert question.startswith(
        "The files will contain your private notes about Nguyễn Thị Ánh in readable form"
    )
    data = json.loads((tmp_path / "anh.json").read_text(encoding="utf-8"))
    assert data["private_notes_included"] is True
    assert [n["body"] for n in data["notes"]] == [NOTE_TEXT]


def test_an_export_that_cannot_be_written_says_so(
    screen: RosterScreen, dialogs, answer_dialog, tmp_path: Path
) -> None:
    dialogs.save_path = tmp_path / "missing folder" / "anh.json"
    answer_dialog(lambda dialog: dialog.export_button.click())
    screen.export_member_action.trigger()
    [(title, text)] = dialogs.errors
    assert title == "Could not export" and "that folder does not exist" in text


def test_erase_needs_erase_typed_then_the_roster_updates(
    qtbot, screen: RosterScreen, roster: RosterService, dialogs, answer_dialog, private
) -> None:
    seen = []

    def erase(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, EraseMemberDialog)
        summary = dialog.summary.text()
        seen.append("1 private note about them" in summary and "1 group" in summary)
        assert not dialog.erase_button.isEnabled()
        qtbot.keyClicks(dialog.confirm_word, "ERAS")
        assert not dialog.erase_button.isEnabled()
        qtbot.keyClicks(dialog.confirm_word, "E")
        assert dialog.erase_button.isEnabled()
        qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)

    answer_dialog(erase)
    with qtbot.waitSignal(screen.members_changed, timeout=5000):
        screen.erase_member_action.trigger()
    assert seen == [True]
    assert _shown(screen) == ["Ольга", "Mai"]
    assert [m.display_name for m in roster.list_members()] == ["Mai", "Ольга"]
    assert private.changes == 1
    [(title, text)] = dialogs.infos
    assert (title, text) == ("Member erased", "Nguyễn Thị Ánh was erased from PeerCircle.")


def test_cancelling_the_erase_keeps_them(
    qtbot, screen: RosterScreen, roster: RosterService, dialogs, answer_dialog
) -> None:
    def cancel(dialog) -> None:  # type: ignore[no-untyped-def]
        qtbot.keyClicks(dialog.confirm_word, "erase")
        assert dialog.erase_button.isEnabled()  # any case will do
        dialog.cancel_button.click()

    answer_dialog(cancel)
    screen.erase_member_action.trigger()
    assert len(roster.list_members()) == 3 and dialogs.infos == []


def test_suggested_file_names_are_safe() -> None:
    assert suggested_file_name("Ágnes") == "Ágnes — personal data.json"
    assert suggested_file_name("A/B: C?") == "A-B- C- — personal data.json"
    assert suggested_file_name("..") == "Member — personal data.json"


def test_the_window_has_both_in_its_edit_menu_and_updates_after_erasing(
    qtbot, db: Database, roster: RosterService, dialogs, answer_dialog
) -> None:
    group = roster.create_group(GroupDraft("Tuesday Circle", 1))
    ids = [roster.create_member(MemberDraft(n), group_id=group.id).id for n in ("Ольга", "Mai")]
    window = MainWindow(dialogs=dialogs)
    qtbot.addWidget(window)
    window.attach(db, roster, vault=VaultService(db, kdf_params=FAST))
    window.show()
    texts = [a.text() for a in window.edit_menu.actions()]
    restore = texts.index("Re&store Member")
    assert texts[restore + 1 : restore + 3] == ["E&xport Member…", "Erase Member…"]
    window.refresh(select_group=group.id)
    assert window.roster_screen.select_member(ids[0])

    def erase(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.confirm_word.setText("ERASE")
        dialog.erase_button.click()

    answer_dialog(erase)
    window.roster_screen.erase_member_action.trigger()
    assert window.current_group() is not None and window.current_group().member_count == 1
    assert _shown(window.roster_screen) == ["Mai"]
