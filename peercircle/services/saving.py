"""Writing safely: one session per change, and “someone else saved first” as a clear error.

Shared by the services that change stored data (roster, meetings, rounds).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from peercircle.db import Database
from peercircle.services.roster_types import ChangedElsewhereError


@contextmanager
def saving(db: Database, what: str) -> Iterator[Session]:
    """A session for a change: if someone else saved first, nothing is written and
    ChangedElsewhereError (about ``what``) is raised instead of a database error."""
    try:
        with db.session() as s:
            yield s
    except StaleDataError as exc:
        raise ChangedElsewhereError(what) from exc
    except OperationalError as exc:
        # In WAL mode a transaction that has read and then tries to write after another
        # connection committed cannot write at all (SQLITE_BUSY_SNAPSHOT); waiting does
        # not help, and the data it read may be stale, so it is the same situation.
        if getattr(exc.orig, "sqlite_errorname", None) == "SQLITE_BUSY_SNAPSHOT":
            raise ChangedElsewhereError(what) from exc
        raise


def flush(s: Session, what: str) -> None:
    """Flush now, so a version clash is reported as ChangedElsewhereError about ``what``."""
    try:
        s.flush()
    except StaleDataError as exc:
        raise ChangedElsewhereError(what) from exc
