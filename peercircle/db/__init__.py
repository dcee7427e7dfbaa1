"""Storage: SQLAlchemy models, the engine and session scope, and Alembic migrations."""

from peercircle.db.database import Database, DatabaseError, NewerDatabaseError, open_database

__all__ = ["Database", "DatabaseError", "NewerDatabaseError", "open_database"]
