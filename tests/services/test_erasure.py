"""Erasing a member (GDPR article 17): every trace goes in one step, nobody else is touched,
the rounds keep their timing, the erasure is logged by id and time only, and restoring an
older backup erases them again."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from peercircle.db import Database, open_database
from peercircle.db.models import (
    Attendance,
    Erasure,
    FollowUp,
    HandledSuggestion,
    Membership,
    Note,
    RoundTurn,
)
from peercircle.domain import AttendanceStatus, Role
from peercircle.paths import database_path
from peercircle.services.erasure import (
    ERASURE_LOG_FILENAME,
    ErasureCounts,
    ErasureEntry,
    ErasureService,
    carried_erasures,
    reapply_erasures,
)
from peercircle.services.follow_ups import FollowUpService
from peercircle.services.meeting_types import MeetingDraft
from peercircle.services.meetings import MeetingService
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import FollowUpDraft, NoteDraft
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.services.roster_types import ChangedElsewhereError, NotFoundError
from peercircle.services.round_types import RoundSettings, Speaker, TurnRecord
from peercircle.services.rounds import RoundService
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams

FAST = KdfParams(memory_kib=1024, iterations=1, lanes=1)
PASSPHRASE = "blue kettle on the stairs"
DAY_ONE = dt.date(2026, 11, 3)
DAY_TWO = dt.date(2026, 11, 10)
ERASED_AT = dt.datetime(2026, 11, 25, 9, 30, 15, 123456)


@dataclass
class World:
    db: Database
    data_dir: Path
    roster: RosterService
    notes: NoteService
    follow_ups: FollowUpService
    rounds: RoundService
    tuesday: int
    saturday: int
    olga: int
    nguyen: int
    agnes: int  # the one to be erased: added last, so SQLite gives a later member her id
    meeting_one: int
    meeting_two: int
    olga_follow_up: int


def _turn(position: int, member_id: int | None, name: str, seconds: float) -> TurnRecord:
    key = f"m{member_id}" if member_id is not None else "g1"
    return TurnRecord(
        speaker=Speaker(key, name, position, member_id),
        position=position,
        start_offset=position * 200.0,
        end_offset=position * 200.0 + seconds,
        duration=seconds,
        allotted=180.0,
        passed=seconds == 0,
        check_in_later=False,
        came_back=False,
    )


@pytest.fixture
def w(db: Database, data_dir: Path, roster: RosterService) -> World:
    tuesday = roster.create_group(GroupDraft("Tuesday Circle", 1)).id
    saturday = roster.create_group(GroupDraft("Saturday Circle", 5)).id
    olga = roster.create_member(MemberDraft("Ольга"), group_id=tuesday).id
    nguyen = roster.create_member(MemberDraft("Nguyễn"), group_id=tuesday).id
    agnes = roster.create_member(
        MemberDraft("Ágnes", "Ágnes Kovács", email="agnes@example.org"), group_id=tuesday
    ).id
    roster.save_member(
        agnes,
        roster.get_member(agnes).to_draft(),
        {tuesday: Role.MEMBER, saturday: Role.MEMBER},
        expected_version=roster.get_member(agnes).version,
    )
    meetings = MeetingService(db)
    one = meetings.create_meeting(tuesday, MeetingDraft(DAY_ONE, facilitator="ágnes ")).id
    two = meetings.create_meeting(tuesday, MeetingDraft(DAY_TWO, facilitator="Nguyễn")).id
    for meeting in (one, two):
        meetings.set_attendance(meeting, agnes, AttendanceStatus.PRESENT)
        meetings.set_attendance(meeting, olga, AttendanceStatus.LATE)
    rounds = RoundService(db)
    started = dt.datetime(2026, 11, 3, 19, 0)
    turns = [
        _turn(0, olga, "Ольга", 150.0),
        _turn(1, agnes, "Ágnes", 175.5),
        _turn(2, None, "Guest", 90.0),
        _turn(3, agnes, "Ágnes", 0.0),
    ]
    rounds.save_round(one, RoundSettings(), started, 620.0, turns)

    vault = VaultService(db, kdf_params=FAST)
    vault.set_up(PASSPHRASE)
    notes = NoteService(db, vault)
    follow_ups = FollowUpService(db, vault)
    about_agnes = notes.create(
        NoteDraft(tuesday, "Ágnes moved house", "Sleeping badly.", member_id=agnes)
    )
    notes.create(NoteDraft(tuesday, "Ágnes again", "Better.", meeting_id=two, member_id=agnes))
    notes.create(NoteDraft(tuesday, "About Ольга", "Started a new job.", member_id=olga))
    notes.create(NoteDraft(tuesday, "The group", "A warm evening."))
    follow_ups.create(FollowUpDraft(agnes, DAY_TWO, "Ask about the move", tuesday))
    follow_ups.create(FollowUpDraft(agnes, DAY_TWO, "From the note", note_id=about_agnes.id))
    # Someone else's follow-up that came from a note about Ágnes keeps its reason.
    olga_follow_up = follow_ups.create(
        FollowUpDraft(olga, DAY_TWO, "Check in with Ольга", tuesday, note_id=about_agnes.id)
    ).id
    with db.session() as s:
        for member_id in (agnes, olga):
            s.add(
                HandledSuggestion(
                    kind="missed_meetings",
                    group_id=tuesday,
                    member_id=member_id,
                    anchor_id=1,
                    accepted=False,
                )
            )
    return World(
        db=db,
        data_dir=data_dir,
        roster=roster,
        notes=notes,
        follow_ups=follow_ups,
        rounds=rounds,
        tuesday=tuesday,
        saturday=saturday,
        olga=olga,
        nguyen=nguyen,
        agnes=agnes,
        meeting_one=one,
        meeting_two=two,
        olga_follow_up=olga_follow_up,
    )


def _count(db: Database, model: Any, member_id: int) -> int:
    """How many of ``model``'s rows are about ``member_id``."""
    with db.session() as s:
        return int(s.scalar(select(func.count()).where(model.member_id == member_id)) or 0)


def _service(w: World) -> ErasureService:
    """The service as the app makes it: a side file beside an SQLite file, none on a server."""
    folder = w.data_dir if w.db.path is not None else None
    return ErasureService(w.db, folder, now=lambda: ERASED_AT)


EXPECTED = ErasureCounts(
    memberships=2,
    attendance=2,
    notes=2,
    follow_ups=2,
    handled_suggestions=1,
    round_turns=2,
    meetings_facilitated=1,
)


def test_the_counts_say_what_will_go_and_change_nothing(w: World) -> None:
    assert _service(w).counts(w.agnes) == EXPECTED
    assert w.roster.get_member(w.agnes).display_name == "Ágnes"


def test_erasing_removes_every_trace_and_keeps_the_rounds_timing(w: World) -> None:
    [before] = w.rounds.rounds_of(w.meeting_one)
    olga_before = (
        _count(w.db, Attendance, w.olga),
        _count(w.db, Membership, w.olga),
        _count(w.db, Note, w.olga),
        _count(w.db, FollowUp, w.olga),
        _count(w.db, HandledSuggestion, w.olga),
        _count(w.db, RoundTurn, w.olga),
    )

    report = _service(w).erase_member(
        w.agnes, expected_version=w.roster.get_member(w.agnes).version
    )

    assert (report.member_id, report.erased_at, report.counts) == (w.agnes, ERASED_AT, EXPECTED)
    assert report.log_problem is None
    with pytest.raises(NotFoundError):
        w.roster.get_member(w.agnes)
    for model in (Attendance, Membership, Note, FollowUp, HandledSuggestion, RoundTurn):
        assert _count(w.db, model, w.agnes) == 0, model.__name__
    # Nobody else is touched.
    assert (
        _count(w.db, Attendance, w.olga),
        _count(w.db, Membership, w.olga),
        _count(w.db, Note, w.olga),
        _count(w.db, FollowUp, w.olga),
        _count(w.db, HandledSuggestion, w.olga),
        _count(w.db, RoundTurn, w.olga),
    ) == olga_before
    assert [m.display_name for m in w.roster.list_members(w.tuesday)] == ["Ольга", "Nguyễn"]
    assert sorted(n.title for n in w.notes.notes(w.tuesday)) == ["About Ольга", "The group"]
    kept = w.follow_ups.follow_up(w.olga_follow_up)
    assert (kept.reason, kept.note_id) == ("Check in with Ольга", None)
    # The round: same turns, same timing and total; her turns no longer say who it was.
    [after] = w.rounds.rounds_of(w.meeting_one)
    assert after.elapsed == before.elapsed
    assert [(t.position, t.duration, t.passed) for t in after.turns] == [
        (t.position, t.duration, t.passed) for t in before.turns
    ]
    assert [t.speaker.member_id for t in after.turns] == [w.olga, None, None, None]
    assert [t.speaker.name for t in after.turns] == ["Ольга", "Guest", "Guest", "Guest"]
    # Her name as a meeting's facilitator is gone; another facilitator's is not.
    meetings = MeetingService(w.db)
    assert meetings.get_meeting(w.meeting_one).facilitator == ""
    assert meetings.get_meeting(w.meeting_two).facilitator == "Nguyễn"


@pytest.mark.sqlite_only
def test_the_erasure_is_logged_by_id_and_time_only(w: World) -> None:
    _service(w).erase_member(w.agnes)

    with w.db.session() as s:
        rows = s.execute(select(Erasure.member_id, Erasure.erased_at)).all()
    assert [tuple(r) for r in rows] == [(w.agnes, ERASED_AT)]
    path = w.data_dir / ERASURE_LOG_FILENAME
    raw = path.read_text(encoding="utf-8")
    assert json.loads(raw) == {
        "format": "peercircle-erasure-log",
        "version": 1,
        "erasures": [{"member_id": w.agnes, "erased_at": "2026-11-25T09:30:15.123456Z"}],
    }
    for trace in ("Ágnes", "gnes", "Kovács", "agnes@example.org", "Tuesday"):
        assert trace not in raw
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert carried_erasures(w.data_dir) == [ErasureEntry(w.agnes, ERASED_AT)]


@pytest.mark.sqlite_only
def test_every_erasure_stays_in_the_side_file(w: World) -> None:
    service = ErasureService(w.db, w.data_dir, now=lambda: ERASED_AT)
    service.erase_member(w.agnes)
    later = ERASED_AT + dt.timedelta(days=2)
    ErasureService(w.db, w.data_dir, now=lambda: later).erase_member(w.nguyen)
    data = json.loads((w.data_dir / ERASURE_LOG_FILENAME).read_text(encoding="utf-8"))
    assert [e["member_id"] for e in data["erasures"]] == [w.agnes, w.nguyen]
    assert service.erasures() == [ErasureEntry(w.agnes, ERASED_AT), ErasureEntry(w.nguyen, later)]


def test_a_member_changed_elsewhere_is_not_erased(w: World) -> None:
    version = w.roster.get_member(w.agnes).version
    w.roster.save_member(
        w.agnes, MemberDraft("Ágnes K."), {w.tuesday: Role.MEMBER}, expected_version=version
    )
    with pytest.raises(ChangedElsewhereError):
        _service(w).erase_member(w.agnes, expected_version=version)
    assert w.roster.get_member(w.agnes).display_name == "Ágnes K."
    assert _count(w.db, Attendance, w.agnes) == 2
    assert not (w.data_dir / ERASURE_LOG_FILENAME).exists()


def test_a_member_already_gone_is_a_clear_error(w: World) -> None:
    _service(w).erase_member(w.agnes)
    with pytest.raises(NotFoundError, match="no longer exists"):
        _service(w).erase_member(w.agnes)


def test_without_a_data_folder_there_is_no_side_file(w: World) -> None:
    ErasureService(w.db, None, now=lambda: ERASED_AT).erase_member(w.agnes)
    assert not (w.data_dir / ERASURE_LOG_FILENAME).exists()
    assert ErasureService(w.db, None).erasures() == [ErasureEntry(w.agnes, ERASED_AT)]


@pytest.mark.sqlite_only
def test_an_unwritable_side_file_is_reported_and_the_erasure_still_holds(w: World) -> None:
    (w.data_dir / ERASURE_LOG_FILENAME).mkdir()  # a folder where the file should go
    report = _service(w).erase_member(w.agnes)
    assert report.log_problem is not None and ERASURE_LOG_FILENAME in report.log_problem
    assert ErasureService(w.db, None).erasures() == [ErasureEntry(w.agnes, ERASED_AT)]


# ---- restoring an older backup --------------------------------------------------------------


def _backup(source: Path, target: Path) -> None:
    """A copy made with SQLite's backup API, as the backups are."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


@pytest.mark.sqlite_only
def test_restoring_an_older_copy_erases_them_again_but_not_a_later_member_with_her_id(
    w: World, tmp_path: Path
) -> None:
    copy = tmp_path / "older" / "peercircle.sqlite3"
    copy.parent.mkdir()
    _backup(database_path(w.data_dir), copy)
    erased_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    ErasureService(w.db, w.data_dir, now=lambda: erased_at).erase_member(w.agnes)

    # Someone new joins; SQLite gives them the id Ágnes had (hers was the largest).
    zoltan = w.roster.create_member(MemberDraft("Zoltán"), group_id=w.tuesday).id
    assert zoltan == w.agnes
    with w.db.session() as s:  # added a moment after the erasure, whatever the clock's grain
        s.execute(
            text("UPDATE members SET created_at = :t WHERE id = :id"),
            {"t": erased_at + dt.timedelta(seconds=1), "id": zoltan},
        )

    entries = carried_erasures(w.data_dir)
    assert entries == [ErasureEntry(w.agnes, erased_at)]
    older = open_database(copy)
    try:
        assert RosterService(older).get_member(w.agnes).display_name == "Ágnes"
        assert reapply_erasures(older, entries) == [w.agnes]
        with pytest.raises(NotFoundError):
            RosterService(older).get_member(w.agnes)
        assert _count(older, Attendance, w.agnes) == 0
        assert _count(older, Note, w.agnes) == 0
        assert [m.display_name for m in RosterService(older).list_members(w.tuesday)] == [
            "Ольга",
            "Nguyễn",
        ]
        assert ErasureService(older, None).erasures() == entries
        # Applying the same log again changes nothing and records nothing twice.
        assert reapply_erasures(older, entries) == []
        assert ErasureService(older, None).erasures() == entries
    finally:
        older.close()

    # In the current database, Zoltán joined after the erasure: he stays.
    assert reapply_erasures(w.db, entries) == []
    assert w.roster.get_member(zoltan).display_name == "Zoltán"
    assert ErasureService(w.db, None).erasures() == entries


@pytest.mark.sqlite_only
def test_the_log_is_carried_from_the_side_file_when_the_database_is_unreadable(
    w: World,
) -> None:
    _service(w).erase_member(w.agnes)
    w.db.close()
    db_file = database_path(w.data_dir)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    db_file.write_bytes(b"not a database at all" * 100)
    assert carried_erasures(w.data_dir) == [ErasureEntry(w.agnes, ERASED_AT)]


@pytest.mark.sqlite_only
def test_the_log_is_carried_from_the_database_when_the_side_file_is_gone(w: World) -> None:
    _service(w).erase_member(w.agnes)
    (w.data_dir / ERASURE_LOG_FILENAME).unlink()
    assert carried_erasures(w.data_dir) == [ErasureEntry(w.agnes, ERASED_AT)]


def test_a_damaged_side_file_line_does_not_hide_the_others(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / ERASURE_LOG_FILENAME).write_text(
        json.dumps(
            {
                "format": "peercircle-erasure-log",
                "version": 1,
                "erasures": [
                    {"member_id": "seven", "erased_at": "2026-11-25T09:30:15Z"},
                    {"member_id": 8},
                    {"member_id": 9, "erased_at": "2026-11-25T09:30:15.5+01:00"},
                ],
            }
        ),
        encoding="utf-8",
    )
    assert carried_erasures(data_dir) == [
        ErasureEntry(9, dt.datetime(2026, 11, 25, 8, 30, 15, 500000))
    ]
    (data_dir / ERASURE_LOG_FILENAME).write_text("{not json", encoding="utf-8")
    assert carried_erasures(data_dir) == []
