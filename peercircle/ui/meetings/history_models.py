"""Table models of the attendance history: per member, per meeting, and one member's marks.

Sorting is done in the models (``sort()``), on plain Python keys, as the roster's table
model does: “9 of 12” and “75%” sort by their numbers, a cell with nothing to show (“–”,
“—”) stays at the bottom whichever way a column is sorted, and ``sort(-1)`` goes back to
the order the service gave (seating order, newest meeting first). A proxy with a sort role
could not keep empty cells last in both directions, and there is nothing here to filter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QPalette

from peercircle.domain import AttendanceStatus
from peercircle.services.meeting_types import (
    GroupHistory,
    MeetingAttendance,
    MemberAttendance,
    MemberMeetingMark,
    format_rate,
)
from peercircle.services.roster_types import name_sort_key
from peercircle.services.round_types import TalkShare
from peercircle.ui.dates import format_day
from peercircle.ui.model_helpers import rows_reordered

MemberAttendanceRole = Qt.ItemDataRole.UserRole + 1
"""The row's MemberAttendance (MemberAttendanceModel)."""
TalkShareRole = Qt.ItemDataRole.UserRole + 2
"""The row's TalkShare, or None if they never spoke in a recorded round."""
MeetingAttendanceRole = Qt.ItemDataRole.UserRole + 3
"""The row's MeetingAttendance (MeetingAttendanceModel)."""
MemberMeetingMarkRole = Qt.ItemDataRole.UserRole + 4
"""The row's MemberMeetingMark (MemberHistoryModel)."""

LOW_ATTENDANCE = 0.5
"""Below this share of the meetings that counted, a member's attendance gets a gentle hint."""

TALK_TIME_NOTE = (
    "Talk time comes from recorded sharing rounds and is for you only — "
    "it is never shown on the projector."
)

MARK_LABELS = {
    AttendanceStatus.PRESENT: "Present",
    AttendanceStatus.LATE: "Late",
    AttendanceStatus.EXCUSED: "Excused",
    AttendanceStatus.ABSENT: "Absent",
}
NOT_MARKED = "not marked"
BEFORE_JOINING = "(before they joined)"

_Index = QModelIndex | QPersistentModelIndex
_R = Qt.ItemDataRole
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter


# ---- formatting -----------------------------------------------------------------------------


def format_talk_time(seconds: float) -> str:
    """“7:05” (minutes:seconds) under an hour, “2:05:30” from an hour on."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def spoken_duration(seconds: float) -> str:
    """“1 hour 5 minutes”, “7 minutes”, “40 seconds” — for tooltips and screen readers."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour" + ("s" if hours != 1 else ""))
    if minutes:
        parts.append(f"{minutes} minute" + ("s" if minutes != 1 else ""))
    if secs and not hours:
        parts.append(f"{secs} second" + ("s" if secs != 1 else ""))
    return " ".join(parts) or "0 seconds"


def times(n: int, what: str) -> str:
    """“1 meeting”, “3 meetings”."""
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def is_low(member: MemberAttendance) -> bool:
    rate = member.rate
    return rate is not None and rate < LOW_ATTENDANCE and not member.archived


def _missed(m: MemberAttendance) -> int:
    """Meetings that counted and they did not come to (absent or never marked)."""
    return m.expected - m.attended - m.excused


def _rate_tooltip(m: MemberAttendance) -> str:
    counted = m.expected - m.excused
    if counted <= 0:
        return "No meetings to count yet (excused meetings are left out)."
    text = f"Came to {m.attended} of the {times(counted, 'meeting')} that counted"
    if m.excused:
        text += f" ({m.excused} excused left out)"
    text += "."
    if is_low(m):
        text += "\nUnder half — perhaps worth a gentle check-in."
    return text


def _muted() -> QBrush:
    return QBrush(QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText))


def _low_background() -> QBrush:
    """A warm tint mixed into the palette's base colour, so it is soft in light and dark."""
    base = QGuiApplication.palette().color(QPalette.ColorRole.Base)
    warm = QColor(224, 150, 60)
    mix = 0.22
    return QBrush(
        QColor(
            round(base.red() * (1 - mix) + warm.red() * mix),
            round(base.green() * (1 - mix) + warm.green() * mix),
            round(base.blue() * (1 - mix) + warm.blue() * mix),
        )
    )


# ---- the shared table machinery --------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column: its header, the text of a cell, and the key it sorts by.

    ``sort_key`` returning None means “nothing to sort by”: such rows go last.
    """

    title: str
    text: Callable[[Any], str]
    sort_key: Callable[[Any], Any] | None = None
    align: Qt.AlignmentFlag = _LEFT
    header_tip: str = ""
    spoken: Callable[[Any], str] | None = None  # AccessibleTextRole, if not the text


class HistoryTableModel(QAbstractTableModel):
    """A read-only table of frozen values, sortable by column keys (see the module doc)."""

    def __init__(self, columns: tuple[Column, ...], row_role: int, parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = columns
        self._titles = tuple(c.title for c in columns)
        self._row_role = row_role
        self._natural: tuple[Any, ...] = ()
        self._rows: list[Any] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    def column_texts(self, column: int, limit: int) -> list[str]:
        """The texts of ``column`` in the first ``limit`` rows, to size the column by."""
        text = self._columns[column].text
        return [text(item) for item in self._rows[:limit]]

    def _set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._natural = tuple(rows)
        self._rows = list(rows)
        if self._sort is not None:
            self._sort_rows(*self._sort)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = _R.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        item = self._rows[row]
        column = self._columns[index.column()]
        if role == _R.DisplayRole:
            return column.text(item)
        if role == _R.AccessibleTextRole:
            return column.spoken(item) if column.spoken else column.text(item)
        if role == _R.TextAlignmentRole:
            return column.align
        if role == self._row_role:
            return item
        return self._extra(item, index.column(), role)

    def _extra(self, item: Any, column: int, role: int) -> Any:
        """Tooltips, colours and fonts: each model adds its own."""
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = _R.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == _R.DisplayRole:
            return column.title
        if role == _R.TextAlignmentRole:
            return column.align
        if role == _R.ToolTipRole and column.header_tip:
            return column.header_tip
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column``; a column of -1 goes back to the order the rows came in."""
        if column >= len(self._columns) or (column < 0 and self._sort is None):
            return
        with rows_reordered(self, lambda: self._rows):
            self._sort = (column, order) if column >= 0 else None
            self._sort_rows(column, order)

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        rows = list(self._natural)
        if column < 0:
            self._rows = rows
            return
        spec = self._columns[column]
        key = spec.sort_key or (lambda item: name_sort_key(spec.text(item)))
        keyed = [(key(item), item) for item in rows]
        # Stable sorts: ties keep the natural (seating / newest-first) order.
        present = [pair for pair in keyed if pair[0] is not None]
        present.sort(key=lambda pair: pair[0], reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = [item for _, item in present] + [item for k, item in keyed if k is None]


# ---- per member ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberLine:
    """A row of the per-member table: attendance, and talk time if they ever spoke."""

    attendance: MemberAttendance
    talk: TalkShare | None


def _talk_text(line: MemberLine) -> str:
    return format_talk_time(line.talk.seconds) if line.talk and line.talk.seconds else "—"


def _share_text(line: MemberLine) -> str:
    return f"{round(line.talk.share * 100)}%" if line.talk and line.talk.seconds else "—"


def _last_came(line: MemberLine) -> str:
    day = line.attendance.last_attended
    return format_day(day) if day else "—"


def _name_spoken(line: MemberLine) -> str:
    m = line.attendance
    return f"{m.display_name}, archived" if m.archived else m.display_name


def _rate_spoken(line: MemberLine) -> str:
    text = format_rate(line.attendance.rate)
    if text == "–":
        return "no meetings counted yet"
    return f"{text}, under half" if is_low(line.attendance) else text


def _talk_key(line: MemberLine) -> float | None:
    return line.talk.seconds if line.talk and line.talk.seconds else None


M_NAME = Column(
    "Name",
    lambda x: x.attendance.display_name,
    lambda x: name_sort_key(x.attendance.display_name),
    spoken=_name_spoken,
)
M_CAME = Column(
    "Came",
    lambda x: f"{x.attendance.attended} of {x.attendance.expected}",
    lambda x: (x.attendance.attended, x.attendance.expected),
    _RIGHT,
    "Meetings they came to (on time or late) of the meetings since they joined",
)
M_LATE = Column("Late", lambda x: str(x.attendance.late), lambda x: x.attendance.late, _RIGHT)
M_EXCUSED = Column(
    "Excused", lambda x: str(x.attendance.excused), lambda x: x.attendance.excused, _RIGHT
)
M_MISSED = Column(
    "Missed",
    lambda x: str(_missed(x.attendance)),
    lambda x: _missed(x.attendance),
    _RIGHT,
    "Meetings they did not come to, without an excuse (or not marked)",
)
M_RATE = Column(
    "Attendance",
    lambda x: format_rate(x.attendance.rate),
    lambda x: x.attendance.rate,
    _RIGHT,
    "Share of the meetings that counted (excused meetings are left out)",
    _rate_spoken,
)
M_LAST = Column(
    "Last came",
    _last_came,
    lambda x: x.attendance.last_attended,
    _RIGHT,
    spoken=lambda x: _last_came(x) if x.attendance.last_attended else "never",
)
M_TALK = Column(
    "Talk time",
    _talk_text,
    _talk_key,
    _RIGHT,
    TALK_TIME_NOTE,
    lambda x: spoken_duration(x.talk.seconds) if _talk_key(x) else "none recorded",
)
M_SHARE = Column(
    "Share",
    _share_text,
    lambda x: x.talk.share if _talk_key(x) else None,
    _RIGHT,
    "Their part of all the members' talk time in recorded rounds. " + TALK_TIME_NOTE,
    lambda x: _share_text(x) if _talk_key(x) else "none recorded",
)
MEMBER_COLUMNS = (M_NAME, M_CAME, M_LATE, M_EXCUSED, M_MISSED, M_RATE, M_LAST, M_TALK, M_SHARE)


class MemberAttendanceModel(HistoryTableModel):
    """One row per member in seating order.

    Custom roles: ``MemberAttendanceRole`` (the MemberAttendance) and ``TalkShareRole``.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(MEMBER_COLUMNS, MemberAttendanceRole, parent)

    def set_history(self, history: GroupHistory, talk: Sequence[TalkShare] = ()) -> None:
        by_member = {t.member_id: t for t in talk}
        self._set_rows([MemberLine(m, by_member.get(m.member_id)) for m in history.members])

    def member_at(self, row: int) -> MemberAttendance:
        line: MemberLine = self._rows[row]
        return line.attendance

    def row_of(self, member_id: int) -> int:
        return next(
            (i for i, line in enumerate(self._rows) if line.attendance.member_id == member_id), -1
        )

    def data(self, index: _Index, role: int = _R.DisplayRole) -> Any:
        if role in (MemberAttendanceRole, TalkShareRole):
            line = super().data(index, MemberAttendanceRole)
            if line is None:
                return None
            return line.attendance if role == MemberAttendanceRole else line.talk
        return super().data(index, role)

    def _extra(self, item: Any, column: int, role: int) -> Any:
        line: MemberLine = item
        m = line.attendance
        spec = self._columns[column]
        if role == _R.ForegroundRole and m.archived:
            return _muted()
        if role == _R.FontRole and m.archived:
            font = QFont()
            font.setItalic(True)
            return font
        if role == _R.BackgroundRole and spec is M_RATE and is_low(m):
            return _low_background()
        if role == _R.ToolTipRole:
            if spec is M_NAME and m.archived:
                return "Archived — kept here for the group's history."
            if spec in (M_RATE, M_CAME):
                return _rate_tooltip(m)
            if spec in (M_TALK, M_SHARE) and line.talk is not None:
                t = line.talk
                return (
                    f"{spoken_duration(t.seconds)} over {times(t.turns, 'turn')} "
                    f"in {times(t.rounds, 'round')}; passed {times(t.passes, 'time')}."
                )
        return None


# ---- per meeting -----------------------------------------------------------------------------


def _round_text(x: MeetingAttendance) -> str:
    n = x.meeting.rounds
    return "" if n == 0 else "✓" if n == 1 else f"✓ {n}"


MEETING_COLUMNS = (
    # The day only: every meeting of a group tends to share its time, and the full
    # “Tue 3 Mar 2026 · 18:30–20:00” left the topic no room; the tooltip has it all.
    Column(
        "Date",
        lambda x: format_day(x.meeting.date, weekday=True),
        lambda x: (x.meeting.date, x.meeting.starts_at or dt.time.min, x.meeting.id),
    ),
    Column("Topic", lambda x: x.meeting.topic),
    Column(
        "Came",
        lambda x: f"{x.meeting.attended} of {x.expected}",
        lambda x: (x.meeting.attended, x.expected),
        _RIGHT,
        "Members who came (on time or late) of the members expected; guests are not counted",
    ),
    Column("Late", lambda x: str(x.meeting.late), lambda x: x.meeting.late, _RIGHT),
    Column("Excused", lambda x: str(x.meeting.excused), lambda x: x.meeting.excused, _RIGHT),
    Column("Guests", lambda x: str(x.meeting.guest_count), lambda x: x.meeting.guest_count, _RIGHT),
    Column(
        "Attendance",
        lambda x: format_rate(x.rate),
        lambda x: x.rate,
        _RIGHT,
        "Share of the expected members who came (excused ones are left out)",
    ),
    Column(
        "Round",
        _round_text,
        lambda x: x.meeting.rounds,
        _CENTER,
        "A sharing round was recorded at this meeting",
        lambda x: times(x.meeting.rounds, "round") + " held" if x.meeting.rounds else "no round",
    ),
)


class MeetingAttendanceModel(HistoryTableModel):
    """One row per meeting, newest first. Custom role: ``MeetingAttendanceRole``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(MEETING_COLUMNS, MeetingAttendanceRole, parent)

    def set_history(self, history: GroupHistory) -> None:
        self._set_rows(history.meetings)

    def meeting_at(self, row: int) -> MeetingAttendance:
        meeting: MeetingAttendance = self._rows[row]
        return meeting

    def _extra(self, item: Any, column: int, role: int) -> Any:
        meeting = item.meeting
        if role == _R.ToolTipRole and column == 1:
            return meeting.topic or None  # the whole topic, when the column cuts it short
        if role == _R.ToolTipRole and column == 0:
            parts = [meeting.when] + ([meeting.place] if meeting.place else [])
            if meeting.facilitator:
                parts.append(f"facilitated by {meeting.facilitator}")
            return " · ".join(parts)
        return None


# ---- one member, meeting by meeting ------------------------------------------------------------


def mark_text(mark: MemberMeetingMark) -> str:
    if not mark.expected:
        return BEFORE_JOINING
    return MARK_LABELS[mark.status] if mark.status is not None else NOT_MARKED


MARK_COLUMNS = (
    Column("Date", lambda x: format_day(x.date, weekday=True), lambda x: x.date),
    Column("Topic", lambda x: x.topic),
    Column("Mark", mark_text),
)


class MemberHistoryModel(HistoryTableModel):
    """One member's mark at each of the group's meetings, newest first.

    Custom role: ``MemberMeetingMarkRole``.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(MARK_COLUMNS, MemberMeetingMarkRole, parent)

    def set_marks(self, marks: Sequence[MemberMeetingMark]) -> None:
        self._set_rows(marks)

    def _extra(self, item: Any, column: int, role: int) -> Any:
        mark: MemberMeetingMark = item
        if role == _R.ForegroundRole and not mark.expected:
            return _muted()
        if role == _R.ToolTipRole and column == 2:
            if not mark.expected:
                return "This meeting was before they first came, so it does not count."
            if mark.status is None:
                return "Nobody marked them at this meeting; it counts as missed."
        return None
