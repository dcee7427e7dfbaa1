"""What every command-line job shares: CliError and opening the database it works on.

Kept apart from ``cli.py`` so that the job modules (``cli.py``, and the data-safety and
member commands) can share it without importing each other. No Qt here.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peercircle.db import Database


class CliError(Exception):
    """A failure the user can act on: printed as one line on stderr, exit status 1."""


@contextmanager
def cli_database(args: argparse.Namespace, directory: Path) -> Iterator[Database]:
    """The database the command works on (the one in ``directory``, or the one named by
    ``--database-url`` or PEERCIRCLE_DATABASE_URL); its problems and the services' become
    CliError."""
    from sqlalchemy.exc import OperationalError

    from peercircle.db import DamagedDatabaseError, DatabaseError, open_database
    from peercircle.db.database import open_database_url
    from peercircle.files import os_error_reason
    from peercircle.logs import configure_logging
    from peercircle.paths import database_path, database_url
    from peercircle.services.demo_data import DemoDataError
    from peercircle.services.roster import NotFoundError
    from peercircle.services.roster_csv import RosterImportError
    from peercircle.services.storage_errors import StorageError, data_folder_error, storage_error

    url = database_url(getattr(args, "database_url", None))
    try:
        db = open_database(database_path(directory)) if url is None else open_database_url(url)
    except DamagedDatabaseError as exc:
        raise CliError(_damaged_database_message(args, directory, exc)) from exc
    except DatabaseError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        if not directory.is_dir():
            raise CliError(data_folder_error(directory, exc)) from exc
        raise CliError(
            f"Could not open the data folder {directory}: {os_error_reason(exc)}."
        ) from exc
    except OperationalError as exc:  # the disk is full or read-only while setting it up
        storage = storage_error(exc)
        if storage is None:
            raise CliError(f"The database could not be opened ({exc.orig}).") from exc
        raise CliError(f"{storage} Nothing was changed.") from exc
    configure_logging(directory)
    try:
        yield db
    except (DatabaseError, RosterImportError, DemoDataError, NotFoundError) as exc:
        raise CliError(str(exc)) from exc
    except StorageError as exc:  # full, read-only or failing disk: said in plain words
        raise CliError(f"{exc} Nothing was changed.") from exc
    except OperationalError as exc:
        storage = storage_error(exc)
        if storage is not None:
            raise CliError(f"{storage} Nothing was changed.") from exc
        raise CliError(
            f"The database could not be used ({exc.orig}). Nothing was changed."
        ) from exc
    finally:
        db.close()


def _damaged_database_message(args: argparse.Namespace, directory: Path, exc: Exception) -> str:
    """The damage, and the exact command that restores the newest backup that checks out
    (or that there is none), on one line."""
    from peercircle.db.backup import newest_verified_backup

    newest = newest_verified_backup(directory)
    if newest is None:
        return f"{exc} There is no backup to restore it from."
    when = newest.taken_at.astimezone()
    folder = f' --data-dir "{directory}"' if getattr(args, "data_dir", None) else ""
    return (
        f"{exc} The newest backup that checks out is from {when:%A} {when.day} "
        f"{when:%B %Y}, {when:%H:%M}; to restore it, run: "
        f'peercircle{folder} restore "{newest.path}"'
    )
