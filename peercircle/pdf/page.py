"""The page every printout shares: paper size, styles, header and footer, and a safe write.

Every page carries the group name and the document title at the top and "Page x of y ·
Generated <date>" at the bottom. The total is known only once the story has been laid out, so
the canvas keeps each finished page and draws the decorations when the document is saved.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer

from peercircle import APP_NAME
from peercircle.files import os_error_reason, write_atomically
from peercircle.pdf.fonts import BODY, BOLD, draw_string, register_fonts, string_width
from peercircle.pdf.paper import PaperSize, default_paper_size

ACCENT = HexColor("#2f7d6d")
INK = HexColor("#1f2a28")
MUTED = HexColor("#66716e")
RULE = HexColor("#c9d3d0")
SHADE = HexColor("#eef4f2")  # a whisper of the accent, for header rows and bands

MARGIN_X = 20 * mm
MARGIN_TOP = 25 * mm
MARGIN_BOTTOM = 22 * mm
_HEADER_BASELINE = 14 * mm  # from the top edge
_FOOTER_BASELINE = 11 * mm  # from the bottom edge
_DECORATION_SIZE = 8.5

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LONG_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class PdfWriteError(Exception):
    """The PDF could not be written; the message says where and why. Nothing half-written is
    left behind."""


@dataclass(frozen=True)
class PageSetup:
    title: str
    group_name: str
    generated_on: dt.date
    paper: PaperSize = PaperSize.A4
    landscape: bool = False


def page_size(setup: PageSetup) -> tuple[float, float]:
    """Width and height in points."""
    size = LETTER if setup.paper == PaperSize.LETTER else A4
    return landscape(size) if setup.landscape else size


def content_width(setup: PageSetup) -> float:
    """The width a flowable may use, in points."""
    return page_size(setup)[0] - 2 * MARGIN_X


def content_height(setup: PageSetup) -> float:
    """The height of the frame the story flows through, in points."""
    return page_size(setup)[1] - MARGIN_TOP - MARGIN_BOTTOM


def format_date(day: dt.date) -> str:
    """ "24 Nov 2026": the same on every system, whatever its locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_long_date(day: dt.date) -> str:
    """ "Tuesday 24 November 2026"."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_LONG_MONTHS[day.month - 1]} {day.year}"


def styles() -> dict[str, ParagraphStyle]:
    """A fresh set of paragraph styles (callers may adjust their copy)."""
    register_fonts()
    base = ParagraphStyle("body", fontName=BODY, fontSize=10.5, leading=15, textColor=INK)
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=19, leading=24, spaceAfter=4
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=11.5, leading=16, textColor=MUTED, spaceAfter=10
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=base,
            fontName=BOLD,
            fontSize=12.5,
            leading=17,
            spaceBefore=12,
            spaceAfter=5,
        ),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=13),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=base, fontName=BOLD, fontSize=10, leading=13
        ),
    }


def _fit(text: str, size: float, width: float, *, bold: bool) -> str:
    """``text`` shortened with an ellipsis so that it fits ``width``."""
    if string_width(text, size, bold=bold) <= width:
        return text
    while text and string_width(text + "…", size, bold=bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _decorate(canvas: Canvas, setup: PageSetup, page: int, total: int) -> None:
    width, height = page_size(setup)
    left, right = MARGIN_X, width - MARGIN_X
    top = height - _HEADER_BASELINE
    title_width = draw_string(
        canvas, right, top, setup.title, _DECORATION_SIZE, color=MUTED, align="right"
    )
    room = right - left - title_width - 8 * mm
    group = _fit(setup.group_name, _DECORATION_SIZE, room, bold=True)
    draw_string(canvas, left, top, group, _DECORATION_SIZE, bold=True, color=ACCENT)
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(left, top - 2.6 * mm, right, top - 2.6 * mm)
    canvas.restoreState()
    footer = f"Page {page} of {total} · Generated {format_date(setup.generated_on)}"
    draw_string(
        canvas, width / 2, _FOOTER_BASELINE, footer, _DECORATION_SIZE, color=MUTED, align="centre"
    )


def _numbered_canvas(setup: PageSetup, pages: list[int]) -> Callable[..., Canvas]:
    class NumberedCanvas(Canvas):
        """Keeps each finished page until save(), when "of y" is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._finished: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._finished.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]

        def save(self) -> None:
            total = len(self._finished)
            for number, state in enumerate(self._finished, start=1):
                self.__dict__.update(state)
                _decorate(self, setup, number, total)
                super().showPage()
            pages.append(total)
            super().save()

    return NumberedCanvas


def build_pdf(story: list[Flowable], setup: PageSetup, target: Path | BinaryIO) -> int:
    """Lay ``story`` out on pages with the shared header and footer and write it to ``target``.

    A path is written atomically (a temporary file in the same folder, flushed to disk, then
    renamed over the target); a failure raises PdfWriteError and leaves no file behind.
    Returns the number of pages.
    """
    register_fonts()
    width, height = page_size(setup)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(width, height),
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{setup.title} · {setup.group_name}",
        author=APP_NAME,
        creator=APP_NAME,
        subject=setup.title,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        width - 2 * MARGIN_X,
        height - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="content",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    pages: list[int] = []
    # An empty story still makes one page (with its header and footer), never an empty file.
    doc.build(list(story) or [Spacer(0, 0)], canvasmaker=_numbered_canvas(setup, pages))
    data = buffer.getvalue()
    if isinstance(target, Path):
        try:
            write_atomically(target, data)
        except OSError as error:
            raise PdfWriteError(
                f"Could not save the PDF as {target}: {os_error_reason(error)}."
            ) from error
    else:
        target.write(data)
    return pages[0]


__all__ = [
    "ACCENT",
    "INK",
    "MUTED",
    "RULE",
    "SHADE",
    "PageSetup",
    "PaperSize",
    "PdfWriteError",
    "build_pdf",
    "content_height",
    "content_width",
    "default_paper_size",
    "format_date",
    "format_long_date",
    "page_size",
    "styles",
]
