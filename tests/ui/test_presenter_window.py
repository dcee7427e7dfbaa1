"""The presenter view: opened from the round window, driven from either, and private."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest
from fakes import FakeClock
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from peercircle.services.round_engine import Phase, RoundSettings, SharingRound, Speaker
from peercircle.ui.round.chime import SilentChime
from peercircle.ui.round.circle_view import CircleScene, Seat
from peercircle.ui.round.presenter_window import PresenterWindow
from peercircle.ui.round.round_window import RoundWindow

# What the facilitator's app knows about these people; none of it may reach the projector.
MEMBERS = [
    ("Ágnes", "agnes@example.org", "+36 30 123 4567"),
    ("Nguyễn Văn An", "an.nguyen@example.org", "0912 345 678"),
    ("Ольга", "olga@example.org", "+7 912 000 11 22"),
    ("Samir", "samir@example.org", "07700 900123"),
    ("Kwame", "kwame@example.org", "+233 20 000 0000"),
]
TIME = re.compile(r"^\+?\d+:\d\d$")


@pytest.fixture
def window(qtbot, dialogs, tmp_path: Path) -> RoundWindow:  # type: ignore[no-untyped-def]
    speakers = [
        Speaker(f"m{i + 1}", name, seat=i, member_id=i + 1)
        for i, (name, _email, _phone) in enumerate(MEMBERS)
    ]
    clock = FakeClock(300.0)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = RoundWindow(
        SharingRound(speakers, RoundSettings(), clock),
        group_name="Tuesday Circle",
        agreements="Passing is always fine.",
        dialogs=dialogs,
        chime=SilentChime(),
        settings=settings,
    )
    win.clock = clock  # type: ignore[attr-defined]
    qtbot.addWidget(win)
    activate(qtbot, win)
    return win


def activate(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


def open_by_f5(qtbot, window: RoundWindow) -> PresenterWindow:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.presenter_opened):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    presenter = window.presenter
    assert presenter is not None
    qtbot.addWidget(presenter)
    presenter.circle.set_animated(False)
    return presenter


def test_f5_opens_the_presenter_windowed_on_a_single_screen(qtbot, window: RoundWindow) -> None:  # type: ignore[no-untyped-def]
    assert len(QGuiApplication.screens()) == 1
    presenter = open_by_f5(qtbot, window)
    assert presenter.isVisible()
    assert not presenter.isFullScreen()
    assert presenter.isWindow() and presenter.parent() is None
    with qtbot.assertNotEmitted(window.presenter_opened):
        window.open_presenter()  # already open: brought forward, not opened again


def test_keys_in_the_presenter_drive_the_round(qtbot, window: RoundWindow) -> None:  # type: ignore[no-untyped-def]
    presenter = open_by_f5(qtbot, window)
    activate(qtbot, presenter)
    qtbot.keyClick(presenter, Qt.Key.Key_Space)
    assert window.snapshot.phase is Phase.SPEAKING
    window.clock.now += 12  # type: ignore[attr-defined]
    qtbot.keyClick(presenter, Qt.Key.Key_Space)
    assert window.snapshot.current is not None and window.snapshot.current.name == "Nguyễn Văn An"
    qtbot.keyClick(presenter, Qt.Key.Key_S)
    assert window.snapshot.turns[-1].passed
    qtbot.keyClick(presenter, Qt.Key.Key_P)
    assert window.snapshot.paused
    qtbot.keyClick(presenter, Qt.Key.Key_P)
    qtbot.keyClick(presenter, Qt.Key.Key_Plus)
    assert window.snapshot.allotted == 240
    qtbot.keyClick(presenter, Qt.Key.Key_F)
    assert window.snapshot.check_in_later
    assert presenter.next_line.text == "Next: Samir"
    assert "Ольга" in presenter.drawn_texts()


def test_f11_and_escape_in_the_presenter(qtbot, window: RoundWindow) -> None:  # type: ignore[no-untyped-def]
    presenter = open_by_f5(qtbot, window)
    activate(qtbot, presenter)
    qtbot.keyClick(presenter, Qt.Key.Key_F11)
    assert presenter.isFullScreen()
    qtbot.keyClick(presenter, Qt.Key.Key_Escape)
    assert presenter.isVisible() and not presenter.isFullScreen()
    with qtbot.waitSignal(presenter.closed):
        qtbot.keyClick(presenter, Qt.Key.Key_Escape)
    assert not presenter.isVisible()
    assert window.snapshot.phase is Phase.READY  # Esc there never ends the round
    with qtbot.waitSignal(window.presenter_opened):
        window.open_presenter()


def test_the_presenter_only_ever_receives_names(
    qtbot, window: RoundWindow, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    received: list[CircleScene] = []
    original = PresenterWindow.set_scene

    def spy(self: PresenterWindow, scene: CircleScene) -> None:
        received.append(scene)
        original(self, scene)

    monkeypatch.setattr(PresenterWindow, "set_scene", spy)
    presenter = open_by_f5(qtbot, window)
    clock = window.clock  # type: ignore[attr-defined]
    qtbot.keyClick(window, Qt.Key.Key_Space)
    for seconds, key in ((42, Qt.Key.Key_Space), (7, Qt.Key.Key_S), (131, Qt.Key.Key_Space)):
        clock.now += seconds
        qtbot.keyClick(window, Qt.Key.Key_F)
        qtbot.keyClick(window, key)
        window._timer.timeout.emit()
    clock.now += 20
    window._timer.timeout.emit()

    names = {name for name, _email, _phone in MEMBERS}
    assert received
    for scene in received:
        assert isinstance(scene, CircleScene)
        assert {f.name for f in fields(scene)} == {
            "phase", "seats", "allotted", "remaining", "warning", "paused",
        }  # fmt: skip
        assert all(type(seat) is Seat and seat.name in names for seat in scene.seats)

    texts = presenter.drawn_texts()
    labels = [label.text() for label in presenter.findChildren(QLabel)]
    private = [value for member in MEMBERS for value in member[1:]]
    for text in texts + labels:
        assert not any(p in text for p in private)
        assert not re.search(r"%|pass|check|flag|later|spoke|turn", text, re.IGNORECASE), text
        assert text in names or text == "next" or TIME.match(text) or text == "Next: Kwame"
    assert not {"0:42", "0:07", "2:11"} & set(texts)  # nobody's past talk time
    assert not presenter.grab().isNull()


def test_closing_the_round_window_closes_the_presenter(qtbot, window: RoundWindow) -> None:  # type: ignore[no-untyped-def]
    presenter = open_by_f5(qtbot, window)
    window.close()
    assert not presenter.isVisible()
    assert window.presenter is None


def test_presenter_shows_the_end_calmly(qtbot, window: RoundWindow, dialogs) -> None:  # type: ignore[no-untyped-def]
    presenter = open_by_f5(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert dialogs.asked
    assert "Thank you, everyone" in presenter.drawn_texts()
    assert presenter.next_line.text == ""


# Offscreen Qt can pretend to have several screens, but only when it starts: these run in a
# separate process. WINDOW sets up a one-person round window on those screens.
WINDOW = """
import sys
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu
from peercircle.services.round_engine import RoundSettings, SharingRound, Speaker
from peercircle.ui.round.chime import SilentChime
from peercircle.ui.round.round_window import RoundWindow

class Dialogs:
    def confirm(self, *args): return True
    def info(self, *args): pass
    def error(self, *args): pass

app = QApplication([])
window = RoundWindow(
    SharingRound([Speaker("m1", "Ágnes", 0)], RoundSettings(), lambda: 0.0),
    group_name="Tuesday Circle", agreements="", dialogs=Dialogs(), chime=SilentChime(),
    settings=QSettings(sys.argv[1], QSettings.Format.IniFormat),
)
window.show()
app.processEvents()
"""

TWO_SCREENS = """
laptop, projector = QGuiApplication.screens()
presenter = window.open_presenter()
app.processEvents()
print(window.screen().name(), presenter.screen().name(), presenter.isFullScreen())
presenter.close()
presenter = window.open_presenter(laptop)  # chosen explicitly: the facilitator's own screen
app.processEvents()
print(presenter.screen().name(), presenter.isFullScreen())
"""

THREE_SCREENS = """
def choose_tv():
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu), menu
    print("|".join(a.text() for a in menu.actions()))
    menu.actions()[1].trigger()
    menu.close()

QTimer.singleShot(50, choose_tv)
window.presenter_button.click()
app.processEvents()
print(window.presenter.screen().name(), window.presenter.isFullScreen())
"""

LAPTOP = {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "dpr": 1}


def run_on_screens(tmp_path: Path, screens: list[dict[str, object]], script: str) -> list[str]:
    """Run ``WINDOW`` then ``script`` with these pretend screens; return what it printed."""
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": screens}), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    done = subprocess.run(
        [sys.executable, "-c", WINDOW + script, str(tmp_path / "settings.ini")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.splitlines()


def test_with_two_screens_the_presenter_fills_the_other_one(tmp_path: Path) -> None:
    projector = {"name": "projector", "x": 1366, "y": 0, "width": 1920, "height": 1080, "dpr": 1}
    lines = run_on_screens(tmp_path, [LAPTOP, projector], TWO_SCREENS)
    assert lines[:2] == ["laptop projector True", "laptop False"]


def test_with_three_screens_the_facilitator_picks_one(tmp_path: Path) -> None:
    monitor = {"name": "monitor", "x": 1366, "y": 0, "width": 2560, "height": 1440, "dpr": 1}
    tv = {"name": "tv", "x": 3926, "y": 0, "width": 1920, "height": 1080, "dpr": 1}
    lines = run_on_screens(tmp_path, [LAPTOP, monitor, tv], THREE_SCREENS)
    assert lines[:2] == ["monitor — 2560×1440|tv — 1920×1080", "tv True"]
