"""The presenter view: the circle, large and high-contrast, for a projector or a TV.

It is given only ``CircleScene`` values (names, states and the countdown), never a round
snapshot, so nothing private — statistics, flags, contact details — can reach the screen
the whole room sees.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFont,
    QGuiApplication,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QScreen,
)
from PySide6.QtWidgets import QVBoxLayout, QWidget

from peercircle.services.round_engine import Phase
from peercircle.ui.round.circle_view import PRESENTER_COLOURS, CircleMode, CircleScene, CircleView

WINDOWED_SIZE = QSize(1024, 600)


class NextLine(QWidget):
    """One big line under the circle: "Next: Samir". Painted, so it scales with the window
    whatever the stylesheet's font size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("presenterNext")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._text = ""
        self._font = QFont(self.font())

    @property
    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.setAccessibleName(text)
            self.update()

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        font = QFont(self.font())
        font.setPixelSize(max(12, round(self.height() * 0.5)))
        font.setWeight(QFont.Weight.Medium)
        self._font = font

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), PRESENTER_COLOURS.background)
        if self._text:
            p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            p.setFont(self._font)
            p.setPen(QColor(PRESENTER_COLOURS.next_edge))
            p.drawText(QRectF(self.rect()), int(Qt.AlignmentFlag.AlignCenter), self._text)
        p.end()


class PresenterWindow(QWidget):
    """A separate top-level window with the circle in presenter mode.

    F11 toggles full screen; Esc leaves full screen, or closes the window when it is not
    full screen. Other keys are left to shortcuts the round window installs here.

    Signals:
        closed(): the window was closed (it is only hidden and can be shown again).
    """

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("presenterWindow")
        self.setWindowTitle("Sharing round — presenter view")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.circle = CircleView(CircleMode.PRESENTER, self)
        self.next_line = NextLine(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.circle, 1)
        layout.addWidget(self.next_line)
        self.resize(WINDOWED_SIZE)

    def set_scene(self, scene: CircleScene) -> None:
        self.circle.set_scene(scene)
        name = scene.next_name if scene.phase is not Phase.FINISHED else None
        self.next_line.set_text(f"Next: {name}" if name else "")

    def drawn_texts(self) -> list[str]:
        """Every text this window shows."""
        texts = self.circle.drawn_texts()
        return [*texts, self.next_line.text] if self.next_line.text else texts

    def show_on(self, screen: QScreen | None, *, full_screen: bool) -> None:
        """Show on ``screen`` (default: where it is), full screen or as a normal window."""
        if screen is not None:
            self.setScreen(screen)
            area = screen.availableGeometry()
            if full_screen:
                self.setGeometry(screen.geometry())
            else:
                size = WINDOWED_SIZE.boundedTo(area.size())
                self.resize(size)
                self.move(area.center() - self.rect().center())
        if full_screen:
            self.showFullScreen()
        else:
            self.showNormal()
        self._update_cursor()
        self.raise_()
        self.activateWindow()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        self._update_cursor()

    def _update_cursor(self) -> None:
        # No pointer drifting over the projected picture; it comes back in a window.
        if self.isFullScreen():
            self.setCursor(Qt.CursorShape.BlankCursor)
        else:
            self.unsetCursor()

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        self.next_line.setFixedHeight(max(28, round(self.height() * 0.085)))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key.Key_F11:
            self.toggle_full_screen()
        elif key == Qt.Key.Key_Escape:
            if self.isFullScreen():
                self.showNormal()
                self._update_cursor()
            else:
                self.close()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit()


def other_screen(current: QScreen | None) -> QScreen | None:
    """A screen other than ``current`` (for the projector), or None with only one."""
    screens = QGuiApplication.screens()
    if len(screens) < 2:
        return None
    return next((s for s in screens if s is not current), None)
