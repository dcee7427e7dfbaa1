"""The PDF preview: pages shown, Save PDF… written whole, printing or a clear "no printer"."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from peercircle.ui.printing.preview_dialog import PdfPreviewDialog
from peercircle.ui.printing.printer import NO_PRINTER, PdfPrinter


def _pdf(pages: int) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for n in range(1, pages + 1):
        c.setFont("Helvetica", 28)
        c.drawString(72, 720, f"Sample page {n}")
        c.showPage()
    c.save()
    return out.getvalue()


@pytest.fixture
def preview(qtbot, dialogs):  # type: ignore[no-untyped-def]
    printer = PdfPrinter(None, dialogs, printers=lambda: [])
    dialog = PdfPreviewDialog(
        _pdf(3),
        title="Sign-in sheet",
        suggested_name="Sign-in sheet.pdf",
        dialogs=dialogs,
        printer=printer,
    )
    qtbot.addWidget(dialog)
    return dialog


def test_every_page_is_shown(preview: PdfPreviewDialog) -> None:
    assert preview.page_count.text() == "3 pages"
    assert len(preview.page_labels) == 3
    first = preview.page_labels[0].pixmap().toImage()
    # A4 at the preview's 80 dpi, and not a blank page.
    assert (first.width(), first.height()) == (662, 936)
    assert len({first.pixel(x, y) for x in range(60, 400) for y in range(110, 140)}) > 1
    assert preview.page_labels[2].accessibleName() == "Page 3 of 3"


def test_save_pdf_writes_the_document_whole(
    preview: PdfPreviewDialog, dialogs, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    dialogs.save_path = tmp_path / "sheet"  # the .pdf ending is added
    saved = preview.save_pdf()
    assert saved == tmp_path / "sheet.pdf"
    assert len(PdfReader(saved).pages) == 3
    assert "Saved to" in preview.status.text()
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.pdf"]  # no temporary file left


def test_a_full_disk_is_explained_and_leaves_nothing(
    preview: PdfPreviewDialog, dialogs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    dialogs.save_path = tmp_path / "sheet.pdf"
    assert preview.save_pdf() is None
    assert "No space left on device" in dialogs.errors[0][1]
    assert list(tmp_path.iterdir()) == []


def test_save_into_a_missing_folder_leaves_nothing(
    preview: PdfPreviewDialog, dialogs, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    dialogs.save_path = tmp_path / "gone" / "sheet.pdf"
    assert preview.save_pdf() is None
    assert "Nothing was written" in dialogs.errors[0][1]
    assert not (tmp_path / "gone").exists()


def test_no_printer_is_a_clear_message(preview: PdfPreviewDialog, dialogs) -> None:  # type: ignore[no-untyped-def]
    assert preview.print_pdf() is False
    assert dialogs.infos == [("No printer", NO_PRINTER)]


def test_pages_are_drawn_onto_the_printer(dialogs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from peercircle.ui.printing.pdf_pages import PdfPages

    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    with PdfPages(_pdf(2)) as pages:
        assert PdfPrinter(None, dialogs).print_to(printer, pages)
    assert len(PdfReader(out).pages) == 2
    assert dialogs.errors == []


def test_a_landscape_page_fits_without_scrolling_sideways(qtbot, dialogs) -> None:  # type: ignore[no-untyped-def]
    from reportlab.lib.pagesizes import landscape

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=landscape(A4))
    c.drawString(72, 500, "Attendance")
    c.showPage()
    c.save()
    dialog = PdfPreviewDialog(
        out.getvalue(), title="Attendance report", suggested_name="a.pdf", dialogs=dialogs
    )
    qtbot.addWidget(dialog)
    image = dialog.page_labels[0].pixmap().toImage()
    assert 670 <= image.width() <= 680
    assert image.width() > image.height()
