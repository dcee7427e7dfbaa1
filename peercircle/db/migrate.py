"""Run the packaged Alembic migrations programmatically (no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
NEWER_MESSAGE = (
    "This data was saved by a newer version of PeerCircle. "
    "Please install the newest PeerCircle to open it; nothing has been changed."
)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def upgrade_to_head(engine: Engine, stored: str | None) -> None:
    from peercircle.db.database import DatabaseError, NewerDatabaseError

    if stored is not None and stored not in known_revisions():
        raise NewerDatabaseError(NEWER_MESSAGE)
    config = alembic_config()
    if engine.dialect.name != "sqlite":
        _upgrade_server(engine, config)
        return
    with engine.connect() as connection:
        # SQLite ALTERs that batch mode cannot do in place copy the table, drop the old one
        # and rename the copy. With foreign keys on, that DROP cascades and silently deletes
        # every membership of a rebuilt ``members`` or ``groups`` table. The pragma is a no-op
        # inside a transaction, so switch it off on the raw connection before BEGIN, check
        # the keys by hand before committing, and switch it back on for the pool.
        driver_connection = connection.connection.driver_connection
        assert driver_connection is not None
        driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise DatabaseError(
                        "Updating the data to this version of PeerCircle failed a consistency "
                        "check; nothing has been changed."
                    )
        finally:
            driver_connection.execute("PRAGMA foreign_keys=ON")


# Any fixed number: the key of the lock (per database) PeerCircle holds while it migrates.
_MIGRATION_LOCK_KEY = 0x50EE2C12C1E


def _upgrade_server(engine: Engine, config: Config) -> None:
    """Migrate a PostgreSQL database in one transaction (its DDL is transactional, so a
    failure changes nothing). Several facilitators may start a new PeerCircle at once: the
    first takes a lock and migrates, the others wait for it and then find nothing to do."""
    from peercircle.db.database import NewerDatabaseError

    with engine.connect() as connection, connection.begin():
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
        if inspect(connection).has_table("alembic_version"):
            stored = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if stored is not None and stored not in known_revisions():
                raise NewerDatabaseError(NEWER_MESSAGE)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
