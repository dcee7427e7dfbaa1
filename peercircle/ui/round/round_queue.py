"""The line of people in the round window: who is still to speak, and who passed.

``RoundQueueModel`` mirrors a line from the round's snapshot; ``QueueView`` shows it and turns
drags, Alt+Up/Down and Enter into requests that the round window passes to the round.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from peercircle.services.round_engine import Speaker

_Index = QModelIndex | QPersistentModelIndex
KeyRole = Qt.ItemDataRole.UserRole + 1


class RoundQueueModel(QAbstractListModel):
    """People in a line (still to speak, or passed), for a QListView.

    Dragging a row calls ``moveRows``: the row moves here and ``on_move(key, index)`` asks
    the round to do the same. Custom role: ``KeyRole`` (the speaker's key).
    """

    def __init__(
        self, on_move: Callable[[str, int], None] | None = None, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._speakers: list[Speaker] = []
        self._on_move = on_move

    def set_speakers(self, speakers: Sequence[Speaker]) -> bool:
        """Show these people; returns whether anything changed."""
        if list(speakers) == self._speakers:
            return False
        self.beginResetModel()
        self._speakers = list(speakers)
        self.endResetModel()
        return True

    def speaker_at(self, row: int) -> Speaker:
        return self._speakers[row]

    def row_of(self, key: str) -> int | None:
        return next((i for i, s in enumerate(self._speakers) if s.key == key), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._speakers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._speakers):
            return None
        speaker = self._speakers[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return speaker.name
        if role == KeyRole:
            return speaker.key
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if self._on_move else Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsDragEnabled if self._on_move else flags

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def moveRows(  # noqa: N802
        self,
        source_parent: _Index,
        source_row: int,
        count: int,
        destination_parent: _Index,
        destination_child: int,
    ) -> bool:
        size = len(self._speakers)
        if (
            self._on_move is None
            or count != 1
            or source_parent.isValid()
            or destination_parent.isValid()
            or not 0 <= source_row < size
            or not 0 <= destination_child <= size
            or destination_child in (source_row, source_row + 1)
        ):
            return False
        final = destination_child - 1 if destination_child > source_row else destination_child
        self.beginMoveRows(QModelIndex(), source_row, source_row, QModelIndex(), destination_child)
        speaker = self._speakers.pop(source_row)
        self._speakers.insert(final, speaker)
        self.endMoveRows()
        self._on_move(speaker.key, final)
        return True


class QueueView(QListView):
    """The line of people: Enter picks who speaks next, Alt+Up/Down moves someone.

    Signals:
        chosen(int row): Enter/Return or a double-click on a row.
        move_requested(int row, int to_row): Alt+Up / Alt+Down on a row.
    """

    chosen = Signal(int)
    move_requested = Signal(int, int)

    def __init__(self, movable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        if movable:
            self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
            self.setDefaultDropAction(Qt.DropAction.MoveAction)
            self.setDropIndicatorShown(True)
        self.doubleClicked.connect(lambda index: self.chosen.emit(index.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        row = self.currentIndex().row()
        key, alt = event.key(), event.modifiers() & Qt.KeyboardModifier.AltModifier
        if row >= 0 and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.chosen.emit(row)
        elif row >= 0 and alt and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_requested.emit(row, row - 1 if key == Qt.Key.Key_Up else row + 1)
        else:
            super().keyPressEvent(event)
