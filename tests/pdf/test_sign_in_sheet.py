"""The sign-in sheet: names in every script, one page for a typical group, clean flow for a
large one, initials only, and nothing but names."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pdf_helpers import SCRIPT_NAMES, ink_fraction, page_texts, render_pages
from pypdf import PdfReader
from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import fp_str

from peercircle.pdf.fonts import MISSING_COLOR, MISSING_MARKER, missing_glyphs
from peercircle.pdf.page import PaperSize, PdfWriteError
from peercircle.pdf.sign_in import SignInSheet, build_sign_in, first_name_and_initial

GENERATED = dt.date(2026, 11, 24)


def _sheet(names: tuple[str, ...], **changes: object) -> SignInSheet:
    sheet = SignInSheet(
        group_name="Thursday Evening Circle",
        meeting_date=dt.date(2026, 11, 26),
        starts_at=dt.time(18, 30),
        place="Riverside Community Hall, Room 2",
        names=names,
    )
    return dataclasses.replace(sheet, **changes)  # type: ignore[arg-type]


def _many(count: int) -> tuple[str, ...]:
    first = ["Ágnes", "Łucja", "Ольга", "Ελένη", "Søren", "Zoë", "Chidi", "Mai"]
    return tuple(f"{first[i % len(first)]} Member{i + 1:03d}" for i in range(count))


def _build(tmp_path: Path, sheet: SignInSheet) -> tuple[int, list[str]]:
    target = tmp_path / "sign-in.pdf"
    pages = build_sign_in(sheet, target, generated_on=GENERATED)
    return pages, page_texts(target)


def test_names_in_every_script_print(tmp_path: Path) -> None:
    pages, texts = _build(tmp_path, _sheet(SCRIPT_NAMES))
    assert pages == 1
    for name in SCRIPT_NAMES:
        assert name in texts[0], name
    assert MISSING_MARKER not in texts[0]


def test_a_character_no_font_has_prints_as_a_coloured_marker(tmp_path: Path) -> None:
    name = "Kai \U00010000 Linear"
    assert missing_glyphs(name) == {"\U00010000"}
    target = tmp_path / "sign-in.pdf"
    build_sign_in(_sheet((name,)), target, generated_on=GENERATED)
    assert f"Kai {MISSING_MARKER} Linear" in page_texts(target)[0]
    content = PdfReader(target).pages[0].get_contents()
    assert content is not None
    red, green, blue = HexColor(MISSING_COLOR).rgb()
    assert f"{fp_str(red, green, blue)} rg".encode() in content.get_data()


def test_names_keep_the_order_given(tmp_path: Path) -> None:
    _, texts = _build(tmp_path, _sheet(SCRIPT_NAMES))
    positions = [texts[0].index(name) for name in SCRIPT_NAMES]
    assert positions == sorted(positions)


def test_the_heading_shows_group_date_time_and_place(tmp_path: Path) -> None:
    _, texts = _build(tmp_path, _sheet(("Ágnes Kovács",)))
    text = texts[0]
    for expected in [
        "Sign-in sheet",
        "Thursday Evening Circle",
        "Thursday 26 November 2026",
        "18:30",
        "Riverside Community Hall, Room 2",
        "Page 1 of 1 · Generated 24 Nov 2026",
    ]:
        assert expected in text
    assert re.search(r"#\s*Name\s*Tick\s*Signature", text)


def test_without_time_or_place_those_labels_are_left_out(tmp_path: Path) -> None:
    _, texts = _build(tmp_path, _sheet(("Ágnes Kovács",), starts_at=None, place="  "))
    assert "STARTS" not in texts[0] and "PLACE" not in texts[0]
    assert "Thursday 26 November 2026" in texts[0]


def test_blank_rows_follow_the_names_for_newcomers(tmp_path: Path) -> None:
    _, texts = _build(tmp_path, _sheet(("Ágnes Kovács", "Ольга Петрова"), blank_rows=4))
    numbers = re.findall(r"^\s*(\d+)\s*$", texts[0], re.M)
    assert numbers == ["1", "2", "3", "4", "5", "6"]
    _, texts = _build(tmp_path, _sheet(("Ágnes Kovács", "Ольга Петрова"), blank_rows=0))
    assert re.findall(r"^\s*(\d+)\s*$", texts[0], re.M) == ["1", "2"]


@pytest.mark.parametrize("paper", [PaperSize.A4, PaperSize.LETTER])
def test_a_typical_group_fits_one_page(tmp_path: Path, paper: PaperSize) -> None:
    pages, texts = _build(tmp_path, _sheet(_many(25), paper=paper))
    assert pages == 1
    assert "Member025" in texts[0]
    assert re.findall(r"^\s*(\d+)\s*$", texts[0], re.M)[-1] == "31"  # 25 names + 6 blank rows


def test_the_paper_size_is_the_sheets(tmp_path: Path) -> None:
    target = tmp_path / "letter.pdf"
    build_sign_in(_sheet(_many(3), paper=PaperSize.LETTER), target, generated_on=GENERATED)
    box = PdfReader(target).pages[0].mediabox
    assert (float(box.width), float(box.height)) == (612.0, 792.0)


def test_a_large_group_flows_onto_pages_each_with_header_row_and_footer(
    tmp_path: Path,
) -> None:
    names = _many(300)
    pages, texts = _build(tmp_path, _sheet(names))
    assert pages == len(texts) > 5
    for number, text in enumerate(texts, start=1):
        assert re.search(r"#\s*Name\s*Tick\s*Signature", text), number
        assert "Thursday Evening Circle" in text
        assert f"Page {number} of {pages} · Generated 24 Nov 2026" in text
    found = [m for text in texts for m in re.findall(r"Member\d{3}", text)]
    assert found == [f"Member{i:03d}" for i in range(1, 301)]
    # The last page carries more than a stray row or two.
    last_numbers = re.findall(r"^\s*(\d+)\s*$", texts[-1], re.M)
    assert last_numbers[-1] == "306"
    assert len(last_numbers) >= 5


def test_initials_only_shows_first_name_and_initial(tmp_path: Path) -> None:
    names = ("Ágnes Kovács", "Nguyễn Văn An", "Ольга Петрова", "さくら", "Søren")
    _, texts = _build(tmp_path, _sheet(names, initials_only=True))
    text = texts[0]
    for shown in ["Ágnes K.", "Nguyễn A.", "Ольга П.", "さくら", "Søren"]:
        assert shown in text
    for hidden in ["Kovács", "Văn", "Петрова"]:
        assert hidden not in text


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Ágnes Kovács", "Ágnes K."),
        ("  Ágnes   Kovács  ", "Ágnes K."),
        ("Ágnes", "Ágnes"),
        ("王秀英", "王秀英"),
        ("Jan van der berg", "Jan B."),
        ("Zoë E\u0301tienne", "Zoë É."),
        ("", ""),
    ],
)
def test_first_name_and_initial(name: str, short: str) -> None:
    assert first_name_and_initial(name) == short


def test_a_very_long_name_stays_inside_its_row(tmp_path: Path) -> None:
    long_name = "Maria Fernanda de los Ángeles Rodríguez-Villanueva y Castellanos Montenegro"
    pages, texts = _build(tmp_path, _sheet(("Ágnes Kovács", long_name)))
    assert pages == 1
    assert "Rodríguez-Villanueva" in texts[0]


def test_the_sheet_holds_names_and_nothing_else_about_a_member() -> None:
    assert [f.name for f in dataclasses.fields(SignInSheet)] == [
        "group_name",
        "meeting_date",
        "starts_at",
        "place",
        "names",
        "initials_only",
        "blank_rows",
        "paper",
    ]


def test_writes_to_an_open_binary_file() -> None:
    buffer = io.BytesIO()
    assert build_sign_in(_sheet(SCRIPT_NAMES), buffer, generated_on=GENERATED) == 1
    assert buffer.getvalue().startswith(b"%PDF-")


def test_a_failing_write_raises_and_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "sign-in.pdf"
    with pytest.raises(PdfWriteError):
        build_sign_in(_sheet(SCRIPT_NAMES), target, generated_on=GENERATED)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_pages_render_and_are_not_blank(tmp_path: Path) -> None:
    target = tmp_path / "sign-in.pdf"
    pages = build_sign_in(_sheet(_many(40)), target, generated_on=GENERATED)
    pngs = render_pages(target, tmp_path)
    assert len(pngs) == pages == 2
    for png in pngs:
        assert 0.005 < ink_fraction(png) < 0.3, png.name
