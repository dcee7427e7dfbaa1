"""Storage: SQLAlchemy models, the engine and session scope, and Alembic migrations."""

from peercircle.db.database import (
    DamagedDatabaseError,
    Database,
    DatabaseError,
    NewerDatabaseError,
    open_database,
)

__all__ = [
    "DamagedDatabaseError",
    "Database",
    "DatabaseError",
    "NewerDatabaseError",
    "open_database",
]
