"""What the Notes screen shows while the vault is open: the heading, the search, the filters
and the list on the left, the note being written and its buttons on the right. Layout and
display only; ``NotesScreen`` owns the behaviour."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from peercircle.ui.dates import weekday_and_day
from peercircle.ui.notes.note_editor import Choices, NoteEditor, choose, fill_choices
from peercircle.ui.notes.note_list_model import NoteListModel
from peercircle.ui.screen_helpers import screen_heading, screen_layout
from peercircle.ui.table_helpers import empty_message_label

if TYPE_CHECKING:
    from peercircle.services.meeting_types import MeetingInfo

ANY_MEMBER = "About anyone"
ANY_MEETING = "Any meeting"


def meeting_choices(meetings: Sequence[MeetingInfo]) -> list[tuple[int, str]]:
    """Meetings as (id, “Tue 24 Nov 2026 — Asking for help”)."""
    return [
        (m.id, f"{weekday_and_day(m.date)} — {m.topic}" if m.topic else weekday_and_day(m.date))
        for m in meetings
    ]


def notes_count(n: int) -> str:
    return f"{n} note" if n == 1 else f"{n} notes"


class NotesPage(QWidget):
    def __init__(self, now: Callable[[], dt.datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._make_widgets(now)
        self._lay_out()

    def _make_widgets(self, now: Callable[[], dt.datetime]) -> None:
        self.title = QLabel(self)
        self.title.setObjectName("screenTitle")
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("screenSubtitle")
        self.new_button = QPushButton("New note", self)
        self.new_button.setObjectName("primaryButton")
        self.new_button.setAccessibleName("New note")
        self.new_button.setToolTip("Start a new note (Ctrl+N)")

        self.search = QLineEdit(self)
        self.search.setAccessibleName("Search notes")
        self.search.setPlaceholderText("Words in a note, a tag or a name")
        self.search.setClearButtonEnabled(True)
        self.member_filter = self._filter("Show notes about")
        self.meeting_filter = self._filter("Show notes of meeting")

        self.model = NoteListModel(now, self)
        self.list = QListView(self)
        self.list.setObjectName("noteList")
        self.list.setModel(self.model)
        self.list.setAccessibleName("Notes")
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setUniformItemSizes(True)
        self.list.setWordWrap(False)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.empty_message = empty_message_label(self)
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.list)
        self.list_stack.addWidget(self.empty_message)
        self.count = QLabel(self)
        self.count.setObjectName("countLabel")

        self.editor = NoteEditor(self)
        self.delete_button = QPushButton("&Delete…", self)
        self.delete_button.setAccessibleName("Delete note")
        self.follow_up_button = QPushButton("Follow &up…", self)
        self.follow_up_button.setAccessibleName("Follow up on this note")
        self.follow_up_button.setToolTip("Plan a check-in with the member this note is about")
        self.save_button = QPushButton("Save", self)
        self.save_button.setObjectName("primaryButton")
        self.save_button.setAccessibleName("Save note")
        self.save_button.setToolTip("Save this note (Ctrl+S)")

    def _filter(self, accessible: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(accessible)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        return combo

    def _lay_out(self) -> None:
        search_label = QLabel("&Search", self)
        search_label.setBuddy(self.search)
        search_row = QHBoxLayout()
        search_row.addWidget(search_label)
        search_row.addWidget(self.search, 1)
        filters = QHBoxLayout()
        filters.addWidget(self.member_filter, 1)
        filters.addWidget(self.meeting_filter, 1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(search_row)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.list_stack, 1)
        left_layout.addWidget(self.count)

        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.follow_up_button)
        buttons.addWidget(self.save_button)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.editor, 1)
        right_layout.addLayout(buttons)

        splitter = QSplitter(self)
        splitter.setObjectName("notesSplitter")
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 600])
        splitter.setHandleWidth(16)
        splitter.setChildrenCollapsible(False)
        left.setMinimumWidth(260)
        right.setMinimumWidth(380)

        header = QHBoxLayout()
        header.addLayout(screen_heading(self.title, self.subtitle), 1)
        header.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = screen_layout(self)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)

    # ---- showing -------------------------------------------------------------------------

    def set_filter_choices(
        self, members: Choices, meetings: Choices, member_id: int | None, meeting_id: int | None
    ) -> None:
        fill_choices(self.member_filter, ANY_MEMBER, members, member_id)
        fill_choices(self.meeting_filter, ANY_MEETING, meetings, meeting_id)

    def choose_filters(self, member_id: int | None, meeting_id: int | None) -> None:
        choose(self.member_filter, member_id)
        choose(self.meeting_filter, meeting_id)

    def show_counts(self, total: int, shown: int) -> None:
        """“12 notes” or “3 of 12 notes”; a calm message instead of an empty list."""
        self.subtitle.setText(f"Private notes · {notes_count(total)} · encrypted on this computer")
        if total == 0:
            self.empty_message.setText("No notes yet.\nWrite the first one on the right.")
            self.list_stack.setCurrentWidget(self.empty_message)
        elif shown == 0:
            self.empty_message.setText("No notes match.\nTry other words or “About anyone”.")
            self.list_stack.setCurrentWidget(self.empty_message)
        else:
            self.list_stack.setCurrentWidget(self.list)
        self.count.setText(notes_count(total) if shown == total else f"{shown} of {total} notes")

    def blank(self) -> None:
        """Drop every copy of note text: the list, the search, the filters, the editors and
        their undo history."""
        self.model.clear()
        self.search.setText("")  # (clear() could be undone; setText starts afresh)
        self.member_filter.clear()
        self.meeting_filter.clear()
        self.editor.wipe()
        self.subtitle.clear()
        self.count.clear()
        self.empty_message.clear()
