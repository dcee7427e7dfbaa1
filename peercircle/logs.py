"""PeerCircle's own log: a small rotating file in the data folder, readable by the user only.

Log lines name events and ids (“Note 12 saved.”, “Private notes locked.”) — never names,
note text, reasons or passphrases. Until ``configure_logging`` runs (the GUI and the CLI call
it once the data folder exists) nothing is written anywhere.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

LOG_DIRNAME = "logs"
LOG_FILENAME = "peercircle.log"
_MAX_BYTES = 256 * 1024
_BACKUPS = 3


def log_path(data_dir: Path) -> Path:
    return data_dir / LOG_DIRNAME / LOG_FILENAME


class _PrivateFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler whose files are created with mode 0600."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, self.mode.replace("w", "a"), encoding=self.encoding)


def configure_logging(data_dir: Path) -> Path | None:
    """Send PeerCircle's log to ``data_dir/logs/peercircle.log``; return its path, or None
    if the folder cannot be written (the app works on without a log)."""
    root = logging.getLogger("peercircle")
    for handler in list(root.handlers):
        if isinstance(handler, _PrivateFileHandler):
            root.removeHandler(handler)
            handler.close()
    path = log_path(data_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = _PrivateFileHandler(
            path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
