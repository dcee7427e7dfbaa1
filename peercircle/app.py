"""Composition root: paths -> database -> services -> main window.

``run_gui`` is the only place that creates the QApplication; screens receive the
services they need and nothing else.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from peercircle import APP_ID, APP_NAME, __version__
from peercircle.db import Database, DatabaseError, open_database
from peercircle.paths import database_path
from peercircle.services.roster import RosterService
from peercircle.ui.main_window import MainWindow
from peercircle.ui.resources import resource_path


class _QuitAfterFirstPaint(QObject):
    """For ``--smoke-test``: quit as soon as the main window has painted once."""

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self._app = app
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            QTimer.singleShot(0, self._app.quit)
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
    app.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
    return app


def run_gui(data_dir: Path, *, smoke_test: bool = False) -> int:
    """Open the main window on the database in ``data_dir``; return the exit status."""
    app = create_application()
    try:
        db = open_database(database_path(data_dir))
    except (DatabaseError, OSError) as exc:
        message = (
            str(exc)
            if isinstance(exc, DatabaseError)
            else (f"PeerCircle could not open its data folder {data_dir}: {exc.strerror or exc}.")
        )
        if smoke_test:
            print(f"peercircle: {message}", file=sys.stderr)
        else:
            QMessageBox.critical(None, APP_NAME, message)
        return 1
    try:
        return _run_window(app, db, smoke_test)
    finally:
        db.close()


def _run_window(app: QApplication, db: Database, smoke_test: bool) -> int:
    window = MainWindow(db, RosterService(db))
    watcher = _QuitAfterFirstPaint(app)
    if smoke_test:
        window.installEventFilter(watcher)
        # Never hang a check: give up after 60 s without a paint.
        QTimer.singleShot(60_000, lambda: app.exit(2))
    window.show()
    status = app.exec()
    if smoke_test and not watcher.painted:
        print("peercircle: the main window was never drawn.", file=sys.stderr)
        return status or 2
    return status
