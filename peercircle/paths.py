"""Where PeerCircle keeps its files: computed when asked, never at import time.

Precedence: an explicit ``--data-dir`` beats ``PEERCIRCLE_DATA_DIR``, which beats
the platform's user data directory (appdirs) for "PeerCircle". An organisation's shared
database on a server is named by ``--database-url``, else ``PEERCIRCLE_DATABASE_URL``; the
data folder then still holds the logs and settings.
"""

from __future__ import annotations

import os
from pathlib import Path

from peercircle import APP_NAME

DATA_DIR_ENV = "PEERCIRCLE_DATA_DIR"
DATABASE_FILENAME = "peercircle.sqlite3"
DATABASE_URL_ENV = "PEERCIRCLE_DATABASE_URL"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the directory holding the database (not created here)."""
    if override:
        return Path(override).expanduser().absolute()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().absolute()
    import appdirs

    return Path(appdirs.user_data_dir(APP_NAME, appauthor=False))


def database_url(override: str | None = None) -> str | None:
    """The URL of the database to use instead of the one in the data folder, if any."""
    if override and override.strip():
        return override.strip()
    env = os.environ.get(DATABASE_URL_ENV, "").strip()
    return env or None


def database_path(directory: Path) -> Path:
    return directory / DATABASE_FILENAME


def ensure_private_dir(directory: Path) -> Path:
    """Create ``directory`` (and missing parents) readable by the user only.

    An existing directory the user chose is left with the permissions it has;
    the database file itself is always created readable by the user only.
    """
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory
