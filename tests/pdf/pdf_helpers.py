"""Helpers for PDF tests: names in many scripts, the text of each page, and pages rendered
to PNG and measured."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import unicodedata
import zlib
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

SCRIPT_NAMES = (
    "Ágnes Kovács",
    "Łucja Żółtowska",
    "Nguyễn Văn An",
    "Søren Østergaard",
    "Ελένη Παπαδοπούλου",
    "Ольга Петрова",
    "王秀英",
    "さくら",
    "김민지",
    "فاطمة",
)
"""Invented names in ten scripts: Latin with accents, Greek, Cyrillic, CJK, Korean, Arabic."""


def page_texts(pdf: Path) -> list[str]:
    """The text of every page, NFKC-normalised so shaped Arabic reads as plain letters."""
    return [
        unicodedata.normalize("NFKC", page.extract_text() or "") for page in PdfReader(pdf).pages
    ]


def texts_of(data: bytes) -> list[str]:
    """The text of every page of an in-memory PDF, as pypdf extracts it."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def lines_of(data: bytes) -> list[str]:
    """Every line of text of an in-memory PDF, stripped, pages one after another."""
    return [line.strip() for text in texts_of(data) for line in text.splitlines()]


def render_pages(pdf: Path, out_dir: Path, resolution: int = 60) -> list[Path]:
    """Render every page to PNG with pdftoppm; skips the test when it is missing."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    prefix = out_dir / pdf.stem
    subprocess.run(
        [pdftoppm, "-png", "-r", str(resolution), str(pdf), str(prefix)],
        check=True,
        capture_output=True,
    )
    return sorted(out_dir.glob(f"{pdf.stem}-*.png"))


def dark_pixels(png: Path) -> int:
    """How many pixels of a rendered page are darker than mid grey."""
    with Image.open(png) as image:
        return sum(image.convert("L").histogram()[:128])


def ink_fraction(png: Path) -> float:
    """The share of pixels darker than light grey in an 8-bit grey or RGB PNG."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, idat, width, height, channels = 8, b"", 0, 0, 1
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (0, 2) and interlace == 0, "unexpected PNG kind"
            channels = 1 if colour == 0 else 3
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    dark = 0
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            up_left = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                estimate = left + up - up_left
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - up_left)
                nearest = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
                line[x] = (line[x] + nearest) & 0xFF
        dark += sum(1 for value in line[::channels] if value < 200)
        previous = line
    return dark / (width * height)
