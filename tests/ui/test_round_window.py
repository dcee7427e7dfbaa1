"""The talking-stick window, driven by keyboard on a fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import CountingChime, FakeClock
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QPushButton, QWidget

from peercircle.domain import TimeMode
from peercircle.services.round_engine import Phase, RoundSettings, SharingRound, Speaker
from peercircle.ui.round.chime import SETTINGS_KEY
from peercircle.ui.round.round_queue import RoundQueueModel
from peercircle.ui.round.round_window import RoundWindow

NAMES = ["Ágnes", "Nguyễn Văn An", "Ольга", "Samir", "Kwame"]


def people(names: list[str] = NAMES) -> list[Speaker]:
    return [Speaker(f"m{i + 1}", name, seat=i, member_id=i + 1) for i, name in enumerate(names)]


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


class Room:
    """A round, its clock, its chime and its window, shown and active."""

    def __init__(self, qtbot, dialogs, settings, round_settings: RoundSettings) -> None:  # type: ignore[no-untyped-def]
        self.clock = FakeClock(5000.0)
        self.chime = CountingChime()
        self.round = SharingRound(people(), round_settings, self.clock)
        self.window = RoundWindow(
            self.round,
            group_name="Tuesday Circle",
            agreements="What is shared here stays here.\nPassing is always fine.",
            dialogs=dialogs,
            chime=self.chime,
            settings=settings,
        )
        self.window.circle.set_animated(False)
        qtbot.addWidget(self.window)
        activate(qtbot, self.window)
        self.qtbot = qtbot

    def key(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        self.qtbot.keyClick(self.window, key, modifier)

    def wait(self, seconds: float) -> None:
        """Time passes; the window's timer fires once."""
        self.clock.now += seconds
        self.window._timer.timeout.emit()


def activate(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


@pytest.fixture
def room(qtbot, dialogs, settings) -> Room:  # type: ignore[no-untyped-def]
    return Room(qtbot, dialogs, settings, RoundSettings(time_seconds=180, warning_seconds=30))


def current(room: Room) -> str | None:
    snap = room.round.snapshot()
    return snap.current.name if snap.current else None


def test_agreements_and_start_before_the_round(room: Room) -> None:
    window = room.window
    assert window.pages.currentIndex() == 0
    assert "What is shared here stays here." in window.agreements.text()
    assert window.start_button.isVisible()
    assert window.status.text() == "5 people · seated order · 3:00 each"
    assert "Ready when you are" in window.circle.drawn_texts()


def test_space_starts_then_passes_the_stick(room: Room) -> None:
    room.key(Qt.Key.Key_Space)
    assert room.round.phase is Phase.SPEAKING
    assert current(room) == "Ágnes"
    assert room.window.pages.currentIndex() == 1
    room.wait(42)
    room.key(Qt.Key.Key_Space)
    snap = room.round.snapshot()
    assert snap.current is not None and snap.current.name == "Nguyễn Văn An"
    assert snap.turns[0].duration == pytest.approx(42)
    assert room.window.status.text() == "Turn 2 of 5 · round 0:42"


def test_space_passes_once_even_with_the_queue_focused(room: Room) -> None:
    room.key(Qt.Key.Key_Space)
    room.window.queue_view.setFocus()
    room.qtbot.keyClick(room.window.queue_view, Qt.Key.Key_Space)
    assert current(room) == "Nguyễn Văn An"
    assert len(room.round.snapshot().turns) == 1
    buttons = room.window.findChildren(QPushButton) + room.window.findChildren(QCheckBox)
    assert buttons and all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in buttons)


def test_keys_pass_pause_add_time_flag_and_undo(room: Room) -> None:
    room.key(Qt.Key.Key_Space)
    room.key(Qt.Key.Key_S)
    snap = room.round.snapshot()
    assert snap.turns[-1].passed and [s.name for s in snap.passed] == ["Ágnes"]
    assert room.window.passed_view.isVisibleTo(room.window)

    room.key(Qt.Key.Key_P)
    assert room.round.snapshot().paused
    assert room.window.pause_button.text() == "Resume (P)"
    assert not room.window._timer.isActive()
    room.key(Qt.Key.Key_P)
    assert not room.round.snapshot().paused
    assert room.window._timer.isActive()

    room.key(Qt.Key.Key_Plus)
    room.key(Qt.Key.Key_Equal)
    room.key(Qt.Key.Key_Plus, Qt.KeyboardModifier.KeypadModifier)
    assert room.round.snapshot().allotted == 180 + 3 * 60

    room.key(Qt.Key.Key_F)
    assert room.round.snapshot().check_in_later
    assert room.window.later_button.isChecked()
    assert "check in later" in room.window.speaker_line.text()

    room.key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    snap = room.round.snapshot()
    assert snap.current is not None and snap.current.name == "Ágnes"
    assert snap.turns == ()


def test_a_key_that_makes_no_sense_now_is_explained_quietly(room: Room) -> None:
    room.key(Qt.Key.Key_S)
    assert room.round.phase is Phase.READY
    assert room.window.notice.text() == "The round has not started yet."
    room.key(Qt.Key.Key_Space)
    assert room.window.notice.isHidden()


def test_the_timer_only_runs_while_someone_speaks(room: Room) -> None:
    timer = room.window._timer
    assert not timer.isActive()
    room.key(Qt.Key.Key_Space)
    assert timer.isActive() and timer.timerType() != Qt.TimerType.CoarseTimer
    room.wait(65)
    assert room.window.circle.dial.main == "1:55"
    assert room.window.status.text() == "Turn 1 of 5 · round 1:05"
    room.key(Qt.Key.Key_P)
    assert not timer.isActive()
    room.clock.now += 500  # paused: the countdown stands still
    room.window.refresh()
    assert room.window.circle.dial.sub == "1:55"
    room.key(Qt.Key.Key_P)
    room.round.finish()
    room.window.refresh()
    assert not timer.isActive()


def test_chime_plays_once_when_time_runs_out_each_turn(room: Room) -> None:
    room.key(Qt.Key.Key_Space)
    room.wait(179)
    assert room.chime.played == 0
    room.wait(1.5)
    assert room.chime.played == 1
    room.wait(10)
    assert room.chime.played == 1
    room.key(Qt.Key.Key_Plus)  # time again, then over again: still the same turn
    room.wait(60)
    assert room.chime.played == 1
    room.key(Qt.Key.Key_Space)
    room.wait(181)
    assert room.chime.played == 2


def test_no_chime_while_paused(room: Room) -> None:
    room.key(Qt.Key.Key_Space)
    room.wait(170)
    room.clock.now += 20  # time ran out between two ticks, and the facilitator paused
    room.key(Qt.Key.Key_P)
    room.wait(30)
    assert room.chime.played == 0
    room.key(Qt.Key.Key_P)
    assert room.chime.played == 1


def test_chime_can_be_switched_off_and_the_choice_is_kept(
    qtbot, dialogs, settings: QSettings
) -> None:
    room = Room(qtbot, dialogs, settings, RoundSettings(time_seconds=60))
    assert room.window.chime_check.isChecked()
    room.window.chime_check.click()
    assert settings.value(SETTINGS_KEY, type=bool) is False
    room.key(Qt.Key.Key_Space)
    room.wait(30)
    room.wait(31)
    assert room.chime.played == 0

    again = Room(qtbot, dialogs, settings, RoundSettings(time_seconds=60))
    assert not again.window.chime_check.isChecked()


def test_escape_asks_before_ending_the_round(room: Room, dialogs) -> None:  # type: ignore[no-untyped-def]
    room.key(Qt.Key.Key_Space)
    room.wait(30)
    dialogs.confirm_answer = False
    room.key(Qt.Key.Key_Escape)
    assert dialogs.asked == [("End the round", "End the round now? The turns so far are kept.")]
    assert room.round.phase is Phase.SPEAKING
    assert room.window.isVisible()

    dialogs.confirm_answer = True
    room.key(Qt.Key.Key_Escape)
    assert room.round.phase is Phase.FINISHED
    assert room.window.pages.currentIndex() == 2
    assert room.window.summary.model.rowCount() == 1
    assert room.window.isVisible()

    with room.qtbot.waitSignal(room.window.round_finished) as finished:
        room.key(Qt.Key.Key_Escape)
    snap = finished.args[0]
    assert snap.phase is Phase.FINISHED and snap.turns[0].speaker.name == "Ágnes"
    assert snap.turns[0].duration == pytest.approx(30)
    assert not room.window.isVisible()


def test_escape_before_the_start_just_closes(room: Room, dialogs) -> None:  # type: ignore[no-untyped-def]
    with room.qtbot.assertNotEmitted(room.window.round_finished):
        room.key(Qt.Key.Key_Escape)
    assert not room.window.isVisible()
    assert dialogs.asked == []


def test_round_finished_is_emitted_once_with_the_final_snapshot(room: Room) -> None:
    seen = []
    room.window.round_finished.connect(seen.append)
    room.key(Qt.Key.Key_Space)
    for seconds in (100, 120, 90, 60, 150):
        room.wait(seconds)
        room.key(Qt.Key.Key_Space)
    assert room.round.phase is Phase.FINISHED  # the last one passed the stick on
    headline = room.window.summary.headline.text()
    assert headline == "5 people shared · 9 minutes"
    room.window.save_button.click()
    room.window.close()
    assert len(seen) == 1
    assert [t.duration for t in seen[0].turns] == pytest.approx([100, 120, 90, 60, 150])


def test_closing_a_running_round_asks_and_keeps_the_turns(room: Room, dialogs) -> None:  # type: ignore[no-untyped-def]
    seen = []
    room.window.round_finished.connect(seen.append)
    room.key(Qt.Key.Key_Space)
    room.wait(20)
    dialogs.confirm_answer = False
    room.window.close()
    assert room.window.isVisible() and seen == []
    dialogs.confirm_answer = True
    room.window.close()
    assert not room.window.isVisible()
    assert len(seen) == 1 and seen[0].turns[0].duration == pytest.approx(20)


def test_queue_model_drag_moves_people_in_the_round(room: Room, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    room.key(Qt.Key.Key_Space)
    model = room.window.queue_model
    qtmodeltester.check(model, force_py=True)
    assert [model.index(r).data() for r in range(model.rowCount())] == NAMES[1:]
    assert model.moveRow(model.index(0).parent(), 3, model.index(0).parent(), 0)
    assert [s.name for s in room.round.snapshot().queue] == ["Kwame", *NAMES[1:4]]
    assert [model.index(r).data() for r in range(model.rowCount())] == ["Kwame", *NAMES[1:4]]
    qtmodeltester.check(model, force_py=True)


def test_a_standalone_queue_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    moves: list[tuple[str, int]] = []
    model = RoundQueueModel(lambda key, index: moves.append((key, index)))
    model.set_speakers(people())
    qtmodeltester.check(model, force_py=True)
    assert model.moveRow(model.index(0).parent(), 0, model.index(0).parent(), 5)
    assert moves == [("m1", 4)]
    assert not model.moveRow(model.index(0).parent(), 1, model.index(0).parent(), 2)
    assert model.set_speakers(people()[:2]) is True
    assert model.set_speakers(people()[:2]) is False


def test_alt_arrows_reorder_and_enter_chooses_who_speaks_next(room: Room) -> None:
    room.key(Qt.Key.Key_Space)
    view = room.window.queue_view
    view.setFocus()
    view.setCurrentIndex(room.window.queue_model.index(2))  # Samir
    room.qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert [s.name for s in room.round.snapshot().queue] == [
        "Nguyễn Văn An",
        "Samir",
        "Ольга",
        "Kwame",
    ]
    assert view.currentIndex().data() == "Samir"
    room.qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    room.qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [s.name for s in room.round.snapshot().queue][-1] == "Samir"

    view.setCurrentIndex(room.window.queue_model.index(2))  # Kwame
    room.qtbot.keyClick(view, Qt.Key.Key_Return)
    assert room.round.snapshot().next_up is not None
    assert room.round.snapshot().next_up.name == "Kwame"
    room.key(Qt.Key.Key_Space)
    assert current(room) == "Kwame"


def test_late_arrival_and_stepping_out(room: Room) -> None:
    window = room.window
    late = Speaker("g1", "Siobhán", seat=10)
    window.set_late_arrival_candidates([*people(), late])
    room.key(Qt.Key.Key_Space)
    assert window.late_button.isEnabled()
    window.late_menu.aboutToShow.emit()
    labels = [a.text() for a in window.late_menu.actions()]
    assert labels == ["Siobhán"]
    window.late_menu.actions()[0].trigger()
    assert [s.name for s in room.round.snapshot().queue][-1] == "Siobhán"
    assert not window.late_button.isEnabled()

    window.queue_view.setCurrentIndex(window.queue_model.index(1))  # Ольга
    assert window.away_button.text() == "Stepped out: Ольга"
    window.away_button.click()
    snap = room.round.snapshot()
    assert "Ольга" not in [s.name for s in snap.queue]
    window.late_menu.aboutToShow.emit()
    assert [a.text() for a in window.late_menu.actions()] == ["Ольга is back"]

    window.queue_view.clearSelection()
    assert window.away_button.text() == "Stepped out: Ágnes"
    room.key(Qt.Key.Key_Delete)
    assert current(room) == "Nguyễn Văn An"


def test_end_round_button_asks_first(room: Room, dialogs) -> None:  # type: ignore[no-untyped-def]
    room.key(Qt.Key.Key_Space)
    dialogs.confirm_answer = False
    room.window.end_button.click()
    assert room.round.phase is Phase.SPEAKING
    dialogs.confirm_answer = True
    room.window.end_button.click()
    assert room.round.phase is Phase.FINISHED


def test_undo_after_the_last_turn_goes_back_to_the_round(room: Room) -> None:
    room.key(Qt.Key.Key_Space)
    for _ in NAMES:
        room.wait(10)
        room.key(Qt.Key.Key_Space)
    assert room.window.pages.currentIndex() == 2
    assert room.window.back_button.isVisibleTo(room.window)
    room.key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert room.round.phase is Phase.SPEAKING and current(room) == "Kwame"
    assert room.window.pages.currentIndex() == 1


def test_budget_status_line(qtbot, dialogs, settings: QSettings) -> None:
    room = Room(
        qtbot, dialogs, settings, RoundSettings(time_mode=TimeMode.BUDGET, time_seconds=1500)
    )
    assert room.window.status.text() == "5 people · seated order · 25:00 for the round"
    room.key(Qt.Key.Key_Space)
    assert room.window.circle.dial.main == "5:00"
