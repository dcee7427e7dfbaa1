"""One note being written: its title, who and which meeting it is about, tags and text, with
inline messages and a kind reminder about writing respectfully. A damaged note is shown
read-only. ``wipe()`` leaves nothing behind, not even the editors' undo history.

Signals:
    edited(): the writing or a choice changed (the screen updates its buttons).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from peercircle.domain import NOTE_TAGS_MAX, NOTE_TITLE_MAX
from peercircle.services.notes import check_note
from peercircle.services.notes_types import NoteDraft, NoteInfo, format_tags, parse_tags
from peercircle.services.validation import ValidationError
from peercircle.ui.form_helpers import ErrorLabel
from peercircle.ui.notes.note_list_model import friendly_updated

HINT = (
    "Write what you need to remember, kindly. Use initials for other members who are "
    "mentioned; keep to what was shared with you."
)
DAMAGED_EXPLANATION = (
    "Part of this note could not be read: what is stored on this computer was damaged. "
    "Everything that could be read is shown. The note cannot be changed, but you can copy "
    "what is here into a new note, or delete it."
)
NO_MEMBER = "No one in particular"
NO_MEETING = "No particular meeting"

Choices = Sequence[tuple[int, str]]


class NoteEditor(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._note: NoteInfo | None = None
        self._baseline: tuple[str, str, str, int | None, int | None] = ("", "", "", None, None)
        self._loading = False

        self.status = QLabel(self)
        self.status.setObjectName("countLabel")

        self.title = QLineEdit(self)
        self.title.setMaxLength(NOTE_TITLE_MAX + 50)  # longer gets a message, not a silent cut
        self.title.setAccessibleName("Note title")
        self.title.setPlaceholderText("A few words to find it again (optional)")
        self.member = QComboBox(self)
        self.member.setAccessibleName("About member")
        self.member.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.member.setMinimumContentsLength(12)
        self.meeting = QComboBox(self)
        self.meeting.setAccessibleName("Meeting")
        self.meeting.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.meeting.setMinimumContentsLength(12)
        self.tags = QLineEdit(self)
        self.tags.setMaxLength(NOTE_TAGS_MAX + 50)
        self.tags.setAccessibleName("Tags")
        self.tags.setPlaceholderText("Separated by commas, e.g. sleep, family")
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("noteBody")
        self.body.setAccessibleName("Note text")
        self.body.setTabChangesFocus(True)  # Tab moves on, as everywhere else in the app
        self.body.setPlaceholderText("What happened, what was said to you, what to remember…")
        font = self.body.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.body.setFont(font)
        self.hint = QLabel(HINT, self)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.damaged = QLabel(DAMAGED_EXPLANATION, self)
        self.damaged.setObjectName("noteDamaged")
        self.damaged.setWordWrap(True)
        self.damaged.hide()
        self.errors: dict[str, ErrorLabel] = {}
        for name, edit in (("title", self.title), ("tags", self.tags), ("body", self.body)):
            self.errors[name] = ErrorLabel(self)
            self.errors[name].setAccessibleName(f"{edit.accessibleName()} problem")
        self._lay_out()
        self.title.textChanged.connect(self._on_edited)
        self.title.returnPressed.connect(self.focus_body)  # Enter: on to the writing
        self.tags.textChanged.connect(self._on_edited)
        self.body.textChanged.connect(self._on_edited)
        self.member.currentIndexChanged.connect(self._on_edited)
        self.meeting.currentIndexChanged.connect(self._on_edited)
        self.start_new()

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _lay_out(self) -> None:
        about = QHBoxLayout()
        about.addWidget(self.member, 1)
        about.addSpacing(12)
        about.addWidget(self._label("Meet&ing", self.meeting))
        about.addSpacing(4)  # the label's own margin alone lets it touch the box
        about.addWidget(self.meeting, 1)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        grid.addWidget(self._label("&Title", self.title), 0, 0)
        grid.addWidget(self.title, 0, 1)
        grid.addWidget(self.errors["title"], 1, 1)
        grid.addWidget(self._label("A&bout", self.member), 2, 0)
        grid.addLayout(about, 2, 1)
        grid.addWidget(self._label("Ta&gs", self.tags), 3, 0)
        grid.addWidget(self.tags, 3, 1)
        grid.addWidget(self.errors["tags"], 4, 1)
        body_label = self._label("N&ote", self.body)
        body_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        grid.addWidget(body_label, 5, 0)
        grid.addWidget(self.body, 6, 0, 1, 2)
        grid.addWidget(self.errors["body"], 7, 0, 1, 2)
        grid.addWidget(self.hint, 8, 0, 1, 2)
        grid.setRowStretch(6, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.status)
        layout.addWidget(self.damaged)
        layout.addLayout(grid, 1)

    # ---- what is shown -------------------------------------------------------------------

    @property
    def note(self) -> NoteInfo | None:
        """The saved note shown, or None while a new note is being written."""
        return self._note

    def set_choices(self, members: Choices, meetings: Choices) -> None:
        """The group's members and meetings (newest first) to choose from."""
        self._loading = True
        try:
            fill_choices(self.member, NO_MEMBER, members, self.member.currentData())
            fill_choices(self.meeting, NO_MEETING, meetings, self.meeting.currentData())
        finally:
            self._loading = False

    def load(self, note: NoteInfo) -> None:
        """Show a saved note (read-only if it is damaged)."""
        self._loading = True
        try:
            self._note = note
            self._set_text(self.title, note.title)
            self._set_text(self.tags, format_tags(note.tags))
            self._set_body(note.body)
            self.body.moveCursor(QTextCursor.MoveOperation.End)  # to add to it, as one does
            if note.member_id is not None and self.member.findData(note.member_id) < 0:
                # Someone who has left the group (or is archived) is still who it is about.
                self.member.addItem(note.member_name or "A former member", note.member_id)
            choose(self.member, note.member_id)
            choose(self.meeting, note.meeting_id)
            self._set_read_only(note.damaged)
            self.clear_errors()
            self._baseline = self._raw()
        finally:
            self._loading = False
        self.edited.emit()

    def start_new(self, *, meeting_id: int | None = None, member_id: int | None = None) -> None:
        """An empty new note, about ``meeting_id`` and ``member_id`` if given."""
        self._loading = True
        try:
            self._note = None
            self._set_text(self.title, "")
            self._set_text(self.tags, "")
            self._set_body("")
            choose(self.member, member_id)
            choose(self.meeting, meeting_id)
            self._set_read_only(False)
            self.clear_errors()
            self._baseline = self._raw()
        finally:
            self._loading = False
        self.edited.emit()

    def mark_saved(self, note: NoteInfo) -> None:
        """What is written was just saved as ``note``. The text stays as it is (the cursor
        and the undo history too), so writing can simply go on."""
        self._note = note
        self._baseline = self._raw()
        self.clear_errors()
        self.edited.emit()

    def detach(self) -> None:
        """Keep what is written as a new note (the saved one changed or went elsewhere)."""
        self._note = None
        self._baseline = ("", "", "", None, None)
        self.edited.emit()

    def wipe(self) -> None:
        """Forget everything: the writing, its undo history, the choices, the messages."""
        self._loading = True
        try:
            self._note = None
            for edit in (self.title, self.tags):
                self._set_text(edit, "")
            self._set_body("")
            self.member.clear()
            self.meeting.clear()
            self._set_read_only(False)
            self.clear_errors()
            self.status.clear()
            self._baseline = self._raw()
        finally:
            self._loading = False

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    # ---- what was written ----------------------------------------------------------------

    def draft(self, group_id: int) -> NoteDraft:
        return NoteDraft(
            group_id=group_id,
            title=self.title.text(),
            body=self.body.toPlainText(),
            tags=parse_tags(self.tags.text()),
            meeting_id=self.meeting.currentData(),
            member_id=self.member.currentData(),
        )

    def has_words(self) -> bool:
        """Is anything written (title, tags or text)?"""
        title, body, tags, _member, _meeting = self._raw()
        return bool(title.strip() or body.strip() or tags)

    def is_modified(self) -> bool:
        """Would saving change anything? A new note needs some words to count."""
        if self._note is not None and self._note.damaged:
            return False
        if self._note is None and not self.has_words():
            return False
        return self._raw() != self._baseline

    def status_text(self, now: dt.datetime) -> str:
        """“New note”, “Changes not saved yet”, “Saved · updated today 14:05”…"""
        note = self._note
        if note is None:
            return "New note · not saved yet" if self.has_words() else "New note"
        if note.damaged:
            return f"Partly damaged · {friendly_updated(note.updated_at, now)}"
        if self.is_modified():
            return "Changes not saved yet"
        return f"Saved · {friendly_updated(note.updated_at, now)}"

    def recheck(self, group_id: int) -> None:
        """Once messages show (after a Save), they follow the writing as it changes."""
        if not any(label.isVisible() for label in self.errors.values()):
            return
        try:
            check_note(self.draft(group_id))
        except ValidationError as exc:
            self.show_errors(exc.errors)
        else:
            self.clear_errors()

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Messages from saving, under their fields (the title's also covers “write
        something”)."""
        for name, label in self.errors.items():
            label.show_message(errors.get(name))

    def clear_errors(self) -> None:
        self.show_errors({})

    def focus_title(self) -> None:
        self.title.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_body(self) -> None:
        self.body.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- inside ---------------------------------------------------------------------------

    def _raw(self) -> tuple[str, str, str, int | None, int | None]:
        return (
            self.title.text(),
            self.body.toPlainText(),
            format_tags(parse_tags(self.tags.text())),
            self.member.currentData(),
            self.meeting.currentData(),
        )

    def _on_edited(self) -> None:
        if not self._loading:
            self.edited.emit()

    def _set_read_only(self, read_only: bool) -> None:
        for edit in (self.title, self.tags):
            edit.setReadOnly(read_only)
        self.body.setReadOnly(read_only)
        self.member.setEnabled(not read_only)
        self.meeting.setEnabled(not read_only)
        self.damaged.setVisible(read_only)
        self.hint.setVisible(not read_only)

    @staticmethod
    def _set_text(edit: QLineEdit, text: str) -> None:
        """``setText`` (unlike ``clear()``, which can be undone) starts a fresh undo history:
        nothing written before can be brought back with Ctrl+Z."""
        edit.setText(text)

    def _set_body(self, text: str) -> None:
        self.body.setPlainText(text)
        document = self.body.document()
        document.clearUndoRedoStacks()


def choose(combo: QComboBox, item_id: int | None) -> None:
    """Choose the item holding ``item_id`` (the first, “none”/“any”, when there is none)."""
    combo.setCurrentIndex(max(0, combo.findData(item_id)))


def fill_choices(combo: QComboBox, first: str, choices: Choices, chosen: int | None) -> None:
    """``first`` (data None), then ``choices`` as (id, text); ``chosen`` chosen if there."""
    combo.clear()
    combo.addItem(first, None)
    for item_id, text in choices:
        combo.addItem(text, item_id)
    choose(combo, chosen)
