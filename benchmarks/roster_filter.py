"""Filtering a 10,000-member roster, per keystroke, in the real roster screen.

    python benchmarks/roster_filter.py

Prints the median and worst time per keystroke for the filter itself (model + proxy
update) and for filter plus the table's repaint.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from peercircle.app import create_application  # noqa: E402
from peercircle.db import open_database  # noqa: E402
from peercircle.paths import database_path  # noqa: E402
from peercircle.services.demo_data import create_demo_data  # noqa: E402
from peercircle.services.roster import RosterService  # noqa: E402
from peercircle.ui.dialog_service import DialogService  # noqa: E402
from peercircle.ui.roster.roster_screen import RosterScreen  # noqa: E402

TYPED = [
    "a",
    "an",
    "ann",
    "anna",
    "ann",
    "an",
    "a",
    "",
    "m",
    "ma",
    "mar",
    "mari",
    "maria",
    "",
    "e",
    "ex",
    "exa",
    "example",
    "",
    "5",
    "55",
    "555",
    "",
    "z",
    "zo",
    "",
]


def main() -> int:
    create_application()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(database_path(Path(tmp)))
        create_demo_data(db, members=10_000)
        roster = RosterService(db)
        screen = RosterScreen(roster, DialogService())
        screen.resize(1100, 700)
        screen.show()
        screen.show_group(None)
        QApplication.processEvents()
        total = screen.model.rowCount()
        filter_ms, with_paint_ms = [], []
        for _ in range(3):
            for text in TYPED:
                start = time.perf_counter()
                screen.search.setText(text)
                filtered = time.perf_counter()
                screen.table.viewport().repaint()
                QApplication.processEvents()
                painted = time.perf_counter()
                filter_ms.append((filtered - start) * 1000)
                with_paint_ms.append((painted - start) * 1000)
        db.close()
    print(f"filtering {total} members, {len(filter_ms)} keystrokes")
    print(
        f"  filter (model + proxy):  median {statistics.median(filter_ms):5.1f} ms, "
        f"worst {max(filter_ms):5.1f} ms"
    )
    print(
        f"  filter + table repaint:  median {statistics.median(with_paint_ms):5.1f} ms, "
        f"worst {max(with_paint_ms):5.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
