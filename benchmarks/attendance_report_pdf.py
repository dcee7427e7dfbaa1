"""The attendance report for 500 members × 52 meetings, against a bare ReportLab table.

    python benchmarks/attendance_report_pdf.py

The bare table holds the same cells (member, a mark per meeting, came, rate; the same
per-meeting totals) as plain strings in ``Table(repeatRows=1)`` in a ``SimpleDocTemplate`` of
the same page size and font, split into the same chunks of meetings. Goal: the report in
under a second, and no slower than 1.3 × the bare table. Prints the median of a few runs.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import statistics
import sys
import time
from collections.abc import Callable

from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate, Table, TableStyle

from peercircle.pdf.attendance_chart import short_date
from peercircle.pdf.attendance_grid import plan_columns
from peercircle.pdf.attendance_report import (
    GLYPHS,
    AttendanceReport,
    Mark,
    ReportMeeting,
    ReportMember,
    build_attendance_report,
    format_rate,
)
from peercircle.pdf.fonts import BODY, register_fonts
from peercircle.pdf.page import PageSetup, PaperSize, content_width, page_size

MEMBERS = 500
MEETINGS = 52
RUNS = 5
FIRST = ["Ana", "Zofia", "Łucja", "Δήμητρα", "Ангелина", "Hiền", "José", "Siobhán", "Mai", "Omar"]
LAST = ["Kowalska", "Nguyễn", "O'Brien", "Papadopoulou", "Иванова", "García-López", "Tanaka"]


def make_report() -> AttendanceReport:
    rnd = random.Random(52)
    start = dt.date(2026, 1, 6)
    meetings = tuple(
        ReportMeeting(start + dt.timedelta(weeks=i), guests=rnd.randrange(4))
        for i in range(MEETINGS)
    )
    choices = [Mark.PRESENT] * 14 + [Mark.LATE] * 2 + [Mark.EXCUSED, Mark.ABSENT, Mark.ABSENT]
    members = []
    for i in range(MEMBERS):
        joined = rnd.randrange(MEETINGS) if i % 5 == 0 else 0
        marks = tuple(None if j < joined else rnd.choice(choices) for j in range(MEETINGS))
        members.append(ReportMember(f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]} {i}", marks))
    return AttendanceReport(
        "Benchmark circle", meetings[0].date, meetings[-1].date, meetings, tuple(members)
    )


def build_bare_table(report: AttendanceReport) -> int:
    """The same cells as plain strings in ReportLab tables with nothing but the font set."""
    setup = PageSetup("Bare", report.group_name, dt.date(2026, 11, 24), PaperSize.A4, True)
    width = content_width(setup)
    plan = plan_columns([m.name for m in report.members], len(report.meetings), width)
    doc = SimpleDocTemplate(io.BytesIO(), pagesize=page_size(setup))
    totals = [m.totals for m in report.members]
    meeting_totals = report.meeting_totals()
    story: list[Flowable] = []
    for start in range(0, len(report.meetings), plan.per_chunk):
        stop = min(start + plan.per_chunk, len(report.meetings))
        rows = [["Member", *(short_date(m.date) for m in report.meetings[start:stop]), "Came", "%"]]
        for member, total in zip(report.members, totals, strict=True):
            cells = ["" if mark is None else GLYPHS[mark] for mark in member.marks[start:stop]]
            rows.append(
                [member.name, *cells, f"{total.came} of {total.counted}", format_rate(total.rate)]
            )
        chunk_totals = meeting_totals[start:stop]
        rows.append(["Came", *(str(t.came) for t in chunk_totals), "", ""])
        rows.append(["Out of", *(str(t.counted) for t in chunk_totals), "", ""])
        rows.append(["Rate %", *(format_rate(t.rate) for t in chunk_totals), "", ""])
        rows.append(["Guests", *(str(m.guests) for m in report.meetings[start:stop]), "", ""])
        if story:
            story.append(PageBreak())
        story.append(
            Table(
                rows,
                colWidths=[plan.name_width, *[plan.meeting_width] * (stop - start), 52, 40],
                repeatRows=1,
                style=TableStyle([("FONTNAME", (0, 0), (-1, -1), BODY)]),
            )
        )
    doc.build(story)
    return int(doc.page)


def median_seconds(job: Callable[[], object]) -> float:
    job()  # warm up: fonts parsed, modules imported
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    register_fonts()
    report = make_report()
    pages: list[int] = []

    def report_job() -> None:
        pages.append(build_attendance_report(report, io.BytesIO(), generated_on=dt.date.today()))

    report_s = median_seconds(report_job)
    bare_pages: list[int] = []
    bare_s = median_seconds(lambda: bare_pages.append(build_bare_table(report)))
    ratio = report_s / bare_s
    print(f"Attendance report, {MEMBERS} members × {MEETINGS} meetings (median of {RUNS}):")
    print(f"  report        {1000 * report_s:6.0f} ms  ({pages[-1]} pages)   goal < 1000 ms")
    print(f"  bare table    {1000 * bare_s:6.0f} ms  ({bare_pages[-1]} pages)")
    print(f"  ratio         {ratio:6.2f}              goal ≤ 1.30")
    return 0 if report_s < 1.0 and ratio <= 1.3 else 1


if __name__ == "__main__":
    sys.exit(main())
