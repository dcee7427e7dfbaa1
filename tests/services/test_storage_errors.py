"""Full, read-only and failing storage is recognised, whatever raised it, and said plainly;
``saving()`` turns it into StorageError with nothing written."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.exc import OperationalError

from peercircle.db import Database
from peercircle.db.models import Member
from peercircle.services.roster import MemberDraft, RosterService
from peercircle.services.roster_types import ChangedElsewhereError
from peercircle.services.saving import saving
from peercircle.services.storage_errors import (
    StorageError,
    StorageProblem,
    data_folder_error,
    storage_error,
)

SAFE = "everything saved before is safe."


def sqlite_error(code: int, message: str = "boom") -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(message)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    return exc


def wrapped(orig: BaseException) -> OperationalError:
    return OperationalError("INSERT INTO members ...", {}, orig)


@pytest.mark.parametrize(
    ("exc", "problem"),
    [
        (sqlite_error(sqlite3.SQLITE_FULL), StorageProblem.FULL),
        (sqlite_error(sqlite3.SQLITE_READONLY), StorageProblem.READ_ONLY),
        (sqlite_error(sqlite3.SQLITE_IOERR | (3 << 8)), StorageProblem.FAILING),  # IOERR_WRITE
        (sqlite_error(sqlite3.SQLITE_CANTOPEN), StorageProblem.CANNOT_OPEN),
        (sqlite_error(sqlite3.SQLITE_CORRUPT), StorageProblem.DAMAGED),
        (wrapped(sqlite_error(sqlite3.SQLITE_FULL)), StorageProblem.FULL),
        (wrapped(sqlite_error(sqlite3.SQLITE_READONLY | (6 << 8))), StorageProblem.READ_ONLY),
        (OSError(errno.ENOSPC, "No space left on device"), StorageProblem.FULL),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), StorageProblem.FULL),
        (OSError(errno.EROFS, "Read-only file system"), StorageProblem.READ_ONLY),
        (PermissionError(errno.EACCES, "Permission denied"), StorageProblem.NOT_ALLOWED),
    ],
)
def test_storage_failures_are_recognised(exc: BaseException, problem: StorageProblem) -> None:
    found = storage_error(exc)
    assert found is not None and found.problem is problem
    assert "Traceback" not in str(found) and "sqlite" not in str(found).lower()


@pytest.mark.parametrize(
    "exc",
    [
        ValueError("not storage"),
        sqlite_error(sqlite3.SQLITE_BUSY),
        sqlite3.ProgrammingError("Cannot operate on a closed database."),
        FileNotFoundError(errno.ENOENT, "No such file"),
        wrapped(sqlite_error(sqlite3.SQLITE_CONSTRAINT)),
    ],
)
def test_other_failures_are_not_storage_failures(exc: BaseException) -> None:
    assert storage_error(exc) is None


def test_a_storage_failure_is_found_behind_the_exception_it_caused() -> None:
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as exc:
            raise RuntimeError("could not write the export") from exc
    except RuntimeError as outer:
        found = storage_error(outer)
    assert found is not None and found.problem is StorageProblem.FULL
    already = StorageError(StorageProblem.READ_ONLY)
    assert storage_error(already) is already


def test_the_full_disk_message_is_plain_and_reassuring() -> None:
    assert str(StorageError(StorageProblem.FULL)) == (
        f"PeerCircle could not save: the disk is full. Free some space and try again — {SAFE}"
    )
    for problem in StorageProblem:
        assert str(StorageError(problem)).startswith("PeerCircle ")


def test_a_data_folder_blocked_by_a_file_is_explained(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder")
    message = data_folder_error(blocker, FileExistsError(errno.EEXIST, "File exists"))
    assert message == (
        f"PeerCircle could not make its data folder {blocker}: there is a file with that "
        "name. Move that file, or choose another data folder."
    )
    below = blocker / "PeerCircle" / "data"
    message = data_folder_error(below, NotADirectoryError(errno.ENOTDIR, "Not a directory"))
    assert f"{blocker} is a file, not a folder" in message


# ---- saving() on a disk that is full or read-only ----------------------------------------


@pytest.fixture
def limited(db: Database) -> Iterator[Callable[[str], None]]:
    """``limit(pragma)``: every new connection of ``db`` runs ``PRAGMA <pragma>``."""
    pragmas: list[str] = []

    def connect(dbapi_connection: Any, _record: Any) -> None:
        for pragma in pragmas:
            if pragma == "max_page_count":
                (pages,) = dbapi_connection.execute("PRAGMA page_count").fetchone()
                dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")
            else:
                dbapi_connection.execute(f"PRAGMA {pragma}")

    engine: Engine = db.engine
    event.listen(engine, "connect", connect)

    def limit(pragma: str) -> None:
        pragmas.append(pragma)
        engine.dispose()  # the next connection is a new one, with the pragma

    yield limit
    event.remove(engine, "connect", connect)


def fill_until_full(roster: RosterService) -> int:
    """Add small members until the database has no room for another; how many fitted."""
    added = 0
    while True:
        try:
            roster.save_member(None, MemberDraft(display_name="Kai"), {})
        except StorageError:
            return added
        added += 1


def member_names(db: Database) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(Member.display_name).order_by(Member.id)))


@pytest.mark.sqlite_only  # SQLite's page limit
def test_saving_on_a_full_disk_raises_storage_error_and_writes_nothing(
    db: Database, roster: RosterService, limited: Callable[[str], None]
) -> None:
    roster.save_member(None, MemberDraft(display_name="Ágnes"), {})
    limited("max_page_count")
    fill_until_full(roster)
    before = member_names(db)
    with pytest.raises(StorageError) as caught:
        roster.save_member(None, MemberDraft(display_name="Nguyễn Thị Lan " + "x" * 60), {})
    assert caught.value.problem is StorageProblem.FULL
    assert isinstance(caught.value.__cause__, OperationalError)
    assert member_names(db) == before


@pytest.mark.sqlite_only  # an SQLite file made read-only
def test_saving_on_a_read_only_database_raises_storage_error(
    db: Database, roster: RosterService, limited: Callable[[str], None]
) -> None:
    roster.save_member(None, MemberDraft(display_name="Ольга"), {})
    limited("query_only = ON")
    with pytest.raises(StorageError) as caught:
        roster.save_member(None, MemberDraft(display_name="Kwame"), {})
    assert caught.value.problem is StorageProblem.READ_ONLY
    assert member_names(db) == ["Ольга"]


def test_a_busy_snapshot_is_still_changed_elsewhere(db: Database) -> None:
    busy = sqlite_error(sqlite3.SQLITE_BUSY | (2 << 8))  # SQLITE_BUSY_SNAPSHOT
    busy.sqlite_errorname = "SQLITE_BUSY_SNAPSHOT"  # type: ignore[attr-defined]
    with pytest.raises(ChangedElsewhereError), saving(db, "This member"):
        raise wrapped(busy)
