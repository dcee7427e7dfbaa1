"""The Print menu: options, then a preview of the real PDF; clear messages when there is
nothing to print."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from peercircle.db import Database
from peercircle.pdf.page import PaperSize
from peercircle.services.meeting_types import MeetingDraft
from peercircle.services.meetings import MeetingService
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.ui.printing.preview_dialog import PdfPreviewDialog
from peercircle.ui.printing.print_menu import PAPER_KEY, PrintMenu
from peercircle.ui.printing.print_options import PrintOptionsDialog

TODAY = dt.date(2026, 11, 24)
Answer = Callable[[Callable[[QWidget], None]], None]


@pytest.fixture
def menu(qtbot, db: Database, roster: RosterService, dialogs, tmp_path: Path) -> PrintMenu:  # type: ignore[no-untyped-def]
    group = roster.create_group(
        GroupDraft("Tuesday Circle", 1, dt.time(18, 30), "Library", "Passing is always fine.")
    )
    for name in ("Ágnes Kovács", "Ольга"):
        roster.create_member(MemberDraft(name), group_id=group.id)
    MeetingService(db).create_meeting(group.id, MeetingDraft(dt.date(2026, 11, 17)))
    parent = QWidget()
    qtbot.addWidget(parent)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    print_menu = PrintMenu(
        db, dialogs, parent, today=lambda: TODAY, meeting_day=lambda: TODAY, settings=settings
    )
    print_menu.show_group(roster.get_group(group.id))
    return print_menu


def _preview_then(
    answer_dialog: Answer, look: Callable[[PdfPreviewDialog], None], **choose: object
) -> None:
    def options(dialog: QWidget) -> None:
        assert isinstance(dialog, PrintOptionsDialog)
        if "initials" in choose:
            assert dialog.initials is not None
            dialog.initials.setChecked(bool(choose["initials"]))
        if "paper" in choose:
            dialog.paper.setCurrentIndex(dialog.paper.findData(choose["paper"]))
        answer_dialog(preview)
        dialog.ok_button.click()

    def preview(dialog: QWidget) -> None:
        assert isinstance(dialog, PdfPreviewDialog)
        look(dialog)
        dialog.reject()

    answer_dialog(options)


def test_sign_in_sheet_previewed_and_saved(
    menu: PrintMenu, answer_dialog: Answer, dialogs, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    saved: list[Path] = []

    def look(preview: PdfPreviewDialog) -> None:
        assert preview.page_count.text() == "1 page"
        dialogs.save_path = tmp_path / "sheet.pdf"
        path = preview.save_pdf()
        assert path is not None
        saved.append(path)

    _preview_then(answer_dialog, look, initials=True, paper=PaperSize.LETTER)
    menu.sign_in_action.trigger()
    text = PdfReader(saved[0]).pages[0].extract_text()
    assert "Ágnes K." in text and "Kovács" not in text
    assert round(float(PdfReader(saved[0]).pages[0].mediabox.height)) == 792
    # The paper chosen is remembered for next time.
    assert menu.settings.value(PAPER_KEY) == "letter"
    assert menu.paper() is PaperSize.LETTER


def test_report_handout_and_card_preview(menu: PrintMenu, answer_dialog: Answer) -> None:
    seen: list[str] = []
    for action in (menu.report_action, menu.handout_action, menu.agreements_action):
        _preview_then(answer_dialog, lambda p: seen.append(p.windowTitle()))
        action.trigger()
    assert seen == ["Attendance report", "Resource handout", "Group agreements"]


def test_nothing_to_report_is_explained(
    menu: PrintMenu, answer_dialog: Answer, dialogs, db: Database, roster: RosterService
) -> None:  # type: ignore[no-untyped-def]
    empty = roster.create_group(GroupDraft("New Circle"))
    menu.show_group(roster.get_group(empty.id))

    def options(dialog: QWidget) -> None:
        assert isinstance(dialog, PrintOptionsDialog)
        dialog.ok_button.click()

    answer_dialog(options)
    menu.report_action.trigger()
    answer_dialog(options)
    menu.agreements_action.trigger()
    assert [title for title, _ in dialogs.infos] == ["Attendance report", "Group agreements"]
    assert "no meetings" in dialogs.infos[0][1]
    assert "no agreements yet" in dialogs.infos[1][1]
    assert menu.preview is None


def test_a_range_that_ends_before_it_starts_cannot_be_chosen(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = PrintOptionsDialog(
        "Attendance report", "", paper=PaperSize.A4, date_range=(TODAY, TODAY)
    )
    qtbot.addWidget(dialog)
    assert dialog.date_from is not None
    dialog.date_from.setDate(dialog.date_from.date().addDays(3))
    assert not dialog.ok_button.isEnabled()
    assert "end after it starts" in dialog.error.text()


def test_all_members_has_nothing_to_print(menu: PrintMenu) -> None:
    menu.show_group(None)
    assert not any(action.isEnabled() for action in menu.actions())
