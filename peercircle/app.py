"""Composition root: paths -> database -> services -> main window.

``run_gui`` is the only place that creates the QApplication. The window is shown first
and the database layer (SQLAlchemy is the slowest import) is loaded right after the
first paint, so the window appears at once; screens receive only the services they need.
``Startup`` holds the steps in between, so tests can drive them without an event loop of
their own: the data folder and the one-instance lock, the start-up check of the data file
(a damaged one is offered a backup in its place), the daily backup, a restore while the app
is open, and the backup when it closes after changes.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from peercircle import APP_ID, APP_NAME, __version__
from peercircle.instance_lock import AlreadyRunningError, InstanceLock
from peercircle.ui.dialog_service import DialogService
from peercircle.ui.main_window import MainWindow
from peercircle.ui.resources import resource_path, stylesheet
from peercircle.ui.storage_alert import StorageAlert

if TYPE_CHECKING:
    from peercircle.db import Database
    from peercircle.db.backup import BackupInfo
    from peercircle.db.restore import RestoreResult

# With this set, --smoke-test prints when the first paint happened and when the data was
# on screen (wall-clock seconds), for benchmarks/startup.py.
TIMING_ENV = "PEERCIRCLE_STARTUP_TIMING"

_log = logging.getLogger(__name__)


class _FirstPaintWatcher(QObject):
    """Calls ``on_paint`` once, at the window's first paint."""

    def __init__(self, on_paint: Callable[[], None]) -> None:
        super().__init__()
        self._on_paint = on_paint
        self.painted_at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.painted_at is None:
            self.painted_at = time.time()
            QTimer.singleShot(0, self._on_paint)
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


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Startup(QObject):
    """The app's life from its data folder to its last backup, one step at a time:

    1. ``prepare()``: make the data folder and take the one-instance lock;
    2. ``show()``: show the window; after its first paint ``load()`` opens the database
       (a damaged file gets the DamagedDatabaseDialog), fills the window, then takes the
       daily backup if one is due;
    3. ``finish()``: once the window has closed, the on-close backup if anything was saved,
       and everything is let go.

    ``database_url``: a database named by an address (an organisation's server): no file
    check, no backups, no restore. ``smoke_test``: problems are printed, not shown, and the
    app quits as soon as the data is on screen. ``now`` is the clock backups are named by;
    ``dialogs`` asks and tells (tests pass a fake).

    Signals:
        finished(int): leave the event loop with this exit status (start-up failed, or the
            person chose to quit instead of restoring, or a smoke test is done).
        loaded(): the window shows the data (again, after a restore).
    """

    finished = Signal(int)
    loaded = Signal()

    def __init__(
        self,
        data_dir: Path,
        *,
        smoke_test: bool = False,
        database_url: str | None = None,
        now: Callable[[], dt.datetime] = _utc_now,
        dialogs: DialogService | None = None,
    ) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.smoke_test = smoke_test
        self.database_url = database_url
        self._now = now
        self._dialogs = dialogs or DialogService()
        self.lock = InstanceLock(data_dir)
        self.alert = StorageAlert()
        self.window: MainWindow | None = None
        self.db: Database | None = None
        self.status = 0
        self.ready_at: float | None = None
        self._watcher: _FirstPaintWatcher | None = None

    @property
    def backs_up(self) -> bool:
        """Whether this app backs its data up (an SQLite file in the data folder)."""
        return self.database_url is None

    # ---- 1. before the window ------------------------------------------------------------

    def prepare(self) -> int | None:
        """Make the data folder and take the lock; None when all is well, else the exit
        status (after the person has been told why)."""
        from peercircle.paths import ensure_private_dir
        from peercircle.services.storage_errors import data_folder_error

        try:
            ensure_private_dir(self.data_dir)
        except OSError as exc:
            return self._fail(data_folder_error(self.data_dir, exc))
        try:
            self.lock.acquire()
        except AlreadyRunningError as exc:
            return self._fail(str(exc))
        except OSError as exc:
            return self._fail(data_folder_error(self.data_dir, exc))
        self.alert.install()
        return None

    def _fail(self, message: str, status: int = 1) -> int:
        self.status = status
        if self.smoke_test:
            print(f"peercircle: {message}", file=sys.stderr)
        else:
            self._dialogs.error(APP_NAME, message)
        return status

    # ---- 2. the window and its data ------------------------------------------------------

    def show(self) -> MainWindow:
        """Show the window at once; the data is loaded after its first paint."""
        window = self._new_window()
        self._watcher = _FirstPaintWatcher(self.load)
        window.installEventFilter(self._watcher)
        window.show()
        return window

    @property
    def painted_at(self) -> float | None:
        return self._watcher.painted_at if self._watcher is not None else None

    def _new_window(self) -> MainWindow:
        window = MainWindow(dialogs=self._dialogs)
        if isinstance(self._dialogs, DialogService):
            self._dialogs.set_parent(window)
        self.window = window
        return window

    def load(self) -> None:
        """Open the database and fill the window; then the daily backup, if due."""
        from peercircle.logs import configure_logging

        configure_logging(self.data_dir)
        db = self._open()
        if db is None:
            return
        self._attach(db)
        if self.smoke_test:
            assert self.window is not None
            self.window.repaint()  # drawn with its data: that is what the check needs
            self.ready_at = time.time()
            QTimer.singleShot(0, self._end_smoke_test)  # after the notes side is built
        else:
            QTimer.singleShot(0, self.take_daily_backup)  # after the data is painted

    def _attach(self, db: Database) -> None:
        from peercircle.services.roster import RosterService

        assert self.window is not None
        self.db = db
        self.window.attach(db, RosterService(db), defer_private=True)
        self.window.backup_actions.restore_requested.connect(
            self.restore, Qt.ConnectionType.QueuedConnection
        )
        self.loaded.emit()

    def _open(self) -> Database | None:
        """The database, checked (and restored from a backup if it is damaged and the
        person chose to); None if the app cannot go on (``finished`` was emitted)."""
        from peercircle.db import DamagedDatabaseError, DatabaseError, open_database
        from peercircle.files import os_error_reason
        from peercircle.paths import database_path
        from peercircle.services.storage_errors import storage_error

        while True:
            try:
                if self.database_url is not None:
                    from peercircle.db.database import open_database_url

                    return open_database_url(self.database_url)
                return open_database(database_path(self.data_dir))
            except DamagedDatabaseError as exc:
                if self.smoke_test or not self.backs_up:  # said, not offered a backup
                    self._quit(str(exc))
                    return None
                if self._offer_backup() is None:
                    self._quit(None)
                    return None
            except DatabaseError as exc:
                self._quit(str(exc))
                return None
            except OSError as exc:
                self._quit(
                    f"PeerCircle could not open its data folder {self.data_dir}: "
                    f"{os_error_reason(exc)}."
                )
                return None
            except Exception as exc:
                storage = storage_error(exc)
                if storage is None:
                    raise
                self._quit(str(storage))
                return None

    def _quit(self, message: str | None) -> None:
        if message is not None:
            self._fail(message)
        self.status = 1
        self.finished.emit(1)

    def _offer_backup(self) -> RestoreResult | None:
        """The data file is damaged: offer the backups until one is restored (its result)
        or the person quits (None)."""
        from peercircle.db import DatabaseError
        from peercircle.db.backup import backups_dir, list_backups, newest_verified_backup
        from peercircle.paths import database_path
        from peercircle.services.backups import restore_and_reapply
        from peercircle.ui.damaged_database_dialog import DamagedDatabaseDialog
        from peercircle.ui.restore_dialog import backup_when
        from peercircle.ui.vault.vault_widgets import busy_cursor

        while True:
            with busy_cursor():
                newest = newest_verified_backup(self.data_dir)
            dialog = DamagedDatabaseDialog(
                database_path(self.data_dir),
                newest,
                list_backups(self.data_dir) if newest is not None else [],
                backups_dir(self.data_dir),
                self.window,
            )
            chosen = dialog.ask()
            dialog.deleteLater()
            if chosen is None:
                return None
            try:
                with busy_cursor():
                    result = restore_and_reapply(
                        self.data_dir, chosen.path, damaged=True, now=self._now()
                    )
            except DatabaseError as exc:  # a BackupError: nothing was changed
                self._dialogs.error("Not restored", str(exc))
                continue
            kept = (
                f" The damaged file was moved aside and kept as {result.moved_aside}."
                if result.moved_aside is not None
                else ""
            )
            self._dialogs.info(
                "Backup restored",
                f"Restored the backup from {backup_when(chosen.taken_at)}.{kept}",
            )
            return result

    def _end_smoke_test(self) -> None:
        assert self.window is not None
        if self.window.private is None:
            print("peercircle: the private notes side was never built.", file=sys.stderr)
            self.status = 2
            self.finished.emit(2)
            return
        self.take_daily_backup()
        self.finished.emit(0)

    def take_daily_backup(self) -> BackupInfo | None:
        """The DAILY backup, if none was made in the last 24 hours; a failure is logged and
        shown in the status bar, and changes nothing else."""
        if not self.backs_up or self.db is None:
            return None
        from peercircle.db.backup import BackupError, BackupReason, daily_backup_due, take_backup

        now = self._now()
        if not daily_backup_due(self.data_dir, now=now):
            return None
        try:
            return take_backup(self.data_dir, BackupReason.DAILY, now=now)
        except BackupError as exc:
            _log.warning("The daily backup could not be made.")
            if self.window is not None:
                self.window.statusBar().showMessage(
                    f"Today's automatic backup could not be made: {exc.reason}. "
                    "Your data itself is fine.",
                    20_000,
                )
            return None

    # ---- restoring while the app is open -------------------------------------------------

    def restore(self, backup: object) -> None:
        """Put the backup ``backup`` (a Path) in place of the data the window shows: the
        window and its database are closed first, and a fresh window opens on the result."""
        from peercircle.db import DatabaseError
        from peercircle.services.backups import restore_and_reapply
        from peercircle.ui.restore_dialog import backup_when
        from peercircle.ui.vault.vault_widgets import busy_cursor

        if self.window is None or self.db is None or not self.backs_up:
            return
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        quit_on_close = app.quitOnLastWindowClosed()
        app.setQuitOnLastWindowClosed(False)  # the window is replaced, not the app closed
        try:
            old, db = self.window, self.db
            old.close()  # notes being written are saved, private notes locked
            old.deleteLater()
            db.close()
            self.db = None
            error: str | None = None
            result: RestoreResult | None = None
            try:
                with busy_cursor():
                    result = restore_and_reapply(self.data_dir, Path(str(backup)), now=self._now())
            except DatabaseError as exc:  # a BackupError: the data was not changed
                error = str(exc)
            finally:
                self._reopen()
        finally:
            app.setQuitOnLastWindowClosed(quit_on_close)
        if self.window is None or self.db is None:
            return
        if error is not None:
            self._dialogs.error("Not restored", error)
            return
        assert result is not None
        when = Path(str(backup)).name
        if not isinstance(result.restored_from, Path):
            when = f"from {backup_when(result.restored_from.taken_at)}"
        self.window.statusBar().showMessage(
            f"Restored the backup {when}; the data you had is kept as a backup too.", 20_000
        )

    def _reopen(self) -> None:
        window = self._new_window()
        window.show()
        db = self._open()
        if db is not None:
            self._attach(db)

    # ---- 3. closing ----------------------------------------------------------------------

    def finish(self) -> None:
        """After the window has closed: let go of the database, back it up if anything was
        saved (a failure is said, and closing goes on), release the lock."""
        db, self.db = self.db, None
        try:
            if db is not None:
                changed = db.commits > 0
                db.close()
                if changed and self.backs_up:
                    self._backup_on_close()
        finally:
            self.alert.uninstall()
            self.lock.release()

    def _backup_on_close(self) -> None:
        from peercircle.db.backup import BackupError, BackupReason, take_backup

        try:
            take_backup(self.data_dir, BackupReason.ON_CLOSE, now=self._now())
        except BackupError as exc:
            _log.warning("The backup on closing could not be made.")
            self._dialogs.error(
                "Backup not made",
                f"The backup PeerCircle makes when it closes could not be written: "
                f"{exc.reason}. Everything you saved is still in your data.",
            )


def run_gui(data_dir: Path, *, smoke_test: bool = False, database_url: str | None = None) -> int:
    """Open the main window on the database in ``data_dir`` (or at ``database_url``);
    return the exit status.

    With ``smoke_test`` the app quits once the window has been drawn with its data
    loaded: status 0, or non-zero (and a message on stderr) if anything failed.
    """
    app = create_application()
    startup = Startup(data_dir, smoke_test=smoke_test, database_url=database_url)
    failed = startup.prepare()
    if failed is not None:
        return failed
    try:
        startup.finished.connect(app.exit)
        if smoke_test:
            QTimer.singleShot(60_000, lambda: app.exit(2))  # never hang a check
        startup.show()
        status = app.exec()
        if startup.window is not None:
            startup.window.close()
    finally:
        startup.finish()
    if smoke_test and os.environ.get(TIMING_ENV) and startup.painted_at is not None:
        print(
            f"first_paint_at={startup.painted_at:.6f} ready_at={startup.ready_at or 0:.6f}",
            file=sys.stderr,
        )
    if smoke_test and status == 0 and startup.ready_at is None:
        print("peercircle: the main window was never drawn.", file=sys.stderr)
        return 2
    return status or startup.status
