"""Grab screenshots of the main screens into a folder, for looking at changes.

    python scripts/screenshots.py OUT_DIR

Runs offscreen on a throwaway database filled with invented sample data.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QWidget  # noqa: E402

from peercircle.app import create_application  # noqa: E402
from peercircle.db import open_database  # noqa: E402
from peercircle.paths import database_path  # noqa: E402
from peercircle.services.roster import RosterService  # noqa: E402
from peercircle.ui.main_window import MainWindow  # noqa: E402


def grab(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(path)


def grab_dialog(dialog: QDialog, path: Path) -> None:
    dialog.show()
    grab(dialog, path)
    dialog.close()


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = create_application()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(database_path(Path(tmp)))
        roster = RosterService(db)
        window = MainWindow(db, roster)
        window.resize(1180, 740)
        window.show()
        grab(window, out / "01-first-run.png")

        import datetime as dt

        from peercircle.services.demo_data import create_demo_data

        create_demo_data(db, today=dt.date(2026, 11, 24))
        window.refresh()
        grab(window, out / "02-roster-group.png")
        window._select_row(0)
        grab(window, out / "03-roster-all.png")
        window.roster_screen.search.setText("an")
        grab(window, out / "04-roster-filtered.png")
        window.roster_screen.search.clear()

        from peercircle.ui.groups.group_dialog import GroupDialog
        from peercircle.ui.roster.member_dialog import MemberDialog

        groups = roster.list_groups()
        member = roster.list_members(groups[0].id)[0]
        dialog = MemberDialog(
            groups, member, {g.id: r for g, r in roster.groups_of(member.id)}, window
        )
        grab_dialog(dialog, out / "05-member-editor.png")
        dialog = MemberDialog(
            groups,
            None,
            {groups[0].id: next(iter(dict(roster.groups_of(member.id)).values()))},
            window,
        )
        dialog.email.setText("sam@")
        dialog.email.textEdited.emit("sam@")
        dialog.display_name.textEdited.emit("")
        grab_dialog(dialog, out / "06-member-editor-errors.png")
        grab_dialog(GroupDialog(groups[0], window), out / "07-group-editor.png")

        sample = Path(tmp) / "roster.csv"
        sample.write_text(
            "First name;Last name;E-mail;Pronouns;Favourite colour\r\n"
            "Ana;Kowalska;ana@example.org;she/her;blue\r\n"
            "Bartek;;bartek@example;he/him;green\r\n"
            ";Nowak;;;red\r\n"
            "Hiền;Nguyễn;hien@example.org;;\r\n",
            encoding="utf-8-sig",
        )
        from peercircle.ui.import_dialog import ImportDialog

        dialog = ImportDialog(db, roster, sample, groups[0].name, window)
        grab_dialog(dialog, out / "08-import-preview.png")

        window.refresh(select_group=groups[0].id)
        window.show_meetings_action.trigger()
        grab(window, out / "09-meetings-check-in.png")
        window.show_history_action.trigger()
        grab(window, out / "10-attendance.png")
        db.close()
    QTimer.singleShot(0, app.quit)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")))
