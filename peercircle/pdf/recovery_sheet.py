"""The recovery-code printout: one page with the vault's recovery code, its date and how to
keep and use it. Nothing else is on it — no notes, no names, no group.

The code is ASCII (A–Z and 2–7), so it is set in ReportLab's built-in Courier Bold: every
character the same width, which makes the groups of four easy to copy by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from peercircle import APP_NAME
from peercircle.pdf.fonts import BOLD
from peercircle.pdf.page import (
    ACCENT,
    INK,
    MUTED,
    RULE,
    SHADE,
    PageSetup,
    build_pdf,
    content_width,
    format_long_date,
    styles,
)
from peercircle.pdf.paper import PaperSize, default_paper_size

TITLE = "Recovery code"
HEADING = f"{APP_NAME} recovery code"
CODE_FONT = "Courier-Bold"
CODE_SIZE = 25.0
GROUPS_PER_LINE = 4

KEEP_SAFE = (
    "Keep this page somewhere safe and private, away from the laptop — with your important "
    "papers at home, for example. Do not photograph it or keep it in the laptop bag.",
    "Anyone who has this code and a copy of this computer's PeerCircle data can read your "
    "private notes.",
    "PeerCircle does not keep a copy of the code. If you make a new recovery code, this one "
    "stops working: shred this page then.",
)
HOW_TO_USE = (
    "Open PeerCircle and choose <b>Private → Unlock Private Notes…</b>",
    "Click <b>“I have forgotten my passphrase…”</b>",
    "Type the code above and choose a new passphrase. Capitals, spaces and dashes do not matter.",
)
NOBODY_ELSE = (
    "Without your passphrase and without this code, nobody can read your notes — not even "
    "the people who make PeerCircle."
)
ALPHABET_NOTE = "The code uses the letters A–Z and the digits 2–7 only: there is no zero or one."


@dataclass(frozen=True)
class RecoverySheet:
    code: str  # "ABCD-EFGH-…", eight groups of four
    created: dt.date


def recovery_page_setup(sheet: RecoverySheet, paper: PaperSize | None = None) -> PageSetup:
    """The page for the sheet: the app's name where other printouts put the group's."""
    return PageSetup(
        title=TITLE,
        group_name=APP_NAME,
        generated_on=sheet.created,
        paper=paper if paper is not None else default_paper_size(),
    )


def code_lines(code: str) -> tuple[str, ...]:
    """The code in lines of four groups: two short lines are easier to copy than one long."""
    groups = [group for group in code.strip().split("-") if group]
    return tuple(
        "-".join(groups[start : start + GROUPS_PER_LINE])
        for start in range(0, len(groups), GROUPS_PER_LINE)
    )


def _code_box(code: str, width: float) -> Table:
    style = styles()["body"].clone(
        "recovery_code",
        fontName=CODE_FONT,
        fontSize=CODE_SIZE,
        leading=CODE_SIZE * 1.45,
        alignment=1,  # centred
        textColor=INK,
    )
    rows = [[Paragraph(escape(line), style)] for line in code_lines(code)]
    box = Table(rows, colWidths=[width], hAlign="CENTER")
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("BOX", (0, 0), (-1, -1), 1.2, RULE),
                ("TOPPADDING", (0, 0), (-1, 0), 16),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 18),
            ]
        )
    )
    box.spaceBefore = 10
    box.spaceAfter = 6
    return box


def _numbered(items: tuple[str, ...], width: float) -> Table:
    style = styles()
    item = style["body"].clone("recovery_step", fontSize=11, leading=16)
    number = item.clone("recovery_number", fontName=BOLD, textColor=ACCENT)
    gutter = 8 * mm
    rows = [
        [Paragraph(f"{index}.", number), Paragraph(text, item)]
        for index, text in enumerate(items, start=1)
    ]
    table = Table(rows, colWidths=[gutter, width - gutter], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def sheet_story(sheet: RecoverySheet, width: float) -> list[Flowable]:
    """The sheet's flowables for a frame ``width`` points wide."""
    style = styles()
    title = style["title"].clone("recovery_title", fontSize=24, leading=30, spaceAfter=2)
    date = style["subtitle"].clone("recovery_date", spaceAfter=4)
    heading = style["heading"].clone("recovery_heading", spaceBefore=16, textColor=INK)
    body = style["body"].clone("recovery_body", fontSize=11, leading=16, spaceAfter=6)
    note = style["small"].clone("recovery_note", fontSize=9.5, leading=13, alignment=1)
    closing = body.clone("recovery_closing", textColor=MUTED, spaceBefore=14)
    bullet = body.clone("recovery_bullet", leftIndent=5 * mm, bulletIndent=0)
    story: list[Flowable] = [
        Paragraph(escape(HEADING), title),
        Paragraph(f"Made on {format_long_date(sheet.created)}", date),
        _code_box(sheet.code, width),
        Paragraph(escape(ALPHABET_NOTE), note),
        Paragraph("Keep it safe", heading),
    ]
    story += [Paragraph(escape(text), bullet, bulletText="•") for text in KEEP_SAFE]
    story += [
        Paragraph("If you forget your passphrase", heading),
        _numbered(HOW_TO_USE, width),
        Paragraph(escape(NOBODY_ELSE), closing),
    ]
    return story


def build_recovery_sheet(
    sheet: RecoverySheet, target: Path | BinaryIO, page_setup: PageSetup | None = None
) -> int:
    """Write the recovery sheet to ``target``; returns the number of pages (one).

    ``page_setup`` defaults to ``recovery_page_setup(sheet)``. Raises PdfWriteError if a path
    cannot be written (nothing half-written is left)."""
    setup = page_setup if page_setup is not None else recovery_page_setup(sheet)
    return build_pdf(sheet_story(sheet, content_width(setup)), setup, target)


__all__ = [
    "RecoverySheet",
    "build_recovery_sheet",
    "code_lines",
    "recovery_page_setup",
    "sheet_story",
]
