"""Setting up a round: who is in it, the order, and the time."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from peercircle.domain import RoundOrder, TimeMode
from peercircle.services.round_engine import RoundSettings, Speaker
from peercircle.ui.round.round_setup_dialog import NOBODY_MESSAGE, RoundSetupDialog

PEOPLE = [
    Speaker("m3", "Ольга", seat=2, member_id=3),
    Speaker("m1", "Ágnes", seat=0, member_id=1),
    Speaker("m2", "Nguyễn Văn An", seat=1, member_id=2),
    Speaker("g1", "Kwame", seat=3),
]


@pytest.fixture
def dialog(qtbot) -> RoundSetupDialog:  # type: ignore[no-untyped-def]
    widget = RoundSetupDialog(
        PEOPLE, present_keys={"m1", "m3", "g1"}, defaults=RoundSettings(time_seconds=180)
    )
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_present_people_are_ticked_in_seated_order(dialog: RoundSetupDialog) -> None:
    names = [dialog.people.item(r).text() for r in range(dialog.people.count())]
    assert names == ["Ágnes", "Nguyễn Văn An", "Ольга", "Kwame"]
    assert [s.key for s in dialog.speakers()] == ["m1", "m3", "g1"]
    assert dialog.count_label.text() == "3 of 4 in the round"


def test_defaults_come_back_as_settings(dialog: RoundSetupDialog) -> None:
    assert dialog.settings() == RoundSettings(time_seconds=180)
    assert dialog.share_hint.text() == "about 9 min in all"


def test_ticking_by_keyboard(qtbot, dialog: RoundSetupDialog) -> None:  # type: ignore[no-untyped-def]
    dialog.people.setFocus()
    dialog.people.setCurrentRow(1)
    qtbot.keyClick(dialog.people, Qt.Key.Key_Space)
    assert [s.name for s in dialog.speakers()] == ["Ágnes", "Nguyễn Văn An", "Ольга", "Kwame"]


def test_choices_make_the_settings(dialog: RoundSetupDialog) -> None:
    dialog.order_button(RoundOrder.VOLUNTEER).click()
    dialog.minutes.setValue(2.5)
    dialog.warning.setValue(20)
    dialog.come_back.setChecked(False)
    assert dialog.settings() == RoundSettings(
        order=RoundOrder.VOLUNTEER,
        time_mode=TimeMode.PER_SPEAKER,
        time_seconds=150,
        warning_seconds=20,
        come_back_to_passed=False,
    )


def test_switching_to_a_budget_keeps_the_meaning(dialog: RoundSetupDialog) -> None:
    dialog.budget.click()  # 3 minutes each for 3 people is a 9-minute round
    assert dialog.minutes.value() == 9
    assert dialog.settings().time_mode is TimeMode.BUDGET
    assert dialog.settings().time_seconds == 540
    assert dialog.share_hint.text() == "about 3:00 each"
    dialog.per_speaker.click()
    assert dialog.minutes.value() == 3


@pytest.mark.parametrize("order", list(RoundOrder))
def test_every_order_can_be_chosen(dialog: RoundSetupDialog, order: RoundOrder) -> None:
    dialog.order_button(order).click()
    assert dialog.settings().order is order
    assert dialog.order_button(order).accessibleDescription()


def test_nobody_ticked_is_refused_inline(dialog: RoundSetupDialog) -> None:
    dialog.nobody_button.click()
    assert dialog.speakers() == []
    dialog.ok_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.isVisible()
    assert dialog.nobody_error.isVisible() and dialog.nobody_error.text() == NOBODY_MESSAGE
    dialog.everyone_button.click()
    assert not dialog.nobody_error.isVisible()
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert len(dialog.speakers()) == 4
