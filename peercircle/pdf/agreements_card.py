"""The group agreements card: one calm page to put on the table or the wall, the group's name
and its agreements in large type.

The agreements text is the group's own, one agreement a line; `agreement_lines` is shared with
the resource handout, which prints the same lines at its end.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from peercircle.pdf.fonts import BOLD, rich
from peercircle.pdf.page import (
    ACCENT,
    INK,
    MUTED,
    PageSetup,
    PaperSize,
    build_pdf,
    content_height,
    content_width,
    styles,
)

TITLE = "Group agreements"
HEADING = "Our agreements"

# The agreements' type size: as large as the page allows, between these (points). Below the
# smallest the card would stop being readable across a table, so a very long list flows on.
_LARGEST = 24.0
_SMALLEST = 10.0
_STEP = 0.5
_SLACK = 4.0  # points kept free so rounding never pushes the last line onto a second page

# A bullet or number the facilitator typed in front of a line: the card draws its own.
_MARKER = re.compile(r"^(?:[•·▪◦‣●○■□►▸–—]\s*|[-*+](?:\s+|$)|\(?\d{1,3}[.)](?:\s+|$))")


class NoAgreementsError(ValueError):
    """The group has no agreements to print."""

    def __init__(self, group_name: str) -> None:
        super().__init__(f"“{group_name}” has no agreements yet. Add them in Edit group…")
        self.group_name = group_name


@dataclass(frozen=True)
class AgreementsCard:
    group_name: str
    agreements: str  # one agreement a line, as the facilitator wrote them
    schedule: str  # e.g. "Tuesdays 18:30 · Willow Lane Library, Room 2"; may be empty
    paper: PaperSize = PaperSize.A4


def agreement_lines(text: str) -> tuple[str, ...]:
    """Each agreement on its own, without empty lines or the bullets and numbers typed in
    front of them ("- ", "• ", "3. ")."""
    lines = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _MARKER.sub("", raw.strip()).strip()
        if line:
            lines.append(line)
    return tuple(lines)


def _story(
    card: AgreementsCard, lines: tuple[str, ...], width: float, size: float
) -> list[Flowable]:
    style = styles()
    # 1 at the largest type, 0 at the smallest: the spacing and the heading shrink with it.
    scale = (size - _SMALLEST) / (_LARGEST - _SMALLEST)
    group = style["body"].clone(
        "card_group", fontName=BOLD, fontSize=14, leading=18, textColor=ACCENT, spaceAfter=6
    )
    heading_size = 26 + 8 * scale
    heading = style["title"].clone(
        "card_heading",
        fontSize=heading_size,
        leading=heading_size * 1.18,
        spaceAfter=0,
        textColor=INK,
    )
    item = style["body"].clone("card_item", fontSize=size, leading=size * 1.32, textColor=INK)
    number = item.clone("card_number", fontName=BOLD, fontSize=size * 0.78, textColor=ACCENT)
    gutter = max(size * 1.6, 9 * mm)
    gap = size * (0.4 + 0.4 * scale)  # between agreements
    rows = [
        [Paragraph(str(index), number), Paragraph(rich(line), item)]
        for index, line in enumerate(lines, start=1)
    ]
    table = Table(rows, colWidths=[gutter, width - gutter], hAlign="LEFT", splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), size * 0.7),
                ("TOPPADDING", (0, 0), (-1, -1), gap / 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), gap / 2),
                # The smaller number sits on the agreement's first baseline.
                ("TOPPADDING", (0, 0), (0, -1), gap / 2 + size * 0.22),
            ]
        )
    )
    story: list[Flowable] = [
        Paragraph(rich(card.group_name), group),
        Paragraph(HEADING, heading),
        _Rule(22 * mm, 2.2, ACCENT, space_before=12, space_after=14 + 8 * scale),
        table,
    ]
    schedule = card.schedule.strip()
    if schedule:
        footer = style["body"].clone(
            "card_schedule", fontSize=12, leading=17, textColor=MUTED, spaceBefore=22 + 10 * scale
        )
        story.append(Paragraph(rich(schedule), footer))
    return story


class _Rule(Flowable):
    """A short thick line under the heading: the card's one touch of colour."""

    def __init__(
        self,
        length: float,
        thickness: float,
        color: Color,
        *,
        space_before: float,
        space_after: float,
    ) -> None:
        super().__init__()
        self.length = length
        self.thickness = thickness
        self.color = color
        self.spaceBefore = space_before
        self.spaceAfter = space_after

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.length, self.thickness

    def draw(self) -> None:
        self.canv.setFillColor(self.color)
        self.canv.rect(0, 0, self.length, self.thickness, stroke=0, fill=1)


def _height(story: list[Flowable], width: float, room: float) -> float:
    total = 0.0
    for index, flowable in enumerate(story):
        total += flowable.wrap(width, room)[1] + flowable.getSpaceAfter()
        if index:
            total += flowable.getSpaceBefore()
    return total


def card_story(card: AgreementsCard, width: float, height: float) -> list[Flowable]:
    """The card's flowables for a frame of ``width`` × ``height`` points: the agreements as
    large as fits one page, the whole block set a little above the middle of the page.

    Raises NoAgreementsError when there is not a single agreement."""
    lines = agreement_lines(card.agreements)
    if not lines:
        raise NoAgreementsError(card.group_name)
    room = height - _SLACK

    def laid_out(size: float) -> tuple[list[Flowable], float]:
        story = _story(card, lines, width, size)
        return story, _height(story, width, room)

    # The largest size that fits, found by halving: the smaller the type, the less it needs.
    sizes = [_LARGEST - step * _STEP for step in range(round((_LARGEST - _SMALLEST) / _STEP) + 1)]
    story, used = laid_out(sizes[0])
    if used > room:
        low, high = 1, len(sizes) - 1  # sizes[high] is the smallest, used even if too large
        while low < high:
            middle = (low + high) // 2
            if laid_out(sizes[middle])[1] <= room:
                high = middle
            else:
                low = middle + 1
        story, used = laid_out(sizes[high])
    if used < room:
        # Optical centre: two fifths of the free space above, three below.
        story.insert(0, Spacer(width, (room - used) * 0.4))
    return story


def build_agreements_card(
    card: AgreementsCard, target: Path | BinaryIO, *, generated_on: dt.date
) -> int:
    """Write the agreements card to ``target``; returns the number of pages (one, unless the
    list is too long to stay readable on one).

    Raises NoAgreementsError when the group has no agreements, PdfWriteError if a path cannot
    be written (nothing half-written is left)."""
    setup = PageSetup(
        title=TITLE, group_name=card.group_name, generated_on=generated_on, paper=card.paper
    )
    story = card_story(card, content_width(setup), content_height(setup))
    return build_pdf(story, setup, target)


__all__ = [
    "AgreementsCard",
    "NoAgreementsError",
    "agreement_lines",
    "build_agreements_card",
    "card_story",
]
