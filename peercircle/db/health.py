"""The start-up check of the database file: is it SQLite, whole, and PeerCircle's?

Run before anything writes to the file, so a damaged file is reported (and offered a backup
in its place) instead of being "repaired" or written over. The file is only ever opened
read-only here. Small files get SQLite's ``quick_check`` (every page and record, about
10 ms per MB); beyond ``QUICK_CHECK_LIMIT`` that would slow every start, so a structural
check reads the header, the schema and both ends of every table instead. The full check of
a big file happens whenever a backup of it is verified. No Qt here.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from peercircle.db.database import DamagedDatabaseError, DatabaseError

QUICK_CHECK_LIMIT = 3 * 1024 * 1024
"""Files (with their -wal) up to this many bytes get a quick_check: about 30 ms at most."""

SQLITE_HEADER = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file."""
_HEADER_SIZE = 100
_UNCHANGED = "It has not been changed."
_WITHOUT_ROWID = re.compile(r"\bWITHOUT\s+ROWID\s*$", re.IGNORECASE)


def check_database(path: Path, *, quick_check_limit: int = QUICK_CHECK_LIMIT) -> str | None:
    """The Alembic revision stored in the database at ``path`` once it has passed the
    start-up check; None for an empty file (a first start that did not get to set it up)
    or an SQLite file with no tables yet.

    Raises DamagedDatabaseError if the file is damaged or is not an SQLite database,
    DatabaseError if it is an SQLite database of another program or cannot be read. The
    file is not changed either way.
    """
    header, size = _read_header(path)
    if not header:
        return None
    _check_header(path, header, size)
    wal = _file_size(_side_file(path, "-wal"))
    # With no -wal to read, the file is opened as immutable: SQLite then makes no -wal or
    # -shm beside it (a damaged file is left exactly as it was found, alone).
    uri = read_only_uri(path) + ("" if wal else "&immutable=1")
    try:
        con = sqlite3.connect(uri, uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise DatabaseError(f"The data file {path} could not be opened: {exc}.") from exc
    try:
        if size + wal <= quick_check_limit:
            _quick_check(con, path)
        else:
            _structural_check(con)
        return _revision(con, path)
    except sqlite3.OperationalError as exc:
        if _primary_code(exc) not in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            # Busy, locked, unreadable: the file may be fine, so it is not called damaged.
            raise DatabaseError(f"The data file {path} could not be read: {exc}.") from exc
        raise _damaged(path, str(exc)) from exc
    except sqlite3.DatabaseError as exc:  # malformed, not a database
        raise _damaged(path, str(exc)) from exc
    finally:
        con.close()


def _damaged(path: Path, detail: str = "") -> DamagedDatabaseError:
    because = f" ({detail})" if detail else ""
    return DamagedDatabaseError(
        f"The data file {path} is damaged or is not a PeerCircle database{because}. {_UNCHANGED}"
    )


def _side_file(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read_header(path: Path) -> tuple[bytes, int]:
    """The first 100 bytes and the size of the file."""
    try:
        with path.open("rb") as file:
            header = file.read(_HEADER_SIZE)
            size = file.seek(0, 2)
    except OSError as exc:
        raise DatabaseError(
            f"The data file {path} could not be opened: {exc.strerror or exc}."
        ) from exc
    return header, size


def _check_header(path: Path, header: bytes, size: int) -> None:
    """The fields SQLite needs to read the file at all, and that the file is as long as its
    header says (a cut-off copy is caught here, however big the file is)."""
    # SQLite itself takes a one-byte file for an empty database (and would then write a
    # schema over it), so the header is looked at before SQLite is.
    if len(header) < _HEADER_SIZE or not header.startswith(SQLITE_HEADER):
        raise _damaged(path)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        raise _damaged(path, "its page size is not valid")
    if header[18] not in (1, 2) or header[19] not in (1, 2):
        raise _damaged(path, "its file format is not valid")
    if header[21:24] != b"\x40\x20\x20":  # fixed by the file format: 64, 32, 32
        raise _damaged(path, "its header is not valid")
    pages = int.from_bytes(header[28:32], "big")
    change_counter, valid_for = header[24:28], header[92:96]
    # The page count in the header is valid when these two match (any SQLite since 2010).
    # A -wal or -journal left by a crash holds pages not yet in the file, so the file's
    # length only has to match when there is none.
    settled = not any(_file_size(_side_file(path, s)) for s in ("-wal", "-journal"))
    if pages and change_counter == valid_for and settled and size != pages * page_size:
        raise _damaged(
            path, f"it is {size} bytes long, but its header says {pages * page_size} bytes"
        )


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def _quick_check(con: sqlite3.Connection, path: Path) -> None:
    rows = con.execute("PRAGMA quick_check").fetchall()
    if rows != [("ok",)]:
        first = str(rows[0][0]) if rows else "no answer"
        raise _damaged(path, f"SQLite's check found: {first}")


def _structural_check(con: sqlite3.Connection) -> None:
    """What a big file is checked for at start-up: the schema parses and the first and last
    row of every table can be read (that walks each table's tree from its root down both
    edges). sqlite3.DatabaseError if anything on the way is damaged."""
    con.execute("PRAGMA schema_version").fetchone()
    tables = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL"
    ).fetchall()
    for name, sql in tables:
        if str(sql).upper().startswith("CREATE VIRTUAL"):
            continue
        quoted = '"' + str(name).replace('"', '""') + '"'
        if _WITHOUT_ROWID.search(str(sql)):
            con.execute(f"SELECT * FROM {quoted} LIMIT 1").fetchall()
            continue
        for direction in ("ASC", "DESC"):
            con.execute(f"SELECT * FROM {quoted} ORDER BY rowid {direction} LIMIT 1").fetchall()


def _revision(con: sqlite3.Connection, path: Path) -> str | None:
    tables = table_names(con)
    if tables and "alembic_version" not in tables:
        raise DatabaseError(
            f"{path} is an SQLite file, but not a PeerCircle database. "
            f"{_UNCHANGED} Choose another data folder."
        )
    return stored_revision(con)


def read_only_uri(path: Path) -> str:
    """A percent-encoded ``file:`` URI opening ``path`` read-only, so that "#", "?" and "%"
    in folder names stay part of the path (otherwise another, empty file would be opened)."""
    return f"{path.absolute().as_uri()}?mode=ro"


def table_names(con: sqlite3.Connection) -> set[str]:
    return {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def stored_revision(con: sqlite3.Connection) -> str | None:
    """The Alembic revision stored in the database ``con`` reads; None if it has none (an
    empty database, or not a PeerCircle one)."""
    if "alembic_version" not in table_names(con):
        return None
    row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row and row[0] is not None else None


__all__ = [
    "QUICK_CHECK_LIMIT",
    "SQLITE_HEADER",
    "check_database",
    "read_only_uri",
    "stored_revision",
    "table_names",
]
