"""``peercircle export-member`` and ``peercircle erase-member``, run as a person would: the
files written, never private notes, a clear refusal without --yes, clear errors, never Qt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import assert_headless, run_cli
from pypdf import PdfReader

from peercircle.cli import main
from peercircle.db import open_database
from peercircle.paths import database_path
from peercircle.services.erasure import ERASURE_LOG_FILENAME
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import NoteDraft
from peercircle.services.roster import GroupDraft, MemberDraft, RosterService
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams

NOTE = "Worried about the new job"


@pytest.fixture
def members_dir(data_dir: Path) -> Path:
    db = open_database(database_path(data_dir))
    try:
        roster = RosterService(db)
        tuesday = roster.create_group(GroupDraft("Tuesday Circle", 1)).id
        saturday = roster.create_group(GroupDraft("Saturday Circle", 5)).id
        anh = roster.create_member(
            MemberDraft("Ánh", "Nguyễn Thị Ánh", phone="555-0134"), group_id=tuesday
        ).id
        roster.create_member(MemberDraft("Sam"), group_id=tuesday)
        roster.create_member(MemberDraft("Sam"), group_id=saturday)
        vault = VaultService(db, kdf_params=KdfParams(memory_kib=1024, iterations=1, lanes=1))
        vault.set_up("blue kettle on the stairs")
        NoteService(db, vault).create(NoteDraft(tuesday, "After the meeting", NOTE, member_id=anh))
    finally:
        db.close()
    return data_dir


def _names(data_dir: Path) -> list[str]:
    db = open_database(database_path(data_dir))
    try:
        return [m.display_name for m in RosterService(db).list_members(include_archived=True)]
    finally:
        db.close()


def test_export_member_writes_json_and_pdf_without_private_notes(
    members_dir: Path, tmp_path: Path
) -> None:
    out, pdf = tmp_path / "anh.json", tmp_path / "anh.pdf"
    result = run_cli(
        members_dir,
        "export-member",
        "--member",
        "nguyễn thị ánh",
        "-o",
        str(out),
        "--pdf",
        str(pdf),
    )
    assert result.returncode == 0, result.stderr
    assert_headless(result, "peercircle.services.member_export")
    lines = result.stdout.splitlines()
    assert lines[0] == f"Wrote everything stored about Ánh to {out} and {pdf}."
    assert "never included from the command line" in lines[1]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["member"]["full_name"] == "Nguyễn Thị Ánh"
    assert data["private_notes_included"] is False and data["notes"] is None
    assert NOTE not in out.read_text(encoding="utf-8")
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Ánh" in text and "Tuesday Circle" in text and "Private notes were not included." in text


def _run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The command run in this process (quicker), with what it printed."""
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_error(err: str, *words: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("peercircle: "), err
    for word in words:
        assert word in lines[0], lines[0]


def test_export_member_by_id_writes_only_the_json_without_pdf(
    members_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "one.json"
    out.parent.mkdir()
    code, _out, err = _run(members_dir, capsys, "export-member", "--member-id", "1", "-o", str(out))
    assert code == 0, err
    assert list(out.parent.iterdir()) == [out]


def test_an_ambiguous_name_lists_the_matches_with_their_ids(
    members_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = _run(members_dir, capsys, "erase-member", "--member", "sam", "--yes")
    assert code == 1
    _one_line_error(
        err, "2 members are called “sam”", "Sam (id 2, Tuesday Circle)", "(id 3,", "--member-id"
    )
    assert _names(members_dir).count("Sam") == 2


def test_an_unknown_member_is_one_line(
    members_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.json"
    code, _out, err = _run(
        members_dir, capsys, "export-member", "--member", "Nobody", "-o", str(out)
    )
    assert code == 1
    _one_line_error(err, "no member called “Nobody”")
    assert not out.exists()
    code, _out, err = _run(members_dir, capsys, "erase-member", "--member-id", "99", "--yes")
    assert code == 1
    _one_line_error(err, "no member with id 99")


def test_erase_without_yes_refuses_and_says_why(
    members_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(members_dir, capsys, "erase-member", "--member", "Ánh")
    assert code == 1
    _one_line_error(err, "Nothing was erased", "cannot be undone", "--yes")
    assert "1 private note" in out
    assert "Ánh" in _names(members_dir)


def test_erase_member_with_yes(members_dir: Path) -> None:
    result = run_cli(members_dir, "erase-member", "--member", "Ánh", "--yes")
    assert result.returncode == 0, result.stderr
    assert_headless(result, "peercircle.services.erasure")
    assert result.stdout.startswith(
        "Erased Ánh (id 1): removed their details, 1 group place and 1 private note."
    )
    assert "restoring one erases them again" in result.stdout
    assert _names(members_dir) == ["Sam", "Sam"]
    log = (members_dir / ERASURE_LOG_FILENAME).read_text(encoding="utf-8")
    assert '"member_id": 1' in log and "Ánh" not in log
