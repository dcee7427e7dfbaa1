"""Sample data: natural, clearly fictional, valid, deterministic, fast, and added only once."""

from __future__ import annotations

import datetime as dt
import re
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from peercircle.db import Database, open_database
from peercircle.domain import Role
from peercircle.paths import database_path
from peercircle.services.demo_data import (
    DEMO_GROUPS,
    DemoDataError,
    create_demo_data,
    has_demo_data,
)
from peercircle.services.roster import MemberRow, RosterService, member_errors

TODAY = dt.date(2026, 11, 24)


def _everyone(roster: RosterService) -> list[MemberRow]:
    return roster.list_members(include_archived=True)


def test_three_circles_with_schedules_agreements_and_one_co_facilitator_each(
    db: Database, roster: RosterService
) -> None:
    summary = create_demo_data(db, today=TODAY)
    assert summary.member_count == 24
    groups = roster.list_groups()
    assert sorted(g.name for g in groups) == sorted(g.name for g in DEMO_GROUPS)
    for group in groups:
        assert group.meeting_weekday is not None and group.meeting_time is not None
        assert group.place and group.agreements
        assert group.schedule
        seated = roster.list_members(group.id)
        assert seated, f"{group.name} has members"
        assert [m.seat for m in seated] == list(range(len(seated)))
        assert [m.role for m in seated].count(Role.CO_FACILITATOR) == 1
    assert len(_everyone(roster)) == 24


def test_members_are_valid_and_clearly_fictional(db: Database, roster: RosterService) -> None:
    create_demo_data(db, members=300, today=TODAY)
    members = _everyone(roster)
    for m in members:
        assert member_errors(m.to_draft()) == {}, m
        assert not m.email or m.email.endswith("@example.org")
        assert not m.phone or re.fullmatch(r"555-01\d\d", m.phone)
        assert m.joined_on is not None
        assert TODAY - dt.timedelta(days=731) <= m.joined_on <= TODAY
        assert m.first_visit_on is not None and m.first_visit_on <= m.joined_on
    assert any(m.pronouns for m in members) and any(not m.pronouns for m in members)
    assert any(m.email for m in members) and any(not m.email for m in members)
    assert len({m.status for m in members}) == 3


def test_names_come_from_many_scripts(db: Database, roster: RosterService) -> None:
    create_demo_data(db, members=400, today=TODAY)
    scripts: Counter[str] = Counter()
    for m in _everyone(roster):
        for ch in m.display_name + m.full_name:
            if ch.isalpha():
                scripts[unicodedata.name(ch, "?").split()[0]] += 1
    for script in ("LATIN", "GREEK", "CYRILLIC", "CJK", "HIRAGANA", "HANGUL", "ARABIC"):
        assert scripts[script], f"no {script} names"
    names = "".join(m.display_name + m.full_name for m in _everyone(roster))
    assert "ł" in names.lower() and "ễ" in names and "'" in names and "-" in names


def test_the_same_seed_gives_the_same_people(tmp_path: Path) -> None:
    def generate(folder: str, seed: int) -> list[tuple[object, ...]]:
        db = open_database(database_path(tmp_path / folder))
        try:
            create_demo_data(db, members=60, seed=seed, today=TODAY)
            rows = RosterService(db).list_members()
            return [(m.display_name, m.email, m.joined_on, m.groups, m.phone) for m in rows]
        finally:
            db.close()

    assert generate("a", 7) == generate("b", 7)
    assert generate("c", 8) != generate("a2", 7)


def test_adding_sample_data_twice_is_refused(db: Database, roster: RosterService) -> None:
    assert not has_demo_data(db)
    create_demo_data(db, members=5, today=TODAY)
    assert has_demo_data(db)
    with pytest.raises(DemoDataError, match="already"):
        create_demo_data(db, members=5, today=TODAY)
    assert len(_everyone(roster)) == 5
    assert len(roster.list_groups()) == 3


def test_no_members_and_negative_counts(db: Database, roster: RosterService) -> None:
    with pytest.raises(DemoDataError):
        create_demo_data(db, members=-1)
    summary = create_demo_data(db, members=0)
    assert summary.member_count == 0 and len(summary.group_ids) == 3


def test_ten_thousand_members_are_quick(db: Database, roster: RosterService) -> None:
    started = time.perf_counter()
    summary = create_demo_data(db, members=10_000, today=TODAY)
    elapsed = time.perf_counter() - started
    assert summary.member_count == 10_000
    assert len(roster.list_members()) == 10_000
    assert sum(g.member_count for g in roster.list_groups()) >= 10_000
    assert elapsed < 5, f"10,000 sample members took {elapsed:.2f} s"
