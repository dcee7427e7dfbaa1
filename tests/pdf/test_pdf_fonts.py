"""Fonts for printouts: every test script prints, fallbacks are chosen, nothing becomes a box."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdf_helpers import SCRIPT_NAMES
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from peercircle.pdf.fonts import (
    ARABIC,
    BODY,
    BOLD,
    CJK,
    FONT_FILES,
    HEBREW,
    MISSING_COLOR,
    MISSING_MARKER,
    missing_glyphs,
    register_fonts,
    rich,
    string_width,
)
from peercircle.pdf.page import styles

LINEAR_B = "\U00010000"  # no shipped font has Linear B

NAMES = [*SCRIPT_NAMES, "שרה כהן"]


def test_register_fonts_is_idempotent_and_registers_every_font() -> None:
    register_fonts()
    register_fonts()
    for name in FONT_FILES:
        assert pdfmetrics.getFont(name).fontName == name


@pytest.mark.parametrize("name", NAMES)
def test_every_test_script_has_a_font(name: str) -> None:
    assert missing_glyphs(name) == set()
    assert MISSING_MARKER not in rich(name)


def test_latin_greek_cyrillic_stay_in_the_body_font() -> None:
    for name in ["Ágnes Kovács", "Nguyễn Văn An", "Ελένη", "Ольга"]:
        assert rich(name) == name


def test_cjk_runs_use_the_cjk_fallback() -> None:
    assert rich("Mai 王秀英") == f'Mai <font name="{CJK}">王秀英</font>'
    assert rich("さくら") == f'<font name="{CJK}">さくら</font>'


def test_arabic_is_shaped_into_glyphs_the_arabic_font_has() -> None:
    markup = rich("فاطمة")
    assert markup.startswith(f'<font name="{ARABIC}">') and markup.endswith("</font>")
    shaped = markup.removeprefix(f'<font name="{ARABIC}">').removesuffix("</font>")
    # Joined presentation forms, in the order they are drawn (right to left reversed).
    assert all(0xFE70 <= ord(ch) <= 0xFEFF for ch in shaped)
    arabic_glyphs = pdfmetrics.getFont(ARABIC).face.charToGlyph
    assert all(ord(ch) in arabic_glyphs for ch in shaped)
    assert shaped != "فاطمة"


def test_hebrew_uses_its_font_in_visual_order() -> None:
    assert rich("שרה") == f'<font name="{HEBREW}">הרש</font>'


def test_markup_is_escaped() -> None:
    assert rich('Tom & <Jerry> "quoted"') == 'Tom &amp; &lt;Jerry&gt; "quoted"'


def test_line_breaks_are_kept() -> None:
    assert rich("one\ntwo\r\nthree") == "one<br/>two<br/>three"


def test_a_character_no_font_has_is_a_visible_marker_and_reported() -> None:
    text = f"Kai {LINEAR_B} Linear"
    assert missing_glyphs(text) == {LINEAR_B}
    assert rich(text) == f'Kai <font color="{MISSING_COLOR}">{MISSING_MARKER}</font> Linear'
    assert LINEAR_B not in rich(text)


def test_invisible_format_characters_are_dropped_not_reported() -> None:
    assert missing_glyphs("Ágnes\u200d\u200b\ufe0f") == set()
    assert rich("Ágnes\u200d\u200b\ufe0f") == "Ágnes"


def test_decomposed_accents_are_composed_first() -> None:
    assert rich("A\u0301gnes") == "Ágnes"


def test_string_width_measures_each_run_in_its_own_font() -> None:
    assert string_width("Ágnes", 10) == pytest.approx(pdfmetrics.stringWidth("Ágnes", BODY, 10))
    assert string_width("Ágnes", 10, bold=True) == pytest.approx(
        pdfmetrics.stringWidth("Ágnes", BOLD, 10)
    )
    mixed = string_width("Mai 王秀英", 10)
    expected = pdfmetrics.stringWidth("Mai ", BODY, 10) + pdfmetrics.stringWidth("王秀英", CJK, 10)
    assert mixed == pytest.approx(expected)
    assert string_width(LINEAR_B, 10) == pytest.approx(
        pdfmetrics.stringWidth(MISSING_MARKER, BODY, 10)
    )


_SCRIPTS = st.sampled_from(
    [
        (0x20, 0x7E),  # ASCII, including < & >
        (0xC0, 0x17F),  # Latin accents
        (0x1EA0, 0x1EF9),  # Vietnamese
        (0x370, 0x3FF),  # Greek
        (0x400, 0x4FF),  # Cyrillic
        (0x4E00, 0x4FFF),  # CJK
        (0x3040, 0x30FF),  # kana
        (0x600, 0x6FF),  # Arabic
        (0x590, 0x5FF),  # Hebrew
        (0x10000, 0x1007F),  # Linear B: no font
        (0x2000, 0x206F),  # punctuation and format characters
    ]
)


@st.composite
def mixed_text(draw: st.DrawFn) -> str:
    pieces = []
    for low, high in draw(st.lists(_SCRIPTS, min_size=1, max_size=5)):
        pieces.append(
            draw(
                st.text(
                    st.characters(
                        min_codepoint=low, max_codepoint=high, exclude_categories=("Cs",)
                    ),
                    max_size=8,
                )
            )
        )
        pieces.append(draw(st.sampled_from(["", " ", "\n"])))
    return "".join(pieces)


@settings(max_examples=200, deadline=None)
@given(mixed_text())
def test_any_text_becomes_valid_markup_and_draws_only_what_fonts_have(text: str) -> None:
    markup = rich(text)
    paragraph = Paragraph(markup, styles()["body"])
    paragraph.wrap(300, 1000)
    missing = missing_glyphs(text)
    assert all(ch not in markup for ch in missing)
    assert (MISSING_MARKER in markup) == bool(missing) or "[?]" in text
    assert string_width(text, 10) >= 0
