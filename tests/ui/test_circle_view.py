"""The painted circle: what it shows in each state, how it fits names, when it repaints."""

from __future__ import annotations

import re

import pytest
from fakes import FakeClock
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from peercircle.services.round_engine import Phase, RoundSettings, SharingRound, Speaker
from peercircle.services.round_engine import SpeakerState as State
from peercircle.ui.round.circle_layout import compute_layout
from peercircle.ui.round.circle_view import (
    CircleMode,
    CircleScene,
    CircleView,
    DialMood,
    Seat,
    countdown_text,
    minutes_seconds,
)

NAMES = ["Ágnes", "Nguyễn Văn An", "Ольга", "Samir", "Kwame", "Bartholomew", "Li Wei"]
CROWD = NAMES + [
    "Fatima", "Zofia", "Mateo", "Siobhán", "Hiroshi", "Παναγιώτα", "Tomás", "Amara",
    "Björn", "Priya", "Yusuf", "Małgorzata", "Chen Jing", "Aroha", "Dmitri", "Inés",
    "Oluwaseun",
]  # fmt: skip
TIME = re.compile(r"^\+?\d+:\d\d$")


def scene(
    names: list[str] = NAMES,
    current: int | None = 2,
    *,
    phase: Phase = Phase.SPEAKING,
    remaining: float = 100.0,
    allotted: float = 180.0,
    warning: bool = False,
    paused: bool = False,
) -> CircleScene:
    seats = []
    for i, name in enumerate(names):
        if current is None:
            state = State.NEXT if i == 0 and phase is Phase.READY else State.WAITING
        elif i < current:
            state = State.PASSED if i == 1 else State.SPOKEN
        elif i == current:
            state = State.CURRENT
        else:
            state = State.NEXT if i == current + 1 else State.WAITING
        seats.append(Seat(name, state))
    return CircleScene(phase, tuple(seats), allotted, remaining, warning, paused)


@pytest.fixture
def view(qtbot) -> CircleView:  # type: ignore[no-untyped-def]
    widget = CircleView(CircleMode.FACILITATOR)
    widget.set_animated(False)
    widget.resize(700, 600)
    qtbot.addWidget(widget)
    return widget


@pytest.mark.parametrize(
    ("remaining", "text"),
    [
        (180.0, "3:00"),
        (179.2, "3:00"),
        (179.0, "2:59"),
        (60.0, "1:00"),
        (0.4, "0:01"),
        (0.0, "+0:00"),
        (-0.5, "+0:00"),
        (-61.0, "+1:01"),
        (-600.0, "+10:00"),
    ],
)
def test_countdown_text(remaining: float, text: str) -> None:
    assert countdown_text(remaining) == text


def test_minutes_seconds() -> None:
    assert minutes_seconds(0) == "0:00"
    assert minutes_seconds(125.9) == "2:05"
    assert minutes_seconds(3725) == "62:05"


def test_each_state_of_the_dial(view: CircleView) -> None:
    assert view.dial.mood is DialMood.READY
    view.set_scene(scene(current=None, phase=Phase.READY))
    assert view.drawn_texts()[-2:] == ["Ready when you are", "Press Space to start"]
    assert "next" in view.drawn_texts()

    view.set_scene(scene(remaining=100))
    assert (view.dial.mood, view.dial.main, view.dial.caption) == (DialMood.CALM, "1:40", "Ольга")
    view.set_scene(scene(remaining=20, warning=True))
    assert (view.dial.mood, view.dial.main) == (DialMood.WARNING, "0:20")
    view.set_scene(scene(remaining=-75))
    assert (view.dial.mood, view.dial.main) == (DialMood.OVERTIME, "+1:15")
    view.set_scene(scene(remaining=-75, paused=True))
    assert (view.dial.mood, view.dial.main, view.dial.sub) == (DialMood.PAUSED, "Paused", "+1:15")
    view.set_scene(scene(current=None, phase=Phase.FINISHED))
    assert view.dial.mood is DialMood.FINISHED
    assert "Thank you, everyone" in view.drawn_texts()
    assert "next" not in view.drawn_texts()


def test_ring_follows_the_time_left(view: CircleView) -> None:
    view.set_scene(scene(remaining=180, allotted=180))
    full = view.dial.ring_step
    view.set_scene(scene(remaining=90, allotted=180))
    assert view.dial.ring_step == pytest.approx(full / 2, abs=1)
    view.set_scene(scene(remaining=-5, allotted=180))
    assert view.dial.ring_step == full  # over time: a calm full ring, no alarm


def test_presenter_draws_only_names_the_stick_the_time_and_who_is_next(qtbot) -> None:  # type: ignore[no-untyped-def]
    presenter = CircleView(CircleMode.PRESENTER)
    qtbot.addWidget(presenter)
    presenter.resize(1280, 720)
    clock = FakeClock(0.0)
    speakers = [Speaker(f"m{i}", name, seat=i, member_id=i) for i, name in enumerate(NAMES)]
    sharing = SharingRound(speakers, RoundSettings(), clock)
    sharing.start()
    for seconds, action in ((42, sharing.next), (7, sharing.pass_turn), (131, sharing.next)):
        clock.now += seconds
        sharing.toggle_check_in_later()
        action()
    clock.now += 20
    presenter.set_snapshot(sharing.snapshot())
    texts = presenter.drawn_texts()
    allowed = set(NAMES) | {"next"}
    for text in texts:
        assert text in allowed or TIME.match(text), text
    assert texts.count("next") == 1
    assert "2:40" in texts  # the time left now...
    assert not {"0:42", "0:07", "2:11"} & set(texts)  # ...but never how long others spoke
    assert not presenter.grab().isNull()


def test_many_names_fit_without_overlapping(qtbot) -> None:  # type: ignore[no-untyped-def]
    for size in (QSize(1920, 1080), QSize(1280, 720)):
        layout = compute_layout(CROWD, size, True, QApplication.font())
        assert layout.fits
        pills = [place.pill for place in layout.places]
        for i, a in enumerate(pills):
            assert QSize(size).width() >= a.right() and a.left() >= 0
            assert size.height() >= a.bottom() and a.top() >= 0
            for b in pills[i + 1 :]:
                assert not a.intersects(b)
        if size.width() == 1920:
            assert [place.text for place in layout.places] == CROWD  # nothing shortened
        assert layout.ring_radius > size.height() * 0.15


def test_a_tiny_window_still_draws_everyone(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = CircleView(CircleMode.FACILITATOR)
    qtbot.addWidget(view)
    view.resize(320, 260)
    view.set_scene(scene(CROWD + CROWD))
    assert len([t for t in view.drawn_texts() if t != "next"]) == 2 * len(CROWD) + 2
    assert not view.grab().isNull()


@pytest.mark.parametrize("mode", list(CircleMode))
@pytest.mark.parametrize("count", [1, 2, 24])
def test_grab_works_in_each_mode(qtbot, mode: CircleMode, count: int) -> None:  # type: ignore[no-untyped-def]
    view = CircleView(mode)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.set_scene(scene(CROWD[:count], current=0))
    image = view.grab().toImage()
    assert not image.isNull()
    if mode is CircleMode.PRESENTER:
        assert image.pixelColor(3, 3).lightness() < 40  # near-black background


def test_facilitator_follows_a_dark_palette(view: CircleView) -> None:
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#eeeeee"))
    view.setPalette(palette)
    view.set_scene(scene())
    image = view.grab().toImage()
    assert image.pixelColor(3, 3) == QColor("#202124")


def test_repaints_only_when_the_shown_time_changes(qtbot, view: CircleView) -> None:  # type: ignore[no-untyped-def]
    view.show()
    qtbot.waitExposed(view)
    view.set_scene(scene(remaining=100.0))
    qtbot.waitUntil(lambda: view.repaints > 0)
    QApplication.processEvents()
    before = view.repaints
    for _ in range(5):
        view.set_scene(scene(remaining=100.0))  # the timer ticks; nothing visible changed
        QApplication.processEvents()
    assert view.repaints == before
    view.set_scene(scene(remaining=99.0))
    qtbot.waitUntil(lambda: view.repaints > before)


def test_the_stick_travels_to_the_new_speaker(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = CircleView(CircleMode.PRESENTER)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    view.set_scene(scene(current=2))
    start = view._stick
    view.set_scene(scene(current=3))
    assert view._travel.state() == view._travel.State.Running
    halfway = view._travel.duration() // 2
    view._travel.setCurrentTime(halfway)
    assert view._stick not in (start, view._layout.places[3].stick)  # type: ignore[union-attr]
    view._travel.setCurrentTime(view._travel.duration())
    assert view._travel.state() == view._travel.State.Stopped
    assert view._stick == view._layout.places[3].stick  # type: ignore[union-attr]


def test_partial_repaints_leave_the_same_picture_as_a_full_one(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = CircleView(CircleMode.PRESENTER)
    qtbot.addWidget(view)
    view.set_animated(False)
    view.resize(480, 360)
    view.show()
    qtbot.waitExposed(view)
    for tenth in range(0, 400, 7):  # 40 seconds of ticks: the ring and the seconds move
        remaining = 40 - tenth / 10
        view.set_scene(scene(remaining=remaining, allotted=60, warning=remaining <= 30))
        QApplication.processEvents()
    assert view.dial.main == "0:01" and view.dial.mood is DialMood.WARNING
    on_screen = QApplication.primaryScreen().grabWindow(view.winId()).toImage()
    fresh = view.grab().toImage()
    fmt = QImage.Format.Format_RGB32
    a, b = on_screen.convertToFormat(fmt), fresh.convertToFormat(fmt)
    assert a.size() == b.size()
    worst = max(abs(x - y) for x, y in zip(bytes(a.constBits()), bytes(b.constBits()), strict=True))
    assert worst <= 12  # the ring's edge may differ by a shade, nothing more
