"""The after-round summary: one row per person, and a headline."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from peercircle.services.round_engine import RoundSettings, SharingRound, Speaker, TurnRecord
from peercircle.ui.round.round_summary import (
    MemberSummaryRole,
    RoundSummaryModel,
    RoundSummaryView,
    headline,
    summarise,
)


def played_round() -> tuple[TurnRecord, ...]:
    """Ágnes speaks 4 min and is flagged, An passes then comes back for 2 min, Ольга
    passes twice, Samir speaks 4 min."""
    now = [0.0]
    names = ["Ágnes", "Nguyễn Văn An", "Ольга", "Samir"]
    speakers = [Speaker(f"m{i + 1}", n, seat=i, member_id=i + 1) for i, n in enumerate(names)]
    sharing = SharingRound(speakers, RoundSettings(), lambda: now[0])
    sharing.start()
    now[0] += 240
    sharing.toggle_check_in_later()
    sharing.next()
    sharing.pass_turn()  # An
    sharing.pass_turn()  # Ольга
    now[0] += 240
    sharing.next()  # Samir
    now[0] += 120
    sharing.next()  # An comes back
    sharing.pass_turn()  # Ольга passes again
    return sharing.snapshot().turns


def table(model: RoundSummaryModel) -> list[list[str]]:
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_summary_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = RoundSummaryModel(played_round())
    qtmodeltester.check(model, force_py=True)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "Member",
        "Talk time",
        "Share",
        "Passed",
        "Came back",
        "Check in later",
    ]
    assert table(model) == [
        ["Ágnes", "4:00", "40%", "", "", "Yes"],
        ["Nguyễn Văn An", "2:00", "20%", "Yes", "Yes", ""],
        ["Ольга", "0:00", "0%", "Yes", "Passed again", ""],
        ["Samir", "4:00", "40%", "", "", ""],
    ]
    assert model.index(0, 0).data(MemberSummaryRole).key == "m1"
    model.set_turns(())
    assert model.rowCount() == 0
    qtmodeltester.check(model, force_py=True)


def test_headline() -> None:
    rows = summarise(played_round())
    assert (
        headline(rows, 600) == "3 people shared · 10 minutes · 1 passed · 1 to check in with later"
    )
    assert headline(rows[:1], 45) == "1 person shared · 45 seconds · 1 to check in with later"
    assert headline([], 0) == "0 people shared · 0 seconds"


def test_summary_view(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = RoundSummaryView()
    qtbot.addWidget(view)
    turns = played_round()
    view.set_turns(turns)
    assert view.headline.text().startswith("3 people shared · 10 minutes")
    assert view.table.model() is view.model and view.model.rowCount() == 4
    assert sum(r.share for r in view.model.rows) == pytest.approx(1.0)
    view.show()
    assert not view.grab().isNull()
