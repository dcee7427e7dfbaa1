"""The attendance report: counting, text of every page, repeated headers, highlight, pages."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from pdf_helpers import ink_fraction, page_texts, render_pages
from pypdf import PdfReader
from reportlab.graphics.shapes import Rect, String
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import stringWidth

from peercircle.domain import AttendanceStatus
from peercircle.pdf.attendance_chart import LOW_BAR, attendance_chart
from peercircle.pdf.attendance_grid import LOW_TINT
from peercircle.pdf.attendance_report import (
    AttendanceReport,
    EmptyReportError,
    Mark,
    ReportMeeting,
    ReportMember,
    average_rate,
    build_attendance_report,
)
from peercircle.pdf.page import PaperSize
from peercircle.services.meeting_types import MemberAttendance

GENERATED = dt.date(2026, 11, 24)
P, L, E, A, N = Mark.PRESENT, Mark.LATE, Mark.EXCUSED, Mark.ABSENT, Mark.NOT_MARKED

# Four meetings in March 2026. None: not a member yet.
#                     3 Mar  10 Mar 17 Mar 24 Mar    came / counted
SMALL_MEMBERS = (
    ReportMember("Ágnes Kovács", (P, P, L, A)),  # 3 / 4  = 75%
    ReportMember("Nguyễn Văn An", (None, P, E, P)),  # 2 / 2  = 100%
    ReportMember("Ольга Петрова", (A, A, N, L)),  # 1 / 4  = 25%  (low)
    ReportMember("Ελένη Παπαδοπούλου", (E, E, E, E)),  # 0 / 0  = –
    ReportMember("王秀英", (A, P, P, P)),  # 3 / 4  = 75%
    ReportMember("فاطمة", (None, None, P, A)),  # 1 / 2  = 50%  (not low)
)
# Per meeting, came / counted:          1/3 = 33% (low), 3/4 = 75%, 3/4 = 75%, 3/5 = 60%.


def _small(**changes: object) -> AttendanceReport:
    values: dict[str, object] = {
        "group_name": "Thursday Circle — Søren",
        "date_from": dt.date(2026, 3, 1),
        "date_to": dt.date(2026, 3, 31),
        "meetings": tuple(
            ReportMeeting(dt.date(2026, 3, day), guests)
            for day, guests in ((3, 0), (10, 2), (17, 1), (24, 0))
        ),
        "members": SMALL_MEMBERS,
    }
    values.update(changes)
    return AttendanceReport(**values)  # type: ignore[arg-type]


def _build(report: AttendanceReport, path: Path) -> int:
    return build_attendance_report(report, path, generated_on=GENERATED)


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("attendance") / "small.pdf"
    return path, _build(_small(), path)


def _lines(texts: list[str]) -> list[str]:
    return [line.strip() for text in texts for line in text.splitlines()]


# ---- counting ----------------------------------------------------------------------------------


def test_member_totals_follow_the_apps_rule() -> None:
    totals = {m.name: m.totals for m in SMALL_MEMBERS}
    assert (totals["Ágnes Kovács"].came, totals["Ágnes Kovács"].counted) == (3, 4)
    assert totals["Nguyễn Văn An"].rate == 1.0
    assert totals["Ольга Петрова"].rate == 0.25 and totals["Ольга Петрова"].low
    assert totals["Ελένη Παπαδοπούλου"].rate is None and not totals["Ελένη Παπαδοπούλου"].low
    assert totals["فاطمة"].rate == 0.5 and not totals["فاطمة"].low
    # The same numbers as the app's own MemberAttendance for Ольга: a meeting without a mark
    # is missed, and all four meetings were expected.
    app = MemberAttendance(1, "Ольга", 0, 1, 0, 2, expected=4, missed_streak=0, last_attended=None)
    assert app.rate == totals["Ольга Петрова"].rate


def test_meeting_totals_and_the_average() -> None:
    totals = _small().meeting_totals()
    assert [(t.came, t.counted) for t in totals] == [(1, 3), (3, 4), (3, 4), (3, 5)]
    assert [t.low for t in totals] == [True, False, False, False]
    assert average_rate(totals) == pytest.approx((1 / 3 + 0.75 + 0.75 + 0.6) / 4)
    assert average_rate(()) is None


def test_marks_from_a_service_grid_row() -> None:
    member = ReportMember.from_grid(
        "Zoë",
        (None, None, AttendanceStatus.LATE, AttendanceStatus.EXCUSED),
        (False, True, True, True),
    )
    assert member.marks == (None, Mark.NOT_MARKED, Mark.LATE, Mark.EXCUSED)
    assert Mark.of(AttendanceStatus.PRESENT) is Mark.PRESENT


def test_marks_must_match_the_meetings() -> None:
    with pytest.raises(ValueError, match="2 marks for 4 meetings"):
        _small(members=(ReportMember("Ágnes", (P, P)),))
    with pytest.raises(ValueError, match="ends before it starts"):
        _small(date_to=dt.date(2026, 2, 1))


def test_the_chart_has_a_bar_per_meeting_and_dates_that_fit() -> None:
    days = [dt.date(2026, 1, 6) + dt.timedelta(weeks=week) for week in range(52)]
    rates: list[float | None] = [0.8] * 52
    rates[3], rates[10] = 0.4, None  # a low meeting, and one nobody was expected at
    drawing = attendance_chart(list(zip(days, rates, strict=True)), 480, 118)
    bars = [shape for shape in drawing.contents if isinstance(shape, Rect)]
    assert len(bars) == 51
    assert sum(bar.fillColor == LOW_BAR for bar in bars) == 1
    labels = [shape for shape in drawing.contents if isinstance(shape, String)]
    dates = [label for label in labels if label.text not in ("0%", "50%", "100%")]
    assert dates[0].text == "6 Jan" and 6 <= len(dates) < 26
    for label in dates:
        half = stringWidth(label.text, label.fontName, label.fontSize) / 2
        assert label.x - half >= 0 and label.x + half <= 480


# ---- the document ------------------------------------------------------------------------------


def test_names_in_every_script_totals_and_rates_print(small_pdf: tuple[Path, int]) -> None:
    path, pages = small_pdf
    texts = page_texts(path)
    assert len(texts) == pages
    text = "\n".join(texts)
    for name in ("Ágnes Kovács", "Nguyễn Văn An", "Ольга Петрова", "Ελένη Παπαδοπούλου", "王秀英"):
        assert name in text
    assert "فاطمة" in text or "فاطمة"[::-1] in text
    lines = _lines(texts)

    def row(name: str) -> str:
        return next(line for line in lines if line.startswith(name + " "))

    assert row("Ágnes Kovács") == "Ágnes Kovács ● ● ◐ · 3 of 4 75%"
    assert row("Nguyễn Văn An") == "Nguyễn Văn An ● E ● 2 of 2 100%"
    assert row("Ольга Петрова") == "Ольга Петрова · · ? ◐ 1 of 4 25%"
    assert row("Ελένη Παπαδοπούλου") == "Ελένη Παπαδοπούλου E E E E 0 of 0 –"
    # Names in a fallback font are paragraphs of their own; their rows still carry the totals.
    assert sum(line.endswith("3 of 4 75%") for line in lines) == 2  # Ágnes and 王秀英
    assert any(line.endswith("1 of 2 50%") for line in lines)  # فاطمة


def test_per_meeting_totals_and_key_figures(small_pdf: tuple[Path, int]) -> None:
    path, _ = small_pdf
    lines = _lines(page_texts(path))
    assert "Member 3 Mar 10 Mar 17 Mar 24 Mar Came Rate" in lines
    assert "Came 1 3 3 3" in lines
    assert "Out of 3 4 4 5" in lines
    assert "Rate % 33 75 75 60" in lines
    assert "Guests 0 2 1 0" in lines
    text = "\n".join(lines)
    assert "61%\naverage attendance" in text  # the mean of 33, 75, 75 and 60 %
    assert "3\nguest visits" in text
    assert "1\nbelow 50%" in text
    assert "Thursday Circle — Søren · 1 Mar 2026 – 31 Mar 2026" in text
    assert "Page 1 of" in text and "Generated 24 Nov 2026" in text


def _weights(path: Path, page: int = 0) -> dict[str, set[bool]]:
    """Each word on a page with whether it is drawn bold, regular, or both."""
    found: dict[str, set[bool]] = defaultdict(set)

    def visit(text: str, cm: object, tm: object, font: object, size: object) -> None:
        if isinstance(font, dict):
            bold = "Bold" in str(font.get("/BaseFont", ""))
            for word in text.split():
                found[word].add(bold)

    PdfReader(path).pages[page].extract_text(visitor_text=visit)
    return found


def test_low_attendance_is_bold_as_well_as_tinted(small_pdf: tuple[Path, int]) -> None:
    path, _ = small_pdf
    weights = _weights(path)
    assert weights["Ольга"] == weights["Петрова"] == weights["25%"] == {True}
    assert weights["Kovács"] == weights["75%"] == {False}
    # The low meeting's rate, 33 %, is bold among the totals; 60 % is not.
    assert weights["33"] == {True}
    assert weights["60"] == {False}


def test_a_soft_tint_sits_behind_the_low_row(small_pdf: tuple[Path, int]) -> None:
    path, _ = small_pdf
    content = PdfReader(path).pages[0].get_contents()
    assert content is not None
    # The sand tint is the fill colour of a rectangle: one for Ольга's row, one for 3 March.
    tint = fp_str(LOW_TINT.red, LOW_TINT.green, LOW_TINT.blue).encode() + b" rg"
    data = content.get_data()
    assert tint in data
    after_tint = data.split(tint, 1)[1]
    assert after_tint.count(b" re f") >= 2


def test_pages_are_landscape_and_the_paper_is_respected(tmp_path: Path) -> None:
    a4, letter = tmp_path / "a4.pdf", tmp_path / "letter.pdf"
    _build(_small(), a4)
    _build(_small(paper=PaperSize.LETTER), letter)
    a4_box = PdfReader(a4).pages[0].mediabox
    letter_box = PdfReader(letter).pages[0].mediabox
    assert (round(a4_box.width), round(a4_box.height)) == (842, 595)
    assert (round(letter_box.width), round(letter_box.height)) == (792, 612)


def test_an_empty_range_is_an_error_not_an_empty_pdf(tmp_path: Path) -> None:
    target = tmp_path / "empty.pdf"
    with pytest.raises(EmptyReportError) as caught:
        _build(_small(meetings=(), members=()), target)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == (
        "There are no meetings of “Thursday Circle — Søren” between 1 Mar 2026 and 31 Mar 2026."
    )
    assert not target.exists()


def test_meetings_without_members_still_make_a_report(tmp_path: Path) -> None:
    path = tmp_path / "nobody.pdf"
    assert _build(_small(members=()), path) == 1
    text = "\n".join(page_texts(path))
    assert "Nobody was expected at these meetings." in text
    assert "Came 0 0 0 0" in text


def test_a_long_name_wraps_instead_of_being_cut(tmp_path: Path) -> None:
    long_name = "Maria da Conceição Albuquerque de Vasconcelos e Sá Figueiredo"
    path = tmp_path / "long.pdf"
    _build(_small(members=(ReportMember(long_name, (P, P, P, A)),)), path)
    text = " ".join(_lines(page_texts(path)))
    assert long_name in text
    assert "3 of 4 75%" in text


def test_writes_to_a_binary_stream() -> None:
    buffer = io.BytesIO()
    pages = build_attendance_report(_small(), buffer, generated_on=GENERATED)
    assert buffer.getvalue().startswith(b"%PDF") and pages >= 1


def test_pages_render_and_are_not_blank(small_pdf: tuple[Path, int], tmp_path: Path) -> None:
    path, pages = small_pdf
    pngs = render_pages(path, tmp_path, resolution=60)
    assert len(pngs) == pages
    assert ink_fraction(pngs[0]) > 0.01


# ---- a large group: 300 members × 52 weekly meetings -------------------------------------------

FIRST = ("Ágnes", "Łucja", "Søren", "Ελένη", "Ольга", "Nguyễn", "Siobhán", "Zoë", "Mateusz")
BIG_MEETINGS = tuple(
    ReportMeeting(dt.date(2026, 1, 6) + dt.timedelta(weeks=week), week % 3) for week in range(52)
)
NAME_AT_LINE_START = re.compile(rf"^((?:{'|'.join(FIRST)}) \d{{3}}) ")


def _big_members() -> tuple[ReportMember, ...]:
    pattern: tuple[Mark, ...] = (P, P, L, P, E, P, A, P, P, N)
    members = []
    for i in range(300):
        joined = i % 7  # some join a few weeks in: blank cells before
        marks = tuple(None if week < joined else pattern[(i + week) % 10] for week in range(52))
        members.append(ReportMember(f"{FIRST[i % len(FIRST)]} {i:03d}", marks))
    return tuple(members)


@pytest.fixture(scope="module")
def big_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, AttendanceReport]:
    report = _small(
        date_from=dt.date(2026, 1, 1),
        date_to=dt.date(2026, 12, 31),
        meetings=BIG_MEETINGS,
        members=_big_members(),
    )
    path = tmp_path_factory.mktemp("attendance") / "big.pdf"
    return path, _build(report, path), report


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _date_label(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def test_a_large_group_repeats_dates_and_names_on_every_page(
    big_pdf: tuple[Path, int, AttendanceReport],
) -> None:
    path, pages, report = big_pdf
    texts = page_texts(path)
    assert len(texts) == pages
    # About 28 rows a page, in two chunks of 26 meetings: each chunk runs 11 to 13 pages.
    assert 20 <= pages <= 28
    names = [m.name for m in report.members]

    def header_for(start: int, stop: int) -> str:
        dates = [_date_label(m.date) for m in BIG_MEETINGS[start:stop]]
        return " ".join(["Member", *dates, "Came", "Rate"])

    chunks = {
        "Meetings 1–26 of 52": header_for(0, 26),
        "Meetings 27–52 of 52": header_for(26, 52),
    }
    seen: dict[str, list[str]] = {caption: [] for caption in chunks}
    for number, text in enumerate(texts, start=1):
        captions = [caption for caption in chunks if caption in text]
        assert len(captions) == 1, f"page {number} should belong to one chunk of meetings"
        lines = _lines([text])
        assert chunks[captions[0]] in lines, f"page {number} lacks the row of dates"
        page_names = [m[1] for line in lines if (m := NAME_AT_LINE_START.match(line))]
        assert page_names, f"page {number} has no member column"
        seen[captions[0]].extend(page_names)
        assert f"Page {number} of {pages}" in text
    # Each chunk lists every member once, in order, across its pages.
    assert seen["Meetings 1–26 of 52"] == names
    assert seen["Meetings 27–52 of 52"] == names


def test_a_large_group_renders(big_pdf: tuple[Path, int, AttendanceReport], tmp_path: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    path, pages, _ = big_pdf
    # The last page, where the per-meeting totals are.
    prefix = tmp_path / "last"
    subprocess.run(
        [pdftoppm, "-png", "-gray", "-r", "60", "-f", str(pages), "-l", str(pages), "-singlefile"]
        + [str(path), str(prefix)],
        check=True,
        capture_output=True,
    )
    assert ink_fraction(prefix.with_suffix(".png")) > 0.005
