"""Shared fixtures. Qt runs offscreen: set before anything imports Qt."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.pop("PEERCIRCLE_DATA_DIR", None)

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from peercircle.db import Database, open_database  # noqa: E402
from peercircle.paths import database_path  # noqa: E402
from peercircle.services.roster import RosterService  # noqa: E402


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh data directory in ``tmp_path`` (not yet created on disk)."""
    return tmp_path / "data"


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    """A real SQLite database file, migrated to head."""
    database = open_database(database_path(data_dir))
    yield database
    database.close()


@pytest.fixture
def roster(db: Database) -> RosterService:
    return RosterService(db)
