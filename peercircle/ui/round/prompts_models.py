"""The lists behind Facilitator Prompts: editable Qt list models and the list view they sit in.

``TextListModel`` holds one-line texts edited in place; ``CategoryListModel`` holds the deck's
categories, each keeping its prompts; ``EditableListView`` edits them with the keyboard.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from peercircle.services.prompts import PromptCategory, PromptDeck, clean_name, name_problem

_Index = QModelIndex | QPersistentModelIndex


class TextListModel(QAbstractListModel):
    """An editable list of one-line texts for a QListView: edited in place, added, removed
    and moved. An edit is tidied with ``clean`` and refused (with ``edit_refused``) when
    ``check(text, row)`` has something to say about it.

    Signals:
        changed(): the texts changed (an edit, an addition, a removal or a move).
        edit_refused(str): an edit was not taken, and why.
    """

    changed = Signal()
    edit_refused = Signal(str)

    def __init__(
        self,
        clean: Callable[[str], str],
        check: Callable[[str, int], str | None],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._clean = clean
        self._check = check
        self._texts: list[str] = []

    def texts(self) -> list[str]:
        return list(self._texts)

    def set_texts(self, texts: list[str]) -> None:
        self.beginResetModel()
        self._texts = list(texts)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._texts)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._texts):
            return None
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return self._texts[index.row()]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEditable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def setData(  # noqa: N802
        self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or not 0 <= index.row() < len(self._texts)
        ):
            return False
        row = index.row()
        text = self._clean(str(value))
        problem = self._check(text, row)
        if problem:
            self.edit_refused.emit(problem)
            return False
        if text != self._texts[row]:
            self._texts[row] = text
            self.dataChanged.emit(index, index)
            self.changed.emit()
        return True

    def insert_text(self, row: int, text: str) -> QModelIndex:
        """Put ``text`` (already fine) in at ``row``; returns its index."""
        row = max(0, min(row, len(self._texts)))
        self.beginInsertRows(QModelIndex(), row, row)
        self._texts.insert(row, text)
        self._inserted(row)
        self.endInsertRows()
        self.changed.emit()
        return self.index(row)

    def remove_text(self, row: int) -> str:
        self.beginRemoveRows(QModelIndex(), row, row)
        text = self._texts.pop(row)
        self._removed(row)
        self.endRemoveRows()
        self.changed.emit()
        return text

    def move_text(self, row: int, to_row: int) -> bool:
        """Move the text at ``row`` so that it ends up at ``to_row``."""
        size = len(self._texts)
        if not (0 <= row < size and 0 <= to_row < size) or row == to_row:
            return False
        destination = to_row + 1 if to_row > row else to_row
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._texts.insert(to_row, self._texts.pop(row))
        self._moved(row, to_row)
        self.endMoveRows()
        self.changed.emit()
        return True

    # Hooks for a subclass that keeps something beside each text.
    def _inserted(self, row: int) -> None:
        pass

    def _removed(self, row: int) -> None:
        pass

    def _moved(self, row: int, to_row: int) -> None:
        pass


class CategoryListModel(TextListModel):
    """The deck's categories by name, each keeping its list of prompts. Names are unique
    (whatever their case)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(clean_name, self._name_problem, parent)
        self._prompts: list[list[str]] = []

    def set_deck(self, deck: PromptDeck) -> None:
        self.beginResetModel()
        self._texts = [c.name for c in deck.categories]
        self._prompts = [list(c.prompts) for c in deck.categories]
        self.endResetModel()

    def deck(self) -> PromptDeck:
        return PromptDeck(
            tuple(
                PromptCategory(name, tuple(prompts))
                for name, prompts in zip(self._texts, self._prompts, strict=True)
            )
        )

    def prompts_of(self, row: int) -> list[str]:
        return list(self._prompts[row])

    def set_prompts_of(self, row: int, prompts: list[str]) -> None:
        self._prompts[row] = list(prompts)

    def add_category(self, row: int, name: str, prompts: list[str] | None = None) -> QModelIndex:
        """A category called ``name`` (or, if that is taken, "name 2" and so on)."""
        taken = {t.casefold() for t in self._texts}
        unique, number = name, 2
        while unique.casefold() in taken:
            unique, number = f"{name} {number}", number + 1
        index = self.insert_text(row, unique)
        self._prompts[index.row()] = list(prompts or [])
        return index

    def set_texts(self, texts: list[str]) -> None:
        self.set_deck(PromptDeck(tuple(PromptCategory(t, ()) for t in texts)))

    def _name_problem(self, name: str, row: int) -> str | None:
        problem = name_problem(name)
        if problem:
            return problem
        others = (t.casefold() for i, t in enumerate(self._texts) if i != row)
        if name.casefold() in others:
            return f"There is already a category called “{name}”."
        return None

    def _inserted(self, row: int) -> None:
        self._prompts.insert(row, [])

    def _removed(self, row: int) -> None:
        del self._prompts[row]

    def _moved(self, row: int, to_row: int) -> None:
        self._prompts.insert(to_row, self._prompts.pop(row))


class _EditorDelegate(QStyledItemDelegate):
    """Edits in a line field at least as tall as it wants to be, over the row."""

    def updateEditorGeometry(  # noqa: N802
        self, editor: QWidget, option: QStyleOptionViewItem, index: _Index
    ) -> None:
        rect = QRect(option.rect)
        height = max(rect.height(), editor.sizeHint().height())
        rect.setTop(rect.center().y() - height // 2)
        rect.setHeight(height)
        editor.setGeometry(rect)


class EditableListView(QListView):
    """A list edited in place (double-click, F2 or Enter), with Alt+Up/Down to move the
    current row and Delete to remove it.

    Signals:
        move_requested(int row, int to_row): Alt+Up / Alt+Down on a row.
        remove_requested(int row): Delete on a row.
    """

    move_requested = Signal(int, int)
    remove_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setItemDelegate(_EditorDelegate(self))
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        index = self.currentIndex()
        key, alt = event.key(), event.modifiers() & Qt.KeyboardModifier.AltModifier
        if not index.isValid() or self.state() == QAbstractItemView.State.EditingState:
            super().keyPressEvent(event)
        elif alt and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            row = index.row()
            self.move_requested.emit(row, row - 1 if key == Qt.Key.Key_Up else row + 1)
        elif key == Qt.Key.Key_Delete:
            self.remove_requested.emit(index.row())
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit(index)  # not the dialog's buttons: Enter on a row edits it
        else:
            super().keyPressEvent(event)
