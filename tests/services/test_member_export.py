"""A member's own data (GDPR articles 15 and 20): everything stored about them, as JSON and
as a PDF, with private notes only when the facilitator includes them and the vault is open."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest

from peercircle.db import Database
from peercircle.domain import AttendanceStatus, FollowUpSource, MemberStatus, Role
from peercircle.services.follow_ups import FollowUpService
from peercircle.services.meeting_types import MeetingDraft
from peercircle.services.meetings import MeetingService
from peercircle.services.member_export import (
    ExportError,
    MemberExport,
    default_pdf_path,
    gather,
    to_json,
    write_member_export,
)
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import FollowUpDraft, NoteDraft
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.services.roster_types import NotFoundError
from peercircle.services.round_types import RoundSettings, Speaker, TurnRecord
from peercircle.services.rounds import RoundService
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams
from peercircle.services.vault_types import VaultLockedError

FAST = KdfParams(memory_kib=1024, iterations=1, lanes=1)
PASSPHRASE = "blue kettle on the stairs"
NOW = dt.datetime(2026, 11, 25, 10, 15, 0)
NOTE_BODY = "Talked about sleep since the move — 夜が長い."
REASON = "Ask how the first week at the job went"
OUTCOME = "Going well; she sounded lighter"


@dataclass
class World:
    db: Database
    vault: VaultService
    notes: NoteService
    follow_ups: FollowUpService
    member: int
    other: int


@pytest.fixture
def w(db: Database, roster: RosterService) -> World:
    tuesday = roster.create_group(GroupDraft("Tuesday Circle", 1)).id
    bzhd = roster.create_group(GroupDraft("Кружок по субботам", 5)).id
    member = roster.create_member(
        MemberDraft(
            "Nguyễn Thị Ánh",
            "Nguyễn Thị Ánh Tuyết",
            "she/her",
            "anh@example.org",
            "555-0134",
            "Ольга (sister) 555-0177",
            joined_on=dt.date(2026, 9, 1),
            first_visit_on=dt.date(2026, 8, 25),
            may_contact=True,
        ),
        group_id=tuesday,
    ).id
    other = roster.create_member(MemberDraft("Ágnes"), group_id=tuesday).id
    roster.save_member(
        member,
        roster.get_member(member).to_draft(),
        {tuesday: Role.MEMBER, bzhd: Role.CO_FACILITATOR},
        expected_version=roster.get_member(member).version,
    )
    meetings = MeetingService(db)
    first = meetings.create_meeting(tuesday, MeetingDraft(dt.date(2026, 11, 3))).id
    second = meetings.create_meeting(tuesday, MeetingDraft(dt.date(2026, 11, 10))).id
    saturday = meetings.create_meeting(bzhd, MeetingDraft(dt.date(2026, 11, 7))).id
    meetings.set_attendance(first, member, AttendanceStatus.PRESENT)
    meetings.set_attendance(second, member, AttendanceStatus.EXCUSED)
    meetings.set_attendance(saturday, member, AttendanceStatus.LATE)
    meetings.set_attendance(first, other, AttendanceStatus.ABSENT)
    turns = [
        TurnRecord(Speaker("m1", "x", 0, member), 0, 0.0, 150.4, 150.4, 180.0, False, True, False),
        TurnRecord(Speaker("m2", "y", 1, other), 1, 151.0, 200.0, 49.0, 180.0, False, False, False),
    ]
    RoundService(db).save_round(first, RoundSettings(), dt.datetime(2026, 11, 3, 19), 200.0, turns)

    vault = VaultService(db, kdf_params=FAST)
    vault.set_up(PASSPHRASE)
    notes = NoteService(db, vault)
    follow_ups = FollowUpService(db, vault, now=lambda: NOW)
    note = notes.create(
        NoteDraft(tuesday, "Ánh after the move", NOTE_BODY, ("sleep",), first, member_id=member)
    )
    notes.create(NoteDraft(tuesday, "About Ágnes only", "Not hers.", member_id=other))
    done = follow_ups.create(FollowUpDraft(member, dt.date(2026, 11, 6), REASON, tuesday))
    follow_ups.complete(done.id, OUTCOME, done.version)
    follow_ups.create(
        FollowUpDraft(
            member,
            dt.date(2026, 11, 13),
            "Bring the leaflet",
            note_id=note.id,
            source=FollowUpSource.NOTE,
        )
    )
    follow_ups.create(FollowUpDraft(other, dt.date(2026, 11, 6), "Not hers either", tuesday))
    return World(db, vault, notes, follow_ups, member, other)


def _plain(w: World) -> MemberExport:
    return gather(w.db, w.member, notes=None, follow_ups=None, now=lambda: NOW)


def test_every_section_is_there_with_the_right_values(w: World) -> None:
    data = json.loads(to_json(_plain(w)))
    assert list(data) == [
        "format",
        "version",
        "exported_at",
        "private_notes_included",
        "member",
        "memberships",
        "attendance",
        "round_turns",
        "follow_ups",
        "notes",
    ]
    assert (data["format"], data["version"]) == ("peercircle-member-export", 1)
    assert data["exported_at"] == "2026-11-25T10:15:00Z"
    member = data["member"]
    assert member["id"] == w.member
    assert {k: member[k] for k in ("display_name", "full_name", "pronouns", "email")} == {
        "display_name": "Nguyễn Thị Ánh",
        "full_name": "Nguyễn Thị Ánh Tuyết",
        "pronouns": "she/her",
        "email": "anh@example.org",
    }
    assert (member["phone"], member["emergency_contact"]) == ("555-0134", "Ольга (sister) 555-0177")
    assert (member["joined_on"], member["first_visit_on"]) == ("2026-09-01", "2026-08-25")
    assert (member["status"], member["may_contact"], member["archived_at"]) == (
        MemberStatus.ACTIVE.value,
        True,
        None,
    )
    assert member["created_at"].endswith("Z") and member["updated_at"].endswith("Z")
    assert [(m["group"], m["role"]) for m in data["memberships"]] == [
        ("Tuesday Circle", "member"),
        ("Кружок по субботам", "co_facilitator"),
    ]
    assert data["attendance"] == [
        {"date": "2026-11-03", "group": "Tuesday Circle", "mark": "present"},
        {"date": "2026-11-07", "group": "Кружок по субботам", "mark": "late"},
        {"date": "2026-11-10", "group": "Tuesday Circle", "mark": "excused"},
    ]
    assert data["round_turns"] == [
        {
            "date": "2026-11-03",
            "group": "Tuesday Circle",
            "duration_seconds": 150.4,
            "allotted_seconds": 180.0,
            "passed": False,
            "check_in_later": True,
            "came_back": False,
        }
    ]
    assert data["follow_ups"] == [
        {"due_date": "2026-11-06", "done_at": "2026-11-25T10:15:00Z", "source": "member",
         "group": "Tuesday Circle"},
        {"due_date": "2026-11-13", "done_at": None, "source": "note", "group": None},
    ]  # fmt: skip


def test_private_content_is_absent_unless_included(w: World) -> None:
    export = _plain(w)
    text = to_json(export)
    data = json.loads(text)
    assert data["private_notes_included"] is False
    assert data["notes"] is None  # not "none at all": they were not included
    assert all("reason" not in f and "outcome" not in f for f in data["follow_ups"])
    for private in ("Ánh after the move", NOTE_BODY, "sleep", REASON, OUTCOME, "leaflet"):
        assert private not in text
    assert export.notes == ()


def test_private_content_is_included_when_asked_and_unlocked(w: World) -> None:
    export = gather(w.db, w.member, notes=w.notes, follow_ups=w.follow_ups, now=lambda: NOW)
    data = json.loads(to_json(export))
    assert data["private_notes_included"] is True
    assert data["notes"] == [
        {
            "group": "Tuesday Circle",
            "meeting_date": "2026-11-03",
            "title": "Ánh after the move",
            "body": NOTE_BODY,
            "tags": ["sleep"],
            "created_at": data["notes"][0]["created_at"],
            "updated_at": data["notes"][0]["updated_at"],
        }
    ]
    assert [(f["reason"], f["outcome"]) for f in data["follow_ups"]] == [
        (REASON, OUTCOME),
        ("Bring the leaflet", None),
    ]
    text = to_json(export)
    assert "Not hers" not in text and "About Ágnes" not in text


def test_names_in_any_script_are_written_as_they_are(w: World) -> None:
    text = to_json(_plain(w))
    assert "Nguyễn Thị Ánh" in text and "Кружок по субботам" in text
    assert "\\u" not in text


def test_private_content_needs_the_vault_unlocked(w: World) -> None:
    w.vault.lock()
    with pytest.raises(VaultLockedError):
        gather(w.db, w.member, notes=w.notes, follow_ups=w.follow_ups)
    # A member without any notes or follow-ups is no way round it.
    with pytest.raises(VaultLockedError):
        gather(w.db, w.other + 100, notes=w.notes, follow_ups=w.follow_ups)


def test_an_unknown_member_is_a_clear_error(w: World) -> None:
    with pytest.raises(NotFoundError):
        gather(w.db, w.other + 100, notes=None, follow_ups=None)


def test_both_private_services_or_neither(w: World) -> None:
    with pytest.raises(ValueError, match="both"):
        gather(w.db, w.member, notes=w.notes, follow_ups=None)


@pytest.mark.sqlite_only
def test_both_files_are_written_readable_by_the_user_only(w: World, tmp_path: Path) -> None:
    json_path = tmp_path / "Nguyễn Thị Ánh.json"
    pdf_path = default_pdf_path(json_path)
    assert pdf_path == tmp_path / "Nguyễn Thị Ánh.pdf"
    write_member_export(_plain(w), json_path, pdf_path)
    assert json.loads(json_path.read_text(encoding="utf-8"))["member"]["id"] == w.member
    assert pdf_path.read_bytes().startswith(b"%PDF")
    if os.name == "posix":
        for path in (json_path, pdf_path):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_pdf_is_optional(w: World, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    json_path = folder / "export.json"
    write_member_export(_plain(w), json_path, None)
    assert list(folder.iterdir()) == [json_path]


def test_a_file_that_cannot_be_written_is_a_plain_error_and_leaves_nothing(
    w: World, tmp_path: Path
) -> None:
    missing = tmp_path / "no such folder" / "export.json"
    with pytest.raises(ExportError, match="that folder does not exist"):
        write_member_export(_plain(w), missing, default_pdf_path(missing))
    # The JSON written but not the PDF: the JSON goes too.
    json_path = tmp_path / "export.json"
    pdf_path = tmp_path / "a folder.pdf"
    pdf_path.mkdir()
    with pytest.raises(ExportError, match="a folder already has that name"):
        write_member_export(_plain(w), json_path, pdf_path)
    assert not json_path.exists()
