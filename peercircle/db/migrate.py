"""Run the packaged Alembic migrations programmatically (no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


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
        raise NewerDatabaseError(
            "This data was saved by a newer version of PeerCircle. "
            "Please install the newest PeerCircle to open it; nothing has been changed."
        )
    config = alembic_config()
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
