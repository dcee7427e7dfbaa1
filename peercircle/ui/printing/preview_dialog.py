"""See a printout before it goes on paper: its pages, then Print… or Save PDF…."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from peercircle.files import write_atomically
from peercircle.ui.printing.pdf_pages import PdfPages
from peercircle.ui.printing.printer import PdfPrinter

PREVIEW_DPI = 80  # about life size on most screens, and quick to draw
PREVIEW_WIDTH = 680  # pixels: a landscape page is drawn smaller so it fits without scrolling
PDF_FILTER = "PDF documents (*.pdf)"


class Dialogs(Protocol):
    def info(self, title: str, text: str) -> None: ...
    def error(self, title: str, text: str) -> None: ...
    def save_file(self, title: str, suggested: str, name_filter: str) -> Path | None: ...


class PdfPreviewDialog(QDialog):
    """Shows the pages of ``data``; Print… and Save PDF… act on exactly what is shown."""

    def __init__(
        self,
        data: bytes,
        *,
        title: str,
        suggested_name: str,
        dialogs: Dialogs,
        printer: PdfPrinter | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 820)
        self._title = title
        self._suggested = suggested_name
        self._dialogs = dialogs
        self.data = data
        self._printer = printer or PdfPrinter(self, dialogs)
        self.saved_to: Path | None = None

        self.heading = QLabel(title, self)
        self.heading.setObjectName("dialogTitle")
        with PdfPages(data) as pages:
            count = len(pages)
            images = [
                pages.render(
                    index,
                    min(PREVIEW_DPI, PREVIEW_WIDTH * 72 / pages.size_in_points(index)[0]),
                )
                for index in range(count)
            ]
        self.page_count = QLabel(f"{count} page" + ("s" if count != 1 else ""), self)
        self.page_count.setObjectName("hint")
        self.page_labels: list[QLabel] = []
        column = QWidget(self)
        column.setObjectName("previewPages")
        pages_layout = QVBoxLayout(column)
        pages_layout.setSpacing(18)
        pages_layout.setContentsMargins(24, 24, 24, 24)
        for index, image in enumerate(images):
            label = QLabel(column)
            label.setObjectName("previewPage")
            label.setPixmap(QPixmap.fromImage(image))
            label.setAccessibleName(f"Page {index + 1} of {count}")
            pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("previewScroll")
        self.scroll.setWidget(column)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAccessibleName("Pages")

        self.print_button = QPushButton("&Print…", self)
        self.print_button.setObjectName("primaryButton")
        self.save_button = QPushButton("&Save PDF…", self)
        self.close_button = QPushButton("Close", self)
        self.status = QLabel(self)
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.page_count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(buttons)

        self.print_button.clicked.connect(self.print_pdf)
        self.save_button.clicked.connect(self.save_pdf)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_pdf)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_pdf)
        self.print_button.setDefault(True)

    def save_pdf(self) -> Path | None:
        path = self._dialogs.save_file(f"Save {self._title.lower()}", self._suggested, PDF_FILTER)
        if path is None:
            return None
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            write_atomically(path, self.data)
        except OSError as exc:
            self._dialogs.error(
                "Not saved",
                f"The PDF could not be saved to {path}:\n{exc.strerror or exc}.\n\n"
                "Nothing was written there; choose another place and try again.",
            )
            return None
        self.saved_to = path
        self.status.setText(f"Saved to {path}.")
        return path

    def print_pdf(self) -> bool:
        with PdfPages(self.data) as pages:
            printed = self._printer.print_document(pages, self._title)
        if printed:
            self.status.setText("Sent to the printer.")
        return printed
