"""The pieces every vault dialog (and the locked panel) is built from: passphrase fields with
their inline messages and a “Show” toggle, handing what was typed to the vault, buttons, the
dialogs' common layout, and a wait cursor for the second it takes to derive a key. No widget
keeps a passphrase once its dialog has closed: each dialog empties its fields with ``wipe``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peercircle.services.vault import VaultService, check_new_passphrase
from peercircle.services.vault_types import VaultError, WeakPassphraseError
from peercircle.ui.form_helpers import ErrorLabel

DIALOG_WIDTH = 560
TYPE_IT_FIRST = "Type your passphrase first."

_T = TypeVar("_T")


class VaultDialogs(Protocol):
    """What the vault dialogs ask through the dialog service."""

    def confirm(self, title: str, text: str, ok_label: str) -> bool: ...
    def info(self, title: str, text: str) -> None: ...
    def error(self, title: str, text: str) -> None: ...
    def save_file(self, title: str, suggested: str, name_filter: str) -> Path | None: ...


@contextmanager
def busy_cursor() -> Iterator[None]:
    """A wait cursor while a key is derived (about a second; the window cannot repaint)."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


# ---- fields ----------------------------------------------------------------------------------


def passphrase_edit(parent: QWidget, accessible: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(accessible)
    edit.setMinimumWidth(280)
    return edit


def wipe(edits: Iterable[QLineEdit]) -> None:
    """Empty each field. ``setText`` (unlike ``clear``) also drops the undo history, which
    would otherwise still hold what was typed."""
    for edit in edits:
        edit.setText("")


def clears_error_when_edited(edit: QLineEdit, error: ErrorLabel) -> None:
    edit.textEdited.connect(lambda _text: error.show_message(None))


def buddy_label(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    """A label whose ``&`` shortcut key moves to ``buddy``."""
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    return label


class ConfirmWordField(QLineEdit):
    """Where the person types ``word`` (e.g. DELETE) to confirm something that cannot be
    undone; ``confirmed()`` ignores case and spaces around it. ``row()`` is the field with
    its label, "Type DELETE to confirm:"."""

    def __init__(self, word: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.word = word
        self.setAccessibleName(f"Type {word} to confirm")
        self.setPlaceholderText(word)

    def enables(self, button: QWidget) -> None:
        """``button`` (the one that does it) is enabled only while the word is typed."""
        button.setEnabled(self.confirmed())
        self.textChanged.connect(lambda _text: button.setEnabled(self.confirmed()))

    def confirmed(self) -> bool:
        return self.text().strip().upper() == self.word

    def row(self, parent: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(buddy_label(f"&Type {self.word} to confirm:", self, parent))
        row.addWidget(self, 1)
        return row


def add_field(
    form: QFormLayout, label: str, edit: QLineEdit, error: ErrorLabel, parent: QWidget
) -> None:
    """``edit`` in ``form`` with its label and, below it, its inline message (which goes as
    soon as the field is edited)."""
    clears_error_when_edited(edit, error)
    form.addRow(buddy_label(label, edit, parent), edit)
    form.addRow("", error)


def ask_again(edit: QLineEdit, error: ErrorLabel, message: str) -> None:
    """Say what is wrong with what was typed in ``edit``, and select it to be typed again."""
    error.show_message(message)
    edit.selectAll()
    edit.setFocus()


def with_passphrase(edit: QLineEdit, error: ErrorLabel, action: Callable[[str], _T]) -> _T | None:
    """What ``action`` returns (never None) when given the passphrase typed in ``edit``, or
    None after saying in ``error`` why not: nothing typed, or the vault refused it."""
    text = edit.text()
    if not text:
        error.show_message(TYPE_IT_FIRST)
        return None
    try:
        with busy_cursor():
            return action(text)
    except VaultError as exc:
        ask_again(edit, error, str(exc))
        return None
    finally:
        del text


def unlock_with_typed(edit: QLineEdit, error: ErrorLabel, vault: VaultService) -> bool:
    """Unlock ``vault`` with the passphrase typed in ``edit``; False after saying in
    ``error`` why not. The caller empties ``edit`` once it is done with it."""

    def unlock(passphrase: str) -> bool:
        vault.unlock(passphrase)
        return True  # not None: ``with_passphrase`` takes None for a refusal

    return with_passphrase(edit, error, unlock) is not None


class ShowPassphrases(QCheckBox):
    """“Show passphrase”: shows what was typed in every field it looks after."""

    def __init__(self, edits: Iterable[QLineEdit], parent: QWidget) -> None:
        super().__init__("Show passphrase", parent)
        self._edits = list(edits)
        self.toggled.connect(self._on_toggled)

    def _on_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for edit in self._edits:
            edit.setEchoMode(mode)


class NewPassphraseFields:
    """A new passphrase typed twice, each with its inline message, then “Show passphrase”
    (which shows ``also_shown`` too), added to ``form``."""

    def __init__(
        self,
        form: QFormLayout,
        parent: QWidget,
        *,
        label: str = "New passphrase:",
        also_shown: Sequence[QLineEdit] = (),
    ) -> None:
        self.passphrase = passphrase_edit(parent, label.rstrip(":"))
        self.repeated = passphrase_edit(parent, "Repeat the passphrase")
        self.passphrase_error = ErrorLabel(parent)
        self.repeated_error = ErrorLabel(parent)
        add_field(form, label, self.passphrase, self.passphrase_error, parent)
        add_field(form, "&Repeat it:", self.repeated, self.repeated_error, parent)
        self.show_passphrase = ShowPassphrases([*also_shown, *self.edits], parent)
        form.addRow("", self.show_passphrase)

    @property
    def edits(self) -> list[QLineEdit]:
        return [self.passphrase, self.repeated]

    def checked(self) -> str | None:
        """The new passphrase, or None after showing why it will not do."""
        text = self.passphrase.text()
        try:
            check_new_passphrase(text)
        except WeakPassphraseError as exc:
            self.passphrase_error.show_message(str(exc))
            return None
        self.passphrase_error.show_message(None)
        try:
            check_new_passphrase(text, self.repeated.text())
        except WeakPassphraseError as exc:
            self.repeated_error.show_message(str(exc))
            return None
        self.repeated_error.show_message(None)
        return text

    def show_refusal(self, exc: VaultError, error: ErrorLabel) -> None:
        """Why the vault refused: under the new passphrase if it is too weak, else in
        ``error``."""
        if isinstance(exc, WeakPassphraseError):
            self.passphrase_error.show_message(str(exc))
        else:
            error.show_message(str(exc))


# ---- text, buttons and layout ----------------------------------------------------------------


def heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("dialogTitle")
    return label


def paragraph(text: str, parent: QWidget, *, hint: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    if hint:
        label.setObjectName("hint")
    return label


def primary_button(text: str, parent: QWidget) -> QPushButton:
    """The dialog's main action: it looks it, and Enter presses it."""
    button = QPushButton(text, parent)
    button.setObjectName("primaryButton")
    button.setDefault(True)
    return button


def quiet_button(text: str, parent: QWidget, *, flat: bool = False) -> QPushButton:
    """A button Enter never presses, even when it has the focus."""
    button = QPushButton(text, parent)
    if flat:
        button.setFlat(True)
    button.setAutoDefault(False)
    return button


def button_row(*buttons: QPushButton, left: QPushButton | None = None) -> QHBoxLayout:
    """``buttons`` at the right, ``left`` (if any) on its own at the left."""
    row = QHBoxLayout()
    if left is not None:
        row.addWidget(left)
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


def dialog_layout(
    owner: QWidget,
    texts: Sequence[QWidget],
    body: Sequence[QWidget | QLayout],
    buttons: QLayout,
    *,
    page: bool = False,
) -> QVBoxLayout:
    """The vault dialogs' shape, top to bottom: the heading and what to know, a gap, the
    fields and their messages, room to spare, then ``buttons``. ``page``: ``owner`` is a page
    inside a dialog, which already has the margins."""
    layout = QVBoxLayout(owner)
    if page:
        layout.setContentsMargins(0, 0, 0, 0)
    for text in texts:
        layout.addWidget(text)
    layout.addSpacing(8)
    for part in body:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    layout.addStretch(1)
    layout.addLayout(buttons)
    return layout
