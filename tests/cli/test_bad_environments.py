"""Bad environments, from the outside: a damaged data file, a data folder that cannot be
made, a second PeerCircle on the same data, a full or read-only disk. Each gets one plain
message and exit status 1, and the data is left as it was."""

from __future__ import annotations

import shlex
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import IMPORT_TIME, Run, assert_one_line_error, run_cli, run_peercircle

from peercircle.db import open_database
from peercircle.db.backup import BackupReason, take_backup
from peercircle.instance_lock import InstanceLock
from peercircle.paths import database_path
from peercircle.services.roster import MemberDraft, RosterService

# ---- helpers --------------------------------------------------------------------------------


def make_data(data_dir: Path, *names: str) -> None:
    db = open_database(database_path(data_dir))
    try:
        roster = RosterService(db)
        for name in names:
            roster.save_member(None, MemberDraft(display_name=name), {})
    finally:
        db.close()


def member_names(data_dir: Path) -> list[str]:
    con = sqlite3.connect(f"{database_path(data_dir).as_uri()}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return [row[0] for row in con.execute("SELECT display_name FROM members ORDER BY id")]
    finally:
        con.close()


def damage(path: Path) -> bytes:
    """Zero the second page of ``path`` (the start of the schema's tables); its new bytes."""
    size = int.from_bytes(path.read_bytes()[16:18], "big")
    with path.open("r+b") as file:
        file.seek(size)
        file.write(bytes(size))
    return path.read_bytes()


def roster_csv(path: Path, count: int, prefix: str = "Invented") -> Path:
    rows = [f"{prefix} Person {i},person{i}@example.org,555-01{i % 100:02d}" for i in range(count)]
    path.write_text("Name,E-mail,Phone\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def smoke(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return run_peercircle("--data-dir", str(data_dir), "--smoke-test")


# ---- a damaged data file --------------------------------------------------------------------


def test_a_damaged_database_names_the_backup_and_the_command_that_restores_it(
    data_dir: Path, tmp_path: Path
) -> None:
    make_data(data_dir, "Ágnes", "Ольга")
    backup = take_backup(data_dir, BackupReason.MANUAL)
    damaged = damage(database_path(data_dir))

    result = run_cli(data_dir, "export-roster", "-o", str(tmp_path / "out.csv"))

    assert_one_line_error(result, "is damaged", "It has not been changed.", str(backup.path))
    line = result.stderr.strip()
    assert "The newest backup that checks out is from " in line
    command = line.split("to restore it, run: ", 1)[1]
    assert command == f'peercircle --data-dir "{data_dir}" restore "{backup.path}"'
    assert database_path(data_dir).read_bytes() == damaged
    assert not (tmp_path / "out.csv").exists()

    # The command works exactly as printed.
    restored = run_peercircle(*shlex.split(command)[1:])
    assert restored.returncode == 0, restored.stderr
    assert member_names(data_dir) == ["Ágnes", "Ольга"]
    moved = sorted(data_dir.glob("peercircle.damaged-*.sqlite3"))
    assert len(moved) == 1 and moved[0].read_bytes() == damaged


def test_a_damaged_database_without_a_backup_says_there_is_none(
    data_dir: Path, tmp_path: Path
) -> None:
    make_data(data_dir, "Nguyễn")
    damaged = damage(database_path(data_dir))
    result = run_cli(data_dir, "export-roster", "-o", str(tmp_path / "out.csv"))
    assert_one_line_error(result, "is damaged", "There is no backup to restore it from.")
    assert database_path(data_dir).read_bytes() == damaged
    assert not (data_dir / "backups").exists()


def test_a_damaged_backup_is_not_offered(data_dir: Path, tmp_path: Path) -> None:
    make_data(data_dir, "Kwame")
    good = take_backup(data_dir, BackupReason.MANUAL)
    newer = take_backup(data_dir, BackupReason.DAILY)
    newer.path.write_bytes(newer.path.read_bytes()[:4096])  # the newest is cut off
    damage(database_path(data_dir))
    result = run_cli(data_dir, "export-roster", "-o", str(tmp_path / "out.csv"))
    assert_one_line_error(result, str(good.path))
    assert str(newer.path) not in result.stderr


def test_the_gui_smoke_test_refuses_a_damaged_file_without_touching_it(data_dir: Path) -> None:
    make_data(data_dir, "Siobhán")
    damaged = damage(database_path(data_dir))
    done = smoke(data_dir)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "is damaged" in done.stderr
    assert database_path(data_dir).read_bytes() == damaged


# ---- a data folder that cannot be made --------------------------------------------------------


@pytest.fixture(params=["a-file-with-its-name", "under-a-file"])
def blocked_folder(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    blocker = tmp_path / "PeerCircle"
    blocker.write_text("a note that happens to have the folder's name\n", encoding="utf-8")
    yield blocker if request.param == "a-file-with-its-name" else blocker / "data" / "more"
    assert blocker.read_text(encoding="utf-8").startswith("a note"), "the file is untouched"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["PeerCircle"], "nothing made"


def _folder_words(folder: Path) -> tuple[str, ...]:
    if folder.name == "PeerCircle":
        return ("could not make its data folder", "there is a file with that name")
    return ("could not make its data folder", "is a file, not a folder")


def test_the_cli_explains_a_data_folder_that_cannot_be_made(blocked_folder: Path) -> None:
    result = run_cli(blocked_folder, "demo-data")
    assert_one_line_error(result, str(blocked_folder), *_folder_words(blocked_folder))


def test_the_gui_explains_a_data_folder_that_cannot_be_made(blocked_folder: Path) -> None:
    done = smoke(blocked_folder)
    result = Run(done.returncode, done.stdout, done.stderr, frozenset())
    assert_one_line_error(result, str(blocked_folder), *_folder_words(blocked_folder))


# ---- a second PeerCircle on the same data ---------------------------------------------------


def test_a_second_window_on_the_same_data_folder_is_refused(data_dir: Path) -> None:
    data_dir.mkdir()
    with InstanceLock(data_dir):  # as an open PeerCircle holds it
        done = smoke(data_dir)
        assert done.returncode == 1
        assert done.stderr.strip() == (
            "peercircle: PeerCircle is already open on this computer with the same data "
            f"folder ({data_dir}). Switch to that window, or close it first."
        )
        assert not database_path(data_dir).exists(), "it stopped before opening the data"
    done = smoke(data_dir)
    assert done.returncode == 0, done.stderr


# ---- a full or read-only disk ----------------------------------------------------------------

# The command line, with every SQLite connection limited the way a full or read-only disk
# would: SQLite then fails its writes exactly as it does for real (SQLITE_FULL/READONLY).
LIMITED_CLI = """
import sys
from sqlalchemy import Engine, event

def limit(dbapi_connection, _record):
    if sys.argv[1] == "full":
        (pages,) = dbapi_connection.execute("PRAGMA page_count").fetchone()
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")
    else:
        dbapi_connection.execute("PRAGMA query_only = ON")

event.listen(Engine, "connect", limit)
from peercircle.cli import main
sys.exit(main(sys.argv[2:]))
"""


def run_limited(limit: str, data_dir: Path, *args: str) -> Run:
    done = subprocess.run(
        [sys.executable, "-c", LIMITED_CLI, limit, "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )
    stderr = "".join(f"{x}\n" for x in done.stderr.splitlines() if not x.startswith(IMPORT_TIME))
    return Run(done.returncode, done.stdout, stderr, frozenset())


@pytest.mark.parametrize(
    ("limit", "words"),
    [
        ("full", ("the disk is full", "Nothing was changed.")),
        ("read-only", ("can only be read right now", "Nothing was changed.")),
    ],
)
def test_an_import_on_a_full_or_read_only_disk_is_one_line_and_imports_nothing(
    data_dir: Path, tmp_path: Path, limit: str, words: tuple[str, ...]
) -> None:
    make_data(data_dir, "Ágnes")
    csv = roster_csv(tmp_path / "many.csv", 400)
    result = run_limited(limit, data_dir, "import-roster", str(csv), "--group", "Big Circle")
    assert_one_line_error(result, "PeerCircle could not save", *words)
    assert member_names(data_dir) == ["Ágnes"]


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 300 KB file system (tmpfs), where one is allowed to be mounted."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=300k,mode=0700", "tmpfs", str(mount_point)],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        pytest.skip("there is no mount command here")
    if mounted.returncode != 0:
        pytest.skip(f"mounting a small tmpfs is not allowed here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_a_really_full_disk_loses_nothing(tiny_disk: Path, tmp_path: Path) -> None:
    data = tiny_disk / "data"
    first = run_cli(
        data, "import-roster", str(roster_csv(tmp_path / "few.csv", 5)), "--group", "Circle"
    )
    assert first.returncode == 0, first.stderr
    before = member_names(data)
    assert len(before) == 5

    big = roster_csv(tmp_path / "big.csv", 4000, prefix="Another invented")
    result = run_cli(data, "import-roster", str(big), "--group", "Circle")

    assert_one_line_error(result, "the disk is full", "Nothing was changed.")
    assert member_names(data) == before  # and the file passed integrity_check
    again = run_cli(data, "export-roster", "-o", str(tmp_path / "after.csv"))
    assert again.returncode == 0, again.stderr
