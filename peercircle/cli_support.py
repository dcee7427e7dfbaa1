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
    """The database the command works on (the one in ``directory``); its problems and the
    services' become CliError."""
    from sqlalchemy.exc import OperationalError

    from peercircle.db import DatabaseError, open_database
    from peercircle.logs import configure_logging
    from peercircle.paths import database_path
    from peercircle.services.demo_data import DemoDataError
    from peercircle.services.roster import NotFoundError
    from peercircle.services.roster_csv import RosterImportError

    try:
        db = open_database(database_path(directory))
    except DatabaseError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(
            f"Could not open the data folder {directory}: {exc.strerror or exc}."
        ) from exc
    configure_logging(directory)
    try:
        yield db
    except (DatabaseError, RosterImportError, DemoDataError, NotFoundError) as exc:
        raise CliError(str(exc)) from exc
    except OperationalError as exc:
        raise CliError(
            f"The database could not be used ({exc.orig}). Nothing was changed."
        ) from exc
    finally:
        db.close()
