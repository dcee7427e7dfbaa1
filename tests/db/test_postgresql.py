"""An organisation's shared PostgreSQL server: opening it by URL, the same migrations, clear
messages that never show the password, two facilitators saving the same record, and private
notes that reach the server only encrypted.

The tests that need a server use the one in PEERCIRCLE_TEST_POSTGRESQL_URL (see
scripts/start_test_postgresql.sh) and are skipped without it; the rest run everywhere.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import inspect, make_url, text

from peercircle.cli import main
from peercircle.db import Database, DatabaseError, NewerDatabaseError, migrate
from peercircle.db.database import (
    create_server_engine,
    normalize_database_url,
    open_database_url,
)
from peercircle.db.models import Base
from peercircle.db.schema import HEAD_REVISION
from peercircle.domain import ResourceKind
from peercircle.paths import DATABASE_URL_ENV, database_path, database_url
from peercircle.services import roster as roster_module
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import NoteDraft
from peercircle.services.resource_types import ResourceDraft
from peercircle.services.resources import ResourceService
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.services.roster_types import ChangedElsewhereError
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams

if TYPE_CHECKING:
    from tests.conftest import PostgresqlServer, ServerDatabase

SECRET = "s3cret-Ágnes"  # a password that must never be shown
FAST = KdfParams(memory_kib=1024, iterations=1, lanes=1)


def _one_line_without_secret(message: str) -> None:
    assert "\n" not in message
    assert SECRET not in message
    assert "s3cret" not in message


# ---- addresses (no server needed) --------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://ann@db.example.org/circles",
        "postgres://ann@db.example.org/circles",
        "postgresql+psycopg://ann@db.example.org/circles",
        "postgresql+psycopg2://ann@db.example.org/circles",
        "  postgresql://ann@db.example.org/circles\n",
    ],
)
def test_server_addresses_go_through_psycopg_3(url: str) -> None:
    normalized = normalize_database_url(url)
    assert normalized.drivername == "postgresql+psycopg"
    assert (normalized.username, normalized.host, normalized.database) == (
        "ann",
        "db.example.org",
        "circles",
    )


def test_an_sqlite_address_opens_that_file(tmp_path: Path) -> None:
    path = tmp_path / "Group #2" / "peercircle.sqlite3"
    db = open_database_url(f"sqlite:///{path}")
    try:
        assert (db.backend, db.path) == ("sqlite", path)
        assert path.is_file()
    finally:
        db.close()


@pytest.mark.parametrize(
    "url",
    [
        f"mysql://ann:{SECRET}@db.example.org/circles",
        f"oracle+oracledb://ann:{SECRET}@db.example.org:1521/circles",
        f"mssql+pyodbc://ann:{SECRET}@db.example.org/circles",
    ],
)
def test_other_databases_are_refused_without_showing_the_password(url: str) -> None:
    with pytest.raises(DatabaseError) as caught:
        open_database_url(url)
    message = str(caught.value)
    assert message.startswith("PeerCircle works with an SQLite file or a PostgreSQL server; ")
    assert "ann:***@db.example.org" in message and "is neither" in message
    _one_line_without_secret(message)


@pytest.mark.parametrize(
    "url", [f"postgresql//ann:{SECRET}@db.example.org", f"C:\\data\\{SECRET}.sqlite3", ""]
)
def test_something_that_is_not_an_address_is_refused_without_repeating_it(url: str) -> None:
    with pytest.raises(DatabaseError, match="the database address given is neither") as caught:
        open_database_url(url)
    _one_line_without_secret(str(caught.value))


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_sqlite_address_must_name_a_file(url: str) -> None:
    with pytest.raises(DatabaseError, match="must name a file"):
        open_database_url(url)


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port where nothing listens: connecting to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.mark.parametrize("where", ["before the server's name", "as a setting"])
def test_an_unreachable_server_is_one_plain_line_without_the_password(
    closed_port: int, where: str
) -> None:
    url = make_url(f"postgresql://ann@127.0.0.1:{closed_port}/circles")
    if where == "as a setting":
        url, shown = url.update_query_dict({"password": SECRET}), "ann"
    else:
        url, shown = url.set(password=SECRET), "ann:***"
    with pytest.raises(DatabaseError) as caught:
        open_database_url(url.render_as_string(hide_password=False))
    message = str(caught.value)
    assert message.startswith(
        f"PeerCircle could not connect to the database "
        f"postgresql://{shown}@127.0.0.1:{closed_port}/circles: "
    )
    assert "refused" in message
    _one_line_without_secret(message)
    assert caught.value.__cause__ is not None  # the driver's error is kept for the log


def test_the_command_line_option_beats_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    assert database_url(None) is None
    monkeypatch.setenv(DATABASE_URL_ENV, " postgresql://ann@office/circles ")
    assert database_url(None) == "postgresql://ann@office/circles"
    assert database_url("postgresql://ann@home/circles") == "postgresql://ann@home/circles"
    monkeypatch.setenv(DATABASE_URL_ENV, "  ")
    assert database_url("") is None


def test_a_command_with_an_unusable_address_says_so_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], closed_port: int
) -> None:
    url = f"postgresql://ann:{SECRET}@127.0.0.1:{closed_port}/circles"
    status = main(["--data-dir", str(tmp_path), "--database-url", url, "export-roster", "-o", "x"])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("peercircle: PeerCircle could not connect to the database ")
    _one_line_without_secret(err.rstrip("\n"))
    assert not (tmp_path / "x").exists()
    assert not database_path(tmp_path).exists()


# ---- on the test server --------------------------------------------------------------------


@pytest.fixture
def scratch_url(postgresql_server: PostgresqlServer) -> Iterator[str]:
    """An empty database of its own on the test server (dropped afterwards)."""
    url = postgresql_server.create_database()
    yield url
    postgresql_server.drop_database(url)


@pytest.fixture
def elsewhere(postgresql_session: ServerDatabase, postgresql_db: Database) -> Iterator[Database]:
    """A second Database on the same server database: another facilitator's PeerCircle."""
    other = open_database_url(postgresql_session.url)
    yield other
    other.close()


def _with_password(url: str, password: str) -> str:
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def test_a_wrong_password_is_one_plain_line_without_it(postgresql_session: ServerDatabase) -> None:
    with pytest.raises(DatabaseError, match="could not connect to the database") as caught:
        open_database_url(_with_password(postgresql_session.url, SECRET))
    message = str(caught.value)
    assert "password authentication failed" in message
    _one_line_without_secret(message)


def test_a_missing_database_is_named(postgresql_session: ServerDatabase) -> None:
    url = make_url(postgresql_session.url).set(database="no_such_circles")
    with pytest.raises(DatabaseError) as caught:
        open_database_url(url.render_as_string(hide_password=False))
    message = str(caught.value)
    assert "no_such_circles" in message and "does not exist" in message
    assert str(make_url(postgresql_session.url).password) not in message
    _one_line_without_secret(message)


def test_an_empty_database_is_migrated_to_head(scratch_url: str) -> None:
    db = open_database_url(scratch_url)
    try:
        assert (db.backend, db.path) == ("postgresql", None)
        with db.engine.connect() as connection:
            assert connection.scalar(text("SELECT version_num FROM alembic_version")) == (
                HEAD_REVISION
            )
            inspector = inspect(connection)
            tables = set(inspector.get_table_names())
            assert tables == set(Base.metadata.tables) | {"alembic_version"}
            for name, table in Base.metadata.tables.items():
                columns = {c["name"] for c in inspector.get_columns(name)}
                assert columns == set(table.columns.keys()), name
    finally:
        db.close()


def test_the_migrated_server_schema_is_exactly_the_models(
    postgresql_session: ServerDatabase,
) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with postgresql_session.db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_reopening_a_database_at_head_runs_no_migration(
    scratch_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database_url(scratch_url).close()

    def refuse(*_args: object) -> None:
        raise AssertionError("migrations ran on a database already at head")

    monkeypatch.setattr(migrate, "upgrade_to_head", refuse)
    open_database_url(scratch_url).close()


def test_facilitators_starting_at_the_same_time_migrate_once(scratch_url: str) -> None:
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def open_it() -> None:
        start.wait()
        try:
            open_database_url(scratch_url).close()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=open_it, daemon=True) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)  # without the lock they can wait for each other forever
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    db = open_database_url(scratch_url)
    try:
        with db.engine.connect() as connection:
            assert connection.scalars(text("SELECT version_num FROM alembic_version")).all() == [
                HEAD_REVISION
            ]
    finally:
        db.close()


def test_a_database_from_a_newer_peercircle_is_refused_and_left_untouched(
    scratch_url: str,
) -> None:
    db = open_database_url(scratch_url)
    RosterService(db).create_member(MemberDraft("Nguyễn"))
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    db.close()

    with pytest.raises(NewerDatabaseError, match="newer version of PeerCircle"):
        open_database_url(scratch_url)

    engine = create_server_engine(normalize_database_url(scratch_url))
    try:
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT version_num FROM alembic_version")) == (
                "9999_future"
            )
            assert connection.scalar(text("SELECT display_name FROM members")) == "Nguyễn"
    finally:
        engine.dispose()


def test_a_database_holding_other_tables_is_refused_and_left_untouched(scratch_url: str) -> None:
    engine = create_server_engine(normalize_database_url(scratch_url))
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE invoices (id integer primary key)"))
        with pytest.raises(DatabaseError, match="holds other tables, but not PeerCircle's"):
            open_database_url(scratch_url)
        with engine.connect() as connection:
            assert inspect(connection).get_table_names() == ["invoices"]
    finally:
        engine.dispose()


def test_the_server_sees_peercircle_by_name_and_settings_in_the_url_win(
    postgresql_session: ServerDatabase,
) -> None:
    url = normalize_database_url(postgresql_session.url)
    for engine, expected in [
        (create_server_engine(url), "peercircle"),
        (create_server_engine(url.update_query_dict({"application_name": "Ward 3"})), "Ward 3"),
    ]:
        try:
            with engine.connect() as connection:
                assert connection.scalar(text("SHOW application_name")) == expected
        finally:
            engine.dispose()


def test_a_dropped_connection_is_replaced_before_the_next_save(
    postgresql_db: Database, postgresql_server: PostgresqlServer
) -> None:
    roster = RosterService(postgresql_db)
    roster.create_member(MemberDraft("Ольга"))
    with postgresql_db.engine.connect() as connection:
        pid = connection.scalar(text("SELECT pg_backend_pid()"))
    # The server restarts, or the network drops: the pooled connection is dead.
    other = create_server_engine(postgresql_server.url)
    try:
        with other.connect() as connection:
            assert connection.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        other.dispose()
    roster.create_member(MemberDraft("Ágnes"))
    assert sorted(m.display_name for m in roster.list_members()) == ["Ágnes", "Ольга"]


@pytest.mark.parametrize(
    "name", ["Zoë", "Nguyễn Thị Ánh", "王小明", "Ngozi 🌻", "👩🏽‍🦱", "A\u200dB", "ﬁona"]
)
def test_names_are_stored_byte_for_byte(postgresql_db: Database, name: str) -> None:
    roster = RosterService(postgresql_db)
    created = roster.create_member(MemberDraft(name, full_name=name))
    assert roster.get_member(created.id).display_name == name
    with postgresql_db.engine.connect() as connection:
        stored = connection.execute(
            text(
                "SELECT convert_to(display_name, 'UTF8'), convert_to(full_name, 'UTF8') "
                "FROM members"
            )
        ).one()
    assert tuple(stored) == (name.encode("utf-8"), name.encode("utf-8"))


def test_an_invisible_nul_character_does_not_fail_a_save(postgresql_db: Database) -> None:
    """SQLite stores it; PostgreSQL refuses any text holding one, so it is left out."""
    roster = RosterService(postgresql_db)
    group = roster.create_group(GroupDraft("Tuesday Circle", place="Room\x00 4"))
    olga = roster.create_member(MemberDraft("Ольга", pronouns="she/\x00her"))
    library = ResourceService(postgresql_db)
    warmline = library.create_resource(
        ResourceDraft("Warmline", ResourceKind.HELPLINE, description="Eve\x00nings")
    )
    assert roster.get_group(group.id).place == "Room 4"
    assert roster.get_member(olga.id).pronouns == "she/her"
    assert library.get_resource(warmline.id).description == "Evenings"


# ---- two facilitators, one server ----------------------------------------------------------


def test_two_facilitators_editing_the_same_member_second_save_is_refused(
    postgresql_db: Database, elsewhere: Database
) -> None:
    here, there = RosterService(postgresql_db), RosterService(elsewhere)
    ann = here.create_member(MemberDraft("Ann"))
    opened_here = here.get_member(ann.id)
    opened_there = there.get_member(ann.id)

    saved = there.update_member(
        ann.id, MemberDraft("Ann (there)"), expected_version=opened_there.version
    )
    with pytest.raises(ChangedElsewhereError) as caught:
        here.update_member(ann.id, MemberDraft("Ann (here)"), expected_version=opened_here.version)
    assert "This member was changed by someone else since you opened it" in str(caught.value)
    assert here.get_member(ann.id) == saved
    assert (saved.display_name, saved.version) == ("Ann (there)", 2)


def test_a_save_racing_another_facilitator_is_refused_not_a_database_error(
    postgresql_db: Database, elsewhere: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other save commits after this one has read the row and before it writes."""
    here, there = RosterService(postgresql_db), RosterService(elsewhere)
    ann = here.create_member(MemberDraft("Ann"))
    apply_member = roster_module.apply_member
    raced: list[bool] = []

    def other_facilitator_saves_first(member: object, draft: MemberDraft) -> None:
        if not raced:
            raced.append(True)
            there.update_member(ann.id, MemberDraft("Ann (there)"))
        apply_member(member, draft)  # type: ignore[arg-type]

    monkeypatch.setattr(roster_module, "apply_member", other_facilitator_saves_first)
    with pytest.raises(ChangedElsewhereError, match="changed by someone else"):
        here.update_member(ann.id, MemberDraft("Ann (here)"), expected_version=ann.version)
    monkeypatch.undo()

    assert raced == [True]
    now = here.get_member(ann.id)
    assert (now.display_name, now.version) == ("Ann (there)", 2)
    saved = here.update_member(ann.id, MemberDraft("Ann (here)"), expected_version=2)
    assert (saved.display_name, saved.version) == ("Ann (here)", 3)


def test_group_and_resource_edits_from_two_facilitators(
    postgresql_db: Database, elsewhere: Database
) -> None:
    group = RosterService(postgresql_db).create_group(GroupDraft("Tuesday Circle"))
    RosterService(elsewhere).update_group(group.id, GroupDraft("Renamed there"))
    with pytest.raises(ChangedElsewhereError, match="This group was changed by someone else"):
        RosterService(postgresql_db).update_group(
            group.id, GroupDraft("Renamed here"), expected_version=group.version
        )
    assert RosterService(postgresql_db).get_group(group.id).name == "Renamed there"

    library, other_library = ResourceService(postgresql_db), ResourceService(elsewhere)
    warmline = library.create_resource(ResourceDraft("Warmline", ResourceKind.HELPLINE))
    other_library.update_resource(
        warmline.id,
        ResourceDraft("Warmline (evenings)", ResourceKind.HELPLINE),
        expected_version=warmline.version,
    )
    with pytest.raises(ChangedElsewhereError, match="changed by someone else"):
        library.update_resource(
            warmline.id,
            ResourceDraft("Warmline (days)", ResourceKind.HELPLINE),
            expected_version=warmline.version,
        )
    assert library.get_resource(warmline.id).title == "Warmline (evenings)"


# ---- private notes -------------------------------------------------------------------------


def test_notes_reach_the_server_only_encrypted(postgresql_db: Database) -> None:
    title, body = "Ольга worried about Ágnes", "Said the nights are the hardest part."
    roster = RosterService(postgresql_db)
    group = roster.create_group(GroupDraft("Tuesday Circle"))
    olga = roster.create_member(MemberDraft("Ольга"), group_id=group.id)
    vault = VaultService(postgresql_db, kdf_params=FAST)
    vault.set_up("blue kettle on the stairs")
    notes = NoteService(postgresql_db, vault)
    note = notes.create(NoteDraft(group.id, title, body, ("nights",), member_id=olga.id))

    with postgresql_db.engine.connect() as connection:
        row = connection.execute(
            text("SELECT title, body, tags FROM notes WHERE id = :id"), {"id": note.id}
        ).one()
        everything = [
            str(value)
            for table in inspect(connection).get_table_names()
            for value in connection.scalars(text(f'SELECT t::text FROM "{table}" t'))
        ]
    for blob, plain in zip(row, (title, body, "nights"), strict=True):
        assert isinstance(blob, bytes) and len(blob) > len(plain.encode())
        assert plain.encode() not in blob
    # Nowhere on the server: not in a text column, nor as bytes (bytea is shown as hex).
    for plain in ("worried", "nights are the hardest", "nights"):
        assert not [v for v in everything if plain in v or plain.encode().hex() in v]
    assert notes.notes(group.id)[0].body == body  # and the vault reads them back


# ---- the command line ----------------------------------------------------------------------


@pytest.mark.parametrize("how", ["option", "environment"])
def test_command_line_jobs_work_on_the_server_and_keep_only_logs_in_the_data_folder(
    postgresql_session: ServerDatabase,
    postgresql_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    how: str,
) -> None:
    RosterService(postgresql_db).create_member(MemberDraft("Nguyễn"))
    folder, output = tmp_path / "data", tmp_path / "roster.csv"
    if how == "option":
        option = ["--database-url", postgresql_session.url]
    else:
        option = []
        monkeypatch.setenv(DATABASE_URL_ENV, postgresql_session.url)
    assert main(["--data-dir", str(folder), *option, "export-roster", "-o", str(output)]) == 0
    assert "Wrote 1 member" in capsys.readouterr().out
    assert "Nguyễn" in output.read_text(encoding="utf-8")
    assert not database_path(folder).exists()
