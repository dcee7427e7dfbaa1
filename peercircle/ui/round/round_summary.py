"""After the round: who shared, for how long, who passed, who to check in with later.

Facilitator-only: these figures are never shown on the presenter view.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from peercircle.services.round_engine import TurnRecord
from peercircle.ui.model_helpers import horizontal_header
from peercircle.ui.round.circle_view import minutes_seconds

_Index = QModelIndex | QPersistentModelIndex

MemberSummaryRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class MemberSummary:
    """One person's part in the round (all their turns together)."""

    key: str
    name: str
    talk_time: float  # seconds holding the stick, pauses excluded
    share: float  # of everyone's time together, 0..1
    passed: bool  # passed their own turn
    came_back: bool  # spoke in a come-back turn after passing
    passed_again: bool  # passed in the come-back turn too
    check_in_later: bool

    @property
    def shared(self) -> bool:
        return not self.passed or self.came_back


def summarise(turns: Sequence[TurnRecord]) -> list[MemberSummary]:
    """One row per person, in the order they first held the stick."""
    total = sum(t.duration for t in turns)
    order: list[str] = []
    mine: dict[str, list[TurnRecord]] = {}
    for turn in turns:
        key = turn.speaker.key
        if key not in mine:
            order.append(key)
            mine[key] = []
        mine[key].append(turn)
    rows = []
    for key in order:
        records = mine[key]
        talk = sum(t.duration for t in records)
        own = [t for t in records if not t.came_back]
        back = [t for t in records if t.came_back]
        rows.append(
            MemberSummary(
                key=key,
                name=records[0].speaker.name,
                talk_time=talk,
                share=talk / total if total > 0 else 0.0,
                passed=any(t.passed for t in own),
                came_back=any(not t.passed for t in back),
                passed_again=any(t.passed for t in back),
                check_in_later=any(t.check_in_later for t in records),
            )
        )
    return rows


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _length(seconds: float) -> str:
    if seconds < 60:
        return _plural(int(seconds), "second", "seconds")
    return _plural(round(seconds / 60), "minute", "minutes")


def headline(rows: Sequence[MemberSummary], seconds: float) -> str:
    """E.g. "9 people shared · 38 minutes · 2 passed · 1 to check in with later"."""
    shared = sum(1 for r in rows if r.shared)
    passed = sum(1 for r in rows if not r.shared)
    later = sum(1 for r in rows if r.check_in_later)
    parts = [_plural(shared, "person shared", "people shared"), _length(seconds)]
    if passed:
        parts.append(f"{passed} passed")
    if later:
        parts.append(f"{later} to check in with later")
    return " · ".join(parts)


class RoundSummaryModel(QAbstractTableModel):
    """Read-only table of the round, one row per person.

    Custom role: ``MemberSummaryRole`` (the MemberSummary of the row).
    """

    COLUMNS = ("Member", "Talk time", "Share", "Passed", "Came back", "Check in later")
    NAME, TALK, SHARE, PASSED, CAME_BACK, CHECK_IN = range(6)

    def __init__(self, turns: Sequence[TurnRecord] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = summarise(turns)

    def set_turns(self, turns: Sequence[TurnRecord]) -> None:
        self.beginResetModel()
        self._rows = summarise(turns)
        self.endResetModel()

    @property
    def rows(self) -> list[MemberSummary]:
        return list(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.TALK, self.SHARE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == MemberSummaryRole:
            return row
        return None

    def _text(self, row: MemberSummary, column: int) -> str:
        if column == self.NAME:
            return row.name
        if column == self.TALK:
            return minutes_seconds(row.talk_time)
        if column == self.SHARE:
            return f"{round(row.share * 100)}%"
        if column == self.PASSED:
            return "Yes" if row.passed else ""
        if column == self.CAME_BACK:
            if row.came_back:
                return "Yes"
            return "Passed again" if row.passed_again else ""
        if column == self.CHECK_IN:
            return "Yes" if row.check_in_later else ""
        return ""

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return horizontal_header(self.COLUMNS, section, orientation, role)


class RoundSummaryView(QWidget):
    """A headline and the table: the facilitator's look back at the round."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RoundSummaryModel(parent=self)
        self.headline = QLabel(self)
        self.headline.setObjectName("roundSummaryHeadline")
        self.headline.setWordWrap(True)
        self.table = QTableView(self)
        self.table.setObjectName("roundSummaryTable")
        self.table.setModel(self.model)
        self.table.setAccessibleName("Round summary")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RoundSummaryModel.NAME, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.headline)
        layout.addWidget(self.table, 1)

    def set_turns(self, turns: Sequence[TurnRecord], round_seconds: float | None = None) -> None:
        """Show these turns; ``round_seconds`` defaults to their total speaking time."""
        self.model.set_turns(turns)
        seconds = sum(t.duration for t in turns) if round_seconds is None else round_seconds
        self.headline.setText(headline(self.model.rows, seconds))
