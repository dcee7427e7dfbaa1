"""The resource handout: what it prints, its QR codes, how it flows over pages, and that it
renders. Every number and address here is invented (555-01xx, example.org)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
from pdf_helpers import dark_pixels, lines_of, render_pages, texts_of
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Table

from peercircle.pdf.handout import (
    Handout,
    HandoutItem,
    build_handout,
    handout_story,
    qr_drawing,
)
from peercircle.pdf.page import PaperSize

GENERATED = dt.date(2026, 11, 24)
GROUP = "Tuesday Evening Circle"
CONTACT = "Tuesdays 18:30 · Willow Lane Library, Room 2\nFacilitator: Ágnes · 555-0100"
AGREEMENTS = (
    "What is shared here stays here.\n"
    "- We listen to understand, not to fix.\n"
    "\n"
    "• It is always okay to pass."
)

ITEMS = (
    HandoutItem(
        "Night Owl Listening Line",
        "Helpline",
        "Someone to talk to, any night of the week.",
        "555-0142",
        "https://example.org/night-owl",
        "",
    ),
    HandoutItem(
        "Γραμμή Υποστήριξης Αθηνών",
        "Local service",
        "Συμβουλευτική με ραντεβού.",
        "555-0167",
        "",
        "14 Example Road, Riverside",
    ),
    HandoutItem(
        "Ресурсы для семей",
        "Website",
        "Справочник групп поддержки.",
        "",
        "https://example.org/ресурсы",
        "",
    ),
    HandoutItem(
        "Sống chậm lại mỗi ngày",
        "Reading",
        "Một bài đọc ngắn.",
        "",
        "https://example.org/reading/song-cham",
        "",
    ),
)


def _handout(items: tuple[HandoutItem, ...] = ITEMS, **changes: Any) -> Handout:
    handout = Handout(GROUP, items, CONTACT, AGREEMENTS, PaperSize.A4)
    return dataclasses.replace(handout, **changes)


def _build(handout: Handout) -> tuple[int, bytes]:
    buffer = io.BytesIO()
    pages = build_handout(handout, buffer, generated_on=GENERATED)
    return pages, buffer.getvalue()


def _flowables(node: object) -> Iterator[object]:
    """Every flowable and cell value inside ``node``, depth first."""
    yield node
    if isinstance(node, list | tuple):
        for child in node:
            yield from _flowables(child)
    elif isinstance(node, KeepTogether):
        yield from _flowables(node._content)
    elif isinstance(node, Table):
        yield from _flowables(node._cellvalues)


def _qr_codes(story: list[Flowable]) -> list[QrCodeWidget]:
    return [
        widget
        for node in _flowables(story)
        if isinstance(node, Drawing)
        for widget in node.contents
        if isinstance(widget, QrCodeWidget)
    ]


# ---- a small QR reader, so that the tests check what is drawn, not what was asked for ----


def _modules(drawing: Drawing) -> tuple[list[list[bool]], int]:
    """The dark and light modules the drawing paints, and the white border around them in
    modules. Fails if anything is painted in the border."""
    (widget,) = drawing.contents
    assert isinstance(widget, QrCodeWidget)
    rects = [r for r in widget.draw().contents if isinstance(r, Rect) and r.fillColor]
    box = min(r.height for r in rects)
    total = round(drawing.width / box)
    border = widget.barBorder
    count = total - 2 * border
    grid = [[False] * count for _ in range(count)]
    for rect in rects:
        column = round(rect.x / box) - border
        row = total - round(rect.y / box) - 1 - border
        width = round(rect.width / box)
        assert 0 <= row < count and 0 <= column <= count - width, "in the quiet zone"
        for c in range(column, column + width):
            grid[row][c] = True
    return grid, border


_MASKS: tuple[Callable[[int, int], bool], ...] = (
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
)
# Data codewords at error correction level M, versions 1–3 (one block each).
_DATA_CODEWORDS_M = {1: 16, 2: 28, 3: 44}


def _decode(grid: list[list[bool]]) -> str:
    """Read a byte-mode QR code of version 1–3, level M, trying each mask: only the right one
    gives a valid length, terminator and the standard padding."""
    n = len(grid)
    version = (n - 17) // 4
    assert version in _DATA_CODEWORDS_M, "the test reader handles versions 1–3 only"

    def is_function(r: int, c: int) -> bool:
        finder = (r < 9 and c < 9) or (r < 9 and c >= n - 8) or (r >= n - 8 and c < 9)
        alignment = version >= 2 and n - 9 <= r <= n - 5 and n - 9 <= c <= n - 5
        return finder or alignment or r == 6 or c == 6

    order: list[tuple[int, int]] = []
    upward, right = True, n - 1
    while right >= 1:
        if right == 6:
            right = 5
        for r in range(n - 1, -1, -1) if upward else range(n):
            order.extend((r, c) for c in (right, right - 1) if not is_function(r, c))
        upward, right = not upward, right - 2

    found = []
    for mask in _MASKS:
        bits = [int(grid[r][c] ^ mask(r, c)) for r, c in order]
        words = [
            int("".join(map(str, bits[k : k + 8])), 2)
            for k in range(0, _DATA_CODEWORDS_M[version] * 8, 8)
        ]
        stream = "".join(f"{w:08b}" for w in words)
        if stream[:4] != "0100":
            continue
        length = int(stream[4:12], 2)
        end = 12 + 8 * length
        if end + 4 > len(stream) or stream[end : end + 4] != "0000":
            continue
        payload = bytes(int(stream[k : k + 8], 2) for k in range(12, end, 8))
        pad_start = (end + 4 + 7) // 8
        pads = words[pad_start:]
        if pads != [(0xEC, 0x11)[k % 2] for k in range(len(pads))]:
            continue
        found.append(payload.decode("utf-8"))
    assert len(found) == 1, found
    return found[0]


# ---- tests -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/night-owl",
        "https://example.org/ресурсы",
        "https://example.org/a?b=1&c=2#top",
    ],
)
def test_qr_code_decodes_to_exactly_the_link(url: str) -> None:
    drawing = qr_drawing(url)
    (widget,) = drawing.contents
    assert isinstance(widget, QrCodeWidget)
    assert widget.value == url
    grid, border = _modules(drawing)
    assert _decode(grid) == url
    assert border >= 4  # the quiet zone the standard asks for


@pytest.mark.parametrize(
    "url", ["https://example.org/x", "https://example.org/" + "long-path/" * 30]
)
def test_qr_code_is_a_readable_square_between_2_2_and_2_8_cm(url: str) -> None:
    drawing = qr_drawing(url)
    assert drawing.width == drawing.height
    assert 2.2 * cm <= drawing.width <= 2.8 * cm + 1e-9
    grid, _ = _modules(drawing)
    module_mm = drawing.width / (len(grid) + 8) / cm * 10
    assert module_mm >= 0.3


def test_one_qr_code_per_item_with_a_link() -> None:
    story = handout_story(_handout(), 480)
    codes = _qr_codes(story)
    assert [code.value for code in codes] == [item.url for item in ITEMS if item.url]


def test_items_without_links_have_no_qr_code() -> None:
    items = tuple(dataclasses.replace(item, url="") for item in ITEMS)
    assert _qr_codes(handout_story(_handout(items), 480)) == []


def test_prints_titles_kinds_phones_addresses_links_and_contact_in_every_script() -> None:
    _, data = _build(_handout())
    lines = lines_of(data)
    text = "\n".join(lines)
    assert lines[0] == "Support and resources"
    assert "Tuesdays 18:30 · Willow Lane Library, Room 2" in lines
    assert "Facilitator: Ágnes · 555-0100" in lines
    for item in ITEMS:
        assert item.title in lines
        assert item.kind.upper() in lines
        assert item.description in lines
        for detail in (item.phone, item.url, item.address):
            if detail:
                assert detail in lines
    assert text.count("Scan to open") == 3
    assert "Ask your facilitator" not in text


def test_agreements_come_last_one_a_line_without_typed_bullets() -> None:
    _, data = _build(_handout())
    lines = lines_of(data)
    start = lines.index("Our group agreements")
    assert start > lines.index("Sống chậm lại mỗi ngày")
    assert lines[start + 1 : start + 4] == [
        "• What is shared here stays here.",
        "• We listen to understand, not to fix.",
        "• It is always okay to pass.",
    ]


def test_many_items_flow_onto_pages_each_with_group_page_number_and_date() -> None:
    items = tuple(
        HandoutItem(
            f"Example Service {n:02d}",
            "Local service",
            "Open on weekdays; ask at the front desk for the quiet room.",
            f"555-01{n:02d}",
            f"https://example.org/service/{n}" if n % 2 else "",
            f"{n} Example Street",
        )
        for n in range(1, 25)
    )
    pages, data = _build(_handout(items))
    assert pages >= 3
    texts = texts_of(data)
    assert len(texts) == pages
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {pages} · Generated 24 Nov 2026" in text
        assert GROUP in text
    for item in items:
        # Each item is kept together: its title, number and address share one page.
        holding = [text for text in texts if item.title in text]
        assert len(holding) == 1
        assert item.phone in holding[0] and item.address in holding[0]
    assert "Our group agreements" in texts[-1]


def test_no_items_is_still_a_useful_page() -> None:
    pages, data = _build(_handout(()))
    assert pages == 1
    lines = lines_of(data)
    assert "Ask your facilitator for local support contacts." in lines
    assert "In an emergency, call your local emergency number." in lines
    assert "Tuesdays 18:30 · Willow Lane Library, Room 2" in lines
    assert "• It is always okay to pass." in lines


def test_empty_contact_and_agreements_are_left_out() -> None:
    _, data = _build(_handout(contact="  ", agreements="\n \n"))
    text = "\n".join(lines_of(data))
    assert "MEETING AND CONTACT" not in text
    assert "Our group agreements" not in text
    assert "Night Owl Listening Line" in text


def test_a_long_link_wraps_at_slashes_and_reads_back_whole() -> None:
    url = "https://example.org/directory/peer-support-groups-in-your-area/evenings?lang=el"
    _, data = _build(_handout((HandoutItem("Directory", "Website", "", "", url, ""),)))
    lines = lines_of(data)
    start = next(i for i, line in enumerate(lines) if line.startswith("https://example.org/"))
    parts = [lines[start]]
    while "".join(parts) != url and url.startswith("".join(parts) + lines[start + len(parts)]):
        parts.append(lines[start + len(parts)])
    assert "".join(parts) == url
    assert len(parts) > 1
    assert all(part.endswith(("/", "?")) for part in parts[:-1])


def test_letter_paper_and_writing_to_a_path(tmp_path: Path) -> None:
    target = tmp_path / "handout.pdf"
    pages = build_handout(_handout(paper=PaperSize.LETTER), target, generated_on=GENERATED)
    reader = pypdf.PdfReader(target)
    assert len(reader.pages) == pages
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert list(tmp_path.iterdir()) == [target]


def test_the_dataclasses_have_no_place_for_anything_private() -> None:
    assert [f.name for f in dataclasses.fields(HandoutItem)] == [
        "title",
        "kind",
        "description",
        "phone",
        "url",
        "address",
    ]
    assert [f.name for f in dataclasses.fields(Handout)] == [
        "group_name",
        "items",
        "contact",
        "agreements",
        "paper",
    ]


def test_every_page_renders_and_is_not_blank(tmp_path: Path) -> None:
    many = ITEMS * 4
    for name, handout in (("full", _handout(many)), ("empty", _handout(()))):
        pages, data = _build(handout)
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(data)
        images = render_pages(pdf, tmp_path)
        assert len(images) == pages
        for image in images:
            assert dark_pixels(image) > 500, f"{image.name} looks blank"
