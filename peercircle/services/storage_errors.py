"""When the disk, not the person, is the problem: full, read-only, failing or unreachable.

``storage_error`` recognises such failures among SQLAlchemy's, sqlite3's, psycopg's and the
operating system's exceptions and turns them into a StorageError whose message says, in
plain words, what happened and that what was saved before is safe. The GUI shows it in a
calm message box and carries on; the command line prints it as its one line. No Qt here.
"""

from __future__ import annotations

import enum
import errno
import sqlite3
from pathlib import Path

from peercircle.files import os_error_reason

_SAFE = "everything saved before is safe."


class StorageProblem(enum.Enum):
    FULL = "full"
    READ_ONLY = "read-only"
    NOT_ALLOWED = "not-allowed"
    FAILING = "failing"
    CANNOT_OPEN = "cannot-open"
    DAMAGED = "damaged"


_MESSAGES = {
    StorageProblem.FULL: (
        f"PeerCircle could not save: the disk is full. Free some space and try again — {_SAFE}"
    ),
    StorageProblem.READ_ONLY: (
        "PeerCircle could not save: its data can only be read right now (the disk or the data "
        f"file is read-only). Check the disk, then try again — {_SAFE}"
    ),
    StorageProblem.NOT_ALLOWED: (
        "PeerCircle could not save: it is not allowed to write in its data folder. Check the "
        f"folder's permissions, then try again — {_SAFE}"
    ),
    StorageProblem.FAILING: (
        "PeerCircle could not read or save its data: the disk reported an error. Check that "
        f"the disk is still connected, then try again — {_SAFE}"
    ),
    StorageProblem.CANNOT_OPEN: (
        "PeerCircle could not open its data file. Check that the disk is still connected, "
        f"then try again — {_SAFE}"
    ),
    StorageProblem.DAMAGED: (
        "PeerCircle found damage in its data file, so nothing more was saved. Close "
        "PeerCircle and restore a backup (File → Restore from Backup…, or "
        "“peercircle restore”)."
    ),
}

_SQLITE_PROBLEMS = {
    sqlite3.SQLITE_FULL: StorageProblem.FULL,
    sqlite3.SQLITE_READONLY: StorageProblem.READ_ONLY,
    sqlite3.SQLITE_PERM: StorageProblem.NOT_ALLOWED,
    sqlite3.SQLITE_IOERR: StorageProblem.FAILING,
    sqlite3.SQLITE_CANTOPEN: StorageProblem.CANNOT_OPEN,
    sqlite3.SQLITE_CORRUPT: StorageProblem.DAMAGED,
    sqlite3.SQLITE_NOTADB: StorageProblem.DAMAGED,
}

_OS_PROBLEMS = {
    errno.ENOSPC: StorageProblem.FULL,
    getattr(errno, "EDQUOT", errno.ENOSPC): StorageProblem.FULL,
    errno.EROFS: StorageProblem.READ_ONLY,
    errno.EACCES: StorageProblem.NOT_ALLOWED,
    errno.EPERM: StorageProblem.NOT_ALLOWED,
    errno.EIO: StorageProblem.FAILING,
}

# PostgreSQL SQLSTATEs (psycopg's ``sqlstate``): the server's disk is full or read-only.
_SQLSTATE_PROBLEMS = {
    "53100": StorageProblem.FULL,  # disk_full
    "25006": StorageProblem.READ_ONLY,  # read_only_sql_transaction
}


class StorageError(Exception):
    """Data could not be read or saved because of the disk or the file system. The message
    is ready to show; ``problem`` says which kind it was."""

    def __init__(self, problem: StorageProblem, message: str | None = None) -> None:
        super().__init__(message or _MESSAGES[problem])
        self.problem = problem


def storage_error(exc: BaseException) -> StorageError | None:
    """The StorageError ``exc`` amounts to (looking through the exceptions it was raised
    from), or None if it is not a storage failure."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, StorageError):
            return current
        problem = _problem(current)
        if problem is not None:
            return StorageError(problem)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return None


def _problem(exc: BaseException) -> StorageProblem | None:
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        return None if code is None else _SQLITE_PROBLEMS.get(int(code) & 0xFF)
    if isinstance(exc, OSError) and exc.errno is not None:
        return _OS_PROBLEMS.get(exc.errno)
    sqlstate = getattr(exc, "sqlstate", None)  # psycopg.Error, without importing psycopg
    if isinstance(sqlstate, str):
        return _SQLSTATE_PROBLEMS.get(sqlstate)
    # SQLAlchemy wraps the driver's exception in ``orig`` (and raises it "from" nothing).
    orig = getattr(exc, "orig", None)
    if isinstance(orig, BaseException) and orig is not exc:
        return _problem(orig)
    return None


def data_folder_error(directory: Path, exc: OSError) -> str:
    """Why the data folder ``directory`` could not be made, and what to do, in plain words."""
    blocker = _file_in_the_way(directory)
    if blocker is not None:
        reason = (
            "there is a file with that name"
            if blocker == directory
            else f"{blocker} is a file, not a folder"
        )
        advice = "Move that file, or choose another data folder."
    else:
        reason = os_error_reason(exc)
        advice = "Choose another data folder, or check that this one can be written to."
    return f"PeerCircle could not make its data folder {directory}: {reason}. {advice}"


def _file_in_the_way(directory: Path) -> Path | None:
    """The nearest of ``directory`` and its parents that exists, if it is not a folder."""
    for path in (directory, *directory.parents):
        try:
            exists = path.exists() or path.is_symlink()
        except OSError:
            return None
        if exists:
            return None if path.is_dir() else path
    return None


__all__ = ["StorageError", "StorageProblem", "data_folder_error", "storage_error"]
