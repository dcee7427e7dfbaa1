"""An erased member leaves nothing readable on disk: not in the database file, its -wal and
-shm files, the erasure log or the app log — even for values they had before an edit, and
with the app's engine still open, as it is when the facilitator erases someone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from security_helpers import PASSPHRASE

from peercircle.db import Database
from peercircle.domain import AttendanceStatus, Role
from peercircle.paths import database_path
from peercircle.services.erasure import ERASURE_LOG_FILENAME, ErasureService
from peercircle.services.follow_ups import FollowUpService
from peercircle.services.meeting_types import MeetingDraft
from peercircle.services.meetings import MeetingService
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import FollowUpDraft, NoteDraft
from peercircle.services.roster import RosterService
from peercircle.services.roster_types import GroupDraft, MemberDraft
from peercircle.services.round_types import RoundSettings, Speaker, TurnRecord
from peercircle.services.rounds import RoundService
from peercircle.services.vault import VaultService

CONTROL_NAME = "Radosław-control-Wiśniewski"
"""A member who stays: proves the scan finds text that is there."""

DISPLAY_NAME = "Xiomara-Quetzal-Ørsted"
FULL_NAME = "Xiomara Þórdís Quetzal-Ørsted"
OLD_PRONOUNS = "zie/zir-old-pronouns"
PRONOUNS = "they/them-xq"
OLD_EMAIL = "xiomara.first@example.org"
EMAIL = "x.q.orsted@example.org"
OLD_PHONE = "555-0187-3342"
PHONE = "555-0199-7715"
EMERGENCY = "Bartholomew Quennell-Vance 555-0142-8831"
SECRETS = [
    DISPLAY_NAME,
    FULL_NAME,
    OLD_PRONOUNS,
    PRONOUNS,
    OLD_EMAIL,
    EMAIL,
    OLD_PHONE,
    PHONE,
    EMERGENCY,
    "Xiomara",  # any part of a name
    "Quetzal",
    "Quennell",
]


def _files(data_dir: Path) -> list[Path]:
    db_file = database_path(data_dir)
    found = [db_file, Path(f"{db_file}-wal"), Path(f"{db_file}-shm")]
    found.append(data_dir / ERASURE_LOG_FILENAME)
    found += sorted(p for p in (data_dir / "logs").rglob("*") if p.is_file())
    return [p for p in found if p.exists()]


def _found(paths: list[Path], text: str) -> list[str]:
    """The files holding ``text`` as UTF-8 or UTF-16-LE."""
    encoded = (text.encode("utf-8"), text.encode("utf-16-le"))
    return [p.name for p in paths if any(e in p.read_bytes() for e in encoded)]


def _use_the_app(db: Database, vault: VaultService) -> int:
    """A member's life in PeerCircle, over many commits; returns their id."""
    roster = RosterService(db)
    tuesday = roster.create_group(GroupDraft("Tuesday Circle", 1)).id
    saturday = roster.create_group(GroupDraft("Saturday Circle", 5)).id
    control = roster.create_member(MemberDraft(CONTROL_NAME), group_id=tuesday).id
    member = roster.create_member(
        MemberDraft(
            DISPLAY_NAME, pronouns=OLD_PRONOUNS, email=OLD_EMAIL, phone=OLD_PHONE, may_contact=True
        ),
        group_id=tuesday,
    ).id
    row = roster.get_member(member)
    roster.save_member(
        member,
        MemberDraft(
            DISPLAY_NAME,
            FULL_NAME,
            PRONOUNS,
            EMAIL,
            PHONE,
            EMERGENCY,
            joined_on=dt.date(2026, 9, 1),
            may_contact=True,
        ),
        {tuesday: Role.CO_FACILITATOR, saturday: Role.MEMBER},
        expected_version=row.version,
    )
    meetings = MeetingService(db)
    days = (dt.date(2026, 11, 3), dt.date(2026, 11, 10))
    ids = [
        meetings.create_meeting(tuesday, MeetingDraft(day, facilitator=DISPLAY_NAME)).id
        for day in days
    ]
    for meeting_id in ids:
        meetings.set_attendance(meeting_id, member, AttendanceStatus.PRESENT)
        meetings.set_attendance(meeting_id, control, AttendanceStatus.LATE)
    turns = [
        TurnRecord(
            Speaker(f"m{m}", name, i, m),
            i,
            i * 100.0,
            i * 100.0 + 90,
            90.0,
            180.0,
            False,
            i == 1,
            False,
        )
        for i, (m, name) in enumerate(((control, CONTROL_NAME), (member, DISPLAY_NAME)))
    ]
    RoundService(db).save_round(ids[0], RoundSettings(), dt.datetime(2026, 11, 3, 19), 200, turns)

    vault.set_up(PASSPHRASE)
    notes = NoteService(db, vault)
    note = notes.create(
        NoteDraft(tuesday, f"{DISPLAY_NAME} moved", "Sleeping badly.", member_id=member)
    )
    FollowUpService(db, vault).create(
        FollowUpDraft(member, days[1], "Ask how the move went", tuesday, note_id=note.id)
    )
    return member


def test_an_erased_member_leaves_nothing_readable_on_disk(
    db: Database, vault: VaultService, data_dir: Path, app_log: Path
) -> None:
    member = _use_the_app(db, vault)
    before = _files(data_dir)
    assert Path(f"{database_path(data_dir)}-wal") in before
    assert _found(before, DISPLAY_NAME) and _found(before, OLD_EMAIL)  # there before

    report = ErasureService(db, data_dir).erase_member(member)
    assert report.counts.attendance == 2 and report.counts.notes == 1

    # The app's engine is still open (its connections pooled), as in real use.
    after = _files(data_dir)
    wal = Path(f"{database_path(data_dir)}-wal")
    assert wal.exists() and wal.stat().st_size == 0  # emptied by the checkpoint
    assert {database_path(data_dir).name, ERASURE_LOG_FILENAME, app_log.name} <= {
        p.name for p in after
    }
    assert _found(after, CONTROL_NAME), "the scan finds text that is there"
    leaks = {secret: _found(after, secret) for secret in SECRETS}
    assert {secret: files for secret, files in leaks.items() if files} == {}

    # And after the app closes.
    db.close()
    closed = _files(data_dir)
    assert _found(closed, CONTROL_NAME)
    assert {s: f for s in SECRETS if (f := _found(closed, s))} == {}
