"""A full, read-only or failing disk, wherever it shows up in the window: one calm message.

Installed by the app as ``sys.excepthook``, which is where Qt hands an exception that
escaped a slot. A storage failure (``storage_error()`` recognises it) becomes a message box
over whatever the person was doing, and the app carries on: a dialog whose save failed
inside its accept stays open with everything typed in it. Every other exception goes on to
the hook that was there before.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

_log = logging.getLogger(__name__)

Hook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def _message_box(text: str) -> None:
    parent: QWidget | None = QApplication.activeModalWidget() or QApplication.activeWindow()
    QMessageBox.warning(parent, "Not saved", text)


class StorageAlert:
    """``install()`` it once the window is up; ``uninstall()`` puts the previous hook back.

    ``show`` tells the person (default: a warning box over the active window); tests pass a
    recorder. While one message is waiting or showing, another storage failure is not shown
    again.
    """

    def __init__(self, show: Callable[[str], None] | None = None) -> None:
        self._show = show or _message_box
        self._previous: Hook | None = None
        self._pending = False  # a message is waiting to be shown, or showing
        self.shown: int = 0
        """How many messages were shown (for the log and for tests)."""

    def install(self) -> None:
        if self._previous is None:
            self._previous = sys.excepthook
            sys.excepthook = self._hook

    def uninstall(self) -> None:
        if self._previous is not None:
            if sys.excepthook == self._hook:
                sys.excepthook = self._previous
            self._previous = None

    def _hook(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        traceback: TracebackType | None,
    ) -> None:
        if self.handle(exc):
            return
        previous = self._previous or sys.__excepthook__
        previous(exc_type, exc, traceback)

    def handle(self, exc: BaseException) -> bool:
        """Tell the person about ``exc`` if it is a storage failure; True if it was one.

        The message is shown from the event loop, once the code that failed has unwound:
        a message box's own event loop must not run inside the slot that raised (the
        dialog that was saving may be on its way to deletion)."""
        from peercircle.services.storage_errors import storage_error

        problem = storage_error(exc)
        if problem is None:
            return False
        _log.warning("Could not read or save data: %s.", problem.problem.value)
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, lambda: self._tell(str(problem)))
        return True

    def _tell(self, text: str) -> None:
        try:
            self.shown += 1
            self._show(text)
        finally:
            self._pending = False


__all__ = ["StorageAlert"]
