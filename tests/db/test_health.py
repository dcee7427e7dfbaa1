"""The start-up check of the data file: damage of every kind is refused and left as it was;
an empty file is a fresh start; a big file gets the structural check."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from peercircle.db import DamagedDatabaseError, Database, DatabaseError, open_database
from peercircle.db.health import QUICK_CHECK_LIMIT, check_database
from peercircle.db.schema import HEAD_REVISION

NAMES = ("Ágnes", "Nguyễn Thị Lan", "Ольга", "Kwame", "Siobhán", "Yusuf")


def fill_members(path: Path, count: int, padding: int = 0) -> None:
    """Add ``count`` invented members with plain sqlite3 (and close, folding the WAL in)."""
    con = sqlite3.connect(path)
    try:
        con.executemany(
            "INSERT INTO members (display_name, full_name, pronouns, email, phone, "
            "emergency_contact, status, may_contact, created_at, updated_at, version) "
            "VALUES (?, ?, '', '', '', '', 'active', 0, '2026-01-01 10:00:00', "
            "'2026-01-01 10:00:00', 1)",
            [
                (f"{NAMES[i % len(NAMES)]} {i}", f"Invented Person {i} " + "x" * padding)
                for i in range(count)
            ],
        )
        con.commit()
    finally:
        con.close()


def page_size(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[16:18], "big")


def zero_page(path: Path, page: int) -> None:
    """Overwrite page ``page`` (1-based) with zeros."""
    size = page_size(path)
    with path.open("r+b") as file:
        file.seek((page - 1) * size)
        file.write(bytes(size))


def root_page(path: Path, table: str) -> int:
    con = sqlite3.connect(path)
    try:
        row = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    finally:
        con.close()
    return int(row[0])


@pytest.fixture
def members_file(head_db_file: Path) -> Path:
    """A PeerCircle database of a few hundred KB, every page in use."""
    fill_members(head_db_file, 1500)
    con = sqlite3.connect(head_db_file)
    try:
        assert con.execute("PRAGMA freelist_count").fetchone() == (0,)
    finally:
        con.close()
    return head_db_file


@pytest.fixture
def big_file(tmp_path: Path) -> Path:
    """A PeerCircle database just above the quick_check limit."""
    path = tmp_path / "big" / "peercircle.sqlite3"
    open_database(path).close()
    fill_members(path, 9000, padding=400)
    assert path.stat().st_size > QUICK_CHECK_LIMIT
    return path


def assert_refused_and_untouched(path: Path, error: type[DatabaseError], **check: int) -> str:
    before = path.read_bytes()
    neighbours = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(error) as caught:
        check_database(path, **check)
    with pytest.raises(error):
        open_database(path).close()
    assert path.read_bytes() == before, "the file was changed"
    assert sorted(p.name for p in path.parent.iterdir()) == neighbours
    message = str(caught.value)
    assert str(path) in message
    assert message.endswith(("It has not been changed.", "Choose another data folder."))
    return message


# ---- good files ---------------------------------------------------------------------------


def test_a_healthy_database_gives_its_revision(members_file: Path) -> None:
    assert check_database(members_file) == HEAD_REVISION
    assert check_database(members_file, quick_check_limit=0) == HEAD_REVISION


def test_a_zero_byte_file_is_a_fresh_start(tmp_path: Path) -> None:
    path = tmp_path / "peercircle.sqlite3"
    path.touch()
    assert check_database(path) is None
    open_database(path).close()
    assert check_database(path) == HEAD_REVISION


def test_a_big_database_gets_the_structural_check_and_passes(big_file: Path) -> None:
    assert check_database(big_file) == HEAD_REVISION


@pytest.mark.sqlite_only  # an SQLite WAL file
def test_a_database_with_unsaved_pages_in_its_wal_is_not_mistaken_for_a_cut_off_one(
    db: Database,
) -> None:
    """While PeerCircle runs (or after it crashed), new pages sit in the -wal and the file is
    shorter than the data: that is normal, not damage."""
    assert db.path is not None
    with db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE scratch (id INTEGER PRIMARY KEY, body TEXT)"))
        for _ in range(40):
            connection.execute(text("INSERT INTO scratch (body) VALUES (:b)"), {"b": "z" * 3000})
    assert db.path.with_name(db.path.name + "-wal").stat().st_size > 0
    assert check_database(db.path) == HEAD_REVISION
    assert check_database(db.path, quick_check_limit=0) == HEAD_REVISION


# ---- damage ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"this is a shopping list, not a database\n" * 50, id="text"),
        pytest.param(bytes(range(256)) * 64, id="garbage"),
        pytest.param(b"SQLite format 3\x00" + b"\xff" * 84, id="only-a-mangled-header"),
        pytest.param(b"SQLite format 3\x00", id="cut-off-header"),
    ],
)
def test_a_file_that_is_not_a_database_is_damaged(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "peercircle.sqlite3"
    path.write_bytes(content)
    message = assert_refused_and_untouched(path, DamagedDatabaseError)
    assert "is damaged or is not a PeerCircle database" in message


@pytest.mark.parametrize("limit", [QUICK_CHECK_LIMIT, 0], ids=["quick-check", "structural"])
def test_a_file_cut_to_half_is_damaged(members_file: Path, limit: int) -> None:
    data = members_file.read_bytes()
    members_file.write_bytes(data[: len(data) // 2])
    message = assert_refused_and_untouched(
        members_file, DamagedDatabaseError, quick_check_limit=limit
    )
    assert "bytes long, but its header says" in message


def test_a_big_file_cut_to_half_is_damaged(big_file: Path) -> None:
    data = big_file.read_bytes()
    big_file.write_bytes(data[: len(data) // 2])
    assert_refused_and_untouched(big_file, DamagedDatabaseError)


def test_a_zeroed_page_in_the_middle_is_found_by_the_quick_check(members_file: Path) -> None:
    pages = members_file.stat().st_size // page_size(members_file)
    zero_page(members_file, pages // 2)
    assert_refused_and_untouched(members_file, DamagedDatabaseError)


def test_a_zeroed_table_root_is_found_by_the_structural_check(big_file: Path) -> None:
    zero_page(big_file, root_page(big_file, "members"))
    assert_refused_and_untouched(big_file, DamagedDatabaseError)


def test_a_zeroed_last_page_is_found_by_the_structural_check(big_file: Path) -> None:
    """The newest members live on the last pages: the right edge of the table is read."""
    pages = big_file.stat().st_size // page_size(big_file)
    zero_page(big_file, pages)
    assert_refused_and_untouched(big_file, DamagedDatabaseError)


def test_a_zeroed_schema_page_is_damaged(members_file: Path) -> None:
    with members_file.open("r+b") as file:  # page 1 after its 100-byte header
        file.seek(100)
        file.write(bytes(page_size(members_file) - 100))
    assert_refused_and_untouched(members_file, DamagedDatabaseError)


@pytest.mark.parametrize(
    ("offset", "value"),
    [
        pytest.param(16, b"\x03\x00", id="page-size-not-a-power-of-two"),
        pytest.param(18, b"\x07", id="unknown-file-format"),
        pytest.param(21, b"\x41", id="payload-fraction"),
    ],
)
def test_a_mangled_header_field_is_damaged(members_file: Path, offset: int, value: bytes) -> None:
    with members_file.open("r+b") as file:
        file.seek(offset)
        file.write(value)
    assert_refused_and_untouched(members_file, DamagedDatabaseError)


def test_a_valid_sqlite_file_of_another_program_is_not_called_damaged(
    tmp_path: Path, sqlite_exec: Callable[..., None]
) -> None:
    path = tmp_path / "peercircle.sqlite3"
    sqlite_exec(
        path,
        "CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)",
        "INSERT INTO recipes (title) VALUES ('Borscht')",
    )
    for limit in (QUICK_CHECK_LIMIT, 0):
        with pytest.raises(DatabaseError) as caught:
            check_database(path, quick_check_limit=limit)
        assert not isinstance(caught.value, DamagedDatabaseError)
    message = assert_refused_and_untouched(path, DatabaseError)
    assert "not a PeerCircle database" in message


def test_a_damaged_file_is_never_replaced_by_an_empty_database(members_file: Path) -> None:
    zero_page(members_file, 2)
    size = members_file.stat().st_size
    for _ in range(3):  # every start refuses again; nothing is ever set up in its place
        with pytest.raises(DamagedDatabaseError):
            open_database(members_file)
    assert members_file.stat().st_size == size
    assert not members_file.with_name("peercircle.sqlite3-wal").exists()
