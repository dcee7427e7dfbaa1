"""The import dialog: preview, problems explained, all-or-nothing commit."""

from __future__ import annotations

from pathlib import Path

from peercircle.db import Database
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.ui.import_dialog import ImportDialog
from peercircle.ui.import_preview_model import ImportPreviewModel


def write(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def rows(model: ImportPreviewModel) -> list[tuple[str, ...]]:
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def test_preview_lists_every_row_and_reason(
    qtbot, db: Database, roster: RosterService, tmp_path: Path, qtmodeltester
) -> None:
    group = roster.create_group(GroupDraft("Tuesday Circle"))
    roster.create_member(MemberDraft("Ana", email="ana@example.org"), group_id=group.id)
    source = write(
        tmp_path / "list.csv",
        "First name;Last name;E-mail;Shoe size\r\n"
        "Ana;K.;ANA@example.org;38\r\n"
        "Bartek;;bartek@example;44\r\n"
        ";;;\r\n"
        "Hiền;Nguyễn;hien@example.org;37\r\n",
    )
    dialog = ImportDialog(db, roster, source, "Tuesday Circle")
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model, force_py=True)
    shown = rows(dialog.model)
    assert [(r[0], r[2]) for r in shown] == [("2", "Update"), ("3", "Not imported"), ("5", "Add")]
    assert "e-mail" in shown[1][3]
    assert shown[2][1] == "Hiền Nguyễn"
    assert "1 to add · 1 to update · 1 can't be imported" in dialog.summary.text()
    assert "Shoe size" in dialog.ignored.text()
    assert dialog.import_button.text() == "Import 2 people"
    assert "semicolon" in dialog.file_label.text()

    dialog.import_button.click()
    assert dialog.result() == ImportDialog.DialogCode.Accepted
    names = {m.display_name for m in roster.list_members(group.id)}
    assert names == {"Ana K.", "Hiền Nguyễn"}


def test_new_group_name_creates_group_on_import(qtbot, db, roster, tmp_path: Path) -> None:
    source = write(tmp_path / "x.csv", "Name\nZofia\n")
    dialog = ImportDialog(db, roster, source, "")
    qtbot.addWidget(dialog)
    dialog.group.setCurrentText("Brand New Circle")
    qtbot.waitUntil(lambda: "Brand New Circle" in dialog.summary.text())
    assert "a new group “Brand New Circle”" in dialog.summary.text()
    dialog.import_button.click()
    group = roster.find_group("Brand New Circle")
    assert group is not None and group.member_count == 1


def test_unusable_file_is_refused_clearly(qtbot, db, roster, tmp_path: Path) -> None:
    source = tmp_path / "photo.csv"
    source.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    dialog = ImportDialog(db, roster, source, "Any")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.message.isVisible() and dialog.message.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.model.rowCount() == 0
    assert roster.list_groups(include_archived=True) == []


def test_file_without_name_column_is_refused(qtbot, db, roster, tmp_path: Path) -> None:
    source = write(tmp_path / "x.csv", "E-mail,Phone\na@example.org,555-0101\n")
    dialog = ImportDialog(db, roster, source, "Any")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.message.isVisible()
    assert "name" in dialog.message.text().lower()
    assert not dialog.import_button.isEnabled()


def test_changes_after_preview_are_caught(qtbot, db, roster, tmp_path: Path) -> None:
    group = roster.create_group(GroupDraft("Circle"))
    source = write(tmp_path / "x.csv", "Name,E-mail\nZofia,z@example.org\n")
    dialog = ImportDialog(db, roster, source, "Circle")
    qtbot.addWidget(dialog)
    dialog.show()
    # Someone adds the same person elsewhere before the import is confirmed.
    roster.create_member(MemberDraft("Zofia", email="z@example.org"), group_id=group.id)
    dialog.import_button.click()
    assert dialog.result() != ImportDialog.DialogCode.Accepted
    assert dialog.message.isVisible() and "preview" in dialog.message.text()
    assert len(roster.list_members(group.id)) == 1  # nothing imported twice
