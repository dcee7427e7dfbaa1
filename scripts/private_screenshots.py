"""Grab screenshots of the private side (notes, follow-ups, locking) into a folder.

    python scripts/private_screenshots.py OUT_DIR

Runs offscreen on a throwaway database with invented sample data and its demo vault.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from peercircle.app import create_application  # noqa: E402
from peercircle.db import open_database  # noqa: E402
from peercircle.paths import database_path  # noqa: E402
from peercircle.services.demo_data import create_demo_data  # noqa: E402
from peercircle.services.roster import RosterService  # noqa: E402
from peercircle.services.vault import VaultService  # noqa: E402
from peercircle.services.vault_crypto import KdfParams  # noqa: E402
from peercircle.ui.main_window import MainWindow  # noqa: E402

TODAY = dt.date.today()
FAST = KdfParams(1024, 1, 1)  # throwaway data: no need for the real key cost


def grab(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(path)


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    create_application()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(database_path(Path(tmp)))
        summary = create_demo_data(db, today=TODAY, kdf_params=FAST)
        assert summary.vault is not None
        vault = VaultService(db, kdf_params=FAST)
        window = MainWindow()
        window.attach(db, RosterService(db), vault=vault)
        window.resize(1180, 740)
        window.show()
        assert window.private is not None
        private = window.private
        grab(window, out / "p01-members-with-due-count.png")
        window.show_follow_ups()
        grab(window, out / "p02-follow-ups-locked.png")
        vault.unlock(summary.vault.passphrase)
        private.controller.notify_unlocked()
        grab(window, out / "p03-follow-ups.png")
        window.show_group_screens()
        private.show_notes()
        grab(window, out / "p04-notes.png")
        notes = private.notes_screen
        notes.new_note()
        grab(window, out / "p05-new-note.png")
        private.controller.set_hidden(True)
        grab(window, out / "p06-hidden.png")
        private.controller.set_hidden(False)
        private.controller.lock()
        grab(window, out / "p07-notes-locked.png")
        window.close()
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")))
