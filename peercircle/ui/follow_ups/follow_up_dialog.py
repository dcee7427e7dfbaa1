"""The follow-up editor (who, by when, a few words why) and the small “How did it go?”
dialog that marks one done. Both wipe their fields when they close: what was typed is
private, and a closed dialog may linger in memory until Qt deletes it."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from peercircle.domain import FOLLOW_UP_OUTCOME_MAX, FOLLOW_UP_REASON_MAX, MemberStatus
from peercircle.services.follow_ups import check_follow_up, suggested_due_date
from peercircle.services.notes_types import FollowUpDraft
from peercircle.services.roster_types import fold_for_search, name_sort_key
from peercircle.services.validation import ValidationError
from peercircle.ui.form_helpers import CheckedFormDialog, ErrorLabel

if TYPE_CHECKING:
    from peercircle.services.roster import RosterService

REASON_HINT = "A few words for yourself, e.g. “ask how the new job is going”"
OUTCOME_HINT = "Optional. A few words for yourself, e.g. “settling in; coming next week”"


# ---- who can be chosen ------------------------------------------------------------------------


def follow_up_members(
    roster: RosterService,
    group_id: int | None = None,
    *,
    include: tuple[int, str] | None = None,
) -> list[tuple[int, str]]:
    """Active members to choose from, by name: the group's when a group is known (everyone's
    if it has none), else everyone once. ``include`` (id, name) is added if missing — the
    member a follow-up is already about. Two people with one name are told apart by their
    groups or full name."""
    rows = [m for m in roster.list_members(group_id) if m.status is MemberStatus.ACTIVE]
    if group_id is not None and not rows:
        rows = [m for m in roster.list_members(None) if m.status is MemberStatus.ACTIVE]
    seen = Counter(name_sort_key(m.display_name) for m in rows)
    members: list[tuple[int, str]] = []
    for m in rows:
        label = m.display_name
        if seen[name_sort_key(label)] > 1:
            label = f"{label} ({', '.join(m.groups) or m.full_name or f'no. {m.id}'})"
        members.append((m.id, label))
    if include is not None and all(member_id != include[0] for member_id, _ in members):
        members.append(include)
    members.sort(key=lambda item: name_sort_key(item[1]))
    return members


# ---- quick dates ------------------------------------------------------------------------------


def tomorrow(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=1)


def coming_friday(today: dt.date) -> dt.date:
    """The next Friday after today (a week on, if today is Friday)."""
    return today + dt.timedelta(days=(4 - today.weekday()) % 7 or 7)


def next_week(today: dt.date) -> dt.date:
    """Monday of next week."""
    return today + dt.timedelta(days=7 - today.weekday())


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


# ---- the member picker ------------------------------------------------------------------------


class _FoldedFilter(QSortFilterProxyModel):
    """Rows whose text contains what was typed, in any case, with or without accents."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._needle = ""

    def set_needle(self, text: str) -> None:
        self._needle = fold_for_search(text.strip())
        self.invalidate()

    def filterAcceptsRow(  # noqa: N802
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._needle:
            return True
        text = self.sourceModel().index(source_row, 0, source_parent).data() or ""
        return self._needle in fold_for_search(str(text))


class MemberPicker(QComboBox):
    """Choose a member from a list, or type part of a name to narrow it (“agnes” finds
    “Ágnes”)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._edit = QLineEdit(self)
        self._edit.setPlaceholderText("Type a name or choose from the list")
        self.setLineEdit(self._edit)
        self._filter = _FoldedFilter(self)
        self._filter.setSourceModel(self.model())
        self._completer = QCompleter(self._filter, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(self._completer)
        self._edit.textEdited.connect(self._on_typed)

    def set_members(self, members: Sequence[tuple[int, str]]) -> None:
        self.clear()
        for member_id, label in members:
            self.addItem(label, member_id)
        self.setCurrentIndex(-1)
        self.setEditText("")

    def set_member(self, member_id: int | None) -> None:
        row = self.findData(member_id) if member_id is not None else -1
        self.setCurrentIndex(row)
        if row < 0:
            self.setEditText("")

    def member_id(self) -> int | None:
        """The member whose name is in the field, or None if it names no one (yet)."""
        text = self.currentText().strip()
        if not text:
            return None
        row = self.currentIndex()
        if row < 0 or self.itemText(row) != text:
            folded = fold_for_search(text)
            row = next(
                (i for i in range(self.count()) if fold_for_search(self.itemText(i)) == folded),
                -1,
            )
        data = self.itemData(row) if row >= 0 else None
        return data if isinstance(data, int) else None

    def wipe(self) -> None:
        """Forget the names: the list and what was typed (with its undo history)."""
        self._filter.set_needle("")
        self.clear()
        self._edit.setText("")

    def _on_typed(self, text: str) -> None:
        self._filter.set_needle(text)
        if text.strip() and self._filter.rowCount() and self.isVisible():
            self._completer.complete()


# ---- the editor -------------------------------------------------------------------------------


class FollowUpDialog(CheckedFormDialog):
    """New or edit a follow-up: who, by when, and why. ``draft()`` holds the result once
    accepted (the group, note, meeting and source come from the ``draft`` given, if any).

    ``fixed_member``: the member cannot be changed (a suggestion is about one person);
    ``about``: a line of context shown above the form (e.g. the suggestion's text).
    """

    def __init__(
        self,
        members: Sequence[tuple[int, str]],
        parent: QWidget | None = None,
        *,
        draft: FollowUpDraft | None,
        today: dt.date,
        editing: bool = False,
        fixed_member: bool = False,
        about: str = "",
    ) -> None:
        super().__init__(parent)
        self._members = list(members)
        self._today = today
        self._given = draft
        self._result: FollowUpDraft | None = None
        self.setWindowTitle("Edit follow-up" if editing else "New follow-up")
        self.setMinimumWidth(520)

        self.about = QLabel(about, self)
        self.about.setObjectName("hint")
        self.about.setWordWrap(True)
        self.about.setVisible(bool(about))

        self.member = MemberPicker(self)
        self.member.setAccessibleName("Who")
        self.member.setEnabled(not fixed_member)

        self.due = QDateEdit(self)
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("ddd d MMM yyyy")
        self.due.setAccessibleName("Check in by")
        self.due.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.quick_dates: dict[str, QPushButton] = {}
        due_row = QHBoxLayout()
        due_row.addWidget(self.due, 1)
        for label, day in (
            ("Tomorrow", tomorrow(today)),
            ("Friday", coming_friday(today)),
            ("Next week", next_week(today)),
        ):
            button = QPushButton(label, self)
            button.setAutoDefault(False)
            button.setToolTip(f"{day:%A} {day.day} {day:%B}")
            button.setAccessibleName(f"Due {label.lower()}")
            button.clicked.connect(lambda _checked=False, d=day: self.due.setDate(_qdate(d)))
            due_row.addWidget(button)
            self.quick_dates[label] = button

        self.reason = self._line("Reason", FOLLOW_UP_REASON_MAX, REASON_HINT)

        self.errors = {"member": ErrorLabel(self), "reason": ErrorLabel(self)}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._add_field(form, "&Who", "member", self.member)
        form.addRow(self._label("&By", self.due), due_row)
        self._add_field(form, "&Reason", "reason", self.reason)
        self._make_buttons()
        self.save_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.member.editTextChanged.connect(lambda _text: self._on_edited("member"))
        self.member.currentIndexChanged.connect(lambda _row: self._on_edited("member"))
        self._check_as_typed((("reason", self.reason),))
        self.restore(draft)
        self._touched.clear()
        if editing:
            self._touched.update(self.errors)
        self._validate()
        (self.reason if self.member.member_id() is not None else self.member).setFocus()

    # ---- the form ------------------------------------------------------------------------

    def restore(self, draft: FollowUpDraft | None) -> None:
        """Fill the form (again) with ``draft``, or empty with a gentle default date."""
        self._result = None
        self.member.set_members(self._members)
        if draft is None:
            self.member.set_member(None)
            self.due.setDate(_qdate(suggested_due_date(self._today)))
            self.reason.setText("")
        else:
            self.member.set_member(draft.member_id)
            self.due.setDate(_qdate(draft.due_date))
            self.reason.setText(draft.reason)

    def current_draft(self) -> FollowUpDraft | None:
        """What the form holds now, or None while it names no one."""
        member_id = self.member.member_id()
        if member_id is None:
            return None
        base = self._given or FollowUpDraft(member_id=member_id, due_date=self._today, reason="")
        return replace(
            base,
            member_id=member_id,
            due_date=_pydate(self.due.date()),
            reason=self.reason.text(),
        )

    def draft(self) -> FollowUpDraft:
        """The follow-up as saved with Save (or as the form holds it, while open)."""
        draft = self._result or self.current_draft()
        if draft is None:
            raise ValueError("No one is chosen.")
        return draft

    def is_changed(self) -> bool:
        """Has the form been filled in or changed from what it opened with?"""
        current = self.current_draft()
        if current is None:
            return False
        if self._given is None:
            return True
        return current != self._given

    def form_errors(self) -> dict[str, str]:
        return self._check()

    def show_refusal(self, errors: dict[str, str]) -> None:
        """Saving refused what was accepted: the form again, with why."""
        self.restore(self.draft())
        self.show_errors(errors)

    def _check(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        member_id = self.member.member_id()
        if member_id is None:
            typed = self.member.currentText().strip()
            errors["member"] = (
                f"No one called “{typed}” here; choose someone from the list."
                if typed
                else "Choose who to check in with."
            )
        try:
            check_follow_up(
                FollowUpDraft(
                    member_id=member_id or 0, due_date=self._today, reason=self.reason.text()
                )
            )
        except ValidationError as exc:
            errors.update(exc.errors)
        return errors

    def done(self, result: int) -> None:
        if result == QDialog.DialogCode.Accepted:
            self._result = self.current_draft()
        self._wipe()
        super().done(result)

    def _wipe(self) -> None:
        for signal_source in (self.member, self.reason):
            signal_source.blockSignals(True)
        self.member.wipe()
        self.reason.setText("")  # setText also drops the undo history
        for signal_source in (self.member, self.reason):
            signal_source.blockSignals(False)
        for label in self.errors.values():
            label.show_message(None)


# ---- done ---------------------------------------------------------------------------------------


class DoneDialog(CheckedFormDialog):
    """“How did it go?” — an optional few words, then the follow-up is marked done.
    ``outcome()`` holds the words once accepted."""

    def __init__(self, parent: QWidget | None = None, *, who: str = "", reason: str = "") -> None:
        super().__init__(parent)
        self._result: str | None = None
        self.setWindowTitle("Mark as done")
        self.setMinimumWidth(480)

        self.heading = QLabel("How did it go?", self)
        self.heading.setObjectName("dialogTitle")
        context = f"Your check-in with {who}" if who else ""
        if reason:
            context = f"{context}: {reason}" if context else reason
        self.context = QLabel(context, self)
        self.context.setObjectName("hint")
        self.context.setWordWrap(True)
        self.context.setVisible(bool(context))

        self.outcome_edit = QPlainTextEdit(self)
        self.outcome_edit.setAccessibleName("How it went")
        self.outcome_edit.setPlaceholderText(OUTCOME_HINT)
        self.outcome_edit.setTabChangesFocus(True)
        self.outcome_edit.setMinimumHeight(90)
        self.errors = {"outcome": ErrorLabel(self)}
        self._make_buttons()
        self.save_button.setText("Mark done")
        self.save_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.context)
        layout.addWidget(self.outcome_edit, 1)
        layout.addWidget(self.errors["outcome"])
        layout.addWidget(self.buttons)

        self.outcome_edit.textChanged.connect(lambda: self._on_edited("outcome"))
        self._validate()
        self.outcome_edit.setFocus()

    def current_outcome(self) -> str:
        return self.outcome_edit.toPlainText().strip()

    def outcome(self) -> str:
        """How it went, as saved with “Mark done” (or as typed, while open)."""
        return self._result if self._result is not None else self.current_outcome()

    def restore(self, outcome: str) -> None:
        self._result = None
        self.outcome_edit.setPlainText(outcome)

    def is_changed(self) -> bool:
        return bool(self.current_outcome())

    def form_errors(self) -> dict[str, str]:
        return self._check()

    def show_refusal(self, errors: dict[str, str]) -> None:
        self.restore(self.outcome())
        self.show_errors(errors)

    def _check(self) -> dict[str, str]:
        length = len(self.current_outcome())
        if length > FOLLOW_UP_OUTCOME_MAX:
            return {
                "outcome": f"Please keep it under {FOLLOW_UP_OUTCOME_MAX} characters "
                f"(now {length})."
            }
        return {}

    def done(self, result: int) -> None:
        if result == QDialog.DialogCode.Accepted:
            self._result = self.current_outcome()
        self.outcome_edit.blockSignals(True)
        self.outcome_edit.setPlainText("")  # also drops the undo history
        self.outcome_edit.blockSignals(False)
        self.errors["outcome"].show_message(None)
        super().done(result)
