"""``peercircle pdf …``, run as a person would: real PDFs, clear errors, never Qt."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cli_helpers import assert_headless, assert_one_line_error, run_cli
from pypdf import PdfReader

from peercircle.db import open_database
from peercircle.domain import AttendanceStatus
from peercircle.paths import database_path
from peercircle.services.meeting_types import MeetingDraft
from peercircle.services.meetings import MeetingService
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService

GROUP = "Tuesday Circle"


@pytest.fixture
def group_dir(data_dir: Path) -> Path:
    db = open_database(database_path(data_dir))
    try:
        roster = RosterService(db)
        group = roster.create_group(
            GroupDraft(GROUP, 1, dt.time(18, 30), "Library", "It is always okay to pass.")
        )
        ids = [
            roster.create_member(MemberDraft(name, phone="555-0123"), group_id=group.id).id
            for name in ("Ágnes Kovács", "Ольга")
        ]
        meetings = MeetingService(db)
        meeting = meetings.create_meeting(group.id, MeetingDraft(dt.date(2026, 11, 17))).id
        meetings.set_attendance(meeting, ids[0], AttendanceStatus.PRESENT)
    finally:
        db.close()
    return data_dir


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.mark.parametrize(
    ("document", "options", "expected"),
    [
        ("sign-in", ("--date", "2026-11-24", "--initials"), "Ágnes K."),
        ("attendance", ("--from", "2026-11-01", "--to", "2026-11-30"), "Ольга"),
        ("handout", (), "always okay to pass"),
        ("agreements", ("--paper", "letter"), "always okay to pass"),
    ],
)
def test_each_printout(
    group_dir: Path, tmp_path: Path, document: str, options: tuple[str, ...], expected: str
) -> None:
    out = tmp_path / f"{document}.pdf"
    result = run_cli(group_dir, "pdf", document, "--group", GROUP, "-o", str(out), *options)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Wrote 1 page to ")
    assert_headless(result, "peercircle.services.printing")
    text = _text(out)
    assert GROUP in text and expected in text
    assert "555-0123" not in text


def test_letter_paper_when_asked(group_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "card.pdf"
    run_cli(group_dir, "pdf", "agreements", "--group", GROUP, "-o", str(out), "--paper", "letter")
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_an_unknown_group_is_a_clear_error(group_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = run_cli(group_dir, "pdf", "handout", "--group", "Nowhere", "-o", str(out))
    assert_one_line_error(result, "no group called “Nowhere”", GROUP)
    assert not out.exists()


def test_an_empty_range_is_an_error_not_an_empty_pdf(group_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = run_cli(
        group_dir,
        "pdf",
        "attendance",
        "--group",
        GROUP,
        "--from",
        "2025-01-01",
        "--to",
        "2025-03-01",
        "-o",
        str(out),
    )
    assert_one_line_error(result, "no meetings between")
    assert not out.exists()


def test_a_bad_date_and_an_unwritable_place(group_dir: Path, tmp_path: Path) -> None:
    bad = run_cli(group_dir, "pdf", "sign-in", "--group", GROUP, "--date", "24/11", "-o", "x")
    assert bad.returncode == 2
    assert "expected a date like 2026-11-24" in bad.stderr
    out = tmp_path / "missing" / "x.pdf"
    result = run_cli(
        group_dir, "pdf", "sign-in", "--group", GROUP, "--date", "2026-11-24", "-o", str(out)
    )
    assert_one_line_error(result, str(tmp_path / "missing"))
    assert not (tmp_path / "missing").exists()
