"""The engine, the one session scope, and opening a database safely.

Opening runs the Alembic migrations when the stored revision is behind, skips
Alembic entirely (it is slow to import) when it is already at head, and refuses
a database written by a newer PeerCircle instead of guessing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from peercircle.db.schema import HEAD_REVISION


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


_CHANGED = "peercircle_changed"  # in Session.info: this transaction wrote something


def _note_change(session: Session, _flush_context: Any) -> None:
    session.info[_CHANGED] = True


def _note_statement(state: Any) -> None:  # an ORMExecuteState
    if not state.is_select:  # insert(), update(), delete() or raw SQL
        state.session.info[_CHANGED] = True


def _forget_changes(session: Session) -> None:
    session.info.pop(_CHANGED, None)


class Database:
    """An engine plus the one way to get a session: ``with db.session() as s: ...``."""

    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self.engine = engine
        self.path = path
        self._sessionmaker = sessionmaker(engine, expire_on_commit=False)
        self.commits = 0
        """How many transactions that changed something were committed through ``session()``
        since this Database was made (read-only sessions are not counted): the app backs up
        on closing only if it is above zero."""
        event.listen(self._sessionmaker, "after_flush", _note_change)
        event.listen(self._sessionmaker, "do_orm_execute", _note_statement)
        event.listen(self._sessionmaker, "after_rollback", _forget_changes)
        event.listen(self._sessionmaker, "after_commit", self._count_commit)

    def _count_commit(self, session: Session) -> None:
        if session.info.pop(_CHANGED, False):
            self.commits += 1

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


def open_database(path: Path) -> Database:
    """Open (creating if needed) the database at ``path`` and bring its schema to head."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        _create_private_file(path)
        revision = None
    else:
        from peercircle.db.health import check_database

        revision = check_database(path)  # refuses a damaged file before anything writes
    engine = create_sqlite_engine(path)
    if revision != HEAD_REVISION:
        from peercircle.db import migrate

        try:
            if revision is not None and revision in migrate.known_revisions():
                # An older PeerCircle's data: a verified copy first, in case the update
                # goes wrong. No copy, no update.
                from peercircle.db.backup import BackupError, BackupReason, take_backup

                try:
                    take_backup(path.parent, BackupReason.BEFORE_UPGRADE, database=path)
                except BackupError as exc:
                    raise DatabaseError(
                        f"The data file {path} could not be backed up before updating it to "
                        f"this version of PeerCircle: {exc.reason}. It has not been changed."
                    ) from exc
            migrate.upgrade_to_head(engine, revision)
        except BaseException:
            engine.dispose()
            raise
    return Database(engine, path)


# ---- a database named by a URL: an SQLite file or an organisation's PostgreSQL server ----

# How long to wait for a server that does not answer before saying so.
SERVER_CONNECT_TIMEOUT_SECONDS = 10


def normalize_database_url(url: str) -> URL:
    """The SQLAlchemy URL PeerCircle uses for ``url``: PostgreSQL always through psycopg 3
    (the driver PeerCircle ships), SQLite as given.

    Raises DatabaseError (its message never shows a password) for anything else.
    """
    neither = (
        "PeerCircle works with an SQLite file or a PostgreSQL server; {} is neither. A server "
        "address looks like postgresql://name@server/database."
    )
    try:
        parsed = make_url(url.strip())
    except (ArgumentError, ValueError):
        # Not shown: a mistyped address can still hold a password.
        raise DatabaseError(neither.format("the database address given")) from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and parsed.get_driver_name() in ("", "pysqlite"):
        return parsed
    raise DatabaseError(neither.format(parsed.render_as_string(hide_password=True)))


def open_database_url(url: str) -> Database:
    """Open the database ``url`` names and bring its schema to head.

    ``sqlite:///path`` opens that file like ``open_database``; ``postgresql://…`` (or
    ``postgres://…``) a database on a server, which gets the same migrations. Every problem
    is a DatabaseError with a one-line message that never contains the password.
    """
    parsed = normalize_database_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise DatabaseError(
                "An SQLite database address must name a file, like sqlite:///path/to/file."
            )
        return open_database(Path(parsed.database).expanduser().absolute())
    # As typed (not the driver PeerCircle picked), without any password.
    shown = make_url(url.strip()).difference_update_query(["password"])
    return _open_server_database(parsed, shown=shown)


def create_server_engine(url: URL) -> Engine:
    """An engine for a PostgreSQL server: connections checked before use (a server restart
    or a dropped network must not fail the next save), a connect timeout, and a name the
    server's administrator can recognise. Settings given in the URL win."""
    defaults = {
        "connect_timeout": str(SERVER_CONNECT_TIMEOUT_SECONDS),
        "application_name": "peercircle",
    }
    url = url.update_query_dict({k: v for k, v in defaults.items() if k not in url.query})
    engine = create_engine(url, pool_pre_ping=True)
    event.listen(engine, "before_cursor_execute", _drop_nul_characters, retval=True)
    return engine


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_without_nul(item) for item in value)
    return value


def _drop_nul_characters(
    _connection: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any
) -> tuple[str, Any]:
    # PostgreSQL refuses text holding a NUL character, and the whole save would fail; SQLite
    # stores it. It never shows, and the one-line fields refuse it anyway: drop it here.
    return statement, _without_nul(parameters)


def _server_problem(exc: DBAPIError, url: URL) -> str:
    """The server's reason for ``exc`` on one line, without the password."""
    lines = str(exc.orig).strip().splitlines()
    reason = lines[0] if lines else type(exc.orig).__name__
    # psycopg: 'connection failed: connection to server at "host", port 5432 failed: FATAL:
    # password authentication failed for user "x"'; the address is shown separately.
    reason = reason.rpartition("failed: ")[2].removeprefix("FATAL:").strip().rstrip(".")
    for password in (url.password, url.query.get("password")):
        if password and isinstance(password, str):
            reason = reason.replace(password, "***")
    return reason


def _server_revision(engine: Engine, address: str) -> str | None:
    """The Alembic revision stored on the server (None for an empty database).

    Raises DatabaseError for a database that holds other tables but not PeerCircle's.
    """
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        if "alembic_version" not in tables:
            if tables:
                raise DatabaseError(
                    f"The database {address} holds other tables, but not PeerCircle's. "
                    "Nothing has been changed. Ask for an empty database for PeerCircle."
                )
            return None
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return None if revision is None else str(revision)


def _open_server_database(url: URL, *, shown: URL) -> Database:
    address = shown.render_as_string(hide_password=True)
    try:
        engine = create_server_engine(url)
    except (NoSuchModuleError, ImportError) as exc:
        raise DatabaseError(
            "This copy of PeerCircle cannot reach PostgreSQL servers: its database driver "
            "(psycopg) is missing. Please reinstall PeerCircle."
        ) from exc
    try:
        try:
            revision = _server_revision(engine, address)
        except DBAPIError as exc:
            raise DatabaseError(
                f"PeerCircle could not connect to the database {address}: "
                f"{_server_problem(exc, url)}. Check the address, or ask whoever runs the "
                "server."
            ) from exc
        if revision != HEAD_REVISION:
            from peercircle.db import migrate

            try:
                migrate.upgrade_to_head(engine, revision)
            except DBAPIError as exc:
                raise DatabaseError(
                    f"PeerCircle could not set up its tables in the database {address}: "
                    f"{_server_problem(exc, url)}. Nothing has been changed; ask whoever runs "
                    "the server."
                ) from exc
    except BaseException:
        engine.dispose()
        raise
    return Database(engine)
