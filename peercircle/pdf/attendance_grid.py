"""The members × meetings grid of the attendance report: a flowable that splits across pages,
repeating its caption, its header row (the meeting dates) and the member column on each.

A year of a large group is tens of thousands of cells. ReportLab's ``Table`` draws each cell
with its own text object (about 50 µs a cell here); this grid writes every short string of a
page into one text object, each distinct string encoded once, as ReportLab's TrueType module
documents for dynamic fonts (``font.splitString`` + ``getSubsetInternalName``). Names that need
a fallback font or do not fit on one line are Paragraphs, as everywhere else.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.rl_accel import escapePDF
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from peercircle.pdf.fonts import BODY, BOLD, rich, string_width
from peercircle.pdf.page import INK, MUTED, RULE, SHADE

LOW_TINT = HexColor("#f8ead4")  # a soft sand behind low attendance; bold text says it too
HAIRLINE = HexColor("#e1e7e5")

NAME_SIZE = 9.0
MARK_SIZE = 9.5
NUMBER_SIZE = 8.5
DAY_SIZE = 8.5
MONTH_SIZE = 6.5
CAPTION_SIZE = 8.0

ROW_HEIGHT = 15.0
HEADER_HEIGHT = 29.0
CAPTION_HEIGHT = 19.0
TOTALS_GAP = 5.0  # air between the last member and the per-meeting totals
PAD = 5.0
SWATCH_WIDTH = 14.0

MIN_MEETING_WIDTH = 18.0
MAX_MEETING_WIDTH = 34.0
MIN_NAME_WIDTH = 112.0
MAX_NAME_WIDTH = 165.0  # longer names wrap, so that a year of meetings fits in two chunks
ROOMY_NAME_WIDTH = 200.0  # what the member column may grow to when the page has room over
CAME_WIDTH = 52.0
RATE_WIDTH = 40.0
KEEP_WITH_TOTALS = 3  # member rows carried onto a page that would hold only the totals
MIN_ROWS = 3  # fewer member rows than this under a header wait for the next page


@dataclass(frozen=True)
class GridLine:
    """One row of the grid: a member, or a per-meeting total such as "Came"."""

    label: str
    cells: tuple[str, ...]  # one per meeting of the chunk; "" leaves the cell blank
    came: str = ""
    rate: str = ""
    low: bool = False  # the whole row: tinted, name and rate in bold
    low_cells: frozenset[int] = frozenset()  # single meeting cells: tinted and bold


@dataclass(frozen=True)
class GridChunk:
    """The meetings that fit across one page, with every member's row for them."""

    caption: str
    legend: str
    days: tuple[str, ...]  # "3", one per meeting
    months: tuple[str, ...]  # "Mar", one per meeting
    month_starts: frozenset[int]  # meeting indexes where a new month begins (a faint rule)
    members: tuple[GridLine, ...]
    totals: tuple[GridLine, ...]
    quiet: frozenset[str]  # cell texts printed in the muted ink (absent, excused, ...)
    highlight: str = ""  # what the tint means, shown after the legend beside a swatch
    came_head: str = "Came"
    rate_head: str = "Rate"
    label_head: str = "Member"


@dataclass(frozen=True)
class ColumnPlan:
    name_width: float
    meeting_width: float
    per_chunk: int
    frame_width: float  # the caption line spans it, however narrow the grid is

    def table_width(self, meetings: int) -> float:
        return self.name_width + meetings * self.meeting_width + CAME_WIDTH + RATE_WIDTH


def plan_columns(names: Sequence[str], meetings: int, width: float) -> ColumnPlan:
    """Column widths for ``width`` points and how many meetings go across one page.

    The member column is as wide as the longest name needs, within limits (longer names wrap);
    the meetings share the rest evenly, in as few chunks as the narrowest readable column allows.
    """
    widest = max((string_width(name, NAME_SIZE, bold=True) for name in names), default=0.0)
    name_width = min(max(widest + 2 * PAD + 2, MIN_NAME_WIDTH), MAX_NAME_WIDTH)
    room = width - name_width - CAME_WIDTH - RATE_WIDTH
    fits = max(1, int(room // MIN_MEETING_WIDTH))
    chunks = math.ceil(meetings / fits) if meetings else 1
    per_chunk = math.ceil(meetings / chunks) if meetings else 1
    meeting_width = min(MAX_MEETING_WIDTH, room / per_chunk)
    # Few meetings leave room over: give some of it to the names.
    spare = room - per_chunk * meeting_width
    name_width += max(0.0, min(spare, ROOMY_NAME_WIDTH - name_width))
    return ColumnPlan(name_width, meeting_width, per_chunk, width)


def _total_size(meeting_width: float) -> float:
    """Type size for per-meeting totals: three digits must fit a narrow column with air."""
    return NUMBER_SIZE if meeting_width >= 24 else 7.0


class _TextBatch:
    """Short strings for one page, written as a single PDF text object.

    Each string is placed relative to the one before (``Td``) and the font is set only when it
    changes, which keeps the page small and quick to read back as text.
    """

    def __init__(self, canvas: Canvas) -> None:
        self._canvas = canvas
        # The PDF document the canvas writes: TrueType subsets are numbered per document.
        self._doc = canvas._doc  # type: ignore[attr-defined]
        self._encoded: dict[tuple[str, float, bool], _Encoded] = {}
        self._start()

    def _start(self) -> None:
        self._ops: list[str] = ["q BT"]
        self._fill: Color | None = None
        self._font = ""
        self._x = self._y = 0.0

    def _encode(self, text: str, size: float, bold: bool) -> _Encoded:
        """The font-setting and text-showing operators for ``text``, and its width."""
        font = pdfmetrics.getFont(BOLD if bold else BODY)
        assert isinstance(font, TTFont)
        runs = tuple(
            (
                f"{font.getSubsetInternalName(subset, self._doc)} {size:g} Tf",
                f"({escapePDF(chunk)}) Tj",
            )
            for subset, chunk in font.splitString(text, self._doc)
        )
        found = self._encoded[(text, size, bold)] = _Encoded(runs, font.stringWidth(text, size))
        return found

    def add(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float,
        bold: bool = False,
        color: Color = INK,
        align: str = "left",
    ) -> None:
        if not text:
            return
        encoded = self._encoded.get((text, size, bold)) or self._encode(text, size, bold)
        if align == "centre":
            x -= encoded.width / 2
        elif align == "right":
            x -= encoded.width
        ops = self._ops
        if color is not self._fill:
            ops.append(f"{color.red:.3f} {color.green:.3f} {color.blue:.3f} rg")
            self._fill = color
        x, y = round(x, 2), round(y, 2)
        ops.append(f"{x - self._x:.2f} {y - self._y:.2f} Td")
        self._x, self._y = x, y
        for font, shown in encoded.runs:
            if font != self._font:
                ops.append(font)
                self._font = font
            ops.append(shown)

    def flush(self) -> None:
        if len(self._ops) > 1:
            self._ops.append("ET Q")
            self._canvas.addLiteral(" ".join(self._ops))
        self._start()


@dataclass(frozen=True)
class _Encoded:
    runs: tuple[tuple[str, str], ...]  # (font operator, text-showing operator)
    width: float


@dataclass(frozen=True)
class _Row:
    """A row placed on a page: ``top`` is its upper edge in the flowable's coordinates."""

    line: GridLine
    top: float
    height: float
    name: Paragraph | None
    is_total: bool = False

    @property
    def bottom(self) -> float:
        return self.top - self.height


@dataclass
class _Layout:
    """What every piece of a split grid shares: widths, row heights, wrapped names."""

    chunk: GridChunk
    plan: ColumnPlan
    heights: list[float]  # members, then the totals
    names: list[Paragraph | None]  # a Paragraph where the plain fast path cannot draw the name

    @property
    def top(self) -> float:
        return (CAPTION_HEIGHT if self.chunk.caption or self.chunk.legend else 0) + HEADER_HEIGHT

    @property
    def width(self) -> float:
        return self.plan.table_width(len(self.chunk.days))

    @property
    def caption_width(self) -> float:
        return max(self.width, self.plan.frame_width)


def _name_style(bold: bool) -> ParagraphStyle:
    return ParagraphStyle(
        "grid_name",
        fontName=BOLD if bold else BODY,
        fontSize=NAME_SIZE,
        leading=NAME_SIZE * 1.25,
        textColor=INK,
    )


def _layout(chunk: GridChunk, plan: ColumnPlan) -> _Layout:
    room = plan.name_width - 2 * PAD
    styles = {False: _name_style(False), True: _name_style(True)}
    heights: list[float] = []
    names: list[Paragraph | None] = []
    for line in (*chunk.members, *chunk.totals):
        markup = rich(line.label)
        if markup == escape(line.label) and string_width(line.label, NAME_SIZE, bold=True) <= room:
            heights.append(ROW_HEIGHT)
            names.append(None)
            continue
        para = Paragraph(markup, styles[line.low])
        _, height = para.wrap(room, 10_000)
        heights.append(max(ROW_HEIGHT, height + 5))
        names.append(para)
    return _Layout(chunk, plan, heights, names)


class AttendanceGrid(Flowable):
    """One chunk of meetings for every member; splits by rows, repeating its header."""

    def __init__(self, chunk: GridChunk, plan: ColumnPlan) -> None:
        super().__init__()
        self._setup(_layout(chunk, plan), 0, len(chunk.members), with_totals=True)

    def _setup(self, layout: _Layout, first: int, last: int, *, with_totals: bool) -> None:
        self._layout = layout
        self._first = first  # member rows [first, last)
        self._last = last
        self._with_totals = with_totals
        self.width = layout.caption_width
        self.height = self._height(first, last, with_totals)

    def _piece(self, first: int, last: int, *, with_totals: bool) -> AttendanceGrid:
        piece = AttendanceGrid.__new__(AttendanceGrid)
        Flowable.__init__(piece)
        piece._setup(self._layout, first, last, with_totals=with_totals)
        return piece

    def _totals_height(self) -> float:
        layout = self._layout
        return TOTALS_GAP + sum(layout.heights[len(layout.chunk.members) :])

    def _height(self, first: int, last: int, with_totals: bool) -> float:
        height = self._layout.top + sum(self._layout.heights[first:last])
        return height + (self._totals_height() if with_totals else 0)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if self.height <= avail_height:
            return [self]
        heights = self._layout.heights
        room = avail_height - self._layout.top
        last = self._first
        while last < self._last and heights[last] <= room:
            room -= heights[last]
            last += 1
        if last == self._last:
            # Every member fits but the totals do not: take a few members along with them.
            last -= KEEP_WITH_TOTALS
        if last - self._first < MIN_ROWS:
            return []  # a header over a row or two is not worth it: start on the next page
        return [
            self._piece(self._first, last, with_totals=False),
            self._piece(last, self._last, with_totals=self._with_totals),
        ]

    # ---- drawing ------------------------------------------------------------------------------

    def draw(self) -> None:
        canvas: Canvas = self.canv
        layout = self._layout
        chunk, plan = layout.chunk, layout.plan
        text = _TextBatch(canvas)
        rows: list[_Row] = []
        y = self.height - layout.top
        members = len(chunk.members)
        for index in range(self._first, self._last):
            rows.append(_Row(chunk.members[index], y, layout.heights[index], layout.names[index]))
            y -= layout.heights[index]
        totals_top = y
        if self._with_totals:
            y -= TOTALS_GAP
            for offset, line in enumerate(chunk.totals):
                index = members + offset
                rows.append(
                    _Row(line, y, layout.heights[index], layout.names[index], is_total=True)
                )
                y -= layout.heights[index]

        self._draw_backgrounds(canvas, rows, totals_top)
        self._draw_rules(canvas, rows, totals_top)
        self._draw_head(text)
        for row in rows:
            if row.name is not None:
                # Drawn in reading order, so that copied or extracted text keeps rows together.
                text.flush()
                _, name_height = row.name.wrap(plan.name_width - 2 * PAD, row.height)
                row.name.drawOn(canvas, PAD, row.top - (row.height + name_height) / 2)
            self._draw_row(text, row)
        text.flush()

    def _meeting_x(self, index: int) -> float:
        plan = self._layout.plan
        return plan.name_width + index * plan.meeting_width

    def _draw_backgrounds(self, canvas: Canvas, rows: list[_Row], totals_top: float) -> None:
        layout = self._layout
        plan, width = layout.plan, layout.width
        header_top = self.height - (layout.top - HEADER_HEIGHT)
        canvas.saveState()
        canvas.setFillColor(SHADE)
        canvas.rect(0, header_top - HEADER_HEIGHT, width, HEADER_HEIGHT, stroke=0, fill=1)
        if self._with_totals and layout.chunk.totals:
            bottom = rows[-1].bottom
            canvas.rect(0, bottom, width, totals_top - TOTALS_GAP - bottom, stroke=0, fill=1)
        canvas.setFillColor(LOW_TINT)
        if layout.top > HEADER_HEIGHT and layout.chunk.highlight:
            _, swatch_x = self._legend_layout()
            canvas.rect(
                swatch_x, self.height - CAPTION_HEIGHT + 6, SWATCH_WIDTH, 7.5, stroke=0, fill=1
            )
        for row in rows:
            if row.line.low:
                canvas.rect(0, row.bottom, width, row.height, stroke=0, fill=1)
            for index in row.line.low_cells:
                x = self._meeting_x(index)
                canvas.rect(x, row.bottom, plan.meeting_width, row.height, stroke=0, fill=1)
        canvas.restoreState()

    def _draw_rules(self, canvas: Canvas, rows: list[_Row], totals_top: float) -> None:
        layout = self._layout
        chunk, plan, width = layout.chunk, layout.plan, layout.width
        header_bottom = self.height - layout.top
        bottom = rows[-1].bottom if rows else header_bottom
        members_bottom = totals_top if rows else header_bottom
        canvas.saveState()
        # Hairlines between member rows.
        canvas.setStrokeColor(HAIRLINE)
        canvas.setLineWidth(0.4)
        path = canvas.beginPath()
        for row in rows:
            if not row.is_total and row.bottom > members_bottom + 0.01:
                path.moveTo(0, row.bottom)
                path.lineTo(width, row.bottom)
        for index in chunk.month_starts:
            if index:
                x = self._meeting_x(index)
                path.moveTo(x, header_bottom)
                path.lineTo(x, members_bottom)
        canvas.drawPath(path, stroke=1, fill=0)
        # The member column and the totals columns stand apart from the marks.
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        path = canvas.beginPath()
        top = self.height - (layout.top - HEADER_HEIGHT)
        for x in (plan.name_width, width - CAME_WIDTH - RATE_WIDTH):
            path.moveTo(x, top)
            path.lineTo(x, bottom)
        path.moveTo(0, members_bottom)
        path.lineTo(width, members_bottom)
        canvas.drawPath(path, stroke=1, fill=0)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.8)
        canvas.line(0, header_bottom, width, header_bottom)
        if self._with_totals and chunk.totals:
            # Paper-white gaps keep the per-meeting numbers apart on the shaded band.
            canvas.setStrokeColor(white)
            canvas.setLineWidth(1.2)
            path = canvas.beginPath()
            totals_bottom = totals_top - TOTALS_GAP
            for index in range(1, len(chunk.days)):
                path.moveTo(self._meeting_x(index), totals_bottom)
                path.lineTo(self._meeting_x(index), bottom)
            canvas.drawPath(path, stroke=1, fill=0)
        canvas.restoreState()

    def _legend_layout(self) -> tuple[float, float]:
        """Where the legend ends and where the tint's swatch starts, on the caption line."""
        chunk, width = self._layout.chunk, self._layout.caption_width
        if not chunk.highlight:
            return width, width
        label = pdfmetrics.stringWidth(chunk.highlight, BODY, CAPTION_SIZE)
        swatch_x = width - label - 3.5 - SWATCH_WIDTH
        return swatch_x - 12, swatch_x

    def _draw_head(self, text: _TextBatch) -> None:
        layout = self._layout
        chunk, plan, width = layout.chunk, layout.plan, layout.width
        if layout.top > HEADER_HEIGHT:
            baseline = self.height - CAPTION_HEIGHT + 7
            text.add(0, baseline, chunk.caption, size=CAPTION_SIZE, bold=True, color=MUTED)
            legend_end, swatch_x = self._legend_layout()
            text.add(
                legend_end, baseline, chunk.legend, size=CAPTION_SIZE, color=MUTED, align="right"
            )
            if chunk.highlight:
                text.add(
                    swatch_x + SWATCH_WIDTH + 3.5,
                    baseline,
                    chunk.highlight,
                    size=CAPTION_SIZE,
                    color=MUTED,
                )
        header_bottom = self.height - layout.top
        day_baseline = header_bottom + 15.5
        month_baseline = header_bottom + 6.5
        label_baseline = header_bottom + 10
        text.add(PAD, label_baseline, chunk.label_head, size=NUMBER_SIZE, bold=True)
        half = plan.meeting_width / 2
        for index, (day, month) in enumerate(zip(chunk.days, chunk.months, strict=True)):
            centre = self._meeting_x(index) + half
            text.add(centre, day_baseline, day, size=DAY_SIZE, bold=True, align="centre")
            text.add(centre, month_baseline, month, size=MONTH_SIZE, color=MUTED, align="centre")
        came_centre = width - RATE_WIDTH - CAME_WIDTH / 2
        rate_centre = width - RATE_WIDTH / 2
        for centre, head in ((came_centre, chunk.came_head), (rate_centre, chunk.rate_head)):
            text.add(centre, label_baseline, head, size=NUMBER_SIZE, bold=True, align="centre")

    def _draw_row(self, text: _TextBatch, row: _Row) -> None:
        layout = self._layout
        chunk, plan, width = layout.chunk, layout.plan, layout.width
        line, is_total = row.line, row.is_total
        baseline = row.top - row.height / 2 - 3.2
        if row.name is None:
            text.add(
                PAD,
                baseline,
                line.label,
                size=NAME_SIZE if not is_total else NUMBER_SIZE,
                bold=line.low or is_total,
                color=INK if not is_total else MUTED,
            )
        half = plan.meeting_width / 2
        size = MARK_SIZE if not is_total else _total_size(plan.meeting_width)
        for index, cell in enumerate(line.cells):
            if not cell:
                continue
            quiet = cell in chunk.quiet and not is_total
            text.add(
                self._meeting_x(index) + half,
                baseline,
                cell,
                size=size,
                bold=index in line.low_cells,
                color=MUTED if quiet else INK,
                align="centre",
            )
        text.add(
            width - RATE_WIDTH - CAME_WIDTH / 2,
            baseline,
            line.came,
            size=NUMBER_SIZE,
            align="centre",
        )
        text.add(
            width - RATE_WIDTH / 2,
            baseline,
            line.rate,
            size=NUMBER_SIZE,
            bold=line.low,
            align="centre",
        )
