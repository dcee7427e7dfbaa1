"""Four segments — Present, Late, Excused, Absent — so one click marks a member."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from peercircle.domain import AttendanceStatus
from peercircle.ui.meetings.check_in_model import STATUS_LABELS, StatusRole

ORDER = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
)
# Calm colours that keep white text readable; absence is grey, never an alarming red.
COLOURS = {
    AttendanceStatus.PRESENT: QColor("#2f7d6d"),
    AttendanceStatus.LATE: QColor("#9a6a12"),
    AttendanceStatus.EXCUSED: QColor("#4f6485"),
    AttendanceStatus.ABSENT: QColor("#6b7078"),
}
SEGMENT_WIDTH = 68
GAP = 4
STATUS_COLUMN_WIDTH = len(ORDER) * (SEGMENT_WIDTH + GAP) + 12

Index = QModelIndex | QPersistentModelIndex


def segment_rects(option_rect: Any) -> list[tuple[AttendanceStatus, QRectF]]:
    """Where each status's segment is drawn inside a cell."""
    height = min(28, option_rect.height() - 6)
    top = option_rect.top() + (option_rect.height() - height) / 2
    left = option_rect.left() + 6
    return [
        (status, QRectF(left + i * (SEGMENT_WIDTH + GAP), top, SEGMENT_WIDTH, height))
        for i, status in enumerate(ORDER)
    ]


class StatusDelegate(QStyledItemDelegate):
    """Paints the attendance cell as four segments and sets the mark on a click.

    Clicking the segment already chosen clears the mark again.
    """

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        # Draw the row's background (selection, alternating colour) without the text.
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        current = index.data(StatusRole)
        palette = option.palette
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for status, rect in segment_rects(option.rect):
            chosen = status == current
            if chosen:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(COLOURS[status])
            else:
                painter.setPen(palette.color(QPalette.ColorRole.Mid))
                painter.setBrush(palette.color(QPalette.ColorRole.Base))
            painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
            font = painter.font()
            font.setBold(chosen)
            painter.setFont(font)
            painter.setPen(
                QColor("white") if chosen else palette.color(QPalette.ColorRole.PlaceholderText)
            )
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, STATUS_LABELS[status])
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(STATUS_COLUMN_WIDTH, 36)

    def createEditor(self, *args: object) -> None:  # type: ignore[override]
        return None  # marks are set with a click or a key, never with a text editor

    def editorEvent(
        self, event: QEvent, model: Any, option: QStyleOptionViewItem, index: Index
    ) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
        ):
            for status, rect in segment_rects(option.rect):
                if rect.contains(event.position()):
                    current = index.data(StatusRole)
                    model.setData(index, None if status == current else status, StatusRole)
                    return True
        return super().editorEvent(event, model, option, index)
