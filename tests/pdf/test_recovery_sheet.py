"""The recovery-code printout: the code, its date and plain instructions — nothing else."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import pypdf
import pytest
from pdf_helpers import dark_pixels, lines_of, render_pages

from peercircle.pdf.page import PageSetup, PaperSize
from peercircle.pdf.recovery_sheet import (
    RecoverySheet,
    build_recovery_sheet,
    code_lines,
    recovery_page_setup,
)
from peercircle.services.vault_crypto import new_recovery_code, normalise_recovery_code

CREATED = dt.date(2026, 11, 24)
CODE = "MMXD-L6PM-SLXP-BFK5-ZAZW-KMD2-WCSX-F4VM"


def _build(sheet: RecoverySheet, setup: PageSetup | None = None) -> tuple[int, bytes]:
    buffer = io.BytesIO()
    pages = build_recovery_sheet(sheet, buffer, setup)
    return pages, buffer.getvalue()


def test_one_page_with_the_code_the_date_and_the_instructions() -> None:
    pages, data = _build(RecoverySheet(CODE, CREATED))
    assert pages == 1
    lines = lines_of(data)
    text = " ".join(lines)
    assert lines[0] == "PeerCircle recovery code"
    assert "Made on Tuesday 24 November 2026" in lines
    assert "MMXD-L6PM-SLXP-BFK5" in lines
    assert "ZAZW-KMD2-WCSX-F4VM" in lines
    for words in (
        "somewhere safe and private, away from the laptop",
        "Anyone who has this code and a copy of this computer's PeerCircle data can read your "
        "private notes.",
        "Private → Unlock Private Notes…",
        "“I have forgotten my passphrase…”",
        "Capitals, spaces and dashes do not matter.",
        "there is no zero or one",
        "Without your passphrase and without this code, nobody can read your notes",
    ):
        assert words in text, words
    assert "Page 1 of 1 · Generated 24 Nov 2026" in lines


def test_the_code_as_printed_is_the_code() -> None:
    code = new_recovery_code()
    _, data = _build(RecoverySheet(code, CREATED))
    printed = [line for line in lines_of(data) if line in code_lines(code)]
    assert len(printed) == 2
    assert normalise_recovery_code(" ".join(printed)) == normalise_recovery_code(code)


def test_the_code_is_set_large_in_a_fixed_width_font() -> None:
    _, data = _build(RecoverySheet(CODE, CREATED))
    found: list[tuple[str, float]] = []

    def visit(text: str, cm: object, tm: list[float], font: object, size: float) -> None:
        if "MMXD" in text and isinstance(font, dict):
            found.append((str(font.get("/BaseFont")), round(size * tm[0], 1)))

    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    assert found == [("/Courier-Bold", 25.0)]


def test_nothing_private_or_about_a_group_is_on_it() -> None:
    assert [f.name for f in dataclasses.fields(RecoverySheet)] == ["code", "created"]
    setup = recovery_page_setup(RecoverySheet(CODE, CREATED), PaperSize.LETTER)
    assert setup.group_name == "PeerCircle"
    assert setup.title == "Recovery code"
    assert setup.paper is PaperSize.LETTER


def test_letter_paper_and_a_path(tmp_path: Path) -> None:
    sheet = RecoverySheet(CODE, CREATED)
    target = tmp_path / "code.pdf"
    assert build_recovery_sheet(sheet, target, recovery_page_setup(sheet, PaperSize.LETTER)) == 1
    box = pypdf.PdfReader(target).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert [p.name for p in tmp_path.iterdir()] == ["code.pdf"]


@pytest.mark.parametrize(
    ("code", "lines"),
    [
        (CODE, ("MMXD-L6PM-SLXP-BFK5", "ZAZW-KMD2-WCSX-F4VM")),
        ("ABCD-EFGH", ("ABCD-EFGH",)),
        (" ABCD-EFGH-IJKL-MNOP-QRST ", ("ABCD-EFGH-IJKL-MNOP", "QRST")),
    ],
)
def test_code_lines(code: str, lines: tuple[str, ...]) -> None:
    assert code_lines(code) == lines


def test_the_sheet_renders_and_is_not_blank(tmp_path: Path) -> None:
    _, data = _build(RecoverySheet(CODE, CREATED))
    pdf = tmp_path / "recovery.pdf"
    pdf.write_bytes(data)
    (image,) = render_pages(pdf, tmp_path)
    assert dark_pixels(image) > 500
