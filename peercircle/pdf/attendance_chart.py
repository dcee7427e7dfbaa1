"""A small bar chart of attendance at each meeting, for the attendance report.

Drawn with ReportLab graphics shapes (a ``Drawing`` is a flowable): one bar per meeting at its
share of the expected members who came, with 0, 50 and 100 % guides and dates along the bottom.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics

from peercircle.pdf.fonts import BODY, register_fonts
from peercircle.pdf.page import MUTED, RULE

BAR = HexColor("#8dbdb1")  # the accent, lightened: many bars should not shout
LOW_BAR = HexColor("#d9a25f")  # under half: the warm tone of the report's low-attendance tint
LABEL_SIZE = 7.0
AXIS_WIDTH = 26.0  # room for "100%" left of the bars
DATE_HEIGHT = 13.0  # room for the dates under the bars
TOP_ROOM = 4.0

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_month(day: dt.date) -> str:
    """ "Mar", the same whatever the system's locale."""
    return _MONTHS[day.month - 1]


def short_date(day: dt.date) -> str:
    """ "3 Mar"."""
    return f"{day.day} {short_month(day)}"


def attendance_chart(
    points: Sequence[tuple[dt.date, float | None]],
    width: float,
    height: float,
    *,
    low_below: float = 0.5,
) -> Drawing:
    """Bars of attendance (0..1, None: nobody was expected) per meeting, oldest first; bars
    under ``low_below`` in the warm tone, with a dashed guide at that level."""
    register_fonts()
    drawing = Drawing(width, height)
    left, bottom = AXIS_WIDTH, DATE_HEIGHT
    plot_width, plot_height = width - left, height - bottom - TOP_ROOM
    guides = ((0.0, "0%"), (low_below, f"{round(low_below * 100)}%"), (1.0, "100%"))
    for share, label in guides:
        y = bottom + share * plot_height
        guide = Line(left, y, width, y, strokeColor=RULE, strokeWidth=0.6 if share == 0 else 0.4)
        if share == low_below:
            guide.strokeDashArray = (2, 2)
        drawing.add(guide)
        drawing.add(
            String(
                left - 4,
                y - LABEL_SIZE * 0.35,
                label,
                fontName=BODY,
                fontSize=LABEL_SIZE,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
    if not points:
        return drawing
    slot = plot_width / len(points)
    bar_width = min(slot * 0.64, 16.0)
    for index, (_, rate) in enumerate(points):
        if rate is None or rate <= 0:
            continue
        x = left + index * slot + (slot - bar_width) / 2
        bar = Rect(x, bottom, bar_width, rate * plot_height)
        bar.fillColor = LOW_BAR if rate < low_below else BAR
        bar.strokeColor = None
        drawing.add(bar)
    # As many dates as fit without crowding, evenly spaced, the first always among them.
    label_width = max(
        pdfmetrics.stringWidth(short_date(day), BODY, LABEL_SIZE) for day, _ in points
    )
    step = max(1, math.ceil((label_width + 8) / slot))
    half_label = label_width / 2
    for index in range(0, len(points), step):
        day = points[index][0]
        centre = min(max(left + (index + 0.5) * slot, half_label), width - half_label)
        drawing.add(
            String(
                centre,
                bottom - LABEL_SIZE - 3,
                short_date(day),
                fontName=BODY,
                fontSize=LABEL_SIZE,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    return drawing
