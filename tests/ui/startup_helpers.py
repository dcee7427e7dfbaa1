"""Driving ``peercircle.app.Startup`` in tests: the app's start-up without ``app.exec()``.

Imported as ``from startup_helpers import ...`` (pytest puts ``tests/ui`` on ``sys.path``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from peercircle.app import Startup
from peercircle.db import open_database
from peercircle.paths import database_path
from peercircle.services.roster import MemberDraft, RosterService
from peercircle.ui.main_window import MainWindow
from peercircle.ui.roster.table_model import MemberRowRole

T0 = dt.datetime(2026, 11, 24, 18, 30, tzinfo=dt.UTC)


class Clock:
    """The clock backups are named by; the test moves it."""

    def __init__(self, now: dt.datetime = T0) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class App:
    """A started PeerCircle: its Startup, and the statuses it asked to exit with."""

    startup: Startup
    exits: list[int] = field(default_factory=list)

    @property
    def window(self) -> MainWindow:
        assert self.startup.window is not None
        return self.startup.window

    def close(self) -> None:
        """Close the window and finish, as ``run_gui`` does once the event loop ends."""
        if self.startup.window is not None:
            self.startup.window.close()
        self.startup.finish()


class Starter:
    """``start(data_dir)`` runs prepare() and show(), and waits until the data is on screen
    (or the app asked to exit). Everything started is closed and let go at the end."""

    def __init__(self, qtbot: QtBot, dialogs: object, clock: Clock) -> None:
        self._qtbot = qtbot
        self._dialogs = dialogs
        self.clock = clock
        self.started: list[App] = []
        self._windows: list[MainWindow] = []

    def start(self, data_dir: Path, *, database_url: str | None = None, wait: bool = True) -> App:
        startup = Startup(
            data_dir,
            now=self.clock,
            dialogs=self._dialogs,  # type: ignore[arg-type]
            database_url=database_url,
        )
        app = App(startup)
        startup.finished.connect(app.exits.append)
        self.started.append(app)
        assert startup.prepare() is None
        startup.loaded.connect(lambda: self._keep(startup.window))
        self._keep(startup.show())
        if wait:
            self._qtbot.waitUntil(lambda: startup.db is not None or bool(app.exits), timeout=10_000)
        return app

    def _keep(self, window: MainWindow | None) -> None:
        if window is not None and all(window is not w for w in self._windows):
            self._windows.append(window)

    def close_all(self) -> None:
        """Finish every app started, then delete every window they made (a window a restore
        replaced is already gone), so no widget of the test outlives it."""
        for app in self.started:
            app.close()
        for window in self._windows:
            if shiboken6.isValid(window):
                window.close()
                window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def starter(qtbot: QtBot, dialogs: object, clock: Clock) -> Iterator[Starter]:
    """The body of a ``starter`` fixture."""
    made = Starter(qtbot, dialogs, clock)
    yield made
    made.close_all()


def make_members(data_dir: Path, *names: str) -> None:
    db = open_database(database_path(data_dir))
    try:
        roster = RosterService(db)
        for name in names:
            roster.save_member(None, MemberDraft(display_name=name), {})
    finally:
        db.close()


def shown_members(window: MainWindow) -> list[str]:
    """The names the window's roster shows (everyone, when no group is chosen)."""
    proxy = window.roster_screen.proxy
    return sorted(
        proxy.index(r, 0).data(MemberRowRole).display_name for r in range(proxy.rowCount())
    )


def damage(path: Path) -> bytes:
    """Zero the second page of the database at ``path``; the file's bytes afterwards."""
    size = int.from_bytes(path.read_bytes()[16:18], "big")
    with path.open("r+b") as file:
        file.seek(size)
        file.write(bytes(size))
    return path.read_bytes()


def answer_when(wanted: Callable[[QWidget], bool], handler: Callable[[QWidget], None]) -> None:
    """Run ``handler(dialog)`` once the active modal window is one ``wanted`` accepts."""

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible() or not wanted(dialog):
            QTimer.singleShot(10, check)
            return
        handler(dialog)

    QTimer.singleShot(0, check)
