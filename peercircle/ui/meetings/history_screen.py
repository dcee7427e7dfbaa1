"""The attendance history of one group: who has been coming, meeting by meeting, who has
missed the last two, and the facilitator-only talk time across recorded sharing rounds.

Nothing here is ever shown on the projector: the screen lives in the facilitator's window.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from peercircle.services.meeting_types import (
    GroupHistory,
    MemberAttendance,
    MemberMeetingMark,
    format_rate,
)
from peercircle.services.roster_types import GroupInfo, NotFoundError
from peercircle.services.round_types import TalkShare
from peercircle.ui.meetings.history_models import (
    TALK_TIME_NOTE,
    HistoryTableModel,
    MeetingAttendanceModel,
    MemberAttendanceModel,
    MemberHistoryModel,
    format_day,
    format_talk_time,
    times,
)
from peercircle.ui.screen_helpers import screen_heading, screen_layout
from peercircle.ui.table_helpers import (
    empty_message_label,
    fix_row_heights,
    read_only_table,
    sortable_in_natural_order,
)

if TYPE_CHECKING:
    from peercircle.services.meetings import MeetingService
    from peercircle.services.rounds import RoundService

NO_MEETINGS = "No meetings yet. Attendance appears here once you have checked people in."
NO_GROUP = "Choose a group to see who has been coming."
NOBODY_MISSING = "Everyone has been coming — nobody has missed the last two meetings."
NO_ROUNDS_NOTE = (
    "Talk time appears once a sharing round has been recorded. It is for you only — "
    "it is never shown on the projector."
)
_MEMBER_LINK = "member:"
_HEADER_ROOM = 30
"""Header padding on both sides (8 px each in style.qss) and the sort arrow."""
_CELL_ROOM = 20
"""Item padding (6 px each side in style.qss), the focus frame, and italics."""
_MEASURED_ROWS = 500
"""Columns are sized to the text of this many rows at most (a group's whole history)."""


def _table(parent: QWidget, name: str) -> QTableView:
    """A read-only, sortable, row-selecting table in the app's calm style."""
    table = read_only_table(parent, name)
    table.setTabKeyNavigation(False)  # Tab leaves the table, as everywhere else
    fix_row_heights(table)
    table.horizontalHeader().setStretchLastSection(False)
    return table


class _ColumnFitter(QObject):
    """Sizes a table's columns to their text, and gives the spare width to one column.

    Number columns are as wide as their header (plus room for the sort arrow) or their
    widest value; the ``stretch`` column is at least its text wide (up to ``cap``) and
    takes whatever width is left, so a narrow window scrolls instead of cutting off names.
    """

    def __init__(self, table: QTableView, model: HistoryTableModel, stretch: int, cap: int) -> None:
        super().__init__(table)
        self._table = table
        self._model = model
        self._stretch = stretch
        self._cap = cap
        self._natural = 0
        table.viewport().installEventFilter(self)

    def fit(self) -> None:
        # Measured from the models' texts in Python: the view's sizeHintForColumn asks
        # data() for every role of every row, which took most of the time to open a group.
        table, header = self._table, self._table.horizontalHeader()
        # Before a first show the stylesheet's font is not applied yet: apply it now.
        table.ensurePolished()
        header.ensurePolished()
        bold = QFont(header.font())
        bold.setWeight(QFont.Weight.DemiBold)  # as the stylesheet draws headers
        titles, cells = QFontMetrics(bold), QFontMetrics(table.font())
        for column in range(header.count()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            title = str(self._model.headerData(column, Qt.Orientation.Horizontal) or "")
            texts = set(self._model.column_texts(column, _MEASURED_ROWS))
            width = max(
                max((cells.horizontalAdvance(t) for t in texts), default=0) + _CELL_ROOM,
                titles.horizontalAdvance(title) + _HEADER_ROOM,
            )
            if column == self._stretch:
                self._natural = min(width, self._cap)
            else:
                header.resizeSection(column, width)
        self._spread()

    def _spread(self) -> None:
        header = self._table.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(header.count()) if c != self._stretch)
        spare = self._table.viewport().width() - others
        header.resizeSection(self._stretch, max(self._natural, spare))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self._natural:
            self._spread()
        return False


class MemberHistoryDialog(QDialog):
    """One member's mark at each of the group's meetings, with their totals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(520, 460)
        self.heading = QLabel(self)
        self.heading.setObjectName("dialogTitle")
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.talk = QLabel(self)
        self.talk.setObjectName("hint")
        self.talk.setWordWrap(True)
        self.model = MemberHistoryModel(self)
        self.table = _table(self, "Meetings and marks")
        self.table.setModel(self.model)
        self._fitter = _ColumnFitter(self.table, self.model, 1, 200)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.talk)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def show_member(
        self,
        member: MemberAttendance,
        marks: list[MemberMeetingMark],
        talk: TalkShare | None,
    ) -> None:
        name = member.display_name + (" (archived)" if member.archived else "")
        self.setWindowTitle(f"{member.display_name} — attendance")
        self.heading.setText(name)
        self.summary.setText(_member_summary(member))
        if talk is not None and talk.seconds:
            text = (
                f"Talk time {format_talk_time(talk.seconds)} in {times(talk.rounds, 'round')} "
                f"(about {format_talk_time(talk.average)} a round)"
            )
            if talk.passes:
                text += f" · passed {times(talk.passes, 'time')}"
            self.talk.setText(f"{text}. For you only — never shown on the projector.")
        else:
            self.talk.setText("No talk time recorded in sharing rounds.")
        self.model.set_marks(marks)
        self._fitter.fit()
        self.table.setAccessibleName(f"{member.display_name}'s meetings and marks")
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)


def _member_summary(m: MemberAttendance) -> str:
    parts = [f"Came to {m.attended} of {times(m.expected, 'meeting')}"]
    if m.rate is not None:
        parts.append(format_rate(m.rate))
    if m.late:
        parts.append(f"{m.late} late")
    if m.excused:
        parts.append(f"{m.excused} excused")
    if m.last_attended is not None:
        parts.append("last came " + format_day(m.last_attended, weekday=True))
    return " · ".join(parts)


class HistoryScreen(QWidget):
    """Attendance per member and per meeting for one group, for the facilitator's eyes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._meetings: MeetingService | None = None
        self._rounds: RoundService | None = None
        self._group: GroupInfo | None = None
        self._history: GroupHistory | None = None
        self._talk: dict[int, TalkShare] = {}
        self.missed_labels: list[QLabel] = []
        self.member_dialog: MemberHistoryDialog | None = None

        self.title = QLabel("Attendance", self)
        self.title.setObjectName("screenTitle")
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("screenSubtitle")

        self.missed_panel = QFrame(self)
        self.missed_panel.setObjectName("missedPanel")
        self.missed_title = QLabel("Missed the last two meetings", self.missed_panel)
        self.missed_title.setObjectName("missedTitle")
        self.missed_empty = QLabel(NOBODY_MISSING, self.missed_panel)
        self.missed_empty.setObjectName("hint")
        self.missed_empty.setWordWrap(True)
        self.missed_grid = QGridLayout()
        self.missed_grid.setHorizontalSpacing(32)
        self.missed_grid.setVerticalSpacing(4)

        self.member_model = MemberAttendanceModel(self)
        self.member_table = _table(self, "Attendance by member")
        self.member_table.setModel(self.member_model)
        sortable_in_natural_order(self.member_table)
        self._member_fitter = _ColumnFitter(self.member_table, self.member_model, 0, 220)
        self.talk_note = QLabel(TALK_TIME_NOTE, self)
        self.talk_note.setObjectName("hint")
        self.talk_note.setWordWrap(True)
        self.history_button = QPushButton("See &history…", self)
        self.history_button.setAccessibleName("See the selected member's history")

        self.meeting_model = MeetingAttendanceModel(self)
        self.meeting_table = _table(self, "Attendance by meeting")
        self.meeting_table.setModel(self.meeting_model)
        sortable_in_natural_order(self.meeting_table)
        self._meeting_fitter = _ColumnFitter(self.meeting_table, self.meeting_model, 1, 160)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Attendance views")
        self.tabs.setDocumentMode(True)

        self.empty_message = empty_message_label(self, NO_GROUP)
        self.content = QWidget(self)
        self.stack = QStackedWidget(self)

        self._layout()
        self._connect_signals()
        self._show_nothing(NO_GROUP)

    def _layout(self) -> None:
        panel = QVBoxLayout(self.missed_panel)
        panel.setContentsMargins(14, 10, 14, 12)
        panel.setSpacing(6)
        panel.addWidget(self.missed_title)
        panel.addWidget(self.missed_empty)
        panel.addLayout(self.missed_grid)

        member_page = QWidget(self)
        members = QVBoxLayout(member_page)
        members.setContentsMargins(0, 8, 0, 0)
        members.addWidget(self.member_table, 1)
        below = QHBoxLayout()
        below.addWidget(self.talk_note, 1)
        below.addWidget(self.history_button, 0, Qt.AlignmentFlag.AlignTop)
        members.addLayout(below)
        meeting_page = QWidget(self)
        meetings = QVBoxLayout(meeting_page)
        meetings.setContentsMargins(0, 8, 0, 0)
        meetings.addWidget(self.meeting_table)
        self.tabs.addTab(member_page, "By &member")
        self.tabs.addTab(meeting_page, "By mee&ting")

        content = QVBoxLayout(self.content)
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(12)
        content.addWidget(self.missed_panel)
        content.addWidget(self.tabs, 1)
        self.stack.addWidget(self.content)
        self.stack.addWidget(self.empty_message)

        layout = screen_layout(self)
        layout.addLayout(screen_heading(self.title, self.subtitle))
        layout.addWidget(self.stack, 1)

    def _connect_signals(self) -> None:
        # Enter on a row and a double-click both “activate” it.
        self.member_table.activated.connect(
            lambda index: self.open_member_history(self._member_id_at(index))
        )
        self.history_button.clicked.connect(lambda: self.open_member_history())
        self.member_table.selectionModel().currentRowChanged.connect(
            lambda _cur, _prev: self._update_actions()
        )
        self.member_model.modelReset.connect(self._update_actions)

    # ---- what is shown --------------------------------------------------------------------

    def set_services(self, meetings: MeetingService, rounds: RoundService) -> None:
        """Give the screen its services; the next ``show_group`` fills it in."""
        self._meetings = meetings
        self._rounds = rounds

    @property
    def group(self) -> GroupInfo | None:
        return self._group

    @property
    def history(self) -> GroupHistory | None:
        return self._history

    def show_group(self, group: GroupInfo | None) -> None:
        """Show one group's attendance history (or a hint to choose one)."""
        self._group = group
        self.refresh()

    def refresh(self) -> None:
        """Read the group's history again, keeping the sort order and the selected member."""
        group = self._group
        if group is None or self._meetings is None or self._rounds is None:
            self._show_nothing(NO_GROUP)
            return
        keep = self.selected_member()
        try:
            history = self._meetings.group_history(group.id)
            talk = self._rounds.talk_time_share(group.id)
        except NotFoundError:
            self._group = None
            self._show_nothing(NO_GROUP)
            return
        self._history = history
        self._talk = {t.member_id: t for t in talk}
        self.member_model.set_history(history, talk)
        self.meeting_model.set_history(history)
        self.subtitle.setText(self._subtitle(group, history))
        if not history.meetings:
            self.empty_message.setText(NO_MEETINGS)
            self.stack.setCurrentWidget(self.empty_message)
            return
        self._fill_missed(history)
        self.talk_note.setText(TALK_TIME_NOTE if self._talk else NO_ROUNDS_NOTE)
        self.stack.setCurrentWidget(self.content)
        self._member_fitter.fit()
        self._meeting_fitter.fit()
        if keep is not None:
            self.select_member(keep.member_id)

    def _show_nothing(self, message: str) -> None:
        self._history = None
        self._talk = {}
        empty = GroupHistory((), ())
        self.member_model.set_history(empty)
        self.meeting_model.set_history(empty)
        self.subtitle.setText("")
        self.empty_message.setText(message)
        self.stack.setCurrentWidget(self.empty_message)

    @staticmethod
    def _subtitle(group: GroupInfo, history: GroupHistory) -> str:
        if not history.meetings:
            return f"{group.name} · no meetings yet"
        parts = [group.name, times(len(history.meetings), "meeting")]
        if history.average_rate is not None:
            parts.append(f"average attendance {format_rate(history.average_rate)}")
        return " · ".join(parts)

    def _fill_missed(self, history: GroupHistory) -> None:
        for label in self.missed_labels:
            self.missed_grid.removeWidget(label)
            label.deleteLater()
        self.missed_labels = []
        missing = history.missed_last_two
        self.missed_empty.setVisible(not missing)
        newest = history.meetings[0].meeting.date
        per_column = len(missing) if len(missing) <= 3 else (len(missing) + 1) // 2
        for i, member in enumerate(missing):
            plain, rich = self._missed_line(member, newest.year)
            label = QLabel(rich, self.missed_panel)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(
                Qt.TextInteractionFlag.LinksAccessibleByMouse
                | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            )
            label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            label.setAccessibleName(plain)
            label.setAccessibleDescription("Press Enter to see their history")
            label.setToolTip(f"See {member.display_name}'s history")
            label.linkActivated.connect(self._on_link)
            self.missed_grid.addWidget(label, i % per_column, i // per_column)
            self.missed_labels.append(label)

    @staticmethod
    def _missed_line(member: MemberAttendance, this_year: int) -> tuple[str, str]:
        """The panel's line for someone who missed the last two: plain text and with a link."""
        rest = f" — missed {member.missed_streak} in a row"
        if member.last_attended is not None:
            day = member.last_attended
            rest += ", last came " + format_day(day, year=day.year != this_year)
        link = f'<a href="{_MEMBER_LINK}{member.member_id}">{html.escape(member.display_name)}</a>'
        return member.display_name + rest, link + html.escape(rest)

    def missed_lines(self) -> list[str]:
        """The panel's lines as plain text (what a screen reader says), in seating order."""
        return [label.accessibleName() for label in self.missed_labels]

    def _on_link(self, href: str) -> None:
        if href.startswith(_MEMBER_LINK):
            self.open_member_history(int(href.removeprefix(_MEMBER_LINK)))

    # ---- selection and a member's history ------------------------------------------------

    def _member_id_at(self, index: QModelIndex) -> int | None:
        if not index.isValid():
            return None
        return self.member_model.member_at(index.row()).member_id

    def selected_member(self) -> MemberAttendance | None:
        selection = self.member_table.selectionModel()
        index = selection.currentIndex()
        if not index.isValid() or not selection.isRowSelected(index.row()):
            return None
        return self.member_model.member_at(index.row())

    def select_member(self, member_id: int) -> bool:
        row = self.member_model.row_of(member_id)
        if row < 0:
            return False
        index = self.member_model.index(row, 0)
        self.member_table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.member_table.scrollTo(index)
        return True

    def _update_actions(self) -> None:
        self.history_button.setEnabled(self.selected_member() is not None)

    def open_member_history(self, member_id: int | None = None) -> None:
        """Show a member's marks meeting by meeting (the selected member by default).

        The dialog is window-modal but does not block: Esc or Close puts it away.
        """
        if member_id is None:
            selected = self.selected_member()
            member_id = selected.member_id if selected else None
        group, history = self._group, self._history
        if member_id is None or group is None or history is None or self._meetings is None:
            return
        member = next((m for m in history.members if m.member_id == member_id), None)
        if member is None:
            return
        try:
            marks = self._meetings.member_history(member_id, group.id)
        except NotFoundError:
            self.refresh()
            return
        if self.member_dialog is None:
            self.member_dialog = MemberHistoryDialog(self)
        self.member_dialog.show_member(member, marks, self._talk.get(member_id))
        self.member_dialog.open()
