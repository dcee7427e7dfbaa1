"""Writing safely: one session per change, and “someone else saved first” as a clear error.

Shared by the services that change stored data (roster, meetings, rounds).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from peercircle.db import Database
from peercircle.db.models import FollowUp, Group, Meeting, Member, Note, Resource
from peercircle.services.roster_types import ChangedElsewhereError, NotFoundError
from peercircle.services.storage_errors import storage_error

_Row = TypeVar("_Row", Group, Member, Meeting, Resource, Note, FollowUp)


@contextmanager
def saving(db: Database, what: str) -> Iterator[Session]:
    """A session for a change: if someone else saved first, nothing is written and
    ChangedElsewhereError (about ``what``) is raised instead of a database error; if the
    disk is full, read-only or failing, StorageError (see ``storage_errors``)."""
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
        # A full, read-only or failing disk: nothing was written; say so in plain words.
        storage = storage_error(exc)
        if storage is not None:
            raise storage from exc
        raise


def flush(s: Session, what: str) -> None:
    """Flush now, so a version clash is reported as ChangedElsewhereError about ``what``."""
    try:
        s.flush()
    except StaleDataError as exc:
        raise ChangedElsewhereError(what) from exc


def fetch(
    s: Session, model: type[_Row], row_id: int, noun: str, expected_version: int | None = None
) -> _Row:
    """The ``model`` row ``row_id``, checked to still exist (and, if ``expected_version`` is
    given, to be unchanged since it was read); ``noun`` names it in the message."""
    row = s.get(model, row_id)
    if row is None:
        raise NotFoundError(f"That {noun} no longer exists.")
    if expected_version is not None and row.version != expected_version:
        raise ChangedElsewhereError(f"This {noun}")
    return row
