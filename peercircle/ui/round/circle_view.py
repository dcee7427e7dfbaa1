"""CircleView: the talking-stick picture — the circle of names, the stick, who is next and a
countdown ring in the middle — for the facilitator's window or, large and high-contrast, for
a projector.

The view draws a ``CircleScene``: names, their states and the countdown, reduced from a
round ``Snapshot``. It never receives statistics, flags or contact details, so the presenter
view cannot show them. Painting is split in two: a cached picture of the circle (redrawn
when someone's state changes or the size changes) and the dial in the middle, which is
repainted only when the second shown or the ring's visible length changes.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QVariantAnimation,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QLinearGradient,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QWidget

from peercircle.services.round_engine import Phase, Snapshot, SpeakerState
from peercircle.ui.round.circle_layout import (
    FINISHED_TEXT,
    NEXT_TEXT,
    PAUSED_TEXT,
    READY_TEXT,
    CircleLayout,
    StickPose,
    compute_layout,
    ring_change,
    stick_between,
)

START_HINT = "Press Space to start"

_DIMMED = frozenset({SpeakerState.SPOKEN, SpeakerState.PASSED, SpeakerState.AWAY})
_STICK_TRAVEL_MS = 550


def minutes_seconds(seconds: float) -> str:
    """Whole seconds as ``m:ss`` (rounded down), e.g. 125.7 -> ``2:05``."""
    total = max(0, int(seconds + 1e-6))
    return f"{total // 60}:{total % 60:02d}"


def countdown_text(remaining: float) -> str:
    """What the dial shows: ``m:ss`` left (rounded up, so it never shows 0:00 early), or
    ``+m:ss`` over once the time is up."""
    if remaining > 0:
        return minutes_seconds(math.ceil(remaining - 1e-6))
    return "+" + minutes_seconds(-remaining)


class CircleMode(enum.Enum):
    FACILITATOR = "facilitator"  # follows the palette, fits in the round window
    PRESENTER = "presenter"  # near-black, near-white, big type for a room


@dataclass(frozen=True)
class Seat:
    name: str
    state: SpeakerState


@dataclass(frozen=True)
class CircleScene:
    """Everything the circle shows, and nothing more: names in seated order with their
    state, and the current turn's countdown. This is all the presenter view receives."""

    phase: Phase
    seats: tuple[Seat, ...] = ()
    allotted: float = 0.0
    remaining: float = 0.0
    warning: bool = False
    paused: bool = False

    @classmethod
    def from_snapshot(cls, snapshot: Snapshot) -> CircleScene:
        return cls(
            phase=snapshot.phase,
            seats=tuple(Seat(speaker.name, state) for speaker, state in snapshot.circle),
            allotted=snapshot.allotted,
            remaining=snapshot.remaining,
            warning=snapshot.warning,
            paused=snapshot.paused,
        )

    def index_of(self, state: SpeakerState) -> int | None:
        for i, seat in enumerate(self.seats):
            if seat.state is state:
                return i
        return None

    @property
    def current_name(self) -> str | None:
        i = self.index_of(SpeakerState.CURRENT)
        return None if i is None else self.seats[i].name

    @property
    def next_name(self) -> str | None:
        if self.phase is Phase.FINISHED:
            return None
        i = self.index_of(SpeakerState.NEXT)
        return None if i is None else self.seats[i].name


class DialMood(enum.Enum):
    READY = "ready"
    CALM = "calm"
    WARNING = "warning"
    OVERTIME = "overtime"
    PAUSED = "paused"
    FINISHED = "finished"


@dataclass(frozen=True)
class Dial:
    """The middle of the circle as shown: texts and the ring length in whole steps.

    Two equal dials look identical, so a new dial that equals the old one needs no repaint.
    """

    mood: DialMood
    main: str
    caption: str = ""  # above the time: who is speaking
    sub: str = ""  # below: the time while paused, a hint before the start
    ring_step: int = 0  # how many of the layout's ring steps are filled


# ---- colours ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Colours:
    background: QColor
    text: QColor
    dim: QColor
    pill: QColor
    pill_edge: QColor
    spoken_edge: QColor
    current: QColor
    current_text: QColor
    speaker: QColor  # the speaker's name in the middle of the dial
    next_edge: QColor
    track: QColor
    calm: QColor
    warning: QColor
    overtime: QColor
    paused: QColor
    stick_light: QColor
    stick_dark: QColor
    stick_band: QColor


def _blend(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved ``t`` of the way towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


# The stick and the speaker's name share one warm amber: the stick belongs to the speaker.
_WARM = QColor("#f2b35b")
_WARM_TEXT = QColor("#24170a")
_STICK_LIGHT = QColor("#f7c878")
_STICK_DARK = QColor("#c87a2a")
_STICK_BAND = QColor("#7b4515")

PRESENTER_COLOURS = _Colours(
    background=QColor("#121315"),
    text=QColor("#f4f1ea"),
    dim=QColor("#8a8d94"),
    pill=QColor("#1d1f23"),
    pill_edge=QColor("#3a3e45"),
    spoken_edge=QColor("#26292e"),
    current=_WARM,
    current_text=_WARM_TEXT,
    speaker=_WARM,
    next_edge=QColor("#6cc6b3"),
    track=QColor("#272a2f"),
    calm=QColor("#5dbca8"),
    warning=QColor("#f0a948"),
    overtime=QColor("#a99be6"),
    paused=QColor("#8a8d94"),
    stick_light=_STICK_LIGHT,
    stick_dark=_STICK_DARK,
    stick_band=_STICK_BAND,
)


def facilitator_colours(palette: QPalette) -> _Colours:
    """Colours that follow the window's palette, light or dark."""
    bg = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    dark = bg.lightness() < 128
    accent = QColor("#5dbca8" if dark else "#2f7d6d")
    return _Colours(
        background=bg,
        text=text,
        dim=_blend(text, bg, 0.5),
        pill=palette.color(QPalette.ColorRole.Base),
        pill_edge=_blend(text, bg, 0.72),
        spoken_edge=_blend(text, bg, 0.86),
        current=_WARM,
        current_text=_WARM_TEXT,
        speaker=_WARM if dark else QColor("#a35f12"),
        next_edge=accent,
        track=_blend(text, bg, 0.88),
        calm=accent,
        warning=QColor("#f0a948" if dark else "#c9781c"),
        overtime=QColor("#a99be6" if dark else "#8579c9"),
        paused=_blend(text, bg, 0.45),
        stick_light=_STICK_LIGHT,
        stick_dark=_STICK_DARK,
        stick_band=_STICK_BAND,
    )


# ---- the widget ---------------------------------------------------------------------------


class CircleView(QWidget):
    """The circle of names with the stick and the countdown dial.

    Feed it with ``set_snapshot(snapshot)`` (or ``set_scene``); it keeps only the
    ``CircleScene``. ``drawn_texts()`` lists every text it paints, for checking what a
    projector would show.
    """

    def __init__(
        self, mode: CircleMode = CircleMode.FACILITATOR, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._mode = mode
        self.setObjectName("presenterCircle" if mode is CircleMode.PRESENTER else "roundCircle")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(320, 260)
        self.setAccessibleName("Talking-stick circle")
        self._scene = CircleScene(Phase.READY)
        self._layout: CircleLayout | None = None
        self._colours = self._pick_colours()
        self._static: QPixmap | None = None
        self._dial = Dial(DialMood.READY, READY_TEXT)
        self._stick_holder: int | None = None
        self._stick: StickPose | None = None
        self._stick_from: StickPose | None = None
        self._animated = True
        self._travel = QVariantAnimation(self)
        self._travel.setStartValue(0.0)
        self._travel.setEndValue(1.0)
        self._travel.setDuration(_STICK_TRAVEL_MS)
        self._travel.setEasingCurve(QEasingCurve.Type.InOutCubic)
        self._travel.valueChanged.connect(self._on_travel)
        self.repaints = 0  # how many times the view painted (read by tests and benchmarks)

    # ---- public ---------------------------------------------------------------------------

    @property
    def mode(self) -> CircleMode:
        return self._mode

    @property
    def scene(self) -> CircleScene:
        return self._scene

    @property
    def dial(self) -> Dial:
        return self._dial

    def set_animated(self, animated: bool) -> None:
        """Whether the stick travels to the next speaker or jumps there at once."""
        self._animated = animated
        if not animated and self._travel.state() == QVariantAnimation.State.Running:
            self._travel.stop()
            self._stick = self._target_pose()
            self.update()

    def set_snapshot(self, snapshot: Snapshot) -> None:
        self.set_scene(CircleScene.from_snapshot(snapshot))

    def set_scene(self, scene: CircleScene) -> None:
        old = self._scene
        self._scene = scene
        layout = self._ensure_layout()
        if scene.phase is not old.phase or scene.seats != old.seats:
            self._static = None
            self._move_stick(layout)
            self._describe()
            self.update()
        dial = self._make_dial(layout)
        if dial != self._dial:
            region = self._changed_region(self._dial, dial, layout)
            self._dial = dial
            self.update(region)

    def drawn_texts(self) -> list[str]:
        """Every text the view paints for the current scene, in painting order."""
        layout = self._ensure_layout()
        texts = [text for _, _, _, text in self._seat_texts(layout)]
        texts += [text for _, _, _, text in self._dial_texts(layout) if text]
        return texts

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(1280, 720) if self._mode is CircleMode.PRESENTER else QSize(640, 560)

    # ---- what to draw ---------------------------------------------------------------------

    def _pick_colours(self) -> _Colours:
        if self._mode is CircleMode.PRESENTER:
            return PRESENTER_COLOURS
        return facilitator_colours(self.palette())

    def _ensure_layout(self) -> CircleLayout:
        names = tuple(seat.name for seat in self._scene.seats)
        layout = self._layout
        if layout is None or layout.size != self.size() or layout.names != names:
            layout = compute_layout(
                names, self.size(), self._mode is CircleMode.PRESENTER, self.font()
            )
            self._layout = layout
            self._static = None
            self._travel.stop()
            self._stick_holder = self._scene.index_of(SpeakerState.CURRENT)
            self._stick = self._target_pose()
        return layout

    def _target_pose(self) -> StickPose | None:
        layout = self._layout
        if layout is None:
            return None
        holder = self._scene.index_of(SpeakerState.CURRENT)
        if holder is not None and holder < len(layout.places):
            return layout.places[holder].stick
        return layout.rest

    def _move_stick(self, layout: CircleLayout) -> None:
        holder = self._scene.index_of(SpeakerState.CURRENT)
        if holder == self._stick_holder and self._stick is not None:
            return
        self._stick_holder = holder
        target = self._target_pose()
        if self._animated and self.isVisible() and self._stick is not None:
            self._stick_from = self._stick
            self._travel.stop()
            self._travel.start()
        else:
            self._stick = target

    def _on_travel(self, value: object) -> None:
        layout, target = self._layout, self._target_pose()
        if layout is None or target is None or self._stick_from is None:
            return
        t = float(value)  # type: ignore[arg-type]
        self._stick = (
            target if t >= 1.0 else stick_between(self._stick_from, target, t, layout.centre)
        )
        self.update()

    def _make_dial(self, layout: CircleLayout) -> Dial:
        scene = self._scene
        if scene.phase is Phase.READY:
            hint = START_HINT if self._mode is CircleMode.FACILITATOR and scene.seats else ""
            return Dial(DialMood.READY, READY_TEXT, sub=hint)
        if scene.phase is Phase.FINISHED:
            return Dial(DialMood.FINISHED, FINISHED_TEXT)
        name = scene.current_name or ""
        fraction = min(1.0, max(0.0, scene.remaining / scene.allotted)) if scene.allotted else 0
        step = math.ceil(fraction * layout.ring_steps - 1e-9)
        if scene.paused:
            text = countdown_text(scene.remaining)
            return Dial(DialMood.PAUSED, PAUSED_TEXT, caption=name, sub=text, ring_step=step)
        if scene.remaining <= 0:
            return Dial(
                DialMood.OVERTIME,
                countdown_text(scene.remaining),
                caption=name,
                ring_step=layout.ring_steps,
            )
        mood = DialMood.WARNING if scene.warning else DialMood.CALM
        return Dial(mood, countdown_text(scene.remaining), caption=name, ring_step=step)

    def _changed_region(self, old: Dial, new: Dial, layout: CircleLayout) -> QRect:
        """The part of the dial that looks different: usually a sliver of the ring, or the
        time once a second; the whole dial when its mood or words change."""
        if (old.mood, old.caption, old.sub) != (new.mood, new.caption, new.sub):
            return layout.dial_rect
        region = QRect()
        if old.main != new.main:
            region = layout.main_rect.toAlignedRect().adjusted(-2, -2, 2, 2)
        if old.ring_step != new.ring_step:
            region = region.united(ring_change(layout, old.ring_step, new.ring_step))
        return region

    def _seat_texts(self, layout: CircleLayout) -> list[tuple[QRectF, QFont, QColor, str]]:
        colours = self._colours
        items: list[tuple[QRectF, QFont, QColor, str]] = []
        next_caption: QRectF | None = None
        for seat, place in zip(self._scene.seats, layout.places, strict=False):
            if seat.state is SpeakerState.CURRENT:
                items.append((place.pill, layout.current_font, colours.current_text, place.text))
                continue
            colour = colours.dim if seat.state in _DIMMED else colours.text
            items.append((place.pill, layout.name_font, colour, place.text))
            if seat.state is SpeakerState.NEXT and self._scene.phase is not Phase.FINISHED:
                next_caption = place.caption
        if next_caption is not None:
            items.append((next_caption, layout.caption_font, colours.next_edge, NEXT_TEXT))
        return items

    def _dial_texts(self, layout: CircleLayout) -> list[tuple[QRectF, QFont, QColor, str]]:
        dial, colours = self._dial, self._colours
        caption = layout.shortened.get(dial.caption)
        if caption is None:
            caption = QFontMetricsF(layout.speaker_font).elidedText(
                dial.caption, Qt.TextElideMode.ElideRight, layout.caption_rect.width()
            )
            layout.shortened[dial.caption] = caption
        if dial.mood in (DialMood.READY, DialMood.FINISHED):
            items = [(layout.message_rect, layout.message_font, colours.text, dial.main)]
            if dial.sub:
                items.append((layout.hint_rect, layout.small_font, colours.dim, dial.sub))
            return items
        if dial.mood is DialMood.PAUSED:
            return [
                (layout.caption_rect, layout.speaker_font, colours.speaker, caption),
                (layout.main_rect, layout.message_font, colours.paused, dial.main),
                (layout.sub_rect, layout.small_font, colours.dim, dial.sub),
            ]
        colour = {
            DialMood.CALM: colours.text,
            DialMood.WARNING: colours.warning,
            DialMood.OVERTIME: colours.overtime,
        }[dial.mood]
        return [
            (layout.caption_rect, layout.speaker_font, colours.speaker, caption),
            (layout.main_rect, layout.main_font, colour, dial.main),
        ]

    def _describe(self) -> None:
        scene = self._scene
        if scene.phase is Phase.READY:
            text = "The round has not started yet."
        elif scene.phase is Phase.FINISHED:
            text = "The round has finished."
        else:
            text = f"{scene.current_name} has the stick."
            if scene.next_name:
                text += f" Next: {scene.next_name}."
        self.setAccessibleDescription(text)

    # ---- painting -------------------------------------------------------------------------

    def _render_static(self, layout: CircleLayout) -> QPixmap:
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(QSize(round(self.width() * ratio), round(self.height() * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        colours = self._colours
        pixmap.fill(colours.background)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        r = layout.ring_radius
        c = layout.centre
        p.setPen(QPen(colours.track, layout.ring_pen))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(c, r, r)
        edge = max(1.0, layout.places[0].pill.height() * 0.035) if layout.places else 1.0
        for seat, place in zip(self._scene.seats, layout.places, strict=False):
            radius = place.pill.height() / 2
            state = seat.state
            if state is SpeakerState.CURRENT:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(colours.current)
            elif state is SpeakerState.NEXT and self._scene.phase is not Phase.FINISHED:
                p.setPen(QPen(colours.next_edge, max(2.0, edge * 2.2)))
                p.setBrush(colours.pill)
            elif state in _DIMMED or self._scene.phase is Phase.FINISHED:
                p.setPen(QPen(colours.spoken_edge, edge))
                p.setBrush(Qt.BrushStyle.NoBrush)
            else:
                p.setPen(QPen(colours.pill_edge, edge))
                p.setBrush(colours.pill)
            p.drawRoundedRect(place.pill, radius, radius)
        for rect, font, colour, text in self._seat_texts(layout):
            p.setFont(font)
            p.setPen(colour)
            p.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
        p.end()
        return pixmap

    def _paint_stick(self, p: QPainter, layout: CircleLayout, pose: StickPose) -> None:
        length, thick = layout.stick_length, layout.stick_thickness
        colours = self._colours
        p.save()
        p.translate(pose.x, pose.y)
        p.rotate(pose.angle)
        body = QRectF(-length / 2, -thick / 2, length, thick)
        shade = QLinearGradient(0, -thick / 2, 0, thick / 2)
        shade.setColorAt(0.0, colours.stick_light)
        shade.setColorAt(1.0, colours.stick_dark)
        p.setPen(QPen(colours.stick_band, max(1.0, thick * 0.08)))
        p.setBrush(shade)
        p.drawRoundedRect(body, thick / 2, thick / 2)
        p.setPen(QPen(colours.stick_band, max(1.5, thick * 0.16)))
        for x in (-length * 0.3, length * 0.3):
            p.drawLine(QPointF(x, -thick * 0.38), QPointF(x, thick * 0.38))
        p.restore()

    def _stick_rect(self, layout: CircleLayout, pose: StickPose) -> QRectF:
        half = layout.stick_length / 2 + layout.stick_thickness
        return QRectF(pose.x - half, pose.y - half, 2 * half, 2 * half)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        self.repaints += 1
        layout = self._ensure_layout()
        if self._static is None:
            self._static = self._render_static(layout)
        area = event.rect()
        ratio = self._static.devicePixelRatio()
        p = QPainter(self)
        p.drawPixmap(
            QRectF(area),
            self._static,
            QRectF(area.x() * ratio, area.y() * ratio, area.width() * ratio, area.height() * ratio),
        )
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        if area.intersects(layout.dial_rect):
            self._paint_dial(p, layout, QRectF(area))
        stick = self._stick
        if (
            stick is not None
            and self._scene.seats
            and QRectF(area).intersects(self._stick_rect(layout, stick))
        ):
            self._paint_stick(p, layout, stick)
        p.end()

    def _paint_dial(self, p: QPainter, layout: CircleLayout, area: QRectF) -> None:
        dial, colours = self._dial, self._colours
        colour = {
            DialMood.CALM: colours.calm,
            DialMood.WARNING: colours.warning,
            DialMood.OVERTIME: colours.overtime,
            DialMood.PAUSED: colours.paused,
        }.get(dial.mood)
        if colour is not None and dial.ring_step > 0:
            if dial.mood is DialMood.OVERTIME:
                colour = _blend(colour, colours.background, 0.35)  # softer: no alarm
            pen = QPen(colour, layout.ring_pen)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            r, c = layout.ring_radius, layout.centre
            ring = QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r)
            if dial.ring_step >= layout.ring_steps:
                p.drawEllipse(ring)
            else:
                span = -round(5760 * dial.ring_step / layout.ring_steps)
                p.drawArc(ring, 90 * 16, span)
        flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        for rect, font, text_colour, text in self._dial_texts(layout):
            if not text or not area.intersects(rect):
                continue
            p.setFont(font)
            p.setPen(text_colour)
            p.drawText(rect, flags, text)

    # ---- events ---------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        layout = self._ensure_layout()
        self._dial = self._make_dial(layout)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._colours = self._pick_colours()
            self._static = None
            self.update()
        elif event.type() == QEvent.Type.FontChange:
            self._layout = None
            self.update()
        super().changeEvent(event)
