"""Composition root: paths -> database -> services -> main window.

``run_gui`` is the only place that creates the QApplication. The window is shown first
and the database layer (SQLAlchemy is the slowest import) is loaded right after the
first paint, so the window appears at once; screens receive only the services they need.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from peercircle import APP_ID, APP_NAME, __version__
from peercircle.ui.main_window import MainWindow
from peercircle.ui.resources import resource_path, stylesheet

# With this set, --smoke-test prints when the first paint happened and when the data was
# on screen (wall-clock seconds), for benchmarks/startup.py.
TIMING_ENV = "PEERCIRCLE_STARTUP_TIMING"


class _FirstPaintWatcher(QObject):
    """Calls ``on_paint`` once, at the window's first paint."""

    def __init__(self, on_paint: object) -> None:
        super().__init__()
        self._on_paint = on_paint
        self.painted_at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.painted_at is None:
            self.painted_at = time.time()
            QTimer.singleShot(0, self._on_paint)  # type: ignore[arg-type]
        return False


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationDomain("peercircle.org")
    QGuiApplication.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(str(resource_path("icon.svg"))))
    app.setStyleSheet(stylesheet())
    return app


def run_gui(data_dir: Path, *, smoke_test: bool = False) -> int:
    """Open the main window on the database in ``data_dir``; return the exit status.

    With ``smoke_test`` the app quits once the window has been drawn with its data
    loaded: status 0, or non-zero (and a message on stderr) if anything failed.
    """
    app = create_application()
    window = MainWindow()
    outcome: dict[str, object] = {"status": 0}

    def load() -> None:
        from peercircle.db import DatabaseError, open_database
        from peercircle.logs import configure_logging
        from peercircle.paths import database_path
        from peercircle.services.roster import RosterService

        try:
            db = open_database(database_path(data_dir))
        except (DatabaseError, OSError) as exc:
            message = (
                str(exc)
                if isinstance(exc, DatabaseError)
                else (
                    f"PeerCircle could not open its data folder {data_dir}: {exc.strerror or exc}."
                )
            )
            outcome["status"] = 1
            if smoke_test:
                print(f"peercircle: {message}", file=sys.stderr)
            else:
                QMessageBox.critical(window, APP_NAME, message)
            app.exit(1)
            return
        outcome["db"] = db
        configure_logging(data_dir)
        window.attach(db, RosterService(db), defer_private=True)
        if smoke_test:
            window.repaint()  # drawn with its data: that is what the check needs
            outcome["ready_at"] = time.time()
            QTimer.singleShot(0, check_private_side)  # after the notes side is built

    def check_private_side() -> None:
        if window.private is None:
            print("peercircle: the private notes side was never built.", file=sys.stderr)
            app.exit(2)
            return
        app.quit()

    watcher = _FirstPaintWatcher(load)
    window.installEventFilter(watcher)
    if smoke_test:
        QTimer.singleShot(60_000, lambda: app.exit(2))  # never hang a check
    window.show()
    status = app.exec()
    db = outcome.get("db")
    if db is not None:
        db.close()  # type: ignore[attr-defined]
    if smoke_test and os.environ.get(TIMING_ENV) and watcher.painted_at is not None:
        print(
            f"first_paint_at={watcher.painted_at:.6f} ready_at={outcome.get('ready_at', 0):.6f}",
            file=sys.stderr,
        )
    if smoke_test and status == 0 and "ready_at" not in outcome:
        print("peercircle: the main window was never drawn.", file=sys.stderr)
        return 2
    return status or int(outcome["status"])  # type: ignore[call-overload]
