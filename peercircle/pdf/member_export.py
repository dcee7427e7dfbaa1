"""A member's own data, readable (GDPR articles 15 and 20): everything PeerCircle stores about
one person, section by section, with the facilitator's private notes only when they chose to
include them. The same content as the JSON export, which ``services/member_export.py``
gathers into the dataclasses below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from peercircle import APP_NAME
from peercircle.domain import AttendanceStatus, FollowUpSource, MemberStatus, Role
from peercircle.pdf.fonts import BOLD, rich
from peercircle.pdf.page import (
    ACCENT,
    MUTED,
    RULE,
    SHADE,
    PageSetup,
    PaperSize,
    build_pdf,
    content_width,
    default_paper_size,
    format_date,
    format_long_date,
    styles,
)

TITLE = "Personal data export"
NOT_INCLUDED = "Private notes were not included."
INCLUDED = (
    "This copy includes the facilitator's private notes and follow-ups about this person, "
    "in readable form. Keep it safe."
)
ROUNDS_NOTE = "Only the timing of each turn is kept — never what was said."

STATUS_LABELS = {
    MemberStatus.ACTIVE: "Active",
    MemberStatus.INACTIVE: "Inactive",
    MemberStatus.ALUMNI: "Alumni",
}
ROLE_LABELS = {Role.MEMBER: "Member", Role.CO_FACILITATOR: "Co-facilitator"}
MARK_LABELS = {
    AttendanceStatus.PRESENT: "Present",
    AttendanceStatus.LATE: "Late",
    AttendanceStatus.EXCUSED: "Excused",
    AttendanceStatus.ABSENT: "Absent",
}
SOURCE_LABELS = {
    FollowUpSource.MEMBER: "Added for this member",
    FollowUpSource.NOTE: "From a note",
    FollowUpSource.ROUND: "From a sharing round",
    FollowUpSource.ATTENDANCE: "From attendance",
}


# ---- what is exported ----------------------------------------------------------------------


@dataclass(frozen=True)
class ExportedMember:
    """The member's stored details, as stored."""

    id: int
    display_name: str
    full_name: str
    pronouns: str
    email: str
    phone: str
    emergency_contact: str
    joined_on: dt.date | None
    first_visit_on: dt.date | None
    status: MemberStatus
    may_contact: bool
    archived_at: dt.datetime | None  # UTC
    created_at: dt.datetime  # UTC
    updated_at: dt.datetime  # UTC


@dataclass(frozen=True)
class ExportedMembership:
    group_name: str
    role: Role
    seat_order: int
    joined: dt.datetime  # UTC: when they were added to the group


@dataclass(frozen=True)
class ExportedAttendance:
    date: dt.date
    group_name: str
    mark: AttendanceStatus


@dataclass(frozen=True)
class ExportedTurn:
    """One turn in a sharing round: its timing only."""

    date: dt.date
    group_name: str
    duration_seconds: float
    allotted_seconds: float
    passed: bool
    check_in_later: bool
    came_back: bool


@dataclass(frozen=True)
class ExportedFollowUp:
    due_date: dt.date
    done_at: dt.datetime | None  # UTC
    source: FollowUpSource
    group_name: str | None
    reason: str | None  # None: private notes not included
    outcome: str | None  # None: not included, or not done / nothing written


@dataclass(frozen=True)
class ExportedNote:
    group_name: str
    meeting_date: dt.date | None
    title: str
    body: str
    tags: tuple[str, ...]
    created_at: dt.datetime  # UTC
    updated_at: dt.datetime  # UTC


@dataclass(frozen=True)
class MemberExport:
    exported_at: dt.datetime  # UTC
    member: ExportedMember
    memberships: tuple[ExportedMembership, ...]
    attendance: tuple[ExportedAttendance, ...]
    round_turns: tuple[ExportedTurn, ...]
    follow_ups: tuple[ExportedFollowUp, ...]
    notes: tuple[ExportedNote, ...]  # empty when not included
    private_notes_included: bool


# ---- the document --------------------------------------------------------------------------


def format_duration(seconds: float) -> str:
    """ "2:05" (minutes and seconds)."""
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def _day(moment: dt.datetime | dt.date | None) -> str:
    if moment is None:
        return "—"
    return format_date(moment.date() if isinstance(moment, dt.datetime) else moment)


def _text(value: str) -> str:
    return value if value.strip() else "—"


class _Styles:
    def __init__(self) -> None:
        base = styles()
        self.title = base["title"]
        self.subtitle = base["subtitle"]
        self.heading = base["heading"].clone("export_heading", textColor=ACCENT)
        self.body = base["body"]
        self.small = base["small"]
        self.cell = base["cell"]
        self.head = base["cell_bold"]
        self.note_title = base["cell_bold"].clone(
            "export_note_title", fontSize=11, leading=15, spaceBefore=6
        )
        self.note_body = base["body"].clone("export_note_body", spaceAfter=4)


def _table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    style: _Styles,
) -> Table:
    data = [[Paragraph(rich(text), style.head) for text in header]]
    data += [[Paragraph(rich(text), style.cell) for text in row] for row in rows]
    table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _details(member: ExportedMember, width: float, style: _Styles) -> Table:
    label = style.head.clone("export_label", fontName=BOLD, textColor=MUTED)
    pairs = [
        ("Name", member.display_name),
        ("Full name", _text(member.full_name)),
        ("Pronouns", _text(member.pronouns)),
        ("E-mail", _text(member.email)),
        ("Phone", _text(member.phone)),
        ("Emergency contact", _text(member.emergency_contact)),
        ("Joined", _day(member.joined_on)),
        ("First visit", _day(member.first_visit_on)),
        ("Status", STATUS_LABELS[member.status]),
        ("May be contacted for check-ins", _yes(member.may_contact)),
        ("Archived", _day(member.archived_at) if member.archived_at else "No"),
        (f"Added to {APP_NAME}", _day(member.created_at)),
        ("Details last changed", _day(member.updated_at)),
    ]
    first = 58 * mm
    rows = [[Paragraph(rich(k), label), Paragraph(rich(v), style.cell)] for k, v in pairs]
    table = Table(rows, colWidths=[first, width - first], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _none(text: str, style: _Styles) -> Paragraph:
    return Paragraph(rich(text), style.small)


def _section(title: str, style: _Styles, *content: Flowable) -> list[Flowable]:
    """A heading kept with the start of what follows it."""
    heading = Paragraph(rich(title), style.heading)
    if not content:
        return [heading]
    return [KeepTogether([heading, content[0]]), *content[1:]]


def _groups(export: MemberExport, width: float, style: _Styles) -> list[Flowable]:
    if not export.memberships:
        return _section("Groups", style, _none("Not in any group.", style))
    rows = [
        [m.group_name, ROLE_LABELS[m.role], str(m.seat_order + 1), _day(m.joined)]
        for m in export.memberships
    ]
    widths = [width * 0.46, width * 0.2, width * 0.12, width * 0.22]
    return _section(
        "Groups", style, _table(["Group", "Role", "Seat", "Added"], rows, widths, style)
    )


def _attendance(export: MemberExport, width: float, style: _Styles) -> list[Flowable]:
    if not export.attendance:
        return _section("Attendance", style, _none("No attendance recorded.", style))
    rows = [[_day(a.date), a.group_name, MARK_LABELS[a.mark]] for a in export.attendance]
    widths = [width * 0.24, width * 0.52, width * 0.24]
    count = f"{len(rows)} meeting{'s' if len(rows) != 1 else ''} marked."
    return _section(
        "Attendance",
        style,
        Paragraph(rich(count), style.small),
        _table(["Date", "Group", "Mark"], rows, widths, style),
    )


def _turns(export: MemberExport, width: float, style: _Styles) -> list[Flowable]:
    if not export.round_turns:
        return _section("Sharing rounds", style, _none("No turns in sharing rounds.", style))
    rows = [
        [
            _day(t.date),
            t.group_name,
            format_duration(t.duration_seconds),
            format_duration(t.allotted_seconds),
            _yes(t.passed),
            _yes(t.check_in_later),
            _yes(t.came_back),
        ]
        for t in export.round_turns
    ]
    fractions = (0.15, 0.25, 0.11, 0.11, 0.11, 0.15, 0.12)
    header = ["Date", "Group", "Spoke", "Time given", "Passed", "Check in later", "Came back"]
    return _section(
        "Sharing rounds",
        style,
        Paragraph(rich(ROUNDS_NOTE), style.small),
        _table(header, rows, [width * f for f in fractions], style),
    )


def _follow_ups(export: MemberExport, width: float, style: _Styles) -> list[Flowable]:
    if not export.follow_ups:
        return _section("Follow-ups", style, _none("No follow-ups.", style))
    private = export.private_notes_included
    header = ["Due", "Done", "Group", "Where from"]
    fractions: tuple[float, ...] = (0.16, 0.16, 0.32, 0.36)
    if private:
        header = ["Due", "Done", "Group", "Why", "How it went"]
        fractions = (0.14, 0.14, 0.2, 0.26, 0.26)
    rows = []
    for f in export.follow_ups:
        row = [_day(f.due_date), _day(f.done_at), f.group_name or "—"]
        if private:
            row += [f.reason or "—", f.outcome or "—"]
        else:
            row.append(SOURCE_LABELS[f.source])
        rows.append(row)
    return _section(
        "Follow-ups", style, _table(header, rows, [width * x for x in fractions], style)
    )


def _notes(export: MemberExport, style: _Styles) -> list[Flowable]:
    if not export.private_notes_included:
        return _section("Private notes", style, Paragraph(rich(NOT_INCLUDED), style.body))
    if not export.notes:
        return _section("Private notes", style, _none("No private notes about them.", style))
    story: list[Flowable] = []
    for index, note in enumerate(export.notes):
        where = [note.group_name]
        if note.meeting_date is not None:
            where.append(f"meeting of {format_date(note.meeting_date)}")
        where.append(f"written {_day(note.created_at)}")
        if note.updated_at.date() != note.created_at.date():
            where.append(f"changed {_day(note.updated_at)}")
        if note.tags:
            where.append("tags: " + ", ".join(note.tags))
        block: list[Flowable] = [
            Paragraph(rich(note.title or "Untitled note"), style.note_title),
            Paragraph(rich(" · ".join(where)), style.small),
        ]
        if note.body:
            block.append(Paragraph(rich(note.body), style.note_body))
        if index == 0:  # the heading stays with the first note
            block.insert(0, Paragraph(rich("Private notes"), style.heading))
        story.append(KeepTogether(block))
    return story


def export_page_setup(export: MemberExport, paper: PaperSize | None = None) -> PageSetup:
    """The member's name where other printouts put the group's."""
    return PageSetup(
        title=TITLE,
        group_name=export.member.display_name,
        generated_on=export.exported_at.date(),
        paper=paper if paper is not None else default_paper_size(),
    )


def export_story(export: MemberExport, width: float) -> list[Flowable]:
    style = _Styles()
    intro = ParagraphStyle("export_intro", parent=style.body, spaceAfter=4)
    story: list[Flowable] = [
        Paragraph(rich(f"Data held about {export.member.display_name}"), style.title),
        Paragraph(
            rich(
                f"Everything {APP_NAME} stores about this person, exported on "
                f"{format_long_date(export.exported_at.date())}."
            ),
            style.subtitle,
        ),
        Paragraph(rich(INCLUDED if export.private_notes_included else NOT_INCLUDED), intro),
    ]
    story += _section("Details", style, _details(export.member, width, style))
    story += _groups(export, width, style)
    story += _attendance(export, width, style)
    story += _turns(export, width, style)
    story += _follow_ups(export, width, style)
    story += _notes(export, style)
    return story


def build_member_export(
    export: MemberExport, target: Path | BinaryIO, page_setup: PageSetup | None = None
) -> int:
    """Write the readable export to ``target``; returns the number of pages. Raises
    PdfWriteError if a path cannot be written (nothing half-written is left)."""
    setup = page_setup if page_setup is not None else export_page_setup(export)
    return build_pdf(export_story(export, content_width(setup)), setup, target)


__all__ = [
    "NOT_INCLUDED",
    "TITLE",
    "ExportedAttendance",
    "ExportedFollowUp",
    "ExportedMember",
    "ExportedMembership",
    "ExportedNote",
    "ExportedTurn",
    "MemberExport",
    "build_member_export",
    "export_page_setup",
    "export_story",
    "format_duration",
]
