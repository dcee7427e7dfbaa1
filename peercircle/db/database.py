"""The engine, the one session scope, and opening a database safely.

Opening runs the Alembic migrations when the stored revision is behind, skips
Alembic entirely (it is slow to import) when it is already at head, and refuses
a database written by a newer PeerCircle instead of guessing.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from peercircle.db.schema import HEAD_REVISION

_SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseError(Exception):
    """A problem with the database file that the user can act on; the message says how."""


class NewerDatabaseError(DatabaseError):
    """The database was written by a newer version of PeerCircle."""


class DamagedDatabaseError(DatabaseError):
    """The database file is damaged or is not an SQLite database; it has not been changed."""


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so that
    # a whole import really is one transaction (SQLAlchemy's documented pysqlite recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=5000")
        # Deleted rows (an erased member, a deleted note) are overwritten with zeros rather
        # than left readable in free space of the file.
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def _begin_sqlite(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def create_sqlite_engine(path: Path) -> Engine:
    # URL.create, not an f-string: a folder called "Group #2" or "a?b" must not be read
    # as a URL fragment or query (that silently opened a different file).
    engine = create_engine(URL.create("sqlite", database=str(path)))
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_sqlite)
    return engine


def _create_private_file(path: Path) -> None:
    """Create the database file readable by the user only (SQLite's -wal/-shm follow it)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


class Database:
    """An engine plus the one way to get a session: ``with db.session() as s: ...``."""

    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self.engine = engine
        self.path = path
        self._sessionmaker = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error."""
        session = self._sessionmaker()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @property
    def backend(self) -> str:
        """What kind of database this is: "sqlite" or "postgresql"."""
        return str(self.engine.dialect.name)

    def close(self) -> None:
        self.engine.dispose()


def stored_revision(path: Path) -> str | None:
    """The Alembic revision stored in ``path``, read with plain sqlite3 (cheap at start-up).

    Raises DatabaseError if the file is not an SQLite database or is not PeerCircle's.
    """
    damaged = f"The data file {path} is damaged or is not a PeerCircle database"
    unchanged = "It has not been changed."
    # SQLite itself takes a one-byte file for an empty database (and would then write a
    # schema over it), so look at the header first. An empty file is one that a first
    # start created but did not get to set up; it is set up now.
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseError(
            f"The data file {path} could not be opened: {exc.strerror or exc}."
        ) from exc
    if header and header != _SQLITE_HEADER:
        raise DamagedDatabaseError(f"{damaged}. {unchanged}")
    # A percent-encoded file: URI, so that "#", "?" and "%" in folder names stay part of
    # the path (otherwise another, empty file is read and the checks below are skipped).
    uri = f"{path.absolute().as_uri()}?mode=ro"
    try:
        con = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(f"The data file {path} could not be opened: {exc}.") from exc
    try:
        tables = {
            row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if "alembic_version" not in tables:
            if tables:
                raise DatabaseError(
                    f"{path} is an SQLite file, but not a PeerCircle database. "
                    f"{unchanged} Choose another data folder."
                )
            return None
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise DamagedDatabaseError(f"{damaged} ({exc}). {unchanged}") from exc
    finally:
        con.close()


def open_database(path: Path) -> Database:
    """Open (creating if needed) the database at ``path`` and bring its schema to head."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        _create_private_file(path)
        revision = None
    else:
        revision = stored_revision(path)
    engine = create_sqlite_engine(path)
    if revision != HEAD_REVISION:
        from peercircle.db import migrate

        try:
            migrate.upgrade_to_head(engine, revision)
        except BaseException:
            engine.dispose()
            raise
    return Database(engine, path)
