"""The readable member export: the person's details, groups, attendance and round timings, and
private notes only when the facilitator included them."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from pdf_helpers import dark_pixels, page_texts, render_pages

from peercircle.domain import AttendanceStatus, FollowUpSource, MemberStatus, Role
from peercircle.pdf.fonts import missing_glyphs
from peercircle.pdf.member_export import (
    NOT_INCLUDED,
    ExportedAttendance,
    ExportedFollowUp,
    ExportedMember,
    ExportedMembership,
    ExportedNote,
    ExportedTurn,
    MemberExport,
    build_member_export,
    format_duration,
)

NOTE_BODY = "Talked about sleep since the move; the nights feel long."
REASON = "Ask how the first week at the job went"

MEMBER = ExportedMember(
    id=7,
    display_name="Ελένη Παπαδοπούλου",
    full_name="Ελένη Μαρία Παπαδοπούλου",
    pronouns="she/her",
    email="eleni@example.org",
    phone="555-0134",
    emergency_contact="王秀英 (friend) 555-0177",
    joined_on=dt.date(2026, 9, 1),
    first_visit_on=dt.date(2026, 8, 25),
    status=MemberStatus.ACTIVE,
    may_contact=True,
    archived_at=None,
    created_at=dt.datetime(2026, 8, 25, 18, 2),
    updated_at=dt.datetime(2026, 11, 2, 9, 30),
)
DAYS = [dt.date(2026, 9, 1) + dt.timedelta(weeks=i) for i in range(14)]


def _export(*, private: bool) -> MemberExport:
    marks = [AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED]
    return MemberExport(
        exported_at=dt.datetime(2026, 11, 25, 10, 15),
        member=MEMBER,
        memberships=(
            ExportedMembership("Tuesday Circle", Role.MEMBER, 3, dt.datetime(2026, 9, 1, 18)),
            ExportedMembership(
                "Кружок по субботам", Role.CO_FACILITATOR, 0, dt.datetime(2026, 10, 3, 10)
            ),
        ),
        attendance=tuple(
            ExportedAttendance(day, "Tuesday Circle", marks[i % 3]) for i, day in enumerate(DAYS)
        ),
        round_turns=(
            ExportedTurn(DAYS[0], "Tuesday Circle", 150.4, 180.0, False, True, False),
            ExportedTurn(DAYS[1], "Tuesday Circle", 0.0, 180.0, True, False, False),
            ExportedTurn(DAYS[1], "Tuesday Circle", 65.0, 120.0, False, False, True),
        ),
        follow_ups=(
            ExportedFollowUp(
                dt.date(2026, 11, 6),
                dt.datetime(2026, 11, 6, 12),
                FollowUpSource.MEMBER,
                "Tuesday Circle",
                REASON if private else None,
                "Going well" if private else None,
            ),
        ),
        notes=(
            (
                ExportedNote(
                    "Tuesday Circle",
                    DAYS[2],
                    "After the move",
                    NOTE_BODY,
                    ("sleep", "family"),
                    dt.datetime(2026, 9, 15, 21),
                    dt.datetime(2026, 9, 16, 8),
                ),
            )
            if private
            else ()
        ),
        private_notes_included=private,
    )


def test_the_pdf_has_the_member_their_groups_and_attendance(tmp_path: Path) -> None:
    pdf = tmp_path / "export.pdf"
    pages = build_member_export(_export(private=False), pdf)
    text = " ".join(page_texts(pdf))
    assert pages == len(page_texts(pdf)) >= 1
    for expected in (
        "Ελένη Παπαδοπούλου",
        "Ελένη Μαρία Παπαδοπούλου",
        "eleni@example.org",
        "555-0134",
        "王秀英 (friend) 555-0177",
        "Tuesday Circle",
        "Кружок по субботам",
        "Co-facilitator",
        "1 Sep 2026",
        "1 Dec 2026",  # the last attendance date
        "Excused",
        "2:30",  # the first turn's length
        "Private notes were not included.",
    ):
        assert expected in text, expected
    assert NOTE_BODY not in text and REASON not in text and "After the move" not in text
    assert not missing_glyphs(MEMBER.display_name + MEMBER.emergency_contact)


def test_private_notes_appear_only_when_included(tmp_path: Path) -> None:
    pdf = tmp_path / "private.pdf"
    build_member_export(_export(private=True), pdf)
    text = " ".join(" ".join(page_texts(pdf)).split())
    assert NOT_INCLUDED not in text
    for expected in ("After the move", NOTE_BODY, "sleep, family", REASON, "Going well"):
        assert expected in text, expected


def test_empty_sections_say_so(tmp_path: Path) -> None:
    bare = replace(
        _export(private=True), memberships=(), attendance=(), round_turns=(), follow_ups=()
    )
    pdf = tmp_path / "bare.pdf"
    build_member_export(replace(bare, notes=()), pdf)
    text = " ".join(page_texts(pdf))
    for expected in (
        "Not in any group.",
        "No attendance recorded.",
        "No turns in sharing rounds.",
        "No follow-ups.",
        "No private notes about them.",
    ):
        assert expected in text, expected


def test_durations_read_as_minutes_and_seconds() -> None:
    assert [format_duration(s) for s in (0, 59.6, 61, 150.4, 3600)] == [
        "0:00",
        "1:00",
        "1:01",
        "2:30",
        "60:00",
    ]


def test_page_one_renders(tmp_path: Path) -> None:
    pdf = tmp_path / "render.pdf"
    build_member_export(_export(private=True), pdf)
    [first, *_rest] = render_pages(pdf, tmp_path)
    assert dark_pixels(first) > 2000  # text, tables and headings, not an empty page


def test_a_note_longer_than_a_page_flows_on(tmp_path: Path) -> None:
    export = _export(private=True)
    long_note = replace(export.notes[0], body=("A long evening of talk. " * 40 + "\n\n") * 20)
    pdf = tmp_path / "long.pdf"
    pages = build_member_export(replace(export, notes=(long_note, long_note)), pdf)
    assert pages > 4
    assert " ".join(page_texts(pdf)).count("After the move") == 2
