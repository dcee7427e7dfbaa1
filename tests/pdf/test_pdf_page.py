"""The shared page: paper sizes, header and footer on every page, and a safe write."""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import tempfile
from pathlib import Path

import pytest
from pdf_helpers import page_texts
from pypdf import PdfReader
from reportlab.platypus import PageBreak, Paragraph

from peercircle.pdf.fonts import BODY, BOLD
from peercircle.pdf.page import (
    PageSetup,
    PaperSize,
    PdfWriteError,
    build_pdf,
    content_width,
    default_paper_size,
    format_date,
    format_long_date,
    styles,
)

GENERATED = dt.date(2026, 11, 24)


def _setup(**changes: object) -> PageSetup:
    values: dict[str, object] = {
        "title": "Test document",
        "group_name": "Wednesday Circle — Ольга",
        "generated_on": GENERATED,
    }
    values.update(changes)
    return PageSetup(**values)  # type: ignore[arg-type]


def _story(pages: int = 1) -> list[object]:
    story: list[object] = []
    for number in range(pages):
        if number:
            story.append(PageBreak())
        story.append(Paragraph(f"Body of page {number + 1}", styles()["body"]))
    return story


@pytest.mark.parametrize(
    ("locale_name", "expected"),
    [
        ("en_US.UTF-8", PaperSize.LETTER),
        ("en_CA.UTF-8", PaperSize.LETTER),
        ("fr_CA", PaperSize.LETTER),
        ("es_MX.UTF-8", PaperSize.LETTER),
        ("en_PH.utf8", PaperSize.LETTER),
        ("en-US", PaperSize.LETTER),
        ("de_DE.UTF-8", PaperSize.A4),
        ("en_GB.UTF-8", PaperSize.A4),
        ("pl_PL.UTF-8@euro", PaperSize.A4),
        ("ja_JP.UTF-8", PaperSize.A4),
        ("C.UTF-8", PaperSize.A4),
        ("POSIX", PaperSize.A4),
        ("", PaperSize.A4),
    ],
)
def test_default_paper_size_from_a_locale_name(locale_name: str, expected: PaperSize) -> None:
    assert default_paper_size(locale_name) == expected


def test_default_paper_size_reads_lc_all_then_lc_paper_then_lang(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.setenv("LC_PAPER", "en_US.UTF-8")
    assert default_paper_size() == PaperSize.LETTER
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    assert default_paper_size() == PaperSize.A4
    monkeypatch.delenv("LC_ALL")
    monkeypatch.delenv("LC_PAPER")
    assert default_paper_size() == PaperSize.A4
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert default_paper_size() == PaperSize.LETTER


@pytest.mark.parametrize(
    ("paper", "landscape", "size"),
    [
        (PaperSize.A4, False, (595.28, 841.89)),
        (PaperSize.LETTER, False, (612.0, 792.0)),
        (PaperSize.A4, True, (841.89, 595.28)),
        (PaperSize.LETTER, True, (792.0, 612.0)),
    ],
)
def test_page_size_follows_the_setup(
    tmp_path: Path, paper: PaperSize, landscape: bool, size: tuple[float, float]
) -> None:
    target = tmp_path / "doc.pdf"
    build_pdf(_story(), _setup(paper=paper, landscape=landscape), target)  # type: ignore[arg-type]
    box = PdfReader(target).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(size, abs=0.01)


def test_every_page_has_group_title_page_x_of_y_and_the_date(tmp_path: Path) -> None:
    target = tmp_path / "doc.pdf"
    pages = build_pdf(_story(3), _setup(), target)  # type: ignore[arg-type]
    texts = page_texts(target)
    assert pages == len(texts) == 3
    for number, text in enumerate(texts, start=1):
        assert f"Body of page {number}" in text
        assert "Wednesday Circle — Ольга" in text
        assert "Test document" in text
        assert f"Page {number} of 3 · Generated 24 Nov 2026" in text


def test_a_long_group_name_is_shortened_in_the_header(tmp_path: Path) -> None:
    target = tmp_path / "doc.pdf"
    long_name = "The Thursday evening circle for carers " * 6
    build_pdf([], _setup(group_name=long_name), target)
    text = page_texts(target)[0]
    assert "The Thursday evening circle for carers" in text
    assert "..." in text  # "…" after NFKC
    assert long_name.strip() not in text


def test_writes_to_an_open_binary_file() -> None:
    buffer = io.BytesIO()
    assert build_pdf(_story(2), _setup(), buffer) == 2  # type: ignore[arg-type]
    assert buffer.getvalue().startswith(b"%PDF-")
    assert len(PdfReader(buffer).pages) == 2


def test_the_callers_story_is_left_alone(tmp_path: Path) -> None:
    story = _story(2)
    build_pdf(story, _setup(), tmp_path / "doc.pdf")  # type: ignore[arg-type]
    assert len(story) == 3


def test_a_missing_folder_is_a_clear_error_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "doc.pdf"
    with pytest.raises(PdfWriteError, match="that folder does not exist") as raised:
        build_pdf(_story(), _setup(), target)  # type: ignore[arg-type]
    assert str(target) in str(raised.value)
    assert not target.parent.exists()


def test_a_folder_in_the_way_is_a_clear_error_and_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    target = tmp_path / "doc.pdf"
    target.mkdir()
    with pytest.raises(PdfWriteError, match="Could not save the PDF"):
        build_pdf(_story(), _setup(), target)  # type: ignore[arg-type]
    assert [p.name for p in tmp_path.iterdir()] == ["doc.pdf"]
    assert target.is_dir()


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "doc.pdf"
    target.write_bytes(b"the earlier printout")

    def disk_full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(PdfWriteError, match="the disk is full"):
        build_pdf(_story(), _setup(), target)  # type: ignore[arg-type]
    assert target.read_bytes() == b"the earlier printout"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.pdf"]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere"
)
def test_a_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(PdfWriteError, match="not allowed to write there"):
            build_pdf(_story(), _setup(), folder / "doc.pdf")  # type: ignore[arg-type]
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_a_folder_that_refuses_writing_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests may run as root, who may write anywhere: refuse at the operating system call.
    def refuse(**kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(PdfWriteError, match="not allowed to write there"):
        build_pdf(_story(), _setup(), tmp_path / "doc.pdf")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_overwriting_replaces_the_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "doc.pdf"
    target.write_bytes(b"old")
    build_pdf(_story(), _setup(), target)  # type: ignore[arg-type]
    assert target.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == ["doc.pdf"]


def test_dates_read_the_same_whatever_the_system_locale() -> None:
    assert format_date(GENERATED) == "24 Nov 2026"
    assert format_long_date(GENERATED) == "Tuesday 24 November 2026"


def test_styles_use_the_embedded_fonts_with_a_clear_hierarchy() -> None:
    sheet = styles()
    assert set(sheet) >= {"title", "subtitle", "body", "small", "cell", "cell_bold", "heading"}
    assert {s.fontName for s in sheet.values()} <= {BODY, BOLD}
    assert 18 <= sheet["title"].fontSize <= 20
    assert 10 <= sheet["body"].fontSize <= 11
    sheet["body"].fontSize = 30
    assert styles()["body"].fontSize != 30  # each call gives a fresh set


def test_content_width_leaves_generous_margins() -> None:
    a4 = content_width(_setup())
    assert 150 * 72 / 25.4 < a4 < 180 * 72 / 25.4
    assert content_width(_setup(landscape=True)) > a4
