"""Facilitator Prompts: the editor for the prompt deck shown during a round.

Categories on the left, the chosen category's prompts on the right, both edited in place.
Nothing is written until Save; "Restore our prompts" puts back the deck PeerCircle ships.
``edit_prompts`` runs the whole step for the main window.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peercircle.services.attendance_import_types import plural
from peercircle.services.prompts import (
    PromptDeck,
    PromptDeckError,
    clean_prompt,
    is_customised,
    load_deck,
    prompt_problem,
    reset_deck,
    save_deck,
)
from peercircle.ui.form_helpers import ErrorLabel
from peercircle.ui.round.prompts_models import CategoryListModel, EditableListView, TextListModel

NEW_CATEGORY = "New category"
NEW_PROMPT = "New prompt"
RESTORE_QUESTION = (
    "Put back the prompts that come with PeerCircle? The prompts you have written or "
    "changed will be removed."
)
DISCARD_QUESTION = "Close without saving? Your changes to the prompts will be lost."


class Dialogs(Protocol):
    def confirm(self, title: str, text: str, ok_label: str) -> bool: ...
    def error(self, title: str, text: str) -> None: ...


class PromptsDialog(QDialog):
    """Edit the facilitator's prompt deck; Save writes it, Cancel leaves the file alone."""

    def __init__(self, data_dir: Path, dialogs: Dialogs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Facilitator Prompts")
        self.resize(820, 560)
        self._data_dir = data_dir
        self._dialogs = dialogs
        loaded = load_deck(data_dir)
        self._saved_deck = loaded.deck

        self.categories = CategoryListModel(self)
        self.categories.set_deck(loaded.deck)
        self.prompts = TextListModel(clean_prompt, lambda text, _row: prompt_problem(text), self)
        self.category_view = EditableListView(self)
        self.category_view.setObjectName("roundPeople")  # the look of the round's lists
        self.category_view.setAccessibleName("Categories")
        self.category_view.setModel(self.categories)
        self.prompt_view = EditableListView(self)
        self.prompt_view.setObjectName("roundPeople")
        self.prompt_view.setAccessibleName("Prompts")
        self.prompt_view.setWordWrap(True)
        self.prompt_view.setModel(self.prompts)

        self.add_category_button = _button("New category", self, "Add a category")
        self.rename_category_button = _button("Rename", self, "Rename the category")
        self.remove_category_button = _button("Remove", self, "Remove the category")
        self.add_prompt_button = _button("New prompt", self, "Add a prompt")
        self.edit_prompt_button = _button("Edit", self, "Edit the prompt")
        self.remove_prompt_button = _button("Remove", self, "Remove the prompt")
        self.up_button = _button("Move up", self, "Move the prompt up (Alt+Up)")
        self.down_button = _button("Move down", self, "Move the prompt down (Alt+Down)")
        self.prompts_title = QLabel(self)
        self.prompts_title.setObjectName("roundSectionTitle")
        self.problem_label = ErrorLabel(self)
        self.problem_label.show_message(loaded.problem)
        self.message = ErrorLabel(self)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = QPushButton("Save", self)
        self.save_button.setObjectName("primaryButton")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button = QPushButton("Restore our prompts", self)
        self.restore_button.setToolTip("Put back the prompts that come with PeerCircle")
        self.restore_button.setEnabled(is_customised(data_dir))
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ResetRole)
        for button in self.buttons.buttons():
            # Enter belongs to the lists (it edits a row); it never saves or closes.
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)

        self._build_layout()
        self._connect_signals()
        if self.categories.rowCount():
            self.category_view.setCurrentIndex(self.categories.index(0))
        self._on_category_changed()
        self.category_view.setFocus()

    def _build_layout(self) -> None:
        title = QLabel("Facilitator prompts", self)
        title.setObjectName("dialogTitle")
        intro = QLabel(
            "Questions and reflections for you during a sharing round. Only you see them: "
            "they never appear in the presenter view.",
            self,
        )
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        categories_title = QLabel("Categories", self)
        categories_title.setObjectName("roundSectionTitle")
        categories_title.setBuddy(self.category_view)
        self.prompts_title.setBuddy(self.prompt_view)
        hint = QLabel(
            "Double-click, F2 or Enter to edit · Alt+↑/↓ to move · Delete to remove", self
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)

        category_buttons = QHBoxLayout()
        for button in (
            self.add_category_button,
            self.rename_category_button,
            self.remove_category_button,
        ):
            category_buttons.addWidget(button)
        category_buttons.addStretch(1)
        prompt_buttons = QHBoxLayout()
        for button in (
            self.add_prompt_button,
            self.edit_prompt_button,
            self.remove_prompt_button,
            self.up_button,
            self.down_button,
        ):
            prompt_buttons.addWidget(button)
        prompt_buttons.addStretch(1)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        grid.addWidget(categories_title, 0, 0)
        grid.addWidget(self.prompts_title, 0, 1)
        grid.addWidget(self.category_view, 1, 0)
        grid.addWidget(self.prompt_view, 1, 1)
        grid.addLayout(category_buttons, 2, 0)
        grid.addLayout(prompt_buttons, 2, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 5)
        grid.setRowStretch(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.problem_label)
        layout.addSpacing(6)
        layout.addLayout(grid, 1)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.restore)
        self.add_category_button.clicked.connect(self.add_category)
        self.rename_category_button.clicked.connect(
            lambda: self.category_view.edit(self.category_view.currentIndex())
        )
        self.remove_category_button.clicked.connect(
            lambda: self.remove_category(self.category_view.currentIndex().row())
        )
        self.add_prompt_button.clicked.connect(self.add_prompt)
        self.edit_prompt_button.clicked.connect(
            lambda: self.prompt_view.edit(self.prompt_view.currentIndex())
        )
        self.remove_prompt_button.clicked.connect(
            lambda: self.remove_prompt(self.prompt_view.currentIndex().row())
        )
        self.up_button.clicked.connect(lambda: self._move_current_prompt(-1))
        self.down_button.clicked.connect(lambda: self._move_current_prompt(1))
        self.category_view.selectionModel().currentChanged.connect(self._on_category_changed)
        self.prompt_view.selectionModel().currentChanged.connect(self._update_buttons)
        self.category_view.move_requested.connect(self.move_category)
        self.category_view.remove_requested.connect(self.remove_category)
        self.prompt_view.move_requested.connect(self.move_prompt)
        self.prompt_view.remove_requested.connect(self.remove_prompt)
        self.categories.changed.connect(self._on_categories_changed)
        self.prompts.changed.connect(self._on_prompts_changed)
        for model in (self.categories, self.prompts):
            model.edit_refused.connect(self.message.show_message)

    # ---- what is shown ---------------------------------------------------------------------

    def deck(self) -> PromptDeck:
        """The deck as it stands in the dialog (saved or not)."""
        return self.categories.deck()

    def has_changes(self) -> bool:
        return self.deck() != self._saved_deck

    def current_category(self) -> int | None:
        index = self.category_view.currentIndex()
        return index.row() if index.isValid() else None

    # ---- editing ---------------------------------------------------------------------------

    def add_category(self) -> None:
        """A new category after the chosen one, with its name ready to type over."""
        current = self.current_category()
        row = self.categories.rowCount() if current is None else current + 1
        index = self.categories.add_category(row, NEW_CATEGORY)
        self.category_view.setCurrentIndex(index)
        self.category_view.setFocus()
        self.category_view.edit(index)

    def remove_category(self, row: int) -> None:
        if not 0 <= row < self.categories.rowCount():
            return
        name = self.categories.texts()[row]
        count = len(self.categories.prompts_of(row))
        if count:
            question = f"Remove the category “{name}” and its {plural(count, 'prompt')}?"
            if not self._dialogs.confirm("Remove a category", question, "Remove"):
                return
        self.categories.remove_text(row)
        if self.categories.rowCount():
            next_row = min(row, self.categories.rowCount() - 1)
            self.category_view.setCurrentIndex(self.categories.index(next_row))
        else:
            self._on_category_changed()

    def move_category(self, row: int, to_row: int) -> None:
        if self.categories.move_text(row, to_row):
            self.category_view.setCurrentIndex(self.categories.index(to_row))

    def add_prompt(self) -> None:
        """A new prompt after the chosen one, ready to type over."""
        if self.current_category() is None:
            return
        current = self.prompt_view.currentIndex()
        row = current.row() + 1 if current.isValid() else self.prompts.rowCount()
        index = self.prompts.insert_text(row, NEW_PROMPT)
        self.prompt_view.setCurrentIndex(index)
        self.prompt_view.setFocus()
        self.prompt_view.edit(index)

    def remove_prompt(self, row: int) -> None:
        if not 0 <= row < self.prompts.rowCount():
            return
        self.prompts.remove_text(row)
        if self.prompts.rowCount():
            next_row = min(row, self.prompts.rowCount() - 1)
            self.prompt_view.setCurrentIndex(self.prompts.index(next_row))

    def move_prompt(self, row: int, to_row: int) -> None:
        if self.prompts.move_text(row, to_row):
            self.prompt_view.setCurrentIndex(self.prompts.index(to_row))

    def _move_current_prompt(self, step: int) -> None:
        row = self.prompt_view.currentIndex().row()
        if row >= 0:
            self.move_prompt(row, row + step)

    def _on_category_changed(self, *_: object) -> None:
        row = self.current_category()
        if row is None:
            self.prompts.set_texts([])
            self.prompts_title.setText("Prompts")
        else:
            self.prompts.set_texts(self.categories.prompts_of(row))
            self._show_prompts_title(row)
            if self.prompts.rowCount():
                self.prompt_view.selectionModel().setCurrentIndex(
                    self.prompts.index(0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
        self._update_buttons()

    def _on_categories_changed(self) -> None:
        self.message.show_message(None)
        row = self.current_category()
        if row is not None:
            self._show_prompts_title(row)
        self._update_buttons()

    def _show_prompts_title(self, row: int) -> None:
        """Title the prompts list with the name of the category in ``row``."""
        self.prompts_title.setText(f"Prompts in “{self.categories.texts()[row]}”")

    def _on_prompts_changed(self) -> None:
        self.message.show_message(None)
        row = self.current_category()
        if row is not None:
            self.categories.set_prompts_of(row, self.prompts.texts())
        self._update_buttons()

    def _update_buttons(self, *_: object) -> None:
        has_category = self.current_category() is not None
        prompt_row = self.prompt_view.currentIndex().row()
        count = self.prompts.rowCount()
        self.rename_category_button.setEnabled(has_category)
        self.remove_category_button.setEnabled(has_category)
        self.add_prompt_button.setEnabled(has_category)
        self.prompt_view.setEnabled(has_category)
        self.edit_prompt_button.setEnabled(prompt_row >= 0)
        self.remove_prompt_button.setEnabled(prompt_row >= 0)
        self.up_button.setEnabled(prompt_row > 0)
        self.down_button.setEnabled(0 <= prompt_row < count - 1)

    # ---- saving, restoring, leaving ------------------------------------------------------

    def save(self) -> bool:
        """Write the deck as shown; on failure say why and stay open with the edits."""
        deck = self.deck()
        try:
            save_deck(self._data_dir, deck)
        except PromptDeckError as exc:
            self._dialogs.error("Prompts not saved", str(exc))
            return False
        self._saved_deck = deck
        self.accept()
        return True

    def restore(self) -> bool:
        """After asking, remove the facilitator's own file: our prompts are used again."""
        if not self._dialogs.confirm("Restore our prompts", RESTORE_QUESTION, "Restore"):
            return False
        try:
            reset_deck(self._data_dir)
        except PromptDeckError as exc:
            self._dialogs.error("Prompts not restored", str(exc))
            return False
        self.accept()
        return True

    def reject(self) -> None:
        if self.has_changes() and not self._dialogs.confirm(
            "Unsaved changes", DISCARD_QUESTION, "Close without saving"
        ):
            return
        super().reject()


def _button(text: str, parent: QWidget, accessible: str) -> QPushButton:
    button = QPushButton(text, parent)
    button.setAccessibleName(accessible)
    button.setToolTip(accessible)
    button.setAutoDefault(False)
    return button


def edit_prompts(data_dir: Path, dialogs: Dialogs, parent: QWidget | None = None) -> bool:
    """Open the prompts editor; True if the deck on disk changed (saved or restored)."""
    dialog = PromptsDialog(data_dir, dialogs, parent)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
