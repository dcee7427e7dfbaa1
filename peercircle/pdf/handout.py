"""The resource handout: the group's chosen helplines, services, readings and websites, each
with its phone number, address and a QR code for its link; the group's contact line and its
agreements.

It prints only what its dataclasses hold: there is no place in them for anything private.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from peercircle.pdf.agreements_card import agreement_lines
from peercircle.pdf.fonts import BODY, BOLD, rich, string_width
from peercircle.pdf.page import (
    ACCENT,
    MUTED,
    RULE,
    SHADE,
    PageSetup,
    PaperSize,
    build_pdf,
    content_width,
    styles,
)

TITLE = "Support and resources"
AGREEMENTS_HEADING = "Our group agreements"
NO_ITEMS = "Ask your facilitator for local support contacts."
EMERGENCY = "In an emergency, call your local emergency number."
INTRO = (
    "Keep this sheet somewhere you can find it. These people and places can help between "
    f"meetings. {EMERGENCY}"
)
SCAN_HINT = "Scan to open"
CONTACT_LABEL = "MEETING AND CONTACT"

# A QR code's modules should stay about 0.6 mm or larger for a phone to read it off paper; a
# long link has more modules, so its code grows, within these sizes.
QR_SMALLEST = 24 * mm
QR_LARGEST = 28 * mm
_QR_MODULE = 0.62 * mm
QR_QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks

_QR_COLUMN = 30 * mm  # right of each item, kept even when an item has no link
_GUTTER = 6 * mm
_ITEM_SPACE = 14.0  # above and below the rule between items
_LABEL_COLUMN = 17 * mm  # "Phone", "Address", "Web" in front of the details


@dataclass(frozen=True)
class HandoutItem:
    title: str
    kind: str  # a human label: "Helpline", "Local service", "Reading", "Worksheet", "Website"
    description: str = ""
    phone: str = ""
    url: str = ""
    address: str = ""


@dataclass(frozen=True)
class Handout:
    group_name: str
    items: tuple[HandoutItem, ...]
    contact: str  # e.g. "Tuesdays 18:30 · Willow Lane Library, Room 2"; may be several lines
    agreements: str  # one agreement a line; may be empty
    paper: PaperSize = PaperSize.A4


def qr_drawing(url: str) -> Drawing:
    """A square QR code that encodes exactly ``url``, with the standard quiet zone, sized so
    that a phone reads it easily from paper."""
    widget = QrCodeWidget(url, barLevel="M", barBorder=QR_QUIET_ZONE)
    code: Any = cast(Any, widget).qr  # the encoder the widget made for ``url``
    modules = 17 + 4 * int(code.calculate_version())  # as the widget will lay it out
    size = min(max((modules + 2 * QR_QUIET_ZONE) * _QR_MODULE, QR_SMALLEST), QR_LARGEST)
    widget.barWidth = size
    widget.barHeight = size
    drawing = Drawing(size, size)
    drawing.add(widget)
    return drawing


# Where a long link breaks onto the next line, best first (as style guides for printed links
# advise): after a slash or the start of a query; then before a dot, hyphen or underscore, so
# that a hyphen at a line end is never taken for hyphenation; anywhere as a last resort.
_URL_BREAKS_AFTER = frozenset("/?&#=")
_URL_BREAKS_BEFORE = frozenset(".-_~")


def _url_pieces(text: str, level: int, protect: int) -> list[str]:
    """``text`` cut at the break points of ``level`` (0, 1, or 2 for every character), never
    within its first ``protect`` characters."""
    if level == 2:
        return list(text)
    pieces: list[str] = []
    start = 0
    for index, ch in enumerate(text):
        if index < protect:
            continue
        if level == 0 and ch in _URL_BREAKS_AFTER:
            cut = index + 1
        elif level == 1 and ch in _URL_BREAKS_BEFORE and index > start:
            cut = index
        else:
            continue
        pieces.append(text[start:cut])
        start = cut
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _url_lines(url: str, size: float, width: float) -> list[str]:
    """``url`` as lines that fit ``width`` at ``size``, broken at the best places it has."""
    lines: list[str] = []

    def fill(text: str, level: int, protect: int) -> None:
        for piece in _url_pieces(text, level, protect):
            if lines and string_width(lines[-1] + piece, size) <= width:
                lines[-1] += piece
            elif string_width(piece, size) <= width or level == 2:
                lines.append(piece)
            else:
                fill(piece, level + 1, 0)
            protect = max(protect - len(piece), 0)

    # "https://" stays whole at the start of a line.
    fill(url, 0, url.find("//") + 2 if "//" in url else 0)
    return lines


def _details_table(item: HandoutItem, width: float) -> Table | None:
    """Phone, address and link, each after a small label; the phone number large, to read
    and dial."""
    style = styles()
    label = style["small"].clone("detail_label", fontSize=8, leading=11)
    phone = style["body"].clone("phone", fontName=BOLD, fontSize=15, leading=19)
    value = style["body"].clone("detail", fontSize=10.5, leading=14)
    link = value.clone("link", textColor=ACCENT)
    value_width = width - _LABEL_COLUMN
    rows: list[tuple[str, Paragraph, float]] = []  # label, value, label drop to the baseline
    if item.phone.strip():
        rows.append(("Phone", Paragraph(rich(item.phone.strip()), phone), 6.5))
    if item.address.strip():
        rows.append(("Address", Paragraph(rich(item.address.strip()), value), 2.5))
    if item.url.strip():
        lines = _url_lines(item.url.strip(), link.fontSize, value_width)
        rows.append(("Web", Paragraph("<br/>".join(rich(line) for line in lines), link), 2.5))
    if not rows:
        return None
    table = Table(
        [[Paragraph(name, label), paragraph] for name, paragraph, _ in rows],
        colWidths=[_LABEL_COLUMN, value_width],
        hAlign="LEFT",
    )
    commands: list[Any] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for row, (_, _, drop) in enumerate(rows):
        commands.append(("TOPPADDING", (0, row), (0, row), 2 + drop))
    table.setStyle(TableStyle(commands))
    return table


def _item_block(item: HandoutItem, width: float, *, first: bool, last: bool) -> Flowable:
    """One resource: what it is, what it offers, how to reach it; its QR code on the right."""
    style = styles()
    kind = style["small"].clone(
        "kind", fontName=BOLD, fontSize=7.5, leading=10, textColor=ACCENT, spaceAfter=2
    )
    title = style["body"].clone("item_title", fontName=BOLD, fontSize=13, leading=17)
    description = style["body"].clone("item_text", spaceBefore=3)
    caption = style["small"].clone("scan", fontSize=7, leading=9, alignment=TA_CENTER)

    text_width = width - _QR_COLUMN - _GUTTER
    left: list[Flowable] = []
    if item.kind.strip():
        left.append(Paragraph(rich(item.kind.strip().upper()), kind))
    left.append(Paragraph(rich(item.title.strip()), title))
    if item.description.strip():
        left.append(Paragraph(rich(item.description.strip()), description))
    details = _details_table(item, text_width)
    if details is not None:
        left.extend([Spacer(text_width, 7), details])

    right: list[Flowable] | str = ""
    if item.url.strip():
        right = [qr_drawing(item.url.strip()), Paragraph(SCAN_HINT, caption)]

    block = Table(
        [[left, "", right]],
        colWidths=[text_width, _GUTTER, _QR_COLUMN],
        hAlign="LEFT",
        splitInRow=1,
    )
    commands: list[Any] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (2, 0), (2, 0), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0 if first else _ITEM_SPACE),
        ("BOTTOMPADDING", (0, 0), (-1, -1), _ITEM_SPACE),
    ]
    if not last:
        commands.append(("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE))
    block.setStyle(TableStyle(commands))
    return KeepTogether([block])


def _band(content: list[Flowable], width: float) -> Table:
    """A quiet shaded panel with a thin accent edge."""
    band = Table([[content]], colWidths=[width], hAlign="LEFT", splitInRow=1)
    band.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LEFTPADDING", (0, 0), (-1, -1), 14),
                ("RIGHTPADDING", (0, 0), (-1, -1), 14),
                ("TOPPADDING", (0, 0), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 12),
                ("LINEBEFORE", (0, 0), (0, -1), 2.2, ACCENT),
            ]
        )
    )
    return band


def _agreements(lines: tuple[str, ...], width: float) -> Flowable:
    style = styles()
    heading = style["heading"].clone(
        "agreements_heading", fontSize=14, leading=19, spaceBefore=0, spaceAfter=8
    )
    bullet = style["body"].clone(
        "agreement",
        fontSize=11,
        leading=15.5,
        leftIndent=15,
        bulletIndent=1,
        bulletFontName=BODY,
        bulletFontSize=13,
        spaceAfter=5,
        bulletColor=ACCENT,
    )
    section: list[Flowable] = [Paragraph(AGREEMENTS_HEADING, heading)]
    section.extend(Paragraph(rich(line), bullet, bulletText="•") for line in lines)
    return _band(section, width)


def handout_story(handout: Handout, width: float) -> list[Flowable]:
    """The handout's flowables for a frame ``width`` points wide."""
    style = styles()
    label = style["small"].clone(
        "contact_label", fontName=BOLD, fontSize=7.5, leading=10, textColor=MUTED, spaceAfter=3
    )
    contact = style["body"].clone("contact", fontSize=11.5, leading=16)
    intro = style["small"].clone(
        "intro", fontSize=9.5, leading=13.5, spaceBefore=14, rightIndent=_QR_COLUMN + _GUTTER
    )
    story: list[Flowable] = [
        Paragraph(TITLE, style["title"]),
        Paragraph(rich(handout.group_name), style["subtitle"].clone("group", spaceAfter=14)),
    ]
    if handout.contact.strip():
        story.append(
            _band(
                [
                    Paragraph(CONTACT_LABEL, label),
                    Paragraph(rich(handout.contact.strip()), contact),
                ],
                width,
            )
        )
    if handout.items:
        story.append(Paragraph(INTRO, intro))
        story.append(Spacer(width, 18))
        count = len(handout.items)
        story.extend(
            _item_block(item, width, first=index == 0, last=index == count - 1)
            for index, item in enumerate(handout.items)
        )
    else:
        story.append(Spacer(width, 20))
        story.append(Paragraph(NO_ITEMS, style["body"].clone("no_items", fontSize=12, leading=17)))
        story.append(Paragraph(EMERGENCY, intro.clone("emergency", spaceBefore=4)))
    lines = agreement_lines(handout.agreements)
    if lines:
        story.append(Spacer(width, 22))
        story.append(KeepTogether([_agreements(lines, width)]))
    return story


def build_handout(handout: Handout, target: Path | BinaryIO, *, generated_on: dt.date) -> int:
    """Write the resource handout to ``target``; returns the number of pages.

    Raises PdfWriteError if a path cannot be written (nothing half-written is left)."""
    setup = PageSetup(
        title=TITLE, group_name=handout.group_name, generated_on=generated_on, paper=handout.paper
    )
    return build_pdf(handout_story(handout, content_width(setup)), setup, target)


__all__ = [
    "Handout",
    "HandoutItem",
    "build_handout",
    "handout_story",
    "qr_drawing",
]
