"""The sign-in sheet printed before a meeting: the roster's names with a tick box and room to
sign, then empty rows for newcomers.

It shows names and nothing else about anyone: the dataclass has no place for more.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from peercircle.pdf.fonts import BODY, BOLD, rich, string_width
from peercircle.pdf.page import (
    ACCENT,
    MUTED,
    RULE,
    SHADE,
    PageSetup,
    PaperSize,
    build_pdf,
    content_height,
    content_width,
    format_long_date,
    styles,
)

TITLE = "Sign-in sheet"

# Rows stretch to fill one page when the group fits, between these heights (points); a group
# too large for one page flows on at the comfortable height.
_ROW_MIN = 16.0
_ROW_MAX = 26.0
_ROW_FLOWING = 22.0
_ROW_FLOWING_MAX = 25.0
_HEADER_ROW = 20.0
_TICK_BOX = 10.0
_PADDING = 6.0
_SLACK = 2.0  # points kept free on each page so rounding never pushes a row over
_NAME_SIZE = 10.5
_NAME_SIZE_SMALLEST = 8.5
_NAME_SIZE_WRAPPED = 9.5


@dataclass(frozen=True)
class SignInSheet:
    group_name: str
    meeting_date: dt.date
    starts_at: dt.time | None
    place: str
    names: tuple[str, ...]
    initials_only: bool = False
    blank_rows: int = 6
    paper: PaperSize = PaperSize.A4


def first_name_and_initial(name: str) -> str:
    """ "Ágnes Kovács" -> "Ágnes K."; a single name stays as it is."""
    words = unicodedata.normalize("NFC", name).split()
    if len(words) < 2:
        return " ".join(words)
    last = words[-1]
    initial = last[0]
    for ch in last[1:]:  # keep combining marks with their letter
        if not unicodedata.combining(ch):
            break
        initial += ch
    return f"{words[0]} {initial.upper()}."


class _TickBox(Flowable):
    """An empty square to tick, centred in its cell."""

    def __init__(self, size: float) -> None:
        super().__init__()
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._width = availWidth
        return availWidth, self.size

    def draw(self) -> None:
        self.canv.setStrokeColor(MUTED)
        self.canv.setLineWidth(0.8)
        self.canv.roundRect((self._width - self.size) / 2, 0, self.size, self.size, 1.5)


def _details(sheet: SignInSheet, width: float) -> Flowable:
    style = styles()
    label = style["small"].clone("label", fontName=BOLD, fontSize=7.5, textColor=MUTED)
    value = style["body"].clone("value", fontSize=11, leading=14)
    items = [("DATE", format_long_date(sheet.meeting_date))]
    if sheet.starts_at is not None:
        items.append(("STARTS", sheet.starts_at.strftime("%H:%M")))
    if sheet.place.strip():
        items.append(("PLACE", sheet.place.strip()))
    cells = [
        [Paragraph(name, label) for name, _ in items],
        [Paragraph(rich(v), value) for _, v in items],
    ]
    widths = {"DATE": 62 * mm, "STARTS": 26 * mm, "PLACE": 0.0}
    column_widths = [widths[name] for name, _ in items]
    column_widths[-1] = width - sum(column_widths[:-1])
    table = Table(cells, colWidths=column_widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 2),
                ("BOTTOMPADDING", (0, 1), (-1, 1), 0),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _heading(sheet: SignInSheet, width: float) -> list[Flowable]:
    style = styles()
    hint = style["small"].clone("hint", fontSize=9, leading=12.5)
    return [
        Paragraph(TITLE, style["title"]),
        Paragraph(rich(sheet.group_name), style["subtitle"].clone("group", spaceAfter=12)),
        _details(sheet, width),
        Spacer(width, 12),
        Paragraph(
            "Please tick the box by your name and sign. New here? Welcome — "
            "write your first name in an empty row.",
            hint,
        ),
        Spacer(width, 8),
    ]


@dataclass(frozen=True)
class _Columns:
    number: float
    name: float
    tick: float
    signature: float

    @classmethod
    def for_width(cls, width: float) -> _Columns:
        number, tick = 11 * mm, 16 * mm
        name = round((width - number - tick) * 0.45)
        return cls(number, name, tick, width - number - tick - name)


def _name_cells(names: list[str], room: float) -> list[tuple[Paragraph, float]]:
    """Each name as a paragraph, with the least row height it needs (0: any row will do).

    A name too long for one line first gets a smaller size; only a very long one wraps."""
    base = styles()["cell"].clone("name", fontSize=_NAME_SIZE, leading=13)
    cells = []
    for name in names:
        width = string_width(name, _NAME_SIZE)
        if width <= room:
            cells.append((Paragraph(rich(name), base), 0.0))
            continue
        size = _NAME_SIZE * room / width
        if size < _NAME_SIZE_SMALLEST:
            size = _NAME_SIZE_WRAPPED  # it wraps anyway: keep it easy to read
        style = base.clone("name_small", fontSize=size, leading=size * 1.2)
        paragraph = Paragraph(rich(name), style)
        needed = paragraph.wrap(room, 1000)[1]
        cells.append((paragraph, needed + 4 if needed > style.leading else 0.0))
    return cells


def _pages(heights: list[float], first_room: float, room: float) -> int:
    """How many pages the rows take when the table breaks between rows, header repeated."""
    pages, left = 1, first_room
    for height in heights:
        if height > left:
            pages, left = pages + 1, room
        left -= height
    return pages


def _fit_rows(needs: list[float], first_room: float, room: float) -> list[float]:
    """Row heights: stretched to fill one page when the group fits, otherwise comfortable and
    spread over the pages so that the last one is not a stray row or two."""

    def heights(row: float) -> list[float]:
        return [max(row, need) for need in needs]

    if not needs:
        return []
    if _pages(heights(_ROW_MIN), first_room, room) == 1:
        row = _ROW_MAX
        while row > _ROW_MIN and _pages(heights(row), first_room, room) > 1:
            row -= 0.25
        return heights(row)
    pages = _pages(heights(_ROW_FLOWING), first_room, room)
    row = _ROW_FLOWING_MAX
    while row > _ROW_FLOWING and _pages(heights(row), first_room, room) > pages:
        row -= 0.25
    return heights(row)


def _table(
    names: list[Paragraph], blank_rows: int, columns: _Columns, heights: list[float]
) -> Table:
    style = styles()
    head = style["small"].clone("head", fontName=BOLD, fontSize=8.5, textColor=MUTED)
    tick = _TickBox(_TICK_BOX)
    rows: list[list[object]] = [
        [
            Paragraph("#", head.clone("head_number", alignment=2)),
            Paragraph("Name", head),
            Paragraph("Tick", head.clone("head_centre", alignment=1)),
            Paragraph("Signature", head),
        ]
    ]
    for index in range(len(names) + blank_rows):
        rows.append([str(index + 1), names[index] if index < len(names) else "", tick, ""])
    table = Table(
        rows,
        colWidths=[columns.number, columns.name, columns.tick, columns.signature],
        rowHeights=[_HEADER_ROW, *heights],
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), _PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), _PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), 4),
                ("FONT", (0, 1), (0, -1), BODY, 8.5),
                ("TEXTCOLOR", (0, 1), (0, -1), MUTED),
                ("ALIGN", (0, 1), (0, -1), "RIGHT"),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LINEBELOW", (0, 0), (-1, 0), 0.9, ACCENT),
                ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
                # The space to sign starts at a faint vertical guide.
                ("LINEBEFORE", (3, 1), (3, -1), 0.5, RULE),
            ]
        )
    )
    return table


def build_sign_in(sheet: SignInSheet, target: Path | BinaryIO, *, generated_on: dt.date) -> int:
    """Write the sign-in sheet to ``target``; returns the number of pages.

    Raises PdfWriteError if a path cannot be written (nothing half-written is left)."""
    setup = PageSetup(
        title=TITLE, group_name=sheet.group_name, generated_on=generated_on, paper=sheet.paper
    )
    width, height = content_width(setup), content_height(setup)
    heading = _heading(sheet, width)
    used = sum(f.wrap(width, height)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in heading)
    names = [first_name_and_initial(n) if sheet.initials_only else n for n in sheet.names]
    blank_rows = max(sheet.blank_rows, 0)
    columns = _Columns.for_width(width)
    cells = _name_cells(names, columns.name - 2 * _PADDING)
    needs = [need for _, need in cells] + [0.0] * blank_rows
    room = height - _HEADER_ROW - _SLACK
    heights = _fit_rows(needs, room - used, room)
    story: list[Flowable] = [*heading]
    if heights:
        story.append(_table([cell for cell, _ in cells], blank_rows, columns, heights))
    return build_pdf(story, setup, target)
