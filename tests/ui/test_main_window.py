"""The main window: first run, groups in the sidebar, menus and shortcuts, import/export."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QWidget

from peercircle.db import Database
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams
from peercircle.services.vault_types import VaultState
from peercircle.ui.file_actions import FileActions
from peercircle.ui.groups.group_dialog import GroupDialog
from peercircle.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, db: Database, roster: RosterService, dialogs) -> MainWindow:
    w = MainWindow(db, roster, dialogs)
    qtbot.addWidget(w)
    w.show()
    return w


def sidebar_names(window: MainWindow) -> list[str]:
    model = window.groups_model
    return [model.index(r).data() for r in range(model.rowCount())]


def test_empty_database_shows_welcome(window: MainWindow) -> None:
    assert window.stack.currentWidget() is window.first_run
    assert window.first_run.create_button.isVisible()
    assert window.first_run.import_button.isVisible()
    assert window.first_run.sample_button.isVisible()


def test_create_first_group_from_welcome(
    qtbot, window: MainWindow, roster: RosterService, answer_dialog
) -> None:
    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, GroupDialog)
        assert not dialog.save_button.isEnabled()
        qtbot.keyClicks(dialog.name, "Tuesday Evening Circle")
        dialog.weekday.setCurrentIndex(2)  # Tuesday ("Not set" is first)
        dialog.has_time.setChecked(True)
        qtbot.keyClicks(dialog.place, "Library, room 2")
        dialog.suggest.click()
        dialog.save_button.click()

    answer_dialog(fill)
    window.first_run.create_button.click()
    assert window.stack.currentWidget() is window.splitter
    assert sidebar_names(window) == ["All members", "Tuesday Evening Circle"]
    group = roster.find_group("tuesday evening circle")
    assert group is not None
    assert (group.meeting_weekday, group.meeting_time) == (1, dt.time(18, 30))
    assert "What is shared here stays here." in group.agreements
    assert window.roster_screen.title.text() == "Tuesday Evening Circle"


def test_duplicate_group_name_is_explained(
    qtbot, window: MainWindow, roster: RosterService, answer_dialog
) -> None:
    roster.create_group(GroupDraft("Friday Circle"))
    window.refresh()
    seen: list[str] = []

    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        qtbot.keyClicks(dialog.name, "friday circle")
        dialog.save_button.click()

        # The dialog stays open with the reason; then the user cancels.
        def after() -> None:
            seen.append(dialog.name_error.text())
            dialog.reject()

        from PySide6.QtCore import QTimer

        QTimer.singleShot(50, after)

    answer_dialog(fill)
    window.new_group_action.trigger()
    assert seen == ["There is already a group called “Friday Circle”."]
    assert len(roster.list_groups()) == 1


_FAST = KdfParams(memory_kib=1024, iterations=1, lanes=1)
_PASSPHRASE_LINE = re.compile(r"^Sample private notes are locked with the passphrase: (.+)$", re.M)


def test_sample_data_fills_sidebar_and_roster(window: MainWindow, dialogs) -> None:
    window.first_run.sample_button.click()  # the one run with the real key cost
    assert window.stack.currentWidget() is window.splitter
    assert len(sidebar_names(window)) >= 3
    assert window.roster_screen.proxy.rowCount() > 0
    title, text = dialogs.infos[-1]
    assert title == "Sample data" and text.startswith("Added invented sample groups")
    assert _PASSPHRASE_LINE.search(text)
    assert "Change it (Private → Change Passphrase…)" in text


def test_sample_data_twice_is_explained_not_duplicated(window: MainWindow, roster, dialogs) -> None:
    files = window.findChild(FileActions)
    assert isinstance(files, FileActions)
    files.add_sample_data(kdf_params=_FAST)
    groups = len(roster.list_groups())
    window.sample_action.trigger()
    assert len(roster.list_groups()) == groups
    title, text = dialogs.infos[-1]
    assert title == "Sample data" and "already" in text and "passphrase" not in text


@pytest.fixture
def files(qtbot, db: Database, roster: RosterService, dialogs) -> FileActions:
    parent = QWidget()
    qtbot.addWidget(parent)
    return FileActions(db, roster, dialogs, lambda: None, parent)


def test_sample_data_tells_the_passphrase_that_opens_the_sample_notes(
    qtbot, files: FileActions, db: Database, dialogs
) -> None:
    with qtbot.waitSignal(files.data_changed):
        files.add_sample_data(kdf_params=_FAST)
    (info,) = dialogs.infos
    found = _PASSPHRASE_LINE.search(info[1])
    assert found, info
    assert "Change it (Private → Change Passphrase…)" in info[1]
    assert not re.search(r"[A-Z2-7]{4}-[A-Z2-7]{4}", info[1]), "no recovery code"
    vault = VaultService(db, kdf_params=_FAST)
    assert vault.state is VaultState.LOCKED
    vault.unlock(found.group(1))
    assert vault.is_unlocked


def test_sample_data_leaves_private_notes_already_set_up_alone(
    files: FileActions, db: Database, roster: RosterService, dialogs
) -> None:
    VaultService(db, kdf_params=_FAST).set_up("blue kettle on the stairs")
    files.add_sample_data(kdf_params=_FAST)
    assert len(roster.list_groups()) == 3, "the rest is added"
    (info,) = dialogs.infos
    assert "Your private notes were already set up, so no sample notes were added." in info[1]
    assert "passphrase" not in info[1]


def test_selecting_groups_switches_roster(qtbot, window: MainWindow, roster: RosterService) -> None:
    a = roster.create_group(GroupDraft("Alpha circle"))
    b = roster.create_group(GroupDraft("Beta circle"))
    roster.create_member(MemberDraft("Ola"), group_id=a.id)
    roster.create_member(MemberDraft("Ben"), group_id=b.id)
    window.refresh()
    assert window.roster_screen.title.text() == "Alpha circle"
    window.sidebar.setFocus()
    qtbot.keyClick(window.sidebar, Qt.Key.Key_Down)
    assert window.roster_screen.title.text() == "Beta circle"
    assert window.roster_screen.proxy.index(0, 0).data() == "Ben"
    qtbot.keyClick(window.sidebar, Qt.Key.Key_Home)
    assert window.roster_screen.title.text() == "All members"
    assert window.roster_screen.proxy.rowCount() == 2


def test_archive_and_restore_group(window: MainWindow, roster: RosterService, dialogs) -> None:
    roster.create_group(GroupDraft("Alpha circle"))
    roster.create_group(GroupDraft("Old circle"))
    window.refresh()
    window._select_row(2)
    window.archive_group_action.trigger()
    assert sidebar_names(window) == ["All members", "Alpha circle"]
    window.show_archived_groups_action.setChecked(True)
    assert sidebar_names(window) == ["All members", "Alpha circle", "Old circle (archived)"]
    window._select_row(2)
    assert window.restore_group_action.isEnabled()
    window.restore_group_action.trigger()
    assert not roster.find_group("Old circle").archived  # type: ignore[union-attr]


def test_import_and_export_through_the_window(
    qtbot, window: MainWindow, tmp_path: Path, roster: RosterService, dialogs, answer_dialog
) -> None:
    source = tmp_path / "Thursday Circle.csv"
    source.write_bytes("Name;E-mail\r\nŁucja;lucja@example.org\r\nΔήμητρα;\r\n".encode("utf-8-sig"))
    dialogs.open_path = source

    def accept(dialog) -> None:  # type: ignore[no-untyped-def]
        assert dialog.group.currentText() == "Thursday Circle"  # from the file name
        assert dialog.import_button.text() == "Import 2 people"
        dialog.import_button.click()

    answer_dialog(accept)
    window.first_run.import_button.click()
    assert window.stack.currentWidget() is window.splitter
    assert window.roster_screen.title.text() == "Thursday Circle"
    assert [m.display_name for m in roster.list_members()] == ["Łucja", "Δήμητρα"]

    target = tmp_path / "out.csv"
    dialogs.save_path = target
    window.export_action.trigger()
    text = target.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    assert "Łucja" in text.decode("utf-8-sig") and "Δήμητρα" in text.decode("utf-8-sig")


def test_export_to_unwritable_place_gives_clear_message(
    window: MainWindow, roster, dialogs, tmp_path: Path
) -> None:
    roster.create_group(GroupDraft("Alpha circle"))
    window.refresh()
    dialogs.save_path = tmp_path / "no-such-folder" / "out.csv"
    window.export_action.trigger()
    assert dialogs.errors and dialogs.errors[0][0] == "Could not export"
    assert not dialogs.save_path.exists()


def test_standard_shortcuts(window: MainWindow) -> None:
    from PySide6.QtGui import QKeySequence

    screen = window.roster_screen
    assert screen.add_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert screen.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert window.quit_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    assert window.import_action.shortcut() == QKeySequence("Ctrl+I")
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Meeting", "&Print", "Pri&vate", "&Help"]


def test_every_control_has_an_accessible_name_or_label(window: MainWindow, roster) -> None:
    roster.create_group(GroupDraft("Alpha circle"))
    window.refresh()
    controls = [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, (QAbstractButton, QLineEdit, QComboBox)) and w.isVisibleTo(window)
    ]
    assert controls
    unnamed = [
        w
        for w in controls
        if not (w.accessibleName() or (isinstance(w, QAbstractButton) and w.text()))
    ]
    assert unnamed == []


def test_a_group_has_members_and_meetings_tabs(
    qtbot, window: MainWindow, roster: RosterService
) -> None:
    group = roster.create_group(GroupDraft("Alpha circle", 1))
    window.refresh(select_group=group.id)
    tabs = window.group_tabs
    assert [tabs.tabText(i) for i in range(tabs.count()) if tabs.isTabVisible(i)][:2] == [
        "Members",
        "Meetings",
    ]
    window.show_meetings_action.trigger()
    assert tabs.currentWidget() is window.meetings_screen
    assert window.meetings_screen.title.text() == "Alpha circle"
    assert window.meetings_screen.new_action.isEnabled()
    window.refresh(select_group=None)
    window.sidebar.setCurrentIndex(window.groups_model.index(0))  # All members
    assert tabs.currentWidget() is window.roster_screen
    assert [tabs.isTabVisible(i) for i in range(1, tabs.count())] == [False] * (tabs.count() - 1)
    assert not window.show_meetings_action.isEnabled()


def test_attendance_tab_is_refreshed_when_it_is_looked_at(
    window: MainWindow, roster: RosterService, db: Database
) -> None:
    from peercircle.domain import AttendanceStatus
    from peercircle.services.meeting_types import MeetingDraft
    from peercircle.services.meetings import MeetingService

    group = roster.create_group(GroupDraft("Alpha circle", 1))
    ann = roster.create_member(MemberDraft("Ann"), group_id=group.id).id
    window.refresh(select_group=group.id)
    window.show_history_action.trigger()
    assert window.group_tabs.currentWidget() is window.history_screen
    assert window.history_screen.history is not None
    assert window.history_screen.history.meetings == ()
    window.show_meetings_action.trigger()
    meetings = MeetingService(db)
    meeting = meetings.create_meeting(group.id, MeetingDraft(dt.date(2026, 11, 24))).id
    window.meetings_screen.refresh()
    window.meetings_screen.check_in.model.setData(
        window.meetings_screen.check_in.model.index(0, 1), AttendanceStatus.PRESENT
    )
    assert meetings.check_in_rows(meeting)[0].status is AttendanceStatus.PRESENT
    window.show_history_action.trigger()
    history = window.history_screen.history
    assert history is not None and history.members[0].member_id == ann
    assert history.members[0].attended == 1


def test_import_attendance_through_the_window(
    window: MainWindow, roster: RosterService, db: Database, dialogs, tmp_path: Path, answer_dialog
) -> None:  # type: ignore[no-untyped-def]
    from peercircle.services.meetings import MeetingService
    from peercircle.ui.attendance_import_dialog import AttendanceImportDialog

    group = roster.create_group(GroupDraft("Alpha circle", 1))
    roster.create_member(MemberDraft("Ann"), group_id=group.id)
    window.refresh(select_group=group.id)
    sheet = tmp_path / "attendance.csv"
    sheet.write_text("Name,2026-11-17,2026-11-24\nAnn,x,L\n", encoding="utf-8")
    dialogs.open_path = sheet

    def accept(dialog: QWidget) -> None:
        assert isinstance(dialog, AttendanceImportDialog)
        dialog.import_button.click()

    answer_dialog(accept)
    window.import_attendance_action.trigger()
    assert [m.attended for m in MeetingService(db).list_meetings(group.id)] == [1, 1]
    window.show_meetings_action.trigger()
    assert window.meetings_screen.model.rowCount() == 2
