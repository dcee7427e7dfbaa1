"""The command line, run as a person would (``python -m peercircle``) in a subprocess.

Every run is made with ``-X importtime`` so each test also checks that headless commands
never load Qt.
"""

from __future__ import annotations

import codecs
import re
import sqlite3
from pathlib import Path

import pytest
from cli_helpers import assert_headless, assert_one_line_error, run_cli

from peercircle import APP_NAME, __version__
from peercircle.cli import main
from peercircle.db import open_database
from peercircle.paths import database_path
from peercircle.services.roster import MemberRow, RosterService
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams
from peercircle.services.vault_types import VaultState


def members(data_dir: Path, group: str | None = None) -> list[MemberRow]:
    db = open_database(database_path(data_dir))
    try:
        roster = RosterService(db)
        if group is None:
            return roster.list_members(include_archived=True)
        found = roster.find_group(group)
        return [] if found is None else roster.list_members(found.id)
    finally:
        db.close()


@pytest.fixture
def roster_file(tmp_path: Path) -> Path:
    """A European-Excel-style export: UTF-8 with BOM, semicolons, CRLF."""
    path = tmp_path / "Tuesday roster.csv"
    path.write_bytes(
        codecs.BOM_UTF8
        + (
            "Imię;Nazwisko;E-mail;Telefon;Shoe size\r\n"
            "Małgorzata;Wiśniewska;gosia@example.org;555-0101;38\r\n"
            ";;;555-0102;\r\n"
            "Noah;Penrose;noah@;;\r\n"
            "Ελένη;;;;\r\n"
            "Małgorzata;Wiśniewska;;;\r\n"
        ).encode()
    )
    return path


def test_version(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"{APP_NAME} {__version__}"


def test_import_roster_reports_and_saves(data_dir: Path, roster_file: Path) -> None:
    result = run_cli(data_dir, "import-roster", str(roster_file), "--group", "Tuesday Circle")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert "(UTF-8 with BOM, semicolon-separated)" in out
    assert "Ignored columns: Shoe size" in out
    assert "Group: Tuesday Circle (new; it will be created)" in out
    for line in ("Added: 2", "Updated: 0", "Unchanged: 0", "Rejected: 3"):
        assert line in out.splitlines()
    assert "  row 3: No name." in out
    assert "  row 4 (Noah Penrose): “noah@” doesn't look like an e-mail address" in out
    assert "  row 6 (Małgorzata Wiśniewska): Same person as row 2." in out
    assert "Imported into “Tuesday Circle” (a new group)." in out
    assert_headless(result, "peercircle.services.roster_csv")

    saved = members(data_dir, "Tuesday Circle")
    assert [(m.display_name, m.email) for m in saved] == [
        ("Małgorzata Wiśniewska", "gosia@example.org"),
        ("Ελένη", ""),
    ]

    again = run_cli(data_dir, "import-roster", str(roster_file), "--group", "tuesday circle")
    assert again.returncode == 0
    assert "Unchanged: 2" in again.stdout.splitlines()
    assert "Nothing to import" in again.stdout


def test_dry_run_changes_nothing(data_dir: Path, roster_file: Path) -> None:
    result = run_cli(data_dir, "import-roster", str(roster_file), "--group", "New", "--dry-run")
    assert result.returncode == 0
    assert "Added: 2" in result.stdout.splitlines()
    assert result.stdout.rstrip().endswith("Dry run: nothing was changed.")
    assert members(data_dir) == []


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, ("Could not read", "No such file")),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", ("doesn't look like a CSV",)),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", ("workbook",)),
        (b"", ("empty",)),
        (b"E-mail,Phone\r\nzoe@example.org,555-0101\r\n", ("“E-mail”, “Phone”",)),
    ],
)
def test_unusable_files_are_refused_in_one_line_and_nothing_is_imported(
    data_dir: Path, tmp_path: Path, content: bytes | None, words: tuple[str, ...]
) -> None:
    path = tmp_path / "members.csv"
    if content is not None:
        path.write_bytes(content)
    result = run_cli(data_dir, "import-roster", str(path), "--group", "Tuesday Circle")
    assert_one_line_error(result, *words)
    assert result.stdout == ""
    assert not database_path(data_dir).exists(), "the database was not even opened"
    assert_headless(result)


def test_export_roster(data_dir: Path, roster_file: Path, tmp_path: Path) -> None:
    run_cli(data_dir, "import-roster", str(roster_file), "--group", "Tuesday Circle")
    out = tmp_path / "export.csv"
    result = run_cli(data_dir, "export-roster", "--group", "TUESDAY CIRCLE", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Wrote 2 members to {out}."
    assert_headless(result)
    assert out.read_bytes().decode("utf-8-sig").split("\r\n")[:3] == [
        "Name,Full name,Pronouns,E-mail,Phone,Emergency contact,Joined,First visit,"
        "Status,May contact,Role",
        "Małgorzata Wiśniewska,,,gosia@example.org,555-0101,,,,active,no,member",
        "Ελένη,,,,,,,,active,no,member",
    ]


def test_export_of_an_unknown_group_fails_clearly(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    result = run_cli(data_dir, "export-roster", "--group", "Nowhere", "-o", str(out))
    assert_one_line_error(result, "no group called “Nowhere”")
    assert not out.exists()


def test_demo_data_once(data_dir: Path) -> None:
    result = run_cli(data_dir, "demo-data", "--members", "40")
    assert result.returncode == 0, result.stderr
    assert "3 sample groups and 40 invented members, with " in result.stdout
    assert " meetings, " in result.stdout and " resources." in result.stdout
    assert_headless(result)
    assert len(members(data_dir)) == 40
    # The sample notes' passphrase is printed, and it opens them (at the real key cost).
    found = re.search(
        r"^Sample private notes are locked with the passphrase: (.+)$", result.stdout, re.M
    )
    assert found, result.stdout
    assert "Change it (Private → Change Passphrase…)" in result.stdout
    assert not re.search(r"[A-Z2-7]{4}-[A-Z2-7]{4}", result.stdout), "no recovery code"
    assert "leaflet" not in result.stdout, "never a note's text"
    db = open_database(database_path(data_dir))
    try:
        vault = VaultService(db)
        assert vault.state is VaultState.LOCKED
        vault.unlock(found.group(1))
        assert vault.is_unlocked
        vault.lock()
    finally:
        db.close()

    again = run_cli(data_dir, "demo-data")
    assert_one_line_error(again, "already")
    assert len(members(data_dir)) == 40


def test_demo_data_leaves_private_notes_already_set_up_alone(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(database_path(data_dir))
    try:
        VaultService(db, kdf_params=KdfParams(memory_kib=1024, iterations=1, lanes=1)).set_up(
            "blue kettle on the stairs"
        )
    finally:
        db.close()
    assert main(["--data-dir", str(data_dir), "demo-data", "--members", "3"]) == 0
    out = capsys.readouterr().out
    assert "3 invented members" in out
    assert "Your private notes were already set up, so no sample notes were added." in out
    assert "passphrase" not in out


def test_bad_member_count_is_a_usage_error(data_dir: Path) -> None:
    result = run_cli(data_dir, "demo-data", "--members", "-3")
    assert result.returncode == 2
    assert "--members" in result.stderr and "Traceback" not in result.stderr


def _damaged(path: Path) -> None:
    path.write_bytes(b"this is not a database, just some bytes " * 100)


def _other_apps(path: Path) -> None:
    con = sqlite3.connect(path)
    try:
        con.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
        con.commit()
    finally:
        con.close()


def _newer(path: Path) -> None:
    open_database(path).close()
    con = sqlite3.connect(path)
    try:
        con.execute("UPDATE alembic_version SET version_num = '9999_future'")
        con.commit()
    finally:
        con.close()


@pytest.mark.parametrize(
    ("make", "words"),
    [(_damaged, ("damaged",)), (_other_apps, ("not a PeerCircle database",)), (_newer, ("newer",))],
)
def test_unusable_databases_are_reported_without_a_traceback(
    data_dir: Path, make: object, words: tuple[str, ...]
) -> None:
    data_dir.mkdir()
    path = database_path(data_dir)
    assert callable(make)
    make(path)
    before = path.read_bytes()
    result = run_cli(data_dir, "demo-data", "--members", "3")
    assert_one_line_error(result, *words)
    assert path.read_bytes() == before, "the file was left alone"


def test_main_in_process_returns_exit_codes(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data_dir), "demo-data", "--members", "3"]) == 0
    assert "3 invented members" in capsys.readouterr().out
    missing = tmp_path / "missing.csv"
    code = main(["--data-dir", str(data_dir), "import-roster", str(missing), "--group", "X"])
    assert code == 1
    assert capsys.readouterr().err.startswith("peercircle: Could not read")
