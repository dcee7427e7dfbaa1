"""The prompts panel: in the facilitator's round window, never in the presenter view."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pytest
from fakes import CountingChime, FakeClock
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from peercircle.db import Database
from peercircle.domain import AttendanceStatus
from peercircle.services.meeting_types import MeetingDraft
from peercircle.services.meetings import MeetingService
from peercircle.services.prompts import PromptCategory, PromptDeck
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.services.round_engine import Phase, RoundSettings, SharingRound, Speaker
from peercircle.services.rounds import RoundService
from peercircle.ui.meetings.round_launcher import RoundLauncher
from peercircle.ui.round.circle_view import CircleScene, Seat
from peercircle.ui.round.presenter_window import PresenterWindow
from peercircle.ui.round.prompts_panel import ALL_PROMPTS, EMPTY_TEXT, PromptsPanel
from peercircle.ui.round.round_setup_dialog import RoundSetupDialog
from peercircle.ui.round.round_window import RoundWindow

NAMES = ["Ágnes", "Nguyễn Văn An", "Ольга", "Samir"]
DECK = PromptDeck(
    (
        PromptCategory(
            "Opening the round",
            ("How are you arriving today?", "Hur mår du i dag?", "Як ти сьогодні?"),
        ),
        PromptCategory("Nothing yet", ()),
        PromptCategory(
            "Reflective listening",
            ("It sounds like … — did I get that right?", "What I'm hearing is …"),
        ),
        PromptCategory("Closing the round", ("What are you taking with you today?",)),
    )
)
ALL = DECK.all_prompts()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def panel(qtbot, settings: QSettings) -> PromptsPanel:  # type: ignore[no-untyped-def]
    widget = PromptsPanel(DECK, rng=random.Random(7), settings=settings)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def shown(panel: PromptsPanel) -> tuple[str, str, str]:
    """(count, category line, prompt) as on the screen."""
    return panel.count_label.text(), panel.category_label.text(), panel.prompt_label.text()


def test_the_panel_shows_one_prompt_with_its_place(panel: PromptsPanel) -> None:
    assert panel.current == ALL[0]
    assert shown(panel) == ("1 of 6", "Opening the round", "How are you arriving today?")
    combo = panel.category_combo
    # A category with no prompts is not offered.
    assert [combo.itemText(i) for i in range(combo.count())] == [
        ALL_PROMPTS,
        "Opening the round",
        "Reflective listening",
        "Closing the round",
    ]
    for widget in (combo, panel.prompt_label, panel.next_button, panel.toggle_button):
        assert widget.accessibleName()
    assert all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in panel.findChildren(QPushButton))
    assert panel.next_button.toolTip() == "Next prompt (])"


def test_next_and_previous_wrap_around(panel: PromptsPanel) -> None:
    panel.previous()
    assert panel.current == ALL[-1]
    assert shown(panel)[0] == "6 of 6"
    panel.next()
    assert panel.current == ALL[0]
    for _ in range(4):
        panel.next_button.click()
    assert panel.current == ALL[4]
    assert shown(panel) == ("5 of 6", "Reflective listening", "What I'm hearing is …")


def test_the_category_filter(panel: PromptsPanel) -> None:
    panel.next()
    panel.category_combo.setCurrentIndex(2)
    assert panel.category == "Reflective listening"
    assert panel.current == ("Reflective listening", "It sounds like … — did I get that right?")
    # The list names the category; the line under the prompt is left for "All prompts".
    assert shown(panel) == ("1 of 2", "", "It sounds like … — did I get that right?")
    panel.next()
    panel.next()
    assert shown(panel)[0] == "1 of 2"
    panel.set_category("Closing the round")
    assert shown(panel)[0] == "1 of 1"
    assert not panel.next_button.isEnabled() and not panel.another_button.isEnabled()
    panel.next()
    assert panel.current == ("Closing the round", "What are you taking with you today?")
    panel.set_category(None)
    assert panel.category is None and panel.current == ALL[0]
    with pytest.raises(KeyError):
        panel.set_category("Nothing yet")


def test_another_is_random_but_never_the_same_again(panel: PromptsPanel) -> None:
    expected_rng = random.Random(7)
    index = 0
    for _ in range(20):
        pick = expected_rng.randrange(len(ALL) - 1)
        index = pick if pick < index else pick + 1
        before = panel.current
        panel.another_button.click()
        assert panel.current == ALL[index]
        assert panel.current != before


def test_a_new_deck_keeps_the_chosen_category_while_it_exists(panel: PromptsPanel) -> None:
    panel.set_category("Reflective listening")
    smaller = PromptDeck(DECK.categories[2:])
    panel.set_deck(smaller)
    assert panel.deck == smaller
    assert panel.category == "Reflective listening"
    panel.set_deck(PromptDeck(DECK.categories[:1]))
    assert panel.category is None and panel.current == ALL[0]


def test_an_empty_deck_says_so_calmly(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = PromptsPanel()
    qtbot.addWidget(panel)
    assert panel.current is None
    assert shown(panel) == ("", "", EMPTY_TEXT)
    panel.next()
    panel.another()
    assert panel.current is None
    assert not panel.category_combo.isEnabled()
    assert not panel.previous_button.isEnabled()


def test_showing_and_folding_is_remembered(panel: PromptsPanel, qtbot, settings) -> None:  # type: ignore[no-untyped-def]
    assert panel.is_expanded() and panel.toggle_button.text() == "Hide (Q)"
    with qtbot.waitSignal(panel.expanded_changed) as changed:
        panel.toggle_button.click()
    assert changed.args == [False]
    assert not panel.is_expanded() and not panel.body.isVisible()
    assert panel.toggle_button.text() == "Show (Q)"
    again = PromptsPanel(DECK, settings=settings)
    qtbot.addWidget(again)
    assert not again.is_expanded()


# ---- in the round window --------------------------------------------------------------------


def activate(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


def round_window(qtbot, dialogs, settings, prompts: PromptDeck | None) -> RoundWindow:  # type: ignore[no-untyped-def]
    clock = FakeClock(5000.0)
    speakers = [Speaker(f"m{i}", name, seat=i, member_id=i) for i, name in enumerate(NAMES)]
    window = RoundWindow(
        SharingRound(speakers, RoundSettings(time_seconds=120), clock),
        group_name="Tuesday Circle",
        agreements="Passing is always fine.",
        dialogs=dialogs,
        chime=CountingChime(),
        settings=settings,
        prompts=prompts,
    )
    window.clock = clock  # type: ignore[attr-defined]
    window.circle.set_animated(False)
    qtbot.addWidget(window)
    activate(qtbot, window)
    return window


def test_q_shows_and_hides_the_prompts_in_the_round_window(qtbot, dialogs, settings) -> None:  # type: ignore[no-untyped-def]
    window = round_window(qtbot, dialogs, settings, DECK)
    panel = window.prompts_panel
    assert panel is not None and panel.window() is window
    assert panel.isVisible() and panel.is_expanded()
    assert panel.prompt_label.text() == "How are you arriving today?"

    qtbot.keyClick(window, Qt.Key.Key_BracketRight)
    assert panel.current == ALL[1]
    qtbot.keyClick(window, Qt.Key.Key_BracketLeft)
    qtbot.keyClick(window, Qt.Key.Key_BracketLeft)
    assert panel.current == ALL[-1]

    qtbot.keyClick(window, Qt.Key.Key_Q)
    assert not panel.is_expanded() and panel.isVisible()  # the header line stays
    qtbot.keyClick(window, Qt.Key.Key_BracketRight)  # folded away: the keys rest
    assert panel.current == ALL[-1]
    qtbot.keyClick(window, Qt.Key.Key_Q)
    assert panel.is_expanded()

    # The round's own keys still work, also with the category list focused.
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.snapshot.phase is Phase.SPEAKING
    panel.category_combo.setFocus()
    assert QApplication.focusWidget() is panel.category_combo
    qtbot.keyClick(panel.category_combo, Qt.Key.Key_Space)
    assert window.snapshot.current is not None and window.snapshot.current.name == NAMES[1]
    assert len(window.snapshot.turns) == 1
    qtbot.keyClick(panel.category_combo, Qt.Key.Key_Down)  # the arrows choose a category
    assert panel.category == "Opening the round"


def test_without_a_deck_there_is_no_panel_and_q_does_nothing(qtbot, dialogs, settings) -> None:  # type: ignore[no-untyped-def]
    window = round_window(qtbot, dialogs, settings, None)
    assert window.prompts_panel is None
    assert not window.findChildren(PromptsPanel)
    qtbot.keyClick(window, Qt.Key.Key_Q)
    assert window.snapshot.phase is Phase.READY


def test_the_presenter_never_receives_a_prompt(
    qtbot,  # type: ignore[no-untyped-def]
    dialogs,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    received: list[CircleScene] = []
    original = PresenterWindow.set_scene

    def spy(self: PresenterWindow, scene: CircleScene) -> None:
        received.append(scene)
        original(self, scene)

    monkeypatch.setattr(PresenterWindow, "set_scene", spy)
    window = round_window(qtbot, dialogs, settings, DECK)
    with qtbot.waitSignal(window.presenter_opened):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    presenter = window.presenter
    assert presenter is not None
    qtbot.addWidget(presenter)
    presenter.circle.set_animated(False)
    activate(qtbot, window)

    panel = window.prompts_panel
    assert panel is not None
    qtbot.keyClick(window, Qt.Key.Key_Space)
    for key in (Qt.Key.Key_BracketRight, Qt.Key.Key_Q, Qt.Key.Key_Q, Qt.Key.Key_BracketRight):
        window.clock.now += 30  # type: ignore[attr-defined]
        qtbot.keyClick(window, key)
        qtbot.keyClick(window, Qt.Key.Key_Space)
        window._timer.timeout.emit()
    panel.another()
    window.refresh()
    assert panel.current is not None  # prompts were on the facilitator's screen all along

    # The presenter is only ever handed circle scenes with names in them.
    assert received
    for scene in received:
        assert {f.name for f in fields(scene)} == {
            "phase", "seats", "allotted", "remaining", "warning", "paused",
        }  # fmt: skip
        assert all(type(seat) is Seat and seat.name in NAMES for seat in scene.seats)

    # And nothing it shows, or holds, has a word of the deck in it.
    deck_texts = [text for pair in ALL for text in pair] + [ALL_PROMPTS, "Prompts"]
    widgets = [presenter, *presenter.findChildren(QWidget)]
    texts = [*presenter.drawn_texts(), presenter.windowTitle()]
    texts += [w.accessibleName() for w in widgets] + [w.toolTip() for w in widgets]
    texts += [label.text() for label in presenter.findChildren(QLabel)]
    for text in texts:
        assert not any(deck_text in text for deck_text in deck_texts), text
    assert not presenter.findChildren(PromptsPanel)
    assert panel.window() is window and panel.window() is not presenter

    # Q in the presenter view does not reach the prompts either.
    activate(qtbot, presenter)
    expanded = panel.is_expanded()
    qtbot.keyClick(presenter, Qt.Key.Key_Q)
    assert panel.is_expanded() == expanded


def test_the_launcher_hands_each_round_window_a_fresh_deck(
    qtbot,  # type: ignore[no-untyped-def]
    db: Database,
    roster: RosterService,
    dialogs,
    settings: QSettings,
    answer_dialog: Callable[[Callable[[QWidget], None]], None],
) -> None:
    group = roster.create_group(GroupDraft("Tuesday Circle", 1))
    members = [roster.create_member(MemberDraft(n), group_id=group.id).id for n in NAMES[:2]]
    meetings = MeetingService(db)
    meeting = meetings.create_meeting(group.id, MeetingDraft(dt.date(2026, 11, 24))).id
    for member in members:
        meetings.set_attendance(meeting, member, AttendanceStatus.PRESENT)
    parent = QWidget()
    qtbot.addWidget(parent)
    asked: list[PromptDeck] = []

    def deck() -> PromptDeck:
        asked.append(DECK)
        return DECK

    launcher = RoundLauncher(
        meetings,
        RoundService(db),
        dialogs,
        parent,
        clock=FakeClock(),
        chime=CountingChime(),
        settings=settings,
        prompts=deck,
    )
    assert asked == []  # only asked when a round opens

    def set_up(dialog: QWidget) -> None:
        assert isinstance(dialog, RoundSetupDialog)
        dialog.ok_button.click()

    answer_dialog(set_up)
    window = launcher.start(meeting, group)
    assert window is not None
    assert asked == [DECK]
    assert window.prompts_panel is not None and window.prompts_panel.deck == DECK
    window.close()  # the launcher lets go of it (and deletes it)
    assert launcher.window is None

    # Without a deck source the round window has no prompts, as before.
    launcher.prompts = None
    answer_dialog(set_up)
    plain = launcher.start(meeting, group)
    assert plain is not None
    qtbot.addWidget(plain)
    assert plain.prompts_panel is None
