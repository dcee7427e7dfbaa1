"""Sending a PDF to a printer through the system print dialog, or saying clearly why not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QWidget

from peercircle.ui.printing.pdf_pages import PdfPages

MAX_PRINT_DPI = 300  # sharp on paper; more only makes the print job slower and larger

NO_PRINTER = (
    "No printer is set up on this computer.\n\n"
    "Use “Save PDF…” and print the file from another computer, or set up a printer in "
    "your system settings and try again."
)


class Dialogs(Protocol):
    def info(self, title: str, text: str) -> None: ...
    def error(self, title: str, text: str) -> None: ...


def available_printers() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


class PdfPrinter:
    """Prints PDF pages: asks with the system print dialog, then draws each page."""

    def __init__(
        self,
        parent: QWidget | None,
        dialogs: Dialogs,
        *,
        printers: Callable[[], list[str]] = available_printers,
    ) -> None:
        self._parent = parent
        self._dialogs = dialogs
        self._printers = printers

    def print_document(self, pages: PdfPages, title: str) -> bool:
        """Ask where and how to print, then print; False if nothing was printed."""
        if not self._printers():
            self._dialogs.info("No printer", NO_PRINTER)
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        dialog = QPrintDialog(printer, self._parent)
        dialog.setWindowTitle(f"Print {title.lower()}")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.print_to(printer, pages)

    def print_to(self, printer: QPrinter, pages: PdfPages) -> bool:
        """Draw every page onto ``printer`` (already set up), scaled to fit its page."""
        printer.setFullPage(True)
        painter = QPainter()
        if not painter.begin(printer):
            self._dialogs.error(
                "Could not print",
                "The printer could not be started. Check that it is switched on and "
                "connected, or use “Save PDF…” instead.",
            )
            return False
        try:
            dpi = min(printer.resolution(), MAX_PRINT_DPI)
            for index in range(len(pages)):
                if index and not printer.newPage():
                    raise OSError("the printer refused a new page")
                image = pages.render(index, dpi)
                area = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
                size = (
                    image.size().toSizeF().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                )
                target = QRectF(area.topLeft(), size)
                target.moveCenter(area.center())
                painter.drawImage(target, image)
        except OSError as exc:
            painter.end()
            self._dialogs.error("Printing stopped", f"Printing stopped: {exc}.")
            return False
        painter.end()
        return True
