"""Where everything in the talking-stick circle goes: the names around an ellipse, the
stick beside its holder, the dial in the middle, and the fonts — fitted to the widget's size
so that no names overlap and whole names are kept whenever they can be.

Plain geometry over QFont metrics; ``circle_view`` paints what this lays out.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF

READY_TEXT = "Ready when you are"
FINISHED_TEXT = "Thank you, everyone"
PAUSED_TEXT = "Paused"
NEXT_TEXT = "next"


# ---- geometry -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StickPose:
    """Where the stick lies: its centre and the direction of its length, in degrees."""

    x: float
    y: float
    angle: float
    seated: bool = True  # beside someone (False: resting in the middle)


@dataclass(frozen=True)
class SeatPlace:
    pill: QRectF
    text: str  # the name as drawn (shortened with … only if it could not fit)
    stick: StickPose  # where the stick lies when this person holds it
    caption: QRectF  # where "next" goes (the same room the stick would take)


@dataclass
class CircleLayout:
    size: QSize
    names: tuple[str, ...]
    name_font: QFont
    current_font: QFont
    caption_font: QFont
    places: list[SeatPlace]
    centre: QPointF
    ring_radius: float
    ring_pen: float
    ring_steps: int
    dial_rect: QRect
    stick_length: float
    stick_thickness: float
    rest: StickPose
    main_font: QFont
    small_font: QFont
    speaker_font: QFont
    message_font: QFont
    message_rect: QRectF
    caption_rect: QRectF
    main_rect: QRectF
    sub_rect: QRectF
    hint_rect: QRectF
    fits: bool = True
    shortened: dict[str, str] = field(default_factory=dict)  # speaker name -> as it fits


_FONTS: dict[tuple[str, int, QFont.Weight], QFont] = {}


def _font(base: QFont, pixels: float, weight: QFont.Weight) -> QFont:
    """``base`` at a pixel size and weight; made once and shared (never changed after)."""
    size = max(8, round(pixels))
    key = (base.key(), size, weight)
    font = _FONTS.get(key)
    if font is None:
        font = QFont(base)
        font.setPixelSize(size)
        font.setWeight(weight)
        _FONTS[key] = font
    return font


def _distance_to_rect(x: float, y: float, rect: QRectF) -> float:
    dx = max(rect.left() - x, 0.0, x - rect.right())
    dy = max(rect.top() - y, 0.0, y - rect.bottom())
    return math.hypot(dx, dy)


def _edge_distance(ux: float, uy: float, half_w: float, half_h: float) -> float:
    """How far from a box's centre its edge is, going in direction (ux, uy)."""
    along_x = half_w / abs(ux) if abs(ux) > 1e-9 else math.inf
    along_y = half_h / abs(uy) if abs(uy) > 1e-9 else math.inf
    return min(along_x, along_y)


def _fit_message_font(base: QFont, texts: Sequence[str], width: float, height: float) -> QFont:
    """The largest font (up to ``height / 2.4``) in which every text fits, wrapped."""
    pixels = height / 2.4
    while True:
        font = _font(base, pixels, QFont.Weight.Medium)
        metrics = QFontMetricsF(font)
        fits = all(
            metrics.boundingRect(
                QRectF(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), text
            ).height()
            <= height
            and max(metrics.horizontalAdvance(word) for word in text.split()) <= width
            for text in texts
        )
        if fits or pixels <= 9:
            return font
        pixels *= 0.92


def _spread(
    widths: Sequence[float], pill_h: float, rx: float, ry: float, gap: float
) -> list[float] | None:
    """Angles on the ellipse for pills of these widths, the first at the top, clockwise.

    Like chairs in a circle, neighbours are the same distance apart along the ellipse,
    except where two names are too wide for that: those get just the room they need.
    """
    n = len(widths)
    if n < 3:
        return [-math.pi / 2 + 2 * math.pi * i / n for i in range(n)]
    samples = 720
    angles = [-math.pi / 2 + 2 * math.pi * k / samples for k in range(samples + 1)]
    arc = [0.0]
    for a, b in zip(angles, angles[1:], strict=False):
        arc.append(
            arc[-1] + math.hypot(rx * (math.cos(b) - math.cos(a)), ry * (math.sin(b) - math.sin(a)))
        )
    perimeter = arc[-1]

    def angle_at(length: float) -> float:
        length %= perimeter
        k = min(samples - 1, max(0, bisect.bisect_right(arc, length) - 1))
        part = (length - arc[k]) / (arc[k + 1] - arc[k])
        return angles[k] + (angles[k + 1] - angles[k]) * part

    thetas = [-math.pi / 2 + 2 * math.pi * i / n for i in range(n)]
    for _ in range(3):
        extents = []
        for theta, width in zip(thetas, widths, strict=True):
            tx, ty = -rx * math.sin(theta), ry * math.cos(theta)
            speed = math.hypot(tx, ty)
            extents.append((abs(tx) * width / 2 + abs(ty) * pill_h / 2) / speed)
        # A little over the tangent estimate: the chord between two places on a bend is
        # shorter than the way round.
        needs = [(extents[i] + extents[(i + 1) % n]) * 1.12 + gap for i in range(n)]
        if sum(needs) > perimeter:
            return None  # they cannot all fit at this size
        low, high = 0.0, perimeter
        for _ in range(40):  # the even spacing D with sum(max(need, D)) == perimeter
            mid = (low + high) / 2
            if sum(max(need, mid) for need in needs) > perimeter:
                high = mid
            else:
                low = mid
        position, thetas = 0.0, []
        for need in needs:
            thetas.append(angle_at(position))
            position += max(need, low)
    return thetas


def _try_layout(
    names: Sequence[str],
    width: int,
    height: int,
    presenter: bool,
    base: QFont,
    pixels: float,
    cap: float,
) -> CircleLayout | None:
    """Place everyone at font size ``pixels`` with names at most ``cap`` wide; None if
    names would overlap each other or crowd out a readable dial."""
    w, h = float(width), float(height)
    short = min(w, h)
    margin = short * (0.035 if presenter else 0.03)
    cx, cy = w / 2, h / 2
    name_font = _font(base, pixels, QFont.Weight.Medium)
    current_font = _font(base, pixels, QFont.Weight.DemiBold)
    caption_font = _font(base, max(10.0, pixels * 0.72), QFont.Weight.DemiBold)
    metrics = QFontMetricsF(current_font)
    caption_metrics = QFontMetricsF(caption_font)
    line = metrics.height()
    pill_h = line * 1.55
    pad_x = line * 0.7
    gap = pill_h * 0.22
    stick_length = pill_h * 2.0
    stick_thickness = max(7.0, pill_h * 0.42)
    texts = [metrics.elidedText(name, Qt.TextElideMode.ElideRight, cap) for name in names]
    widths = [max(metrics.horizontalAdvance(t) + 2 * pad_x, pill_h * 1.6) for t in texts]
    widest = max(widths, default=0.0)
    rx = w / 2 - margin - widest / 2
    ry = h / 2 - margin - pill_h / 2
    ring_max = short * (0.3 if presenter else 0.27)
    ring_min = short * (0.17 if presenter else 0.19)
    if rx <= 0 or ry <= 0:
        return None
    n = len(names)
    caption_w = caption_metrics.horizontalAdvance(NEXT_TEXT) + caption_metrics.height() * 0.6
    caption_h = caption_metrics.height()
    places: list[SeatPlace] = []
    inner = ring_max
    thetas = _spread(widths, pill_h, rx, ry, gap)
    if thetas is None:
        return None
    for theta, text, pill_w in zip(thetas, texts, widths, strict=True):
        px, py = cx + rx * math.cos(theta), cy + ry * math.sin(theta)
        pill = QRectF(px - pill_w / 2, py - pill_h / 2, pill_w, pill_h)
        dist = math.hypot(cx - px, cy - py)
        ux, uy = ((cx - px) / dist, (cy - py) / dist) if dist > 1e-9 else (0.0, 1.0)
        edge = _edge_distance(ux, uy, pill_w / 2, pill_h / 2)
        # The stick lies in front of its holder, along the circle, like a real one on the
        # floor; "next" takes the same spot in front of the next speaker.
        angle = math.degrees(math.atan2(uy, ux)) + 90.0
        tx, ty = -uy, ux
        clear = pill.adjusted(-gap / 2, -gap / 2, gap / 2, gap / 2)
        along = edge + gap + stick_thickness / 2
        for _ in range(40):  # on a slant the stick's ends would touch the name: step back
            sx, sy = px + ux * along, py + uy * along
            ends = (
                QPointF(
                    sx + tx * stick_length * f + ux * stick_thickness * g,
                    sy + ty * stick_length * f + uy * stick_thickness * g,
                )
                for f in (-0.5, -0.25, 0.25, 0.5)
                for g in (-0.5, 0.5)
            )
            if not any(clear.contains(point) for point in ends):
                break
            along += stick_thickness * 0.25
        stick = StickPose(px + ux * along, py + uy * along, angle)
        caption_depth = _edge_distance(ux, uy, caption_w / 2, caption_h / 2)
        cap_along = edge + gap * 0.6 + caption_depth
        caption = QRectF(
            px + ux * cap_along - caption_w / 2,
            py + uy * cap_along - caption_h / 2,
            caption_w,
            caption_h,
        )
        places.append(SeatPlace(pill, text, stick, caption))
        inner = min(
            inner,
            _distance_to_rect(cx, cy, pill) - gap * 1.5,
            dist - along - stick_thickness / 2 - gap,
            dist - cap_along - caption_depth - gap,
        )
    # No two names may touch, and the stick beside someone must not cover a neighbour.
    for i in range(n):
        grown = places[i].pill.adjusted(-gap / 2, -gap / 2, gap / 2, gap / 2)
        if any(grown.intersects(places[j].pill) for j in range(i + 1, n)):
            return None
        s = places[i].stick
        ux, uy = math.cos(math.radians(s.angle)), math.sin(math.radians(s.angle))
        points = [
            QPointF(s.x + ux * stick_length * t, s.y + uy * stick_length * t)
            for t in (-0.5, 0.0, 0.5)
        ]
        half = stick_thickness / 2
        for k in (-2, -1, 1, 2):
            if n <= abs(k):
                continue
            near = places[(i + k) % n].pill.adjusted(-half, -half, half, half)
            if any(near.contains(point) for point in points):
                return None
    ring_pen = max(4.0, inner * 0.075)
    radius = inner - ring_pen / 2
    if radius < ring_min:
        return None
    return _finish_layout(
        QSize(width, height),
        tuple(names),
        presenter,
        base,
        places,
        QPointF(cx, cy),
        radius,
        ring_pen,
        stick_length,
        stick_thickness,
        name_font,
        current_font,
        caption_font,
    )


def _finish_layout(
    size: QSize,
    names: tuple[str, ...],
    presenter: bool,
    base: QFont,
    places: list[SeatPlace],
    centre: QPointF,
    radius: float,
    ring_pen: float,
    stick_length: float,
    stick_thickness: float,
    name_font: QFont,
    current_font: QFont,
    caption_font: QFont,
) -> CircleLayout:
    """The dial's fonts and boxes, for a ring of ``radius`` around ``centre``."""
    cx, cy = centre.x(), centre.y()
    inner = radius - ring_pen / 2
    text_w = inner * 1.5
    probe = QFontMetricsF(_font(base, 100, QFont.Weight.DemiBold))
    # Sized for "88:88"; a rare "+10:00" still fits inside the ring.
    wide = inner * 1.6
    main_px = min(inner * 0.6, 100 * wide / max(1.0, probe.horizontalAdvance("88:88")))
    main_font = _font(base, main_px, QFont.Weight.DemiBold)
    small_font = _font(base, max(10.0, inner * 0.13), QFont.Weight.Medium)
    speaker_font = _font(base, max(11.0, inner * 0.17), QFont.Weight.DemiBold)
    message_rect = QRectF(cx - text_w / 2, cy - inner * 0.62, text_w, inner * 0.8)
    messages = [READY_TEXT, FINISHED_TEXT, PAUSED_TEXT]
    message_font = _fit_message_font(base, messages, text_w, inner * 0.8)
    main_h = QFontMetricsF(main_font).height()
    small_h = QFontMetricsF(small_font).height()
    speaker_h = QFontMetricsF(speaker_font).height()
    main_rect = QRectF(cx - inner * 0.95, cy - main_h / 2, inner * 1.9, main_h)
    caption_rect = QRectF(
        cx - text_w * 0.45, main_rect.top() - speaker_h * 1.1, text_w * 0.9, speaker_h
    )
    sub_rect = QRectF(cx - text_w / 2, main_rect.bottom() + small_h * 0.2, text_w, small_h)
    steps = max(120, int(2 * math.pi * radius))  # about one step per pixel of ring
    pad = ring_pen + 3
    dial_rect = QRectF(
        cx - radius - pad, cy - radius - pad, 2 * (radius + pad), 2 * (radius + pad)
    ).toAlignedRect()
    rest = StickPose(cx, cy + inner * 0.36, 0.0, seated=False)
    hint_rect = QRectF(cx - text_w / 2, cy + inner * 0.52, text_w, small_h)
    return CircleLayout(
        size=size,
        names=names,
        name_font=name_font,
        current_font=current_font,
        caption_font=caption_font,
        places=places,
        centre=centre,
        ring_radius=radius,
        ring_pen=ring_pen,
        ring_steps=steps,
        dial_rect=dial_rect,
        stick_length=stick_length,
        stick_thickness=stick_thickness,
        rest=rest,
        main_font=main_font,
        small_font=small_font,
        speaker_font=speaker_font,
        message_font=message_font,
        message_rect=message_rect,
        caption_rect=caption_rect,
        main_rect=main_rect,
        sub_rect=sub_rect,
        hint_rect=hint_rect,
    )


def compute_layout(names: Sequence[str], size: QSize, presenter: bool, base: QFont) -> CircleLayout:
    """Fit everyone around the dial: the biggest type at which no names overlap; names are
    shortened (…) only when even the smallest readable type is too big."""
    w, h = max(size.width(), 120), max(size.height(), 120)
    short = min(w, h)
    if presenter:
        largest, smallest = short * 0.052, max(12.0, short * 0.022)
    else:
        largest, smallest = min(24.0, max(14.0, short * 0.04)), 11.0
    # Whole names first, at the largest type that fits; shorten names only when even the
    # smallest type leaves no room.
    cap = w * 0.4
    smallest_cap = max(40.0, w * 0.06)
    while True:
        pixels = largest
        while True:
            found = _try_layout(names, w, h, presenter, base, pixels, cap)
            if found is not None:
                return found
            if pixels <= smallest:
                break
            pixels = max(smallest, pixels * 0.93)
        if cap <= smallest_cap:
            break
        cap = max(smallest_cap, cap * 0.8)
    # Far too many people for this space: draw them anyway, small, rather than nothing.
    forced = _try_layout(names, w, h, presenter, base, smallest, smallest_cap) or _crowded(
        names, w, h, presenter, base, smallest, smallest_cap
    )
    forced.fits = False
    return forced


def _crowded(
    names: Sequence[str], w: int, h: int, presenter: bool, base: QFont, pixels: float, cap: float
) -> CircleLayout:
    """Overlapping is allowed here: a tiny window or a very big circle."""
    short = min(w, h)
    cx, cy = w / 2, h / 2
    name_font = _font(base, pixels, QFont.Weight.Medium)
    current_font = _font(base, pixels, QFont.Weight.DemiBold)
    caption_font = _font(base, pixels * 0.72, QFont.Weight.DemiBold)
    metrics = QFontMetricsF(current_font)
    pill_h = metrics.height() * 1.4
    rx, ry = max(10.0, w / 2 - cap / 2 - 4), max(10.0, h / 2 - pill_h / 2 - 4)
    places = []
    for i, name in enumerate(names):
        theta = -math.pi / 2 + 2 * math.pi * i / max(1, len(names))
        px, py = cx + rx * math.cos(theta), cy + ry * math.sin(theta)
        text = metrics.elidedText(name, Qt.TextElideMode.ElideRight, cap)
        pw = metrics.horizontalAdvance(text) + pill_h
        pill = QRectF(px - pw / 2, py - pill_h / 2, pw, pill_h)
        angle = math.degrees(math.atan2(cy - py, cx - px))
        ux, uy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        stick = StickPose(px + ux * pill_h * 1.2, py + uy * pill_h * 1.2, angle)
        caption = QRectF(stick.x - pill_h, stick.y - pill_h / 3, 2 * pill_h, pill_h * 0.66)
        places.append(SeatPlace(pill, text, stick, caption))
    radius = max(20.0, short * 0.15)
    return _finish_layout(
        QSize(w, h),
        tuple(names),
        presenter,
        base,
        places,
        QPointF(cx, cy),
        radius,
        max(4.0, radius * 0.075),
        pill_h * 1.2,
        max(5.0, pill_h * 0.3),
        name_font,
        current_font,
        caption_font,
    )


def ring_change(layout: CircleLayout, a: int, b: int) -> QRect:
    """Where the ring looks different when its filled length goes from step ``a`` to ``b``."""
    steps = layout.ring_steps
    if min(a, b) <= 0 or max(a, b) >= steps or abs(a - b) * 12 > steps:
        return layout.dial_rect
    c, r = layout.centre, layout.ring_radius
    xs, ys = [], []
    for step in (a, b):
        angle = math.pi / 2 - 2 * math.pi * step / steps
        xs.append(c.x() + r * math.cos(angle))
        ys.append(c.y() - r * math.sin(angle))
    sweep = 2 * math.pi * abs(a - b) / steps
    pad = layout.ring_pen / 2 + 2 + r * (1 - math.cos(sweep / 2))  # the cap and the bulge
    return QRectF(
        min(xs) - pad, min(ys) - pad, max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad
    ).toAlignedRect()


def stick_between(a: StickPose, b: StickPose, t: float, centre: QPointF) -> StickPose:
    """A point on the stick's way from ``a`` to ``b``: around the circle when both are at
    a seat, straight when it comes from or goes to the middle."""
    cx, cy = centre.x(), centre.y()
    ra, rb = math.hypot(a.x - cx, a.y - cy), math.hypot(b.x - cx, b.y - cy)
    turn = (b.angle - a.angle + 90.0) % 180.0 - 90.0  # the stick looks the same both ways
    if a.seated and b.seated and ra > 1 and rb > 1:
        alpha_a = math.atan2(a.y - cy, a.x - cx)
        sweep = (math.atan2(b.y - cy, b.x - cx) - alpha_a + math.pi) % (2 * math.pi) - math.pi
        alpha = alpha_a + sweep * t
        r = ra + (rb - ra) * t
        return StickPose(cx + r * math.cos(alpha), cy + r * math.sin(alpha), a.angle + turn * t)
    return StickPose(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, a.angle + turn * t)
