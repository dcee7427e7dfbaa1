"""Shared fixtures. Qt runs offscreen: set before anything imports Qt."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.pop("PEERCIRCLE_DATA_DIR", None)
os.environ.pop("PEERCIRCLE_DATABASE_URL", None)  # never a real shared database

import secrets  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from sqlalchemy import URL, Engine, create_engine, inspect, make_url, text  # noqa: E402

from peercircle.db import Database, open_database  # noqa: E402
from peercircle.db.database import open_database_url  # noqa: E402
from peercircle.paths import database_path  # noqa: E402
from peercircle.services.roster import RosterService  # noqa: E402


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh data directory in ``tmp_path`` (not yet created on disk)."""
    return tmp_path / "data"


# A PostgreSQL server the tests may use (a role that may create databases), e.g. the one
# scripts/start_test_postgresql.sh starts. Without it everything runs on SQLite only.
POSTGRESQL_URL_ENV = "PEERCIRCLE_TEST_POSTGRESQL_URL"
TESTS_DIR = Path(__file__).parent
# Tests in these folders that use ``db`` run on both backends (ids [sqlite], [postgresql]),
# unless marked ``sqlite_only``.
BOTH_BACKENDS = (TESTS_DIR / "db", TESTS_DIR / "services")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if (
        os.environ.get(POSTGRESQL_URL_ENV)
        and "db" in metafunc.fixturenames
        and any(metafunc.definition.path.is_relative_to(folder) for folder in BOTH_BACKENDS)
        and metafunc.definition.get_closest_marker("sqlite_only") is None
    ):
        metafunc.parametrize("db", ["sqlite", "postgresql"], indirect=True)


class PostgresqlServer:
    """The test server: makes uniquely named databases on it and drops them again."""

    def __init__(self, url: URL) -> None:
        self.url = url.set(drivername="postgresql+psycopg")
        self._admin: Engine = create_engine(self.url, isolation_level="AUTOCOMMIT")

    def create_database(self) -> str:
        """A new empty database (owned by the test role); returns its URL, password included."""
        name = f"peercircle_test_{secrets.token_hex(6)}"
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
            # Tests need no durability: a commit need not wait for the disk.
            connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit TO off'))
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        self._admin.dispose()


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[PostgresqlServer]:
    url = os.environ.get(POSTGRESQL_URL_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server to test with ({POSTGRESQL_URL_ENV} is not set)")
    server = PostgresqlServer(make_url(url))
    yield server
    server.close()


@dataclass(frozen=True)
class ServerDatabase:
    """The run's database on the test server: its URL (password included) and a Database."""

    url: str
    db: Database
    empty_statements: str  # empty every table but alembic_version; ids start at 1 again


@pytest.fixture(scope="session")
def postgresql_session(postgresql_server: PostgresqlServer) -> Iterator[ServerDatabase]:
    """One database for the whole run, migrated once; ``postgresql_db`` empties it."""
    url = postgresql_server.create_database()
    database = open_database_url(url)
    with database.engine.connect() as connection:
        # Children before parents. DELETE and setval, not TRUNCATE ... RESTART IDENTITY: that
        # makes new files for every table, index and sequence, 20 times slower per test.
        tables = [
            name
            for name, _keys in reversed(inspect(connection).get_sorted_table_and_fkc_names())
            if name not in (None, "alembic_version")
        ]
        sequences = connection.scalars(
            text("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
        ).all()
    statements = [f'DELETE FROM "{name}"' for name in tables]
    statements.append("SELECT " + ", ".join(f"setval('\"{s}\"', 1, false)" for s in sequences))
    yield ServerDatabase(url, database, "; ".join(statements))
    database.close()
    postgresql_server.drop_database(url)


@pytest.fixture
def postgresql_db(postgresql_session: ServerDatabase) -> Database:
    """The run's server database, emptied (ids start at 1 again)."""
    with postgresql_session.db.engine.begin() as connection:
        # A test that left a transaction open must fail the next one, not hang it.
        connection.execute(text("SET LOCAL lock_timeout = '10s'"))
        connection.exec_driver_sql(postgresql_session.empty_statements)
    return postgresql_session.db


@pytest.fixture
def db(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[Database]:
    """A real database migrated to head: an SQLite file in ``data_dir``, or (the
    ``[postgresql]`` variant) the emptied database on the test server."""
    if getattr(request, "param", "sqlite") == "postgresql":
        yield request.getfixturevalue("postgresql_db")
        return
    database = open_database(database_path(data_dir))
    yield database
    database.close()


@pytest.fixture
def roster(db: Database) -> RosterService:
    return RosterService(db)
