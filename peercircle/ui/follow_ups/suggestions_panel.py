"""The Suggestions panel of the Follow-ups screen: who may need a check-in (from attendance
and round flags), with “Add follow-up…” and “Dismiss”. The screen does the work; this is
the panel, its list and its buttons."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from peercircle.services.notes_types import Suggestion
from peercircle.ui.follow_ups.follow_up_model import SuggestionListModel, SuggestionRole

NO_SUGGESTIONS = "No suggestions right now."
ROWS_SHOWN = 4
"""The list grows with its suggestions up to this many rows, then scrolls."""


class SuggestionsPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionsPanel")
        self.title = QLabel("Suggestions", self)
        self.title.setObjectName("suggestionsTitle")
        self.hint = QLabel(
            "From attendance and round flags. Add a follow-up, or dismiss what is not needed.",
            self,
        )
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.model = SuggestionListModel(self)
        self.list = QListView(self)
        self.list.setObjectName("suggestionList")
        self.list.setAccessibleName("Suggestions")
        self.list.setModel(self.model)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setUniformItemSizes(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.empty = QLabel(NO_SUGGESTIONS, self)
        self.empty.setObjectName("hint")
        self.accept_button = QPushButton("&Add follow-up…", self)
        self.accept_button.setAccessibleName("Add a follow-up from the selected suggestion")
        self.dismiss_button = QPushButton("D&ismiss", self)
        self.dismiss_button.setAccessibleName("Dismiss the selected suggestion")

        buttons = QHBoxLayout()
        buttons.addWidget(self.empty)
        buttons.addStretch(1)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.dismiss_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

        self.list.selectionModel().selectionChanged.connect(
            lambda _selected, _deselected: self._update_buttons()
        )
        self._update()

    def set_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        """Show ``suggestions``, keeping the selected one selected if it is still there."""
        keep = self.selected()
        self.model.set_suggestions(suggestions)
        if keep is not None:
            self.select(keep)
        self._update()

    def clear(self) -> None:
        self.model.clear()
        self._update()

    def selected(self) -> Suggestion | None:
        rows = self.list.selectionModel().selectedRows(0)
        suggestion = rows[0].data(SuggestionRole) if rows else None
        return suggestion if isinstance(suggestion, Suggestion) else None

    def select(self, suggestion: Suggestion) -> bool:
        rows = self.model.suggestions()
        if suggestion not in rows:
            return False
        self.list.selectionModel().setCurrentIndex(
            self.model.index(rows.index(suggestion)),
            QItemSelectionModel.SelectionFlag.ClearAndSelect,
        )
        return True

    def select_row(self, row: int) -> None:
        """Select the suggestion at ``row``, or the last one if there are fewer."""
        count = self.model.rowCount()
        if count:
            self.select(self.model.suggestion_at(min(row, count - 1)))

    def _update(self) -> None:
        count = self.model.rowCount()
        self._fit_list(count)
        self.list.setVisible(count > 0)
        self.empty.setVisible(count == 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.accept_button.setEnabled(chosen)
        self.dismiss_button.setEnabled(chosen)

    def _fit_list(self, count: int) -> None:
        # Tall enough for the suggestions, up to a few: the due list above keeps the room.
        rows = min(max(count, 1), ROWS_SHOWN)
        row_height = self.list.sizeHintForRow(0) if count else -1
        if row_height <= 0:
            row_height = self.list.fontMetrics().height() + 8
        self.list.setFixedHeight(rows * row_height + 2 * self.list.frameWidth() + 6)
