"""Fonts for printouts: one embedded Unicode body font, fallbacks for the scripts it lacks, and
a visible marker for characters that no shipped font can draw.

DejaVu Sans covers Latin with every European accent, Vietnamese, Greek and Cyrillic. Runs of
CJK go to Droid Sans Fallback, Arabic and Hebrew to Noto Sans (Arabic is shaped with
arabic-reshaper and every right-to-left run is put in visual order with python-bidi, because
ReportLab draws glyphs one after another as given). A character none of them has is never left
to become an empty box: it prints as a coloured "[?]" and `missing_glyphs` reports it.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

import arabic_reshaper  # type: ignore[import-untyped]
from bidi import get_display  # type: ignore[import-untyped]
from reportlab.lib.colors import Color
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from peercircle.resources import resource_path

BODY = "PeerSans"
BOLD = "PeerSans-Bold"
CJK = "PeerSansCJK"
ARABIC = "PeerSansArabic"
HEBREW = "PeerSansHebrew"

# Shown instead of a character no shipped font has, in a colour that stands out from the ink.
MISSING_MARKER = "[?]"
MISSING_COLOR = "#b3261e"

# Font name -> file under resources/ (tests check each one is shipped and installed).
FONT_FILES: dict[str, str] = {
    BODY: "fonts/DejaVuSans.ttf",
    BOLD: "fonts/DejaVuSans-Bold.ttf",
    CJK: "fonts/DroidSansFallback.ttf",
    ARABIC: "fonts/NotoSansArabic-Regular.ttf",
    HEBREW: "fonts/NotoSansHebrew-Regular.ttf",
}

# A run drawn in the surrounding paragraph's own font (BODY or BOLD) is tagged None; a run of
# characters no font has is tagged _MISSING.
_MISSING = "\x00missing"


@dataclass(frozen=True)
class _Catalogue:
    both_body: frozenset[int]  # in the regular *and* the bold body font
    body: frozenset[int]
    cjk: frozenset[int]
    arabic: frozenset[int]
    hebrew: frozenset[int]


_lock = threading.Lock()
_catalogue: _Catalogue | None = None


def register_fonts() -> None:
    """Register the shipped fonts with ReportLab (once; later calls do nothing)."""
    _fonts()


def _fonts() -> _Catalogue:
    global _catalogue
    if _catalogue is not None:
        return _catalogue
    with _lock:
        if _catalogue is None:
            coverage: dict[str, frozenset[int]] = {}
            for name, file in FONT_FILES.items():
                font = TTFont(name, str(resource_path(file)))
                pdfmetrics.registerFont(font)
                coverage[name] = frozenset(font.face.charToGlyph)
            # <b> inside a paragraph switches PeerSans to PeerSans-Bold; the fallbacks have no
            # bold face, so bold text in those scripts stays regular rather than failing.
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(BODY, bold, italic, BOLD if bold else BODY)
                    for fallback in (CJK, ARABIC, HEBREW):
                        addMapping(fallback, bold, italic, fallback)
            _catalogue = _Catalogue(
                both_body=coverage[BODY] & coverage[BOLD],
                body=coverage[BODY],
                cjk=coverage[CJK],
                arabic=coverage[ARABIC],
                hebrew=coverage[HEBREW],
            )
    return _catalogue


def _is_arabic(cp: int) -> bool:
    return (
        0x0600 <= cp <= 0x06FF
        or 0x0750 <= cp <= 0x077F
        or 0x08A0 <= cp <= 0x08FF
        or 0xFB50 <= cp <= 0xFDFF
        or 0xFE70 <= cp <= 0xFEFF
    )


def _is_hebrew(cp: int) -> bool:
    return 0x0590 <= cp <= 0x05FF or 0xFB1D <= cp <= 0xFB4F


def _font_for(cp: int, fonts: _Catalogue) -> str | None:
    """The font that draws one character: None for the paragraph's own font."""
    if _is_arabic(cp) and cp in fonts.arabic:
        return ARABIC
    if _is_hebrew(cp) and cp in fonts.hebrew:
        return HEBREW
    if cp in fonts.both_body:
        return None
    if cp in fonts.body:
        return BODY  # a handful of rare symbols the bold face lacks
    if cp in fonts.cjk:
        return CJK
    if cp in fonts.arabic:
        return ARABIC
    if cp in fonts.hebrew:
        return HEBREW
    return _MISSING


def _is_invisible(ch: str) -> bool:
    """Format characters and variation selectors: they change how a neighbour looks, and
    dropping them never loses a letter (ZWJ, bidi marks, emoji selectors)."""
    cp = ord(ch)
    return unicodedata.category(ch) == "Cf" or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def _visual_line(line: str) -> str:
    """One line as it should be drawn left to right: NFC, Arabic shaped, bidi applied."""
    line = unicodedata.normalize("NFC", line)
    line = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in line
        if not _is_invisible(ch)
    )
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in line):
        if any(_is_arabic(ord(ch)) for ch in line):
            line = arabic_reshaper.reshape(line)
        line = str(get_display(line))
    return line


@lru_cache(maxsize=8192)
def _runs(line: str) -> tuple[tuple[str | None, str], ...]:
    """Split one line into (font, visual text) runs."""
    fonts = _fonts()
    runs: list[tuple[str | None, str]] = []
    current: str | None = None
    chars: list[str] = []
    for ch in _visual_line(line):
        if ch == " ":
            # A space joins the run it is in, so "فاطمة الزهراء" stays one fallback run.
            font = current if chars and current != _MISSING else None
        else:
            font = _font_for(ord(ch), fonts)
        if chars and font != current:
            runs.append((current, "".join(chars)))
            chars = []
        current = font
        chars.append(ch)
    if chars:
        runs.append((current, "".join(chars)))
    return tuple(runs)


def _lines(text: str) -> Iterator[str]:
    yield from text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@lru_cache(maxsize=8192)
def rich(text: str) -> str:
    """Paragraph markup for plain text: XML-escaped, every run the body font lacks wrapped in a
    fallback font, missing characters shown as a coloured marker; line breaks kept."""
    lines = []
    for line in _lines(text):
        parts = []
        for font, chunk in _runs(line):
            if font is None:
                parts.append(escape(chunk))
            elif font == _MISSING:
                parts.append(
                    f'<font color="{MISSING_COLOR}">{escape(MISSING_MARKER * len(chunk))}</font>'
                )
            else:
                parts.append(f'<font name="{font}">{escape(chunk)}</font>')
        lines.append("".join(parts))
    return "<br/>".join(lines)


def missing_glyphs(text: str) -> set[str]:
    """The characters in ``text`` that no shipped font can draw."""
    return {
        ch
        for line in _lines(text)
        for font, chunk in _runs(line)
        if font == _MISSING
        for ch in chunk
    }


def _single_line(text: str) -> str:
    return " ".join(_lines(text))


def _run_font(font: str | None, bold: bool) -> str:
    if font is None or font == _MISSING:
        return BOLD if bold else BODY
    return font


def _run_text(font: str | None, chunk: str) -> str:
    return MISSING_MARKER * len(chunk) if font == _MISSING else chunk


def string_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width in points of ``text`` drawn on one line, honouring fallbacks and markers."""
    return sum(
        float(pdfmetrics.stringWidth(_run_text(font, chunk), _run_font(font, bold), size))
        for font, chunk in _runs(_single_line(text))
    )


def draw_string(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    bold: bool = False,
    color: Color | str | None = None,
    align: str = "left",
) -> float:
    """Draw one line of plain text straight on a canvas (headers, footers, table decorations)
    with the same fallbacks as `rich`. ``align`` is "left", "right" or "centre" around ``x``.
    Returns the width drawn."""
    width = string_width(text, size, bold=bold)
    if align == "right":
        x -= width
    elif align in ("centre", "center"):
        x -= width / 2
    elif align != "left":
        raise ValueError(f"unknown alignment {align!r}")
    canvas.saveState()
    for font, chunk in _runs(_single_line(text)):
        run_text = _run_text(font, chunk)
        run_font = _run_font(font, bold)
        canvas.setFont(run_font, size)
        if font == _MISSING:
            canvas.setFillColor(MISSING_COLOR)
        elif color is not None:
            canvas.setFillColor(color)
        canvas.drawString(x, y, run_text)
        x += pdfmetrics.stringWidth(run_text, run_font, size)
    canvas.restoreState()
    return width
