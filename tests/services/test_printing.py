"""What each printout is built from: only what it is meant to show, from a real database."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from peercircle.db import Database
from peercircle.domain import AttendanceStatus, MemberStatus, ResourceKind
from peercircle.pdf.agreements_card import NoAgreementsError
from peercircle.pdf.attendance_report import EmptyReportError, Mark
from peercircle.pdf.page import PaperSize
from peercircle.services.follow_ups import FollowUpService
from peercircle.services.meeting_types import MeetingDraft
from peercircle.services.meetings import MeetingService
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import FollowUpDraft, NoteDraft
from peercircle.services.printing import PrintService, printout_bytes
from peercircle.services.resource_types import ResourceDraft
from peercircle.services.resources import ResourceService
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams

TODAY = dt.date(2026, 11, 24)
PRIVATE = ("555-0199", "ana.private@example.org", "Partner: Jo 555-0142", "Kowalska-Private")
# Written into notes and follow-ups (unlocked while printing): no printout may carry them.
NOTE_TEXT = ("Quokka-title-private", "Lantern-body-private", "tag-private", "Reason-private")


@pytest.fixture
def group_id(db: Database, roster: RosterService) -> int:
    group = roster.create_group(
        GroupDraft(
            "Tuesday Circle",
            1,
            dt.time(18, 30),
            "Willow Lane Library",
            "What is shared here stays here.\nIt is always okay to pass.",
        )
    )
    for name, status in (
        ("Ágnes", MemberStatus.ACTIVE),
        ("Nguyễn Văn An", MemberStatus.ACTIVE),
        ("Ольга", MemberStatus.INACTIVE),
        ("Ana", MemberStatus.ACTIVE),
    ):
        roster.create_member(
            MemberDraft(
                name,
                full_name=PRIVATE[3] if name == "Ana" else "",
                phone=PRIVATE[0],
                email=PRIVATE[1] if name == "Ana" else "",
                emergency_contact=PRIVATE[2],
                status=status,
                joined_on=dt.date(2026, 1, 6),
            ),
            group_id=group.id,
        )
    return group.id


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_sign_in_sheet_lists_active_members_with_the_meetings_place(
    db: Database, group_id: int
) -> None:
    MeetingService(db).create_meeting(group_id, MeetingDraft(TODAY, dt.time(19, 0), None, "Room 4"))
    sheet = PrintService(db).sign_in_sheet(group_id, TODAY, initials_only=True)
    assert sheet.names == ("Ágnes", "Nguyễn Văn An", "Ana")
    assert (sheet.starts_at, sheet.place, sheet.initials_only) == (dt.time(19, 0), "Room 4", True)
    other_day = PrintService(db).sign_in_sheet(group_id, TODAY + dt.timedelta(weeks=1))
    assert (other_day.starts_at, other_day.place) == (dt.time(18, 30), "Willow Lane Library")


def test_attendance_report_from_the_groups_marks(db: Database, group_id: int) -> None:
    meetings = MeetingService(db)
    first = meetings.create_meeting(group_id, MeetingDraft(dt.date(2026, 11, 17))).id
    meetings.create_meeting(group_id, MeetingDraft(TODAY))
    ann = RosterService(db).list_members(group_id)[0].id
    meetings.set_attendance(first, ann, AttendanceStatus.LATE)
    meetings.set_guest_count(first, 2)
    report = PrintService(db).attendance_report(
        group_id, dt.date(2026, 11, 1), dt.date(2026, 11, 30), paper=PaperSize.LETTER
    )
    assert [m.date for m in report.meetings] == [dt.date(2026, 11, 17), TODAY]
    assert report.meetings[0].guests == 2
    assert report.members[0].name == "Ágnes"
    assert report.members[0].marks == (Mark.LATE, Mark.NOT_MARKED)
    with pytest.raises(EmptyReportError, match="no meetings between"):
        PrintService(db).attendance_report(group_id, dt.date(2025, 1, 1), dt.date(2025, 2, 1))
    with pytest.raises(EmptyReportError, match="ends before it starts"):
        PrintService(db).attendance_report(group_id, TODAY, dt.date(2026, 1, 1))


def test_handout_has_the_groups_resources_in_order(db: Database, group_id: int) -> None:
    resources = ResourceService(db)
    a = resources.create_resource(
        ResourceDraft("Example Warmline (invented)", ResourceKind.HELPLINE, phone="555-0100")
    )
    b = resources.create_resource(
        ResourceDraft("Reading list", ResourceKind.READING, url="https://example.org/reading")
    )
    resources.set_group_resources(group_id, [b.id, a.id])
    handout = PrintService(db).handout(group_id)
    assert [i.title for i in handout.items] == ["Reading list", "Example Warmline (invented)"]
    assert handout.items[1].kind == "Helpline"
    assert "Tuesdays at 18:30" in handout.contact
    assert "always okay to pass" in handout.agreements


def test_agreements_card_needs_agreements(db: Database, roster: RosterService) -> None:
    empty = roster.create_group(GroupDraft("New Circle"))
    card = PrintService(db).agreements_card(empty.id)
    with pytest.raises(NoAgreementsError, match="no agreements yet"):
        printout_bytes(card, generated_on=TODAY)


def test_no_printout_carries_contact_details_full_names_or_notes(
    db: Database, group_id: int
) -> None:
    meetings = MeetingService(db)
    meeting = meetings.create_meeting(group_id, MeetingDraft(TODAY)).id
    members = RosterService(db).list_members(group_id)
    for row in members:
        meetings.set_attendance(meeting, row.id, AttendanceStatus.PRESENT)
    vault = VaultService(db, kdf_params=KdfParams(1024, 1, 1))
    vault.set_up("printing passphrase")
    NoteService(db, vault).create(
        NoteDraft(
            group_id,
            NOTE_TEXT[0],
            NOTE_TEXT[1],
            (NOTE_TEXT[2],),
            meeting_id=meeting,
            member_id=members[0].id,
        )
    )
    FollowUpService(db, vault).create(
        FollowUpDraft(members[0].id, TODAY, NOTE_TEXT[3], group_id=group_id)
    )
    service = PrintService(db)
    printouts = [
        service.sign_in_sheet(group_id, TODAY),
        service.attendance_report(group_id, TODAY, TODAY),
        service.handout(group_id),
        service.agreements_card(group_id),
    ]
    for printout in printouts:
        text = _text(printout_bytes(printout, generated_on=TODAY))
        assert "Tuesday Circle" in text
        for private in PRIVATE + NOTE_TEXT:
            assert private not in text, (type(printout).__name__, private)
