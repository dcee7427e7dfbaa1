"""One group's meetings: the list (newest first) beside the check-in of the one chosen.

Signals:
    round_requested(int): start a sharing round at meeting ``id``.
    summary_requested(int): show the round summaries of meeting ``id``.
    attendance_changed(): marks, guests or meetings changed (history needs a refresh).
    members_added(): a newcomer joined the group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from peercircle.services.meeting_types import MeetingInfo
from peercircle.services.roster_types import ChangedElsewhereError, GroupInfo, NotFoundError
from peercircle.services.storage_errors import StorageError
from peercircle.services.validation import ValidationError
from peercircle.ui.dialog_service import DialogService
from peercircle.ui.meetings.check_in_panel import CheckInPanel
from peercircle.ui.meetings.meeting_dialog import MeetingDialog
from peercircle.ui.meetings.meeting_list_model import MeetingInfoRole, MeetingListModel

if TYPE_CHECKING:
    from peercircle.services.meetings import MeetingService


class MeetingsScreen(QWidget):
    round_requested = Signal(int)
    summary_requested = Signal(int)
    attendance_changed = Signal()
    members_added = Signal()

    def __init__(
        self,
        dialogs: DialogService,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self._dialogs = dialogs
        self._today = today
        self._meetings: MeetingService | None = None
        self._group: GroupInfo | None = None
        self._pending: tuple[int | None] | None = None

        self.title = QLabel(self)
        self.title.setObjectName("screenTitle")
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("screenSubtitle")
        self.subtitle.setWordWrap(True)
        self.new_button = QPushButton("&New meeting…", self)
        self.new_button.setObjectName("primaryButton")
        self.new_button.setAccessibleName("New meeting")

        self.model = MeetingListModel(self)
        self.list = QListView(self)
        self.list.setObjectName("meetingList")
        self.list.setModel(self.model)
        self.list.setAccessibleName("Meetings")
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setUniformItemSizes(True)
        self.list.setWordWrap(False)
        self.list.setMinimumWidth(190)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.delete_button = QPushButton("Delete…", self)
        self.delete_button.setAccessibleName("Delete meeting")

        self.check_in = CheckInPanel(dialogs, self)
        self.empty = QLabel(
            "No meetings yet.\nPlan the first one with “New meeting”; it is suggested "
            "for the group's next meeting day.",
            self,
        )
        self.empty.setObjectName("emptyMessage")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.right = QStackedWidget(self)
        self.right.addWidget(self.check_in)
        self.right.addWidget(self.empty)

        self.new_action = QAction("New &Meeting…", self)
        self.new_action.setShortcut(QKeySequence("Ctrl+M"))
        self.edit_action = QAction("Edit M&eeting…", self)
        self.delete_action = QAction("&Delete Meeting…", self)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignLeft)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([210, 700])
        splitter.setHandleWidth(12)
        splitter.setObjectName("meetingsSplitter")
        splitter.setChildrenCollapsible(False)
        header = QHBoxLayout()
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.subtitle)
        header.addLayout(heading, 1)
        header.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)
        self._connect_signals()
        self._update_actions()

    def _connect_signals(self) -> None:
        self.new_button.clicked.connect(self.new_meeting)
        self.new_action.triggered.connect(self.new_meeting)
        self.edit_action.triggered.connect(self.edit_meeting)
        self.delete_action.triggered.connect(self.delete_meeting)
        self.delete_button.clicked.connect(self.delete_meeting)
        self.list.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_meeting(current.data(MeetingInfoRole))
        )
        self.check_in.edit_requested.connect(self.edit_meeting)
        self.check_in.attendance_changed.connect(self._on_attendance_changed)
        self.check_in.members_added.connect(self.members_added)
        self.check_in.round_requested.connect(self.round_requested)
        self.check_in.summary_requested.connect(self.summary_requested)

    def set_services(self, meetings: MeetingService) -> None:
        self._meetings = meetings
        self.check_in.set_services(meetings)

    def current_meeting(self) -> MeetingInfo | None:
        meeting = self.list.currentIndex().data(MeetingInfoRole)
        return meeting if isinstance(meeting, MeetingInfo) else None

    def show_group(self, group: GroupInfo | None) -> None:
        self._group = group
        self._load_when_shown(None)

    def reload(self) -> None:
        """Refresh after members changed elsewhere, keeping the meeting shown."""
        current = self.current_meeting()
        self._load_when_shown(current.id if current else None)

    def _load_when_shown(self, select_meeting: int | None) -> None:
        # A hidden tab waits until it is looked at: a click on a group shows its members
        # first, and a large group's check-in need not be built for nothing.
        if self.isVisible():
            self._pending = None
            self.refresh(select_meeting)
        else:
            self._pending = (select_meeting,)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._pending is not None:
            (select_meeting,) = self._pending
            self._pending = None
            self.refresh(select_meeting)

    def refresh(self, select_meeting: int | None = None) -> None:
        if self._meetings is None or self._group is None:
            self.model.set_meetings([])
            self._show_meeting(None)
            return
        group = self._group
        self.title.setText(group.name)
        meetings = self._meetings.list_meetings(group.id)
        count = f"{len(meetings)} meeting" + ("s" if len(meetings) != 1 else "")
        self.subtitle.setText(
            f"Meetings · {count}" + (f" · {group.schedule}" if group.schedule else "")
        )
        self.model.set_meetings(meetings)
        row = self.model.row_of(select_meeting)
        if row < 0 and meetings:
            # Today's meeting if there is one, else the most recent.
            today = self._today()
            row = next((i for i, m in enumerate(meetings) if m.date == today), 0)
        if row >= 0:
            self.list.selectionModel().setCurrentIndex(
                self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self._show_meeting(self.model.index(row).data(MeetingInfoRole))
        else:
            self._show_meeting(None)

    def _show_meeting(self, meeting: object) -> None:
        meeting = meeting if isinstance(meeting, MeetingInfo) else None
        self.check_in.show_meeting(meeting)
        self.right.setCurrentWidget(self.check_in if meeting else self.empty)
        self._update_actions()

    def _update_actions(self) -> None:
        has_group = self._group is not None and not self._group.archived
        has_meeting = self.current_meeting() is not None
        self.new_action.setEnabled(has_group)
        self.new_button.setEnabled(has_group)
        self.edit_action.setEnabled(has_meeting)
        self.delete_action.setEnabled(has_meeting)
        self.delete_button.setEnabled(has_meeting)

    def _on_attendance_changed(self, meeting_id: int) -> None:
        if self._meetings is not None:
            self.model.replace(self._meetings.get_meeting(meeting_id))
        self.attendance_changed.emit()

    # ---- editing ------------------------------------------------------------------------------

    def new_meeting(self) -> None:
        if self._meetings is None or self._group is None:
            return
        draft = self._meetings.new_meeting_draft(self._group.id, self._today())
        dialog = MeetingDialog(draft, new=True, parent=self)
        while dialog.exec():
            try:
                saved = self._meetings.create_meeting(self._group.id, dialog.draft())
            except ValidationError as exc:
                dialog.show_error(str(exc))
                continue
            except StorageError as exc:  # the form is kept for another try
                self._dialogs.error("Not saved", str(exc))
                continue
            except NotFoundError as exc:
                self._dialogs.error("Not saved", str(exc))
                break
            self.refresh(select_meeting=saved.id)
            self.attendance_changed.emit()
            self.check_in.focus_check_in()
            break
        dialog.deleteLater()

    def edit_meeting(self) -> None:
        meeting = self.current_meeting()
        if self._meetings is None or meeting is None:
            return
        dialog = MeetingDialog(meeting.to_draft(), new=False, parent=self)
        while dialog.exec():
            try:
                saved = self._meetings.update_meeting(
                    meeting.id, dialog.draft(), expected_version=meeting.version
                )
            except ValidationError as exc:
                dialog.show_error(str(exc))
                continue
            except StorageError as exc:  # the form is kept for another try
                self._dialogs.error("Not saved", str(exc))
                continue
            except (ChangedElsewhereError, NotFoundError) as exc:
                self._dialogs.error("Not saved", str(exc))
                self.refresh()
                break
            self.refresh(select_meeting=saved.id)
            self.attendance_changed.emit()
            break
        dialog.deleteLater()

    def delete_meeting(self) -> None:
        meeting = self.current_meeting()
        if self._meetings is None or meeting is None:
            return
        if not self._dialogs.confirm(
            "Delete meeting",
            f"Delete the meeting of {meeting.when}?\n\nIts attendance marks"
            + (" and its sharing round log" if meeting.rounds else "")
            + " will be deleted too. Members stay in the roster. This cannot be undone.",
            "Delete",
        ):
            return
        try:
            self._meetings.delete_meeting(meeting.id)
        except (ChangedElsewhereError, NotFoundError) as exc:
            self._dialogs.error("Not deleted", str(exc))
        self.refresh()
        self.attendance_changed.emit()
