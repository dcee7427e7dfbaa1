"""Make the frozen databases in ``tests/fixtures/``: one per released schema revision.

    python scripts/make_frozen_databases.py

Each ``tests/fixtures/peercircle-<revision>.sqlite3`` is a database exactly as that release
wrote it: a fresh file upgraded with PeerCircle's own Alembic migrations to that revision,
then filled with plain SQL for that revision's tables (invented people, names in several
scripts, every optional field used somewhere). ``tests/db/test_frozen_databases.py`` opens a
copy of each with today's code and checks nothing was lost on the way to the newest schema.

The files are frozen: an existing one is never written again (this script skips it), so
they keep testing what old releases really left on people's disks. A new release that
changes the schema adds one new file: add its revision to ``RELEASED`` and, if it brings new
tables, a step in ``STEPS`` writing rows for them (see ``tests/fixtures/README.md``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from alembic import command
from sqlalchemy import URL

from peercircle.db import migrate
from peercircle.services import vault_crypto as crypto

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES_DIR = REPO_ROOT / "tests" / "fixtures"
RELEASED = ("0001", "0002", "0003", "0004")
"""Every schema revision a release of PeerCircle has shipped, oldest first."""

PASSPHRASE = "frozen fixture passphrase 0004"
RECOVERY_CODE = "FROZ-ENFI-XTUR-E4AA-BBCC-DDEE-FF22-3344"
FAST_KDF = crypto.KdfParams(memory_kib=1024, iterations=1, lanes=1)
"""The cheapest Argon2id cost the vault accepts (the tests' own), so unlocking is quick."""


def fixture_path(revision: str) -> Path:
    return FIXTURES_DIR / f"peercircle-{revision}.sqlite3"


# ---- values as SQLAlchemy stores them in SQLite ------------------------------------------


def stamp(text: str) -> str:
    """A DateTime column's text: ``2026-03-03 17:40:05.250000`` (naive UTC, like the app)."""
    return dt.datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M:%S.%f")


def clock(text: str) -> str:
    """A Time column's text: ``18:30:00.000000``."""
    return dt.time.fromisoformat(text).strftime("%H:%M:%S.%f")


def insert(con: sqlite3.Connection, table: str, rows: list[dict[str, object]]) -> None:
    for row in rows:
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        con.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))


# ---- 0001: groups, members, memberships --------------------------------------------------


def foundation(con: sqlite3.Connection) -> None:
    insert(
        con,
        "groups",
        [
            {
                "id": 1,
                "name": "Tuesday Circle",
                "meeting_weekday": 1,
                "meeting_time": clock("18:30"),
                "place": "Willow Lane Library, Room 2",
                "agreements": "What is said here stays here.\n"
                "One voice at a time.\n"
                "Passing is always fine.",
                "archived_at": None,
                "created_at": stamp("2025-08-20 16:02:11.120000"),
                "updated_at": stamp("2025-11-04 19:10:00.500000"),
                "version": 3,
            },
            {
                "id": 2,
                "name": "Café Zusammen — Mittwoch",
                "meeting_weekday": 2,
                "meeting_time": clock("10:00"),
                "place": "Gemeindehaus Süd",
                "agreements": "Wir hören zu, ohne zu bewerten.",
                "archived_at": None,
                "created_at": stamp("2025-09-01 08:00:00"),
                "updated_at": stamp("2025-09-01 08:00:00"),
                "version": 1,
            },
            {
                "id": 3,
                "name": "Spring Walk & Talk",
                "meeting_weekday": None,
                "meeting_time": None,
                "place": "",
                "agreements": "",
                "archived_at": stamp("2025-06-30 12:00:00"),
                "created_at": stamp("2025-03-01 09:30:00"),
                "updated_at": stamp("2025-06-30 12:00:00"),
                "version": 2,
            },
        ],
    )
    insert(
        con,
        "members",
        [
            {
                "id": 1,
                "display_name": "Ágnes",
                "full_name": "Ágnes Kovács",
                "pronouns": "she/her",
                "email": "agnes.kovacs@example.org",
                "phone": "555-0101",
                "emergency_contact": "Bence Kovács, 555-0102",
                "joined_on": "2025-09-02",
                "first_visit_on": "2025-08-26",
                "status": "active",
                "may_contact": 1,
                "archived_at": None,
                "created_at": stamp("2025-08-26 17:45:12.345678"),
                "updated_at": stamp("2025-09-02 18:00:00"),
                "version": 2,
            },
            {
                "id": 2,
                "display_name": "Mai",
                "full_name": "Nguyễn Thị Mai",
                "pronouns": "she/her",
                "email": "mai.nguyen@example.org",
                "phone": "+1 555 0103",
                "emergency_contact": "",
                "joined_on": "2025-10-07",
                "first_visit_on": None,
                "status": "active",
                "may_contact": 0,
                "archived_at": None,
                "created_at": stamp("2025-10-07 17:30:00"),
                "updated_at": stamp("2025-10-07 17:30:00"),
                "version": 1,
            },
            {
                "id": 3,
                "display_name": "Ольга",
                "full_name": "Ольга Смирнова",
                "pronouns": "",
                "email": "",
                "phone": "",
                "emergency_contact": "Дмитрий, 555-0104",
                "joined_on": None,
                "first_visit_on": "2025-10-14",
                "status": "inactive",
                "may_contact": 1,
                "archived_at": None,
                "created_at": stamp("2025-10-14 17:31:00"),
                "updated_at": stamp("2026-01-13 18:00:00"),
                "version": 4,
            },
            {
                "id": 4,
                "display_name": "Sam",
                "full_name": "Sam O’Connor",
                "pronouns": "they/them",
                "email": "sam@example.org",
                "phone": "555-0105",
                "emergency_contact": "",
                "joined_on": "2025-09-02",
                "first_visit_on": "2025-09-02",
                "status": "alumni",
                "may_contact": 0,
                "archived_at": stamp("2026-05-01 10:00:00"),
                "created_at": stamp("2025-09-02 17:50:00"),
                "updated_at": stamp("2026-05-01 10:00:00"),
                "version": 3,
            },
            {
                "id": 5,
                "display_name": "Zoë",
                "full_name": "Zoë Ferreira",
                "pronouns": "she/they",
                "email": "zoe@example.org",
                "phone": "555-0106",
                "emergency_contact": "",
                "joined_on": "2025-09-03",
                "first_visit_on": None,
                "status": "active",
                "may_contact": 1,
                "archived_at": None,
                "created_at": stamp("2025-09-03 08:15:00"),
                "updated_at": stamp("2025-09-03 08:15:00"),
                "version": 1,
            },
            {
                "id": 6,
                "display_name": "Jürgen",
                "full_name": "Jürgen Weiß",
                "pronouns": "he/him",
                "email": "",
                "phone": "",
                "emergency_contact": "",
                "joined_on": "2025-03-04",
                "first_visit_on": None,
                "status": "active",
                "may_contact": 0,
                "archived_at": None,
                "created_at": stamp("2025-03-04 09:00:00"),
                "updated_at": stamp("2025-03-04 09:00:00"),
                "version": 1,
            },
        ],
    )
    memberships = [
        # (group, member, role, seat)
        (1, 1, "co_facilitator", 0),
        (1, 2, "member", 1),
        (1, 3, "member", 2),
        (1, 4, "member", 3),
        (1, 5, "member", 4),
        (2, 5, "co_facilitator", 0),
        (2, 1, "member", 1),
        (3, 6, "member", 0),
        (3, 2, "member", 1),
    ]
    insert(
        con,
        "memberships",
        [
            {
                "group_id": group,
                "member_id": member,
                "role": role,
                "seat_order": seat,
                "created_at": stamp("2025-10-14 17:31:00"),
            }
            for group, member, role, seat in memberships
        ],
    )


# ---- 0002: meetings, attendance, rounds and their turns ----------------------------------


def meetings_and_rounds(con: sqlite3.Connection) -> None:
    insert(
        con,
        "meetings",
        [
            {
                "id": 1,
                "group_id": 1,
                "date": "2026-03-03",
                "starts_at": clock("18:30"),
                "ends_at": clock("20:00"),
                "place": "Willow Lane Library, Room 2",
                "topic": "Sleep and worry",
                "facilitator": "Ágnes",
                "guest_count": 1,
                "created_at": stamp("2026-03-03 17:20:00"),
                "updated_at": stamp("2026-03-03 19:05:00"),
                "version": 2,
            },
            {
                "id": 2,
                "group_id": 1,
                "date": "2026-03-10",
                "starts_at": None,
                "ends_at": None,
                "place": "",
                "topic": "",
                "facilitator": "",
                "guest_count": 0,
                "created_at": stamp("2026-03-10 17:25:00"),
                "updated_at": stamp("2026-03-10 17:25:00"),
                "version": 1,
            },
            {
                "id": 3,
                "group_id": 2,
                "date": "2026-03-04",
                "starts_at": clock("10:00"),
                "ends_at": clock("11:30"),
                "place": "Gemeindehaus Süd",
                "topic": "Neuanfang",
                "facilitator": "Zoë",
                "guest_count": 2,
                "created_at": stamp("2026-03-04 08:55:00"),
                "updated_at": stamp("2026-03-04 10:40:00"),
                "version": 3,
            },
        ],
    )
    marks = [
        # (meeting, member, status): every status appears
        (1, 1, "present"),
        (1, 2, "late"),
        (1, 3, "excused"),
        (1, 4, "absent"),
        (1, 5, "present"),
        (2, 1, "present"),
        (2, 2, "absent"),
        (3, 5, "present"),
        (3, 1, "late"),
    ]
    insert(
        con,
        "attendance",
        [{"meeting_id": m, "member_id": p, "status": status} for m, p, status in marks],
    )
    insert(
        con,
        "rounds",
        [
            {
                "id": 1,
                "meeting_id": 1,
                "order_mode": "seated",
                "time_mode": "per_speaker",
                "time_seconds": 180,
                "warning_seconds": 30,
                "started_at": stamp("2026-03-03 17:40:05.250000"),
                "elapsed_seconds": 612.5,
                "created_at": stamp("2026-03-03 17:50:18"),
            },
            {
                "id": 2,
                "meeting_id": 3,
                "order_mode": "random",
                "time_mode": "budget",
                "time_seconds": 1200,
                "warning_seconds": 120,
                "started_at": stamp("2026-03-04 09:15:00"),
                "elapsed_seconds": 410.0,
                "created_at": stamp("2026-03-04 09:22:00"),
            },
        ],
    )
    turns = [
        # (round, member or None for a guest, position, start, end, duration, allotted,
        #  passed, check in later, came back)
        (1, 1, 0, 0.0, 170.25, 170.25, 180.0, 0, 0, 0),
        (1, 2, 1, 170.25, 176.0, 0.0, 180.0, 1, 0, 0),
        (1, None, 2, 176.0, 354.5, 178.5, 180.0, 0, 0, 0),
        (1, 3, 3, 354.5, 545.0, 188.0, 240.0, 0, 1, 0),
        (1, 2, 4, 545.0, 612.5, 67.5, 180.0, 0, 0, 1),
        (2, 5, 0, 0.0, 230.0, 230.0, 600.0, 0, 0, 0),
        (2, 1, 1, 230.0, 410.0, 180.0, 370.0, 0, 0, 0),
    ]
    insert(
        con,
        "round_turns",
        [
            {
                "round_id": r,
                "member_id": member,
                "position": position,
                "start_offset": start,
                "end_offset": end,
                "duration_seconds": duration,
                "allotted_seconds": allotted,
                "passed": passed,
                "check_in_later": later,
                "came_back": back,
            }
            for r, member, position, start, end, duration, allotted, passed, later, back in turns
        ],
    )


# ---- 0003: the resource library ----------------------------------------------------------


def resources(con: sqlite3.Connection) -> None:
    base: dict[str, object] = {
        "description": "",
        "phone": "",
        "url": "",
        "address": "",
        "tags": "",
        "archived_at": None,
        "created_at": stamp("2025-11-01 12:00:00"),
        "updated_at": stamp("2025-11-01 12:00:00"),
        "version": 1,
    }
    insert(
        con,
        "resources",
        [
            {
                **base,
                "id": 1,
                "title": "Night Line (invented helpline)",
                "kind": "helpline",
                "description": "Free and confidential, every night from 8 pm to 8 am.",
                "phone": "555-0199",
                "tags": "night, crisis",
            },
            {
                **base,
                "id": 2,
                "title": "Beratungsstelle Süd",
                "kind": "local_service",
                "address": "Hauptstraße 12, 04109 Leipzig",
                "url": "https://example.org/beratung",
                "tags": "Familie, Beratung",
                "version": 2,
            },
            {
                **base,
                "id": 3,
                "title": "A small book about sleep",
                "kind": "reading",
                "description": "Short chapters; read one a night.",
                "tags": "sleep",
            },
            {
                **base,
                "id": 4,
                "title": "Thought record",
                "kind": "worksheet",
                "url": "https://example.org/thought-record.pdf",
            },
            {
                **base,
                "id": 5,
                "title": "Peer support directory",
                "kind": "website",
                "url": "https://example.org/directory",
                "archived_at": stamp("2026-02-01 09:00:00"),
                "version": 2,
            },
        ],
    )
    insert(
        con,
        "group_resources",
        [
            {"group_id": 1, "resource_id": 1, "position": 0},
            {"group_id": 1, "resource_id": 3, "position": 1},
            {"group_id": 1, "resource_id": 4, "position": 2},
            {"group_id": 2, "resource_id": 2, "position": 0},
        ],
    )


# ---- 0004: the private notes vault -------------------------------------------------------


def key_slot(holder: crypto.KeyHolder, slot_id: int, kind: str, secret: bytes) -> dict[str, object]:
    salt = crypto.new_salt()
    wrapped = crypto.wrap_key(holder, secret, salt, FAST_KDF, crypto.slot_associated_data(kind))
    checksum = crypto.slot_checksum(
        kind, crypto.FORMAT_VERSION, crypto.KDF_NAME, salt, FAST_KDF, wrapped
    )
    return {
        "id": slot_id,
        "kind": kind,
        "format_version": crypto.FORMAT_VERSION,
        "kdf": crypto.KDF_NAME,
        "salt": salt,
        "memory_kib": FAST_KDF.memory_kib,
        "iterations": FAST_KDF.iterations,
        "lanes": FAST_KDF.lanes,
        "wrapped_key": wrapped,
        "checksum": checksum,
        "created_at": stamp("2026-03-03 20:10:00"),
        "updated_at": stamp("2026-03-03 20:10:00"),
    }


def vault(con: sqlite3.Connection) -> None:
    """Key slots, notes and follow-ups exactly as the vault writes them, with a fixed
    passphrase and recovery code (both in tests/fixtures/README.md)."""
    holder = crypto.KeyHolder()
    holder.generate()
    letters = crypto.normalise_recovery_code(RECOVERY_CODE)
    assert letters is not None
    insert(
        con,
        "vault_key_slots",
        [
            key_slot(holder, 1, "passphrase", PASSPHRASE.encode("utf-8")),
            key_slot(holder, 2, "recovery", letters.encode("utf-8")),
        ],
    )

    def seal(table: str, row_id: int, field: str, text: str) -> bytes:
        return holder.encrypt(
            text.encode("utf-8"), crypto.field_associated_data(table, row_id, field)
        )

    notes = [
        # (id, group, meeting, member, title, body, tags as the notes service joins them)
        (
            1,
            1,
            1,
            3,
            "Ольга after the round",
            "Ольга said the nights are hard again.\nOffer the sleep booklet next week.",
            "sleep, check-in",
        ),
        (2, 2, None, None, "", "Zoë opens next week. Café Zusammen — neue Stühle!", ""),
    ]
    insert(
        con,
        "notes",
        [
            {
                "id": note_id,
                "group_id": group,
                "meeting_id": meeting,
                "member_id": member,
                "title": seal("notes", note_id, "title", title),
                "body": seal("notes", note_id, "body", body),
                "tags": seal("notes", note_id, "tags", tags),
                "created_at": stamp("2026-03-03 20:12:00"),
                "updated_at": stamp("2026-03-03 20:14:30.500000"),
                "version": 2 if note_id == 1 else 1,
            }
            for note_id, group, meeting, member, title, body, tags in notes
        ],
    )
    insert(
        con,
        "follow_ups",
        [
            {
                "id": 1,
                "member_id": 3,
                "group_id": 1,
                "note_id": 1,
                "meeting_id": 1,
                "source": "round",
                "due_date": "2026-03-06",
                "reason": seal("follow_ups", 1, "reason", "Ask Ольга how the week went"),
                "outcome": None,
                "done_at": None,
                "created_at": stamp("2026-03-03 20:15:00"),
                "updated_at": stamp("2026-03-03 20:15:00"),
                "version": 1,
            },
            {
                "id": 2,
                "member_id": 2,
                "group_id": 1,
                "note_id": None,
                "meeting_id": 2,
                "source": "attendance",
                "due_date": "2026-03-12",
                "reason": seal("follow_ups", 2, "reason", "Check in with Mai after a missed week"),
                "outcome": seal("follow_ups", 2, "outcome", "Called; all fine, back next week."),
                "done_at": stamp("2026-03-12 09:15:00"),
                "created_at": stamp("2026-03-10 20:00:00"),
                "updated_at": stamp("2026-03-12 09:15:00"),
                "version": 2,
            },
        ],
    )
    insert(
        con,
        "handled_suggestions",
        [
            {
                "kind": "missed_meetings",
                "group_id": 1,
                "member_id": 2,
                "anchor_id": 2,
                "accepted": 1,
                "handled_at": stamp("2026-03-10 20:00:00"),
            },
            {
                "kind": "round_flag",
                "group_id": 1,
                "member_id": 3,
                "anchor_id": 4,
                "accepted": 0,
                "handled_at": stamp("2026-03-03 20:16:00"),
            },
        ],
    )
    holder.wipe()


STEPS: tuple[tuple[str, Callable[[sqlite3.Connection], None]], ...] = (
    ("0001", foundation),
    ("0002", meetings_and_rounds),
    ("0003", resources),
    ("0004", vault),
)
"""(the revision whose tables a step fills, the step): a fixture at revision R gets every
step up to R, so each one holds everything older releases could hold."""


# ---- building ----------------------------------------------------------------------------


def build(revision: str, target: Path) -> None:
    """Write the fixture for ``revision`` to ``target``, whole or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    path = target.with_name(f".{target.name}.tmp")
    path.unlink(missing_ok=True)
    config = migrate.alembic_config()
    url = URL.create("sqlite", database=str(path)).render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, revision)

    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA foreign_keys=ON")
        with con:
            for step_revision, step in STEPS:
                if step_revision <= revision:
                    step(con)
        stored = con.execute("SELECT version_num FROM alembic_version").fetchall()
        if stored != [(revision,)]:
            raise SystemExit(f"{path.name}: stored revision {stored}, expected {revision}")
        if con.execute("PRAGMA foreign_key_check").fetchall():
            raise SystemExit(f"{path.name}: rows refer to rows that do not exist")
        # One file, no -wal beside it; small pages because every table and index takes at
        # least one (with 4 KiB pages the 0004 file was 160 KB of mostly empty pages).
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("PRAGMA page_size=1024")
        con.execute("VACUUM")
        if con.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            raise SystemExit(f"{path.name}: failed the integrity check")
    finally:
        con.close()
    os.replace(path, target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    known = migrate.known_revisions()
    for revision in RELEASED:
        if revision not in known:
            print(f"Revision {revision} is not among the migrations.", file=sys.stderr)
            return 1
        path = fixture_path(revision)
        if path.exists():
            print(f"kept    {path.relative_to(REPO_ROOT)} (frozen)")
            continue
        build(revision, path)
        print(f"made    {path.relative_to(REPO_ROOT)} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
