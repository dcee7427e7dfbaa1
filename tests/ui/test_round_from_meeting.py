"""A whole sharing round from a meeting: check in, set up, run by keyboard, keep the log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from fakes import CountingChime, FakeClock
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget

from peercircle.db import Database
from peercircle.domain import AttendanceStatus
from peercircle.services.meeting_types import MeetingDraft
from peercircle.services.meetings import MeetingService
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.services.rounds import RoundService
from peercircle.ui.main_window import MainWindow
from peercircle.ui.meetings.round_history_dialog import RoundHistoryDialog
from peercircle.ui.round.round_setup_dialog import RoundSetupDialog


@pytest.fixture
def window(qtbot, db: Database, roster: RosterService, dialogs, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(db, roster, dialogs)
    qtbot.addWidget(w)
    assert w.round_launcher is not None
    w.round_launcher.clock = FakeClock(500.0)
    w.round_launcher.chime = CountingChime()
    w.round_launcher.now = lambda: dt.datetime(2026, 11, 24, 19, 30)
    w.round_launcher.settings = QSettings(
        str(tmp_path / "settings.ini"), QSettings.Format.IniFormat
    )
    w.show()
    return w


def _meeting_with_people(db: Database, roster: RosterService) -> tuple[int, int, list[int]]:
    group = roster.create_group(
        GroupDraft("Tuesday Circle", 1, agreements="It is always okay to pass.")
    )
    ids = [
        roster.create_member(MemberDraft(name), group_id=group.id).id
        for name in ("Ágnes", "Bo", "Ольга", "Kwame")
    ]
    meetings = MeetingService(db)
    meeting = meetings.create_meeting(group.id, MeetingDraft(dt.date(2026, 11, 24))).id
    for member in ids[:3]:
        meetings.set_attendance(meeting, member, AttendanceStatus.PRESENT)
    meetings.set_attendance(meeting, ids[3], AttendanceStatus.ABSENT)
    return group.id, meeting, ids


def test_a_round_run_by_keyboard_is_saved_with_its_meeting(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    db: Database,
    roster: RosterService,
    answer_dialog: Callable[[Callable[[QWidget], None]], None],
) -> None:
    group, meeting, ids = _meeting_with_people(db, roster)
    window.refresh(select_group=group)
    window.show_meetings_action.trigger()

    def set_up(dialog: QWidget) -> None:
        assert isinstance(dialog, RoundSetupDialog)
        # Those checked in are in; Kwame, absent, is not.
        assert [s.name for s in dialog.speakers()] == ["Ágnes", "Bo", "Ольга"]
        dialog.ok_button.click()

    answer_dialog(set_up)
    window.meetings_screen.check_in.round_button.click()
    launcher = window.round_launcher
    assert launcher is not None and launcher.window is not None
    round_window = launcher.window
    clock = launcher.clock
    assert isinstance(clock, FakeClock)
    qtbot.waitExposed(round_window)
    round_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is round_window)
    qtbot.keyClick(round_window, Qt.Key.Key_Space)  # start: Ágnes has the stick
    clock.now += 150
    qtbot.keyClick(round_window, Qt.Key.Key_F)  # check in later with Ágnes
    qtbot.keyClick(round_window, Qt.Key.Key_Space)  # Bo
    clock.now += 4
    qtbot.keyClick(round_window, Qt.Key.Key_S)  # Bo passes
    clock.now += 200
    qtbot.keyClick(round_window, Qt.Key.Key_Space)  # Ольга done; Bo is offered a turn again
    clock.now += 30
    qtbot.keyClick(round_window, Qt.Key.Key_Space)
    snapshot = round_window.snapshot
    assert snapshot.phase.value == "finished"
    with qtbot.waitSignal(launcher.round_saved) as saved:
        qtbot.keyClick(round_window, Qt.Key.Key_Escape)  # save and close
    assert saved.args == [meeting]
    assert launcher.window is None

    [log] = RoundService(db).rounds_of(meeting)
    assert [(t.speaker.name, t.passed, t.came_back) for t in log.turns] == [
        ("Ágnes", False, False),
        ("Bo", True, False),
        ("Ольга", False, False),
        ("Bo", False, True),
    ]
    assert [t.duration for t in log.turns] == pytest.approx([150, 4, 200, 30])
    assert [t.speaker.name for t in log.flagged] == ["Ágnes"]
    assert log.started_at == dt.datetime(2026, 11, 24, 19, 30) - dt.timedelta(seconds=384)
    # The meeting now offers its summary.
    panel = window.meetings_screen.check_in
    assert panel.summary_button.isVisibleTo(panel)

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, RoundHistoryDialog)
        [view] = dialog.views
        assert "Ágnes" in [view.model.index(r, 0).data() for r in range(view.model.rowCount())]
        dialog.reject()

    answer_dialog(look)
    panel.summary_button.click()


def test_least_heard_first_uses_earlier_rounds(
    window: MainWindow,
    db: Database,
    roster: RosterService,
    answer_dialog: Callable[[Callable[[QWidget], None]], None],
) -> None:
    from peercircle.domain import RoundOrder

    group, meeting, ids = _meeting_with_people(db, roster)
    meetings, rounds = MeetingService(db), RoundService(db)
    earlier = meetings.create_meeting(group, MeetingDraft(dt.date(2026, 11, 17))).id
    from peercircle.services.round_engine import RoundSettings, SharingRound, Speaker

    clock = FakeClock(500.0)
    engine = SharingRound(
        [Speaker(f"m{m}", n, i, m) for i, (m, n) in enumerate(zip(ids, "ABC", strict=False))],
        RoundSettings(),
        clock,
    )
    engine.start()
    for seconds in (300, 100, 10):
        clock.now += seconds
        engine.next()
    snap = engine.snapshot()
    rounds.save_round(earlier, snap.settings, dt.datetime(2026, 11, 17, 19), 410, snap.turns)
    window.refresh(select_group=group)

    def set_up(dialog: QWidget) -> None:
        assert isinstance(dialog, RoundSetupDialog)
        dialog.order_button(RoundOrder.LEAST_HEARD).setChecked(True)
        dialog.ok_button.click()

    answer_dialog(set_up)
    assert window.round_launcher is not None
    round_window = window.round_launcher.start(meeting, roster.get_group(group))
    assert round_window is not None
    assert [s.name for s in round_window.snapshot.queue] == ["Ольга", "Bo", "Ágnes"]
    round_window.close()
