"""Opening the database file safely: pragmas, permissions, refusals, sessions, keys."""

from __future__ import annotations

import os
import random
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from peercircle.db import Database, DatabaseError, NewerDatabaseError, migrate, open_database
from peercircle.db.health import check_database
from peercircle.db.models import Group, Member, Membership, Role
from peercircle.db.schema import HEAD_REVISION
from peercircle.paths import database_path, ensure_private_dir


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _forbid_alembic(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object) -> None:
        raise AssertionError("Alembic must not run for a database that is already at head")

    monkeypatch.setattr(migrate, "upgrade_to_head", fail)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """Umask 000, so file modes prove what the code asked for, not what the umask allowed."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _add_group_with_member(db: Database) -> tuple[int, int]:
    with db.session() as s:
        group = Group(name="Tuesday Circle")
        member = Member(display_name="Ann")
        s.add_all([group, member])
        s.flush()
        s.add(Membership(group_id=group.id, member_id=member.id, role=Role.MEMBER))
        return group.id, member.id


# ---- pragmas ------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["new file", "existing file"])
def test_pragmas_are_in_effect_on_every_connection(
    state: str, data_dir: Path, head_db_file: Path
) -> None:
    path = database_path(data_dir) if state == "new file" else head_db_file
    db = open_database(path)
    try:
        # Hold three connections at once so the pool has to open three distinct ones.
        connections = [db.engine.connect() for _ in range(3)]
        try:
            assert len({id(c.connection.driver_connection) for c in connections}) == 3
            for connection in connections:
                pragma = connection.exec_driver_sql
                assert pragma("PRAGMA foreign_keys").scalar() == 1
                assert pragma("PRAGMA journal_mode").scalar() == "wal"
                assert pragma("PRAGMA synchronous").scalar() == 2  # FULL
                assert pragma("PRAGMA busy_timeout").scalar() == 5000
        finally:
            for connection in connections:
                connection.close()
        with db.session() as s:
            assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        db.close()


# ---- files and folders --------------------------------------------------------------------


@pytest.mark.usefixtures("permissive_umask")
def test_new_database_and_its_wal_and_shm_files_are_readable_by_the_user_only(
    data_dir: Path,
) -> None:
    path = database_path(data_dir)
    db = open_database(path)
    try:
        _add_group_with_member(db)  # a write, so the -wal and -shm files certainly exist
        files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
        assert {f: _mode(f) for f in files} == {f: 0o600 for f in files}
    finally:
        db.close()


@pytest.mark.usefixtures("permissive_umask")
def test_missing_data_dir_is_created_readable_by_the_user_only(tmp_path: Path) -> None:
    data_dir = tmp_path / "not" / "there" / "yet"
    open_database(database_path(data_dir)).close()
    assert data_dir.is_dir()
    assert _mode(data_dir) == 0o700


@pytest.mark.usefixtures("permissive_umask")
def test_ensure_private_dir_creates_0700_and_leaves_a_chosen_dir_alone(tmp_path: Path) -> None:
    new = ensure_private_dir(tmp_path / "fresh")
    assert _mode(new) == 0o700
    chosen = tmp_path / "chosen"
    chosen.mkdir(mode=0o755)
    assert ensure_private_dir(chosen) == chosen
    assert _mode(chosen) == 0o755


def test_a_zero_length_file_left_by_an_interrupted_first_start_is_set_up(tmp_path: Path) -> None:
    path = tmp_path / "peercircle.sqlite3"
    path.touch()
    open_database(path).close()
    assert check_database(path) == HEAD_REVISION


@pytest.mark.parametrize("folder", ["Group #2", "what?", "100% private", "a%20b", "Zoë's notes"])
def test_folder_names_that_look_like_url_syntax_are_taken_literally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str
) -> None:
    # Regression: the path went into a URL unquoted, so "#", "?" and "%20" opened (and
    # migrated) another file, or skipped the checks against newer or foreign databases.
    path = tmp_path / folder / "peercircle.sqlite3"
    db = open_database(path)
    try:
        _add_group_with_member(db)
    finally:
        db.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]
    assert sorted(p.name for p in path.parent.iterdir()) == ["peercircle.sqlite3"]
    assert check_database(path) == HEAD_REVISION

    _forbid_alembic(monkeypatch)
    db = open_database(path)
    try:
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Membership)) == 1
    finally:
        db.close()


# ---- reopening ----------------------------------------------------------------------------


def test_reopening_a_database_at_head_does_not_run_alembic(
    head_db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _forbid_alembic(monkeypatch)
    db = open_database(head_db_file)
    try:
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Group)) == 0
    finally:
        db.close()


_IMPORTS_ALEMBIC = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from peercircle.db import open_database
    db = open_database(Path(sys.argv[1]))
    db.close()
    print("alembic" in sys.modules)
    """
)


def _alembic_imported_when_opening(path: Path) -> bool:
    result = subprocess.run(
        [sys.executable, "-c", _IMPORTS_ALEMBIC, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip() == "True"


def test_alembic_is_not_even_imported_when_the_database_is_at_head(
    head_db_file: Path, tmp_path: Path
) -> None:
    assert _alembic_imported_when_opening(head_db_file) is False
    # ...while a new file does need it, so the check above can tell the difference.
    assert _alembic_imported_when_opening(tmp_path / "new.sqlite3") is True


# ---- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["plain", "Group #2"])
def test_database_from_a_newer_peercircle_is_refused_and_left_untouched(
    tmp_path: Path, folder: str, sqlite_exec: Callable[..., None]
) -> None:
    path = tmp_path / folder / "peercircle.sqlite3"
    open_database(path).close()
    sqlite_exec(path, "UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = path.read_bytes()

    with pytest.raises(NewerDatabaseError) as caught:
        open_database(path)

    assert isinstance(caught.value, DatabaseError)
    message = str(caught.value)
    assert "newer version of PeerCircle" in message
    assert "nothing has been changed" in message
    assert path.read_bytes() == before
    assert check_database(path) == "9999_from_the_future"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(random.Random(1).randbytes(4096), id="random-bytes"),
        pytest.param(b"First name,Pronouns\nAnn,she/her\n", id="csv-text"),
        pytest.param(b"%PDF-1.7\n" + b"\0" * 200, id="pdf-header"),
        pytest.param(b"x", id="one-byte"),
    ],
)
def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "peercircle.sqlite3"
    path.write_bytes(content)

    with pytest.raises(DatabaseError) as caught:
        open_database(path)

    assert not isinstance(caught.value, NewerDatabaseError)
    message = str(caught.value)
    assert str(path) in message
    assert "not a PeerCircle database" in message
    assert "has not been changed" in message
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["peercircle.sqlite3"]


def test_an_sqlite_file_of_another_program_is_refused_and_left_untouched(
    tmp_path: Path, sqlite_exec: Callable[..., None]
) -> None:
    path = tmp_path / "recipes.sqlite3"
    sqlite_exec(
        path,
        "CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)",
        "INSERT INTO recipes (title) VALUES ('Soup')",
    )
    before = path.read_bytes()

    with pytest.raises(DatabaseError, match="not a PeerCircle database") as caught:
        open_database(path)

    assert not isinstance(caught.value, NewerDatabaseError)
    assert path.read_bytes() == before


def test_a_folder_where_the_file_should_be_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "peercircle.sqlite3"
    path.mkdir()
    with pytest.raises(DatabaseError, match="could not be opened"):
        open_database(path)


@pytest.mark.sqlite_only  # reads the file
def test_stored_revision_of_a_fresh_database_is_head(db: Database) -> None:
    assert db.path is not None
    assert check_database(db.path) == HEAD_REVISION


# ---- the session scope --------------------------------------------------------------------


def _group_names(db: Database) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(Group.name).order_by(Group.name)))


@pytest.mark.sqlite_only  # a second Database on the same file
def test_session_commits_on_success(db: Database, data_dir: Path) -> None:
    with db.session() as s:
        s.add(Group(name="Tuesday Circle"))
    assert _group_names(db) == ["Tuesday Circle"]
    # Committed for real: another Database on the same file sees it too.
    other = open_database(database_path(data_dir))
    try:
        assert _group_names(other) == ["Tuesday Circle"]
    finally:
        other.close()


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_session_rolls_back_everything_on_an_exception(
    db: Database, error: type[BaseException]
) -> None:
    with db.session() as s:
        s.add(Group(name="Kept"))

    with pytest.raises(error), db.session() as s:
        s.add(Group(name="Lost"))
        s.flush()  # already sent to SQLite, still undone
        s.execute(delete(Group).where(Group.name == "Kept"))
        raise error()

    assert _group_names(db) == ["Kept"]


def test_session_is_closed_after_use(db: Database) -> None:
    with db.session() as s:
        s.add(Group(name="Tuesday Circle"))
    kept: Session = s
    assert not kept.in_transaction()
    assert list(kept.identity_map.values()) == []


# ---- keys and versions --------------------------------------------------------------------


def test_deleting_a_group_row_cascades_to_its_memberships(db: Database) -> None:
    group_id, member_id = _add_group_with_member(db)
    with db.session() as s:
        # Core DELETE: the database's ON DELETE CASCADE must do the work, not the ORM.
        s.execute(delete(Group).where(Group.id == group_id))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Membership)) == 0
        assert s.get(Member, member_id) is not None


def test_deleting_a_member_row_cascades_to_their_memberships(db: Database) -> None:
    group_id, member_id = _add_group_with_member(db)
    with db.session() as s:
        s.execute(delete(Member).where(Member.id == member_id))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Membership)) == 0
        assert s.get(Group, group_id) is not None


@pytest.mark.sqlite_only  # SQLite's foreign_keys pragma
def test_a_membership_of_a_missing_group_is_rejected(db: Database) -> None:
    _group_id, member_id = _add_group_with_member(db)
    with pytest.raises(IntegrityError, match="FOREIGN KEY"), db.session() as s:
        s.add(Membership(group_id=999, member_id=member_id))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Membership)) == 1


@pytest.mark.sqlite_only  # a second Database on the same file; on a server: test_postgresql.py
def test_version_column_stops_a_stale_object_overwriting_a_newer_save(
    db: Database, data_dir: Path
) -> None:
    _group_id, member_id = _add_group_with_member(db)
    with db.session() as s:
        stale = s.get(Member, member_id)
    assert stale is not None and stale.version == 1

    other = open_database(database_path(data_dir))
    try:
        with other.session() as s:
            fresh = s.get(Member, member_id)
            assert fresh is not None
            fresh.display_name = "Ann (saved elsewhere)"
    finally:
        other.close()

    with pytest.raises(StaleDataError), db.session() as s:
        stale = s.merge(stale, load=False)
        stale.display_name = "Ann (stale copy)"

    with db.session() as s:
        member = s.get(Member, member_id)
        assert member is not None
        assert (member.display_name, member.version) == ("Ann (saved elsewhere)", 2)
