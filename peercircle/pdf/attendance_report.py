"""The attendance report for a date range: every member's mark at every meeting, totals and
rates per member and per meeting, low attendance highlighted and a small chart. Landscape.

Counting follows the app (``MemberAttendance.rate``): a meeting a member was expected at but
not marked for counts as missed, an excused one counts neither way, and meetings before they
joined are left blank and not counted.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from peercircle.domain import AttendanceStatus
from peercircle.pdf.attendance_chart import attendance_chart, short_month
from peercircle.pdf.attendance_grid import (
    AttendanceGrid,
    ColumnPlan,
    GridChunk,
    GridLine,
    plan_columns,
)
from peercircle.pdf.fonts import BOLD, rich
from peercircle.pdf.page import (
    ACCENT,
    INK,
    PageSetup,
    PaperSize,
    build_pdf,
    content_width,
    format_date,
    styles,
)

TITLE = "Attendance report"
LOW_RATE = 0.5
"""Below this share of counted meetings, a member's or a meeting's attendance is highlighted."""
LOW_LABEL = f"below {round(LOW_RATE * 100)}%"

CHART_HEIGHT = 118.0


class Mark(enum.StrEnum):
    """A member's mark at one meeting they were expected at."""

    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"
    NOT_MARKED = "not_marked"  # expected, but nobody marked them: counts as missed

    @classmethod
    def of(cls, status: AttendanceStatus | None) -> Mark:
        return cls.NOT_MARKED if status is None else cls(status.value)

    @property
    def attended(self) -> bool:
        return self in _ATTENDED

    @property
    def counted(self) -> bool:
        return self is not Mark.EXCUSED


_ATTENDED = frozenset({Mark.PRESENT, Mark.LATE})
_COUNTED = frozenset(Mark) - {Mark.EXCUSED}


# Filled for came, hollow-ish for late, letters and dots for the rest: legible in black and white.
GLYPHS: dict[Mark, str] = {
    Mark.PRESENT: "●",
    Mark.LATE: "◐",
    Mark.EXCUSED: "E",
    Mark.ABSENT: "·",
    Mark.NOT_MARKED: "?",
}
LEGEND = (
    "● came   ◐ late   E excused (not counted)   · absent   ? not marked   blank: not yet a member"
)


class EmptyReportError(ValueError):
    """There is nothing to report: the group met no time in the range."""


@dataclass(frozen=True)
class Totals:
    came: int
    counted: int  # expected and not excused

    @property
    def rate(self) -> float | None:
        return self.came / self.counted if self.counted else None

    @property
    def low(self) -> bool:
        rate = self.rate
        return rate is not None and rate < LOW_RATE


@dataclass(frozen=True)
class ReportMeeting:
    date: dt.date
    guests: int = 0


@dataclass(frozen=True)
class ReportMember:
    name: str
    marks: tuple[Mark | None, ...]  # one per meeting; None: not expected yet (before joining)

    @classmethod
    def from_grid(
        cls,
        name: str,
        marks: Sequence[AttendanceStatus | None],
        expected: Sequence[bool],
    ) -> ReportMember:
        """From a service grid row: a status (None: not marked) and whether they were expected."""
        return cls(
            name,
            tuple(
                Mark.of(status) if is_expected else None
                for status, is_expected in zip(marks, expected, strict=True)
            ),
        )

    @property
    def totals(self) -> Totals:
        came = sum(1 for mark in self.marks if mark in _ATTENDED)
        counted = sum(1 for mark in self.marks if mark in _COUNTED)
        return Totals(came, counted)


@dataclass(frozen=True)
class AttendanceReport:
    group_name: str
    date_from: dt.date
    date_to: dt.date
    meetings: tuple[ReportMeeting, ...]  # oldest first
    members: tuple[ReportMember, ...]  # in the order to print (seating order)
    paper: PaperSize = PaperSize.A4

    def __post_init__(self) -> None:
        if self.date_to < self.date_from:
            raise ValueError("The report's range ends before it starts.")
        for member in self.members:
            if len(member.marks) != len(self.meetings):
                raise ValueError(
                    f"A member has {len(member.marks)} marks for {len(self.meetings)} meetings."
                )

    def meeting_totals(self) -> tuple[Totals, ...]:
        came = [0] * len(self.meetings)
        counted = [0] * len(self.meetings)
        for member in self.members:
            for index, mark in enumerate(member.marks):
                if mark in _COUNTED:
                    counted[index] += 1
                    if mark in _ATTENDED:
                        came[index] += 1
        return tuple(Totals(a, c) for a, c in zip(came, counted, strict=True))


def average_rate(meeting_totals: Sequence[Totals]) -> float | None:
    """The mean of the meetings' rates, as the app's group history shows it."""
    rates = [t.rate for t in meeting_totals if t.rate is not None]
    return sum(rates) / len(rates) if rates else None


def format_rate(rate: float | None) -> str:
    return "–" if rate is None else f"{round(rate * 100)}%"


def _date_range(report: AttendanceReport) -> str:
    return f"{format_date(report.date_from)} – {format_date(report.date_to)}"


def build_attendance_report(
    report: AttendanceReport, target: Path | BinaryIO, *, generated_on: dt.date
) -> int:
    """Write the report as a PDF to ``target``; return the number of pages.

    Raises EmptyReportError when the group has no meetings in the range, and PdfWriteError
    when the file cannot be written.
    """
    if not report.meetings:
        raise EmptyReportError(
            f"There are no meetings of “{report.group_name}” between "
            f"{format_date(report.date_from)} and {format_date(report.date_to)}."
        )
    setup = PageSetup(TITLE, report.group_name, generated_on, report.paper, landscape=True)
    return build_pdf(_story(report, content_width(setup)), setup, target)


def _story(report: AttendanceReport, width: float) -> list[Flowable]:
    st = styles()
    meeting_totals = report.meeting_totals()
    member_totals = [m.totals for m in report.members]
    story: list[Flowable] = [
        Paragraph(TITLE, st["title"]),
        Paragraph(f"{rich(report.group_name)} · {_date_range(report)}", st["subtitle"]),
        _summary(report, meeting_totals, member_totals, width, st["small"]),
        Spacer(1, 16),
    ]
    plan = plan_columns([m.name for m in report.members], len(report.meetings), width)
    chunks = _chunks(report, meeting_totals, member_totals, plan)
    for index, chunk in enumerate(chunks):
        if index:
            story.append(PageBreak())
        story.append(AttendanceGrid(chunk, plan))
    if not report.members:
        story.append(Spacer(1, 8))
        story.append(Paragraph("Nobody was expected at these meetings.", st["small"]))
    return story


def _figure(
    number: str, label: str, size: float, color: Color, label_style: ParagraphStyle
) -> list[Paragraph]:
    """A key figure: the number large, what it counts small beneath it."""
    number_style = ParagraphStyle(
        "figure", fontName=BOLD, fontSize=size, leading=size * 1.15, textColor=color
    )
    return [Paragraph(number, number_style), Paragraph(label, label_style)]


def _summary(
    report: AttendanceReport,
    meeting_totals: Sequence[Totals],
    member_totals: Sequence[Totals],
    width: float,
    small_style: ParagraphStyle,
) -> Table:
    """Key figures on the left, the chart of attendance per meeting on the right."""
    low_members = sum(1 for t in member_totals if t.low)
    guests = sum(m.guests for m in report.meetings)
    figures_width = 190.0

    def plural(n: int, one: str, many: str) -> str:
        return one if n == 1 else many

    figures = [
        (str(len(report.meetings)), plural(len(report.meetings), "meeting", "meetings")),
        (str(len(report.members)), plural(len(report.members), "member", "members")),
        (str(guests), plural(guests, "guest visit", "guest visits")),
        (str(low_members), LOW_LABEL),
    ]
    key_figures = Table(
        [
            [
                _figure(
                    format_rate(average_rate(meeting_totals)),
                    "average attendance",
                    24,
                    ACCENT,
                    small_style,
                ),
                "",
            ],
            [_figure(n, label, 13, INK, small_style) for n, label in figures[:2]],
            [_figure(n, label, 13, INK, small_style) for n, label in figures[2:]],
        ],
        colWidths=[figures_width / 2] * 2,
        style=TableStyle(
            [
                ("SPAN", (0, 0), (1, 0)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
            ]
        ),
    )
    chart_width = width - figures_width - 24
    heading = Paragraph("Attendance at each meeting", small_style)
    chart = attendance_chart(
        [(m.date, t.rate) for m, t in zip(report.meetings, meeting_totals, strict=True)],
        chart_width,
        CHART_HEIGHT,
        low_below=LOW_RATE,
    )
    return Table(
        [[key_figures, [heading, Spacer(1, 4), chart]]],
        colWidths=[figures_width + 24, chart_width],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
        hAlign="LEFT",
    )


def _chunks(
    report: AttendanceReport,
    meeting_totals: Sequence[Totals],
    member_totals: Sequence[Totals],
    plan: ColumnPlan,
) -> list[GridChunk]:
    count = len(report.meetings)
    per = plan.per_chunk
    chunks = []
    for start in range(0, count, per):
        stop = min(start + per, count)
        meetings = report.meetings[start:stop]
        totals = meeting_totals[start:stop]
        span = f"{format_date(meetings[0].date)} – {format_date(meetings[-1].date)}"
        caption = (
            f"Meetings {start + 1}–{stop} of {count} · {span}"
            if per < count
            else f"{count} {'meeting' if count == 1 else 'meetings'} · {span}"
        )
        members = tuple(
            GridLine(
                label=member.name,
                cells=tuple(
                    "" if mark is None else GLYPHS[mark] for mark in member.marks[start:stop]
                ),
                came=f"{t.came} of {t.counted}",
                rate=format_rate(t.rate),
                low=t.low,
            )
            for member, t in zip(report.members, member_totals, strict=True)
        )
        low_cells = frozenset(i for i, t in enumerate(totals) if t.low)
        rate_cells = tuple("–" if t.rate is None else str(round(t.rate * 100)) for t in totals)
        total_lines = (
            GridLine("Came", tuple(str(t.came) for t in totals)),
            GridLine("Out of", tuple(str(t.counted) for t in totals)),
            GridLine("Rate %", rate_cells, low_cells=low_cells),
            GridLine("Guests", tuple(str(m.guests) for m in meetings)),
        )
        month_starts = frozenset(
            i
            for i, m in enumerate(meetings)
            if i == 0
            or (m.date.year, m.date.month)
            != (meetings[i - 1].date.year, meetings[i - 1].date.month)
        )
        chunks.append(
            GridChunk(
                caption=caption,
                legend=LEGEND,
                highlight=LOW_LABEL,
                days=tuple(str(m.date.day) for m in meetings),
                months=tuple(short_month(m.date) for m in meetings),
                month_starts=month_starts,
                members=members,
                totals=total_lines,
                quiet=frozenset(
                    {GLYPHS[Mark.ABSENT], GLYPHS[Mark.EXCUSED], GLYPHS[Mark.NOT_MARKED]}
                ),
            )
        )
    return chunks
