"""What goes on each printout, gathered from the database into the PDF modules' dataclasses.

Shared by the app's Print menu and ``peercircle pdf``. Only what a sheet is meant to show
is read: names for the sign-in sheet, marks for the report, the group's chosen resources
and agreements for the handout — never notes, follow-ups or members' contact details.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import BinaryIO

from peercircle.db import Database
from peercircle.domain import MemberStatus
from peercircle.pdf.agreements_card import AgreementsCard, build_agreements_card
from peercircle.pdf.attendance_report import (
    AttendanceReport,
    EmptyReportError,
    ReportMeeting,
    ReportMember,
    build_attendance_report,
)
from peercircle.pdf.handout import Handout, HandoutItem, build_handout
from peercircle.pdf.page import PaperSize, format_date
from peercircle.pdf.sign_in import SignInSheet, build_sign_in
from peercircle.services.meetings import MeetingService
from peercircle.services.resources import ResourceService
from peercircle.services.roster import RosterService

Printout = SignInSheet | AttendanceReport | Handout | AgreementsCard


class PrintService:
    """Builds each printout's contents for one group."""

    def __init__(self, db: Database) -> None:
        self._roster = RosterService(db)
        self._meetings = MeetingService(db)
        self._resources = ResourceService(db)

    def sign_in_sheet(
        self,
        group_id: int,
        day: dt.date,
        *,
        initials_only: bool = False,
        paper: PaperSize = PaperSize.A4,
    ) -> SignInSheet:
        """The group's active members in seating order; the meeting's time and place if
        one is planned that day, else the group's usual ones."""
        group = self._roster.get_group(group_id)
        meeting = next((m for m in self._meetings.list_meetings(group_id) if m.date == day), None)
        names = tuple(
            m.display_name
            for m in self._roster.list_members(group_id)
            if m.status is MemberStatus.ACTIVE
        )
        return SignInSheet(
            group_name=group.name,
            meeting_date=day,
            starts_at=meeting.starts_at if meeting and meeting.starts_at else group.meeting_time,
            place=meeting.place if meeting and meeting.place else group.place,
            names=names,
            initials_only=initials_only,
            paper=paper,
        )

    def attendance_report(
        self,
        group_id: int,
        date_from: dt.date,
        date_to: dt.date,
        *,
        paper: PaperSize = PaperSize.A4,
    ) -> AttendanceReport:
        """Marks at the group's meetings in the range; EmptyReportError if there are none."""
        group = self._roster.get_group(group_id)
        if date_to < date_from:
            raise EmptyReportError(
                f"The range {format_date(date_from)} – {format_date(date_to)} ends before it "
                "starts."
            )
        grid = self._meetings.attendance_grid(group_id, date_from, date_to)
        if not grid.meetings:
            raise EmptyReportError(
                f"“{group.name}” has no meetings between {format_date(date_from)} and "
                f"{format_date(date_to)}, so there is nothing to report."
            )
        return AttendanceReport(
            group_name=group.name,
            date_from=date_from,
            date_to=date_to,
            meetings=tuple(ReportMeeting(m.date, m.guest_count) for m in grid.meetings),
            members=tuple(
                ReportMember.from_grid(row.display_name, row.marks, row.expected)
                for row in grid.rows
            ),
            paper=paper,
        )

    def handout(self, group_id: int, *, paper: PaperSize = PaperSize.A4) -> Handout:
        group = self._roster.get_group(group_id)
        items = tuple(
            HandoutItem(
                title=r.title,
                kind=r.kind_label,
                description=r.description,
                phone=r.phone,
                url=r.url,
                address=r.address,
            )
            for r in self._resources.group_resources(group_id)
        )
        return Handout(group.name, items, group.schedule, group.agreements, paper)

    def agreements_card(self, group_id: int, *, paper: PaperSize = PaperSize.A4) -> AgreementsCard:
        group = self._roster.get_group(group_id)
        return AgreementsCard(group.name, group.agreements, group.schedule, paper)


def write_printout(printout: Printout, target: Path | BinaryIO, *, generated_on: dt.date) -> int:
    """Lay the printout out as a PDF into ``target``; return its page count."""
    if isinstance(printout, SignInSheet):
        return build_sign_in(printout, target, generated_on=generated_on)
    if isinstance(printout, AttendanceReport):
        return build_attendance_report(printout, target, generated_on=generated_on)
    if isinstance(printout, Handout):
        return build_handout(printout, target, generated_on=generated_on)
    return build_agreements_card(printout, target, generated_on=generated_on)


def printout_bytes(printout: Printout, *, generated_on: dt.date) -> bytes:
    out = io.BytesIO()
    write_printout(printout, out, generated_on=generated_on)
    return out.getvalue()
