"""The group agreements card: one page, each agreement on its own line, as large as fits."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pypdf
import pytest
from pdf_helpers import dark_pixels, lines_of, render_pages

from peercircle.pdf.agreements_card import (
    AgreementsCard,
    NoAgreementsError,
    agreement_lines,
    build_agreements_card,
)
from peercircle.pdf.page import PaperSize

GENERATED = dt.date(2026, 11, 24)
GROUP = "Thursday Carers' Circle"
SCHEDULE = "Thursdays 19:00 · Maple Street Community Hall (side door)"
AGREEMENTS = (
    "What is shared here stays here.\n"
    "We listen to understand, not to fix.\n"
    "Ό,τι λέγεται εδώ, μένει εδώ.\n"
    "Мы слушаем, чтобы понять.\n"
    "Chúng ta lắng nghe nhau.\n"
    "It is always okay to pass."
)


def _card(**changes: Any) -> AgreementsCard:
    card = AgreementsCard(GROUP, AGREEMENTS, SCHEDULE, PaperSize.A4)
    return dataclasses.replace(card, **changes)


def _build(card: AgreementsCard) -> tuple[int, bytes]:
    buffer = io.BytesIO()
    pages = build_agreements_card(card, buffer, generated_on=GENERATED)
    return pages, buffer.getvalue()


def _sizes_of(data: bytes, text: str) -> set[float]:
    """The font sizes ``text`` is drawn in."""
    sizes: set[float] = set()

    def visit(chunk: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text in chunk:
            sizes.add(round(size * tm[0], 1))

    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_one_page_with_the_group_heading_every_agreement_and_the_schedule() -> None:
    pages, data = _build(_card())
    assert pages == 1
    lines = lines_of(data)
    assert lines[0] == GROUP
    assert lines[1] == "Our agreements"
    agreements = AGREEMENTS.splitlines()
    numbered = lines[2 : 2 + 2 * len(agreements)]
    assert numbered[0::2] == [str(n) for n in range(1, len(agreements) + 1)]
    assert numbered[1::2] == agreements
    assert SCHEDULE in lines
    assert "Page 1 of 1 · Generated 24 Nov 2026" in lines


def test_a_short_list_is_printed_large() -> None:
    _, data = _build(_card())
    assert _sizes_of(data, "What is shared here stays here.") == {24.0}


def test_very_many_agreements_get_smaller_type_and_still_fit_one_page() -> None:
    many = "\n".join(f"Agreement {n}: we keep to this one, kindly." for n in range(1, 31))
    pages, data = _build(_card(agreements=many))
    assert pages == 1
    sizes = _sizes_of(data, "Agreement 30: we keep to this one, kindly.")
    assert len(sizes) == 1
    assert 10 <= sizes.pop() < 24
    assert "Agreement 30: we keep to this one, kindly." in lines_of(data)


def test_typed_bullets_numbers_and_blank_lines_are_not_agreements() -> None:
    text = "1. Listen.\r\n\n  - Speak for yourself.\n• Pass if you like.\n(4) Be on time.\n*\n"
    assert agreement_lines(text) == (
        "Listen.",
        "Speak for yourself.",
        "Pass if you like.",
        "Be on time.",
    )
    assert agreement_lines("-5 degrees is cold.\n2024 was a long year.") == (
        "-5 degrees is cold.",
        "2024 was a long year.",
    )


@pytest.mark.parametrize("agreements", ["", "   ", "\n - \n•\n"])
def test_no_agreements_is_a_clear_error_and_writes_nothing(agreements: str, tmp_path: Path) -> None:
    target = tmp_path / "card.pdf"
    with pytest.raises(NoAgreementsError) as raised:
        build_agreements_card(
            _card(group_name="Ελένη's circle", agreements=agreements),
            target,
            generated_on=GENERATED,
        )
    assert isinstance(raised.value, ValueError)
    assert str(raised.value) == "“Ελένη's circle” has no agreements yet. Add them in Edit group…"
    assert list(tmp_path.iterdir()) == []


def test_no_schedule_is_left_out() -> None:
    pages, data = _build(_card(schedule="  "))
    lines = lines_of(data)
    assert pages == 1
    assert "It is always okay to pass." in lines
    assert not any("Thursdays" in line for line in lines)


def test_letter_paper_and_a_path(tmp_path: Path) -> None:
    target = tmp_path / "card.pdf"
    assert build_agreements_card(_card(paper=PaperSize.LETTER), target, generated_on=GENERATED)
    box = pypdf.PdfReader(target).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_the_dataclass_has_no_place_for_anything_private() -> None:
    assert [f.name for f in dataclasses.fields(AgreementsCard)] == [
        "group_name",
        "agreements",
        "schedule",
        "paper",
    ]


def test_the_card_renders_and_is_not_blank(tmp_path: Path) -> None:
    _, data = _build(_card())
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(data)
    (image,) = render_pages(pdf, tmp_path)
    assert dark_pixels(image) > 500
