"""Fixtures for the storage tests: database files in known states, made with plain sqlite3."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from peercircle.db import open_database


def _sqlite(path: Path, *statements: str) -> None:
    con = sqlite3.connect(path)
    try:
        for statement in statements:
            con.execute(statement)
        con.commit()
    finally:
        con.close()


@pytest.fixture
def sqlite_exec() -> Callable[..., None]:
    """Run SQL statements on a file with plain sqlite3 (and close it, so the WAL is folded in)."""
    return _sqlite


@pytest.fixture
def head_db_file(tmp_path: Path) -> Path:
    """A PeerCircle database file at the current schema, closed."""
    path = tmp_path / "existing" / "peercircle.sqlite3"
    open_database(path).close()
    return path
