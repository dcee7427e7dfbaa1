"""Every released schema's frozen database (``tests/fixtures/``) opens with today's code.

Each fixture is a copy of what a release really left on disk (made once by
``scripts/make_frozen_databases.py``, never regenerated). Opening a copy upgrades it to the
newest schema: every row must still be there with its values, the file must be intact with
the same schema as a brand-new database, a backup of the old file must have been taken first,
and the services must read it all back, private notes included.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect

from peercircle.db import Database, migrate, open_database
from peercircle.db.schema import HEAD_REVISION
from peercircle.domain import (
    AttendanceStatus,
    FollowUpSource,
    MemberStatus,
    ResourceKind,
    Role,
    RoundOrder,
    TimeMode,
)
from peercircle.paths import database_path
from peercircle.services.follow_ups import FollowUpService
from peercircle.services.meetings import MeetingService
from peercircle.services.notes import NoteService
from peercircle.services.resources import ResourceService
from peercircle.services.roster import RosterService
from peercircle.services.rounds import RoundService
from peercircle.services.vault import VaultService
from peercircle.services.vault_types import VaultState

FIXTURES_DIR = Path(__file__).resolve().parents[1] / "fixtures"
LAST_RELEASED = "0004"
"""The newest schema revision a release has shipped: it and every older one need a fixture."""
PASSPHRASE = "frozen fixture passphrase 0004"
RECOVERY_CODE = "FROZ-ENFI-XTUR-E4AA-BBCC-DDEE-FF22-3344"


def fixture_path(revision: str) -> Path:
    return FIXTURES_DIR / f"peercircle-{revision}.sqlite3"


def fixture_revisions() -> list[str]:
    prefix, suffix = "peercircle-", ".sqlite3"
    return sorted(
        p.name[len(prefix) : -len(suffix)] for p in FIXTURES_DIR.glob(f"{prefix}*{suffix}")
    )


REVISIONS = fixture_revisions()


def read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)


def stored_revision_of(path: Path) -> str:
    con = read_only(path)
    try:
        [(revision,)] = con.execute("SELECT version_num FROM alembic_version").fetchall()
        return str(revision)
    finally:
        con.close()


Rows = dict[str, tuple[list[str], list[tuple[Any, ...]]]]


def app_rows(path: Path) -> Rows:
    """Every application table's column names and rows (in rowid order), read with sqlite3."""
    con = read_only(path)
    try:
        tables = [
            name
            for (name,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                " AND name != 'alembic_version' ORDER BY name"
            )
        ]
        rows: Rows = {}
        for table in tables:
            columns = [info[1] for info in con.execute(f"PRAGMA table_info({table})")]
            rows[table] = (columns, same_columns(con, table, columns))
        return rows
    finally:
        con.close()


def same_columns(con: sqlite3.Connection, table: str, columns: list[str]) -> list[tuple[Any, ...]]:
    listed = ", ".join(f'"{c}"' for c in columns)
    return con.execute(f"SELECT {listed} FROM {table} ORDER BY rowid").fetchall()


def schema_of(engine: Engine) -> dict[str, dict[str, object]]:
    """Tables, columns, keys, indexes and constraints as SQLAlchemy sees them."""
    inspector = inspect(engine)
    schema: dict[str, dict[str, object]] = {}
    for table in sorted(inspector.get_table_names()):
        schema[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], c.get("default"))
                for c in inspector.get_columns(table)
            ],
            "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign keys": sorted(
                (
                    str(fk["name"]),
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                    tuple(sorted((fk.get("options") or {}).items())),
                )
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (str(i["name"]), tuple(str(c) for c in i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (str(u["name"]), tuple(u["column_names"]))
                for u in inspector.get_unique_constraints(table)
            ),
            "checks": sorted(
                (str(c["name"]), " ".join(c["sqltext"].split()))
                for c in inspector.get_check_constraints(table)
            ),
        }
    return schema


@dataclass(frozen=True)
class Upgraded:
    """A copy of one frozen database, opened (so upgraded) once and closed again."""

    revision: str
    data_dir: Path

    @property
    def path(self) -> Path:
        return database_path(self.data_dir)

    @property
    def frozen(self) -> Path:
        return fixture_path(self.revision)

    def at_least(self, revision: str) -> bool:
        return self.revision >= revision


@pytest.fixture(scope="module", params=REVISIONS)
def upgraded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Upgraded:
    revision: str = request.param
    data_dir = tmp_path_factory.mktemp(f"frozen-{revision}") / "data"
    data_dir.mkdir(mode=0o700)
    shutil.copyfile(fixture_path(revision), database_path(data_dir))
    database_path(data_dir).chmod(0o600)
    open_database(database_path(data_dir)).close()
    return Upgraded(revision, data_dir)


@pytest.fixture
def db(upgraded: Upgraded) -> Iterator[Database]:
    """The upgraded copy, open (only read by the tests, so each sees it as it was upgraded)."""
    database = open_database(upgraded.path)
    yield database
    database.close()


@pytest.fixture(scope="module")
def head_schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    database = open_database(database_path(tmp_path_factory.mktemp("fresh") / "data"))
    try:
        return schema_of(database.engine)
    finally:
        database.close()


# ---- the fixtures themselves -------------------------------------------------------------


def test_every_released_revision_has_a_frozen_database() -> None:
    known = sorted(migrate.known_revisions())
    released = [r for r in known if r <= LAST_RELEASED]
    assert released == REVISIONS, (
        f"migrations: {known}; released up to {LAST_RELEASED}: {released}; "
        f"frozen databases in {FIXTURES_DIR}: {REVISIONS}"
    )
    assert released[0] == "0001" and released[-1] == LAST_RELEASED


@pytest.mark.parametrize("revision", REVISIONS)
def test_a_frozen_database_is_one_intact_file_at_its_revision(revision: str) -> None:
    path = fixture_path(revision)
    assert stored_revision_of(path) == revision
    assert not path.with_name(path.name + "-wal").exists()
    con = read_only(path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        con.close()
    assert path.stat().st_size < 100 * 1024


# ---- upgrading a copy --------------------------------------------------------------------


def test_every_row_is_still_there_with_its_values(upgraded: Upgraded) -> None:
    before = app_rows(upgraded.frozen)
    assert {"groups", "members", "memberships"} <= set(before)
    con = read_only(upgraded.path)
    try:
        for table, (columns, rows) in before.items():
            assert rows, f"the frozen {table} table has rows to check"
            assert same_columns(con, table, columns) == rows, table
    finally:
        con.close()


def test_the_upgraded_file_is_intact_and_at_head(upgraded: Upgraded) -> None:
    assert stored_revision_of(upgraded.path) == HEAD_REVISION
    con = read_only(upgraded.path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()


def test_the_schema_is_the_same_as_a_new_databases(
    db: Database, head_schema: dict[str, dict[str, object]]
) -> None:
    upgraded_schema = schema_of(db.engine)
    assert set(upgraded_schema) == set(head_schema)
    for table, description in head_schema.items():
        assert upgraded_schema[table] == description, table


def test_a_backup_of_the_old_file_was_taken_before_the_upgrade(upgraded: Upgraded) -> None:
    backups = sorted((upgraded.data_dir / "backups").glob("peercircle-*.sqlite3"))
    if upgraded.revision == HEAD_REVISION:
        assert backups == []  # nothing to upgrade, nothing to back up
        return
    assert [p.name.endswith("-before-upgrade.sqlite3") for p in backups] == [True], backups
    [backup] = backups
    assert stored_revision_of(backup) == upgraded.revision
    assert app_rows(backup) == app_rows(upgraded.frozen)


# ---- the services read it all ------------------------------------------------------------


def test_the_roster_reads_groups_and_members(db: Database) -> None:
    roster = RosterService(db)
    groups = {g.name: g for g in roster.list_groups(include_archived=True)}
    assert list(groups) == ["Café Zusammen — Mittwoch", "Tuesday Circle", "Spring Walk & Talk"]
    tuesday = groups["Tuesday Circle"]
    assert (tuesday.meeting_weekday, tuesday.meeting_time, tuesday.place) == (
        1,
        dt.time(18, 30),
        "Willow Lane Library, Room 2",
    )
    assert tuesday.agreements.splitlines()[-1] == "Passing is always fine."
    assert (tuesday.member_count, tuesday.version, tuesday.archived) == (4, 3, False)
    assert groups["Spring Walk & Talk"].archived
    assert groups["Spring Walk & Talk"].meeting_time is None

    seated = roster.list_members(tuesday.id, include_archived=True)
    assert [(m.display_name, m.role, m.seat) for m in seated] == [
        ("Ágnes", Role.CO_FACILITATOR, 0),
        ("Mai", Role.MEMBER, 1),
        ("Ольга", Role.MEMBER, 2),
        ("Sam", Role.MEMBER, 3),
        ("Zoë", Role.MEMBER, 4),
    ]
    agnes, mai, olga, sam, _zoe = seated
    assert (
        agnes.full_name,
        agnes.pronouns,
        agnes.email,
        agnes.phone,
        agnes.emergency_contact,
        agnes.joined_on,
        agnes.first_visit_on,
        agnes.status,
        agnes.may_contact,
        agnes.version,
    ) == (
        "Ágnes Kovács",
        "she/her",
        "agnes.kovacs@example.org",
        "555-0101",
        "Bence Kovács, 555-0102",
        dt.date(2025, 9, 2),
        dt.date(2025, 8, 26),
        MemberStatus.ACTIVE,
        True,
        2,
    )
    assert set(agnes.groups) == {"Tuesday Circle", "Café Zusammen — Mittwoch"}
    assert (mai.full_name, mai.first_visit_on, mai.may_contact) == ("Nguyễn Thị Mai", None, False)
    assert (olga.full_name, olga.emergency_contact, olga.status, olga.joined_on) == (
        "Ольга Смирнова",
        "Дмитрий, 555-0104",
        MemberStatus.INACTIVE,
        None,
    )
    assert (sam.full_name, sam.status, sam.archived) == ("Sam O’Connor", MemberStatus.ALUMNI, True)
    cafe = roster.list_members(groups["Café Zusammen — Mittwoch"].id)
    assert [(m.display_name, m.role) for m in cafe] == [
        ("Zoë", Role.CO_FACILITATOR),
        ("Ágnes", Role.MEMBER),
    ]
    assert roster.count_members(include_archived=True) == 6


def test_meetings_and_attendance_read_back(upgraded: Upgraded, db: Database) -> None:
    meetings = MeetingService(db).list_meetings(1)
    if not upgraded.at_least("0002"):
        assert meetings == []
        return
    assert [m.date for m in meetings] == [dt.date(2026, 3, 10), dt.date(2026, 3, 3)]
    later, first = meetings
    assert (
        first.starts_at,
        first.ends_at,
        first.place,
        first.topic,
        first.facilitator,
        first.guest_count,
    ) == (
        dt.time(18, 30),
        dt.time(20),
        "Willow Lane Library, Room 2",
        "Sleep and worry",
        "Ágnes",
        1,
    )
    assert (first.present, first.late, first.excused, first.absent, first.rounds) == (2, 1, 1, 1, 1)
    assert (later.starts_at, later.topic, later.present, later.absent) == (None, "", 1, 1)
    history = MeetingService(db).member_history(3, 1)
    assert [(h.date, h.status) for h in history if h.status is not None] == [
        (dt.date(2026, 3, 3), AttendanceStatus.EXCUSED)
    ]
    [cafe] = MeetingService(db).list_meetings(2)
    assert (cafe.topic, cafe.facilitator, cafe.guest_count, cafe.present, cafe.late) == (
        "Neuanfang",
        "Zoë",
        2,
        1,
        1,
    )


def test_rounds_and_turns_read_back(upgraded: Upgraded, db: Database) -> None:
    if not upgraded.at_least("0002"):
        assert RoundService(db).rounds_of(1) == []
        return
    [log] = RoundService(db).rounds_of(1)
    assert (log.settings.order, log.settings.time_mode) == (RoundOrder.SEATED, TimeMode.PER_SPEAKER)
    assert (log.settings.time_seconds, log.settings.warning_seconds) == (180, 30)
    assert (log.started_at, log.elapsed) == (dt.datetime(2026, 3, 3, 17, 40, 5, 250000), 612.5)
    assert [
        (t.position, t.speaker.name, t.speaker.member_id, t.passed, t.check_in_later, t.came_back)
        for t in log.turns
    ] == [
        (0, "Ágnes", 1, False, False, False),
        (1, "Mai", 2, True, False, False),
        (2, "Guest", None, False, False, False),
        (3, "Ольга", 3, False, True, False),
        (4, "Mai", 2, False, False, True),
    ]
    assert [(t.duration, t.allotted) for t in log.turns][3] == (188.0, 240.0)
    assert (log.speakers, log.passes) == (4, 1)
    [budget] = RoundService(db).rounds_of(3)
    assert (budget.settings.order, budget.settings.time_mode) == (
        RoundOrder.RANDOM,
        TimeMode.BUDGET,
    )
    assert [t.speaker.name for t in budget.turns] == ["Zoë", "Ágnes"]


def test_resources_read_back(upgraded: Upgraded, db: Database) -> None:
    resources = ResourceService(db)
    library = resources.list_resources(include_archived=True)
    if not upgraded.at_least("0003"):
        assert library == []
        return
    by_title = {r.title: r for r in library}
    assert len(by_title) == 5
    helpline = by_title["Night Line (invented helpline)"]
    assert (helpline.kind, helpline.phone, helpline.tag_list) == (
        ResourceKind.HELPLINE,
        "555-0199",
        ("night", "crisis"),
    )
    service = by_title["Beratungsstelle Süd"]
    assert (service.kind, service.address, service.url, service.version) == (
        ResourceKind.LOCAL_SERVICE,
        "Hauptstraße 12, 04109 Leipzig",
        "https://example.org/beratung",
        2,
    )
    assert service.groups == ("Café Zusammen — Mittwoch",)
    assert by_title["Peer support directory"].archived
    assert [r.title for r in resources.group_resources(1)] == [
        "Night Line (invented helpline)",
        "A small book about sleep",
        "Thought record",
    ]
    assert [r.kind for r in resources.group_resources(1)] == [
        ResourceKind.HELPLINE,
        ResourceKind.READING,
        ResourceKind.WORKSHEET,
    ]


def test_private_notes_unlock_and_read_back(upgraded: Upgraded, db: Database) -> None:
    vault = VaultService(db)
    if not upgraded.at_least("0004"):
        assert vault.state is VaultState.NOT_SET_UP
        return
    assert vault.state is VaultState.LOCKED
    vault.unlock(PASSPHRASE)
    notes = NoteService(db, vault)
    [note] = notes.notes(1)
    assert (note.title, note.body, note.tags, note.damaged) == (
        "Ольга after the round",
        "Ольга said the nights are hard again.\nOffer the sleep booklet next week.",
        ("sleep", "check-in"),
        False,
    )
    assert (note.meeting_date, note.member_name, note.version) == (dt.date(2026, 3, 3), "Ольга", 2)
    [untitled] = notes.notes(2)
    assert (untitled.title, untitled.label, untitled.tags) == (
        "",
        "Zoë opens next week. Café Zusammen — neue Stühle!",
        (),
    )
    follow_ups = FollowUpService(db, vault)
    open_one, done = follow_ups.follow_up(1), follow_ups.follow_up(2)
    assert (open_one.member_name, open_one.reason, open_one.source, open_one.note_id) == (
        "Ольга",
        "Ask Ольга how the week went",
        FollowUpSource.ROUND,
        1,
    )
    assert (open_one.due_date, open_one.done) == (dt.date(2026, 3, 6), False)
    assert (done.reason, done.outcome, done.done_at, done.damaged) == (
        "Check in with Mai after a missed week",
        "Called; all fine, back next week.",
        dt.datetime(2026, 3, 12, 9, 15),
        False,
    )
    vault.lock()
    vault.unlock_with_recovery_code(RECOVERY_CODE)
    assert NoteService(db, vault).note(note.id).body == note.body
