"""A passphrase change killed part-way (power cut, kill -9) leaves exactly one passphrase that
opens the notes — the old one if the change had not committed, the new one if it had.

Each case runs the change in a child process on a real database file and kills it with
SIGKILL (TerminateProcess on Windows) at a chosen or an uncontrolled point.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from security_helpers import FAST_KDF, PASSPHRASE, ChildProcess

from peercircle.db import open_database
from peercircle.paths import database_path
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import NoteDraft
from peercircle.services.roster import RosterService
from peercircle.services.roster_types import GroupDraft
from peercircle.services.vault import VaultService
from peercircle.services.vault_types import WrongPassphraseError

OLD = PASSPHRASE
NEW = "Nguyễn waters the ferns on Mondays"
NOTE_BODIES = {"Evening one": "Ольга spoke first.", "Evening two": "Ágnes brought tea."}
LINE_TIMEOUT = 20.0
"""Seconds to wait for the child's next line before failing (never reached when all is well)."""

# The child: unlocks with argv[2], then changes the passphrase to argv[3]. In "before-commit"
# and "after-commit" modes it stops inside that change (after the key slot's UPDATE was sent
# to SQLite; before or after COMMIT), says "ready" and waits on stdin to be killed. In "loop"
# mode it changes back and forth for ever, printing the passphrase in force after each commit.
CHILD = f"""
import sys
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from peercircle.db import open_database
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams

path, mode, current, new = sys.argv[1:5]
db = open_database(Path(path))
vault = VaultService(db, kdf_params={FAST_KDF!r})
vault.unlock(current)
slot_updated = False


@event.listens_for(db.engine, "after_cursor_execute")
def _watch(conn, cursor, statement, parameters, context, executemany):
    global slot_updated
    if statement.lstrip().upper().startswith("UPDATE VAULT_KEY_SLOTS"):
        slot_updated = True


def stop_here():
    print("ready", flush=True)
    sys.stdin.readline()
    raise SystemExit("not killed")


if mode == "before-commit":
    @event.listens_for(db.engine, "commit")
    def _before_commit(conn):
        if slot_updated:
            stop_here()
elif mode == "after-commit":
    @event.listens_for(Session, "after_commit")
    def _after_commit(session):
        if slot_updated:
            stop_here()

if mode == "loop":
    while True:
        vault.change_passphrase(current, new)
        current, new = new, current
        print(current, flush=True)
else:
    vault.change_passphrase(current, new)
    print("finished", flush=True)
"""


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """A database file with a vault (passphrase ``OLD``) and two notes; closed."""
    path = database_path(tmp_path / "data")
    db = open_database(path)
    try:
        group_id = RosterService(db).create_group(GroupDraft("Monday Circle", 0)).id
        vault = VaultService(db, kdf_params=FAST_KDF)
        vault.set_up(OLD)
        notes = NoteService(db, vault)
        for title, body in NOTE_BODIES.items():
            notes.create(NoteDraft(group_id, title, body))
    finally:
        db.close()
    return path


class Child(ChildProcess):
    def __init__(self, path: Path, mode: str, current: str, new: str) -> None:
        super().__init__(CHILD, str(path), mode, current, new, line_timeout=LINE_TIMEOUT)


@pytest.fixture
def children() -> Iterator[list[Child]]:
    started: list[Child] = []
    yield started
    for child in started:
        if child.process.poll() is None:
            child.kill()


def start(children: list[Child], path: Path, mode: str, current: str, new: str) -> Child:
    child = Child(path, mode, current, new)
    children.append(child)
    return child


def opening_passphrases(path: Path) -> list[str]:
    """Which of OLD and NEW open the vault now (after checking the file is intact), each
    checked to read every note."""
    check = sqlite3.connect(path)
    try:
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        check.close()
    db = open_database(path)
    try:
        vault = VaultService(db, kdf_params=FAST_KDF)
        opening = []
        for passphrase in (OLD, NEW):
            try:
                vault.unlock(passphrase)
            except WrongPassphraseError:
                continue
            opening.append(passphrase)
            group_id = RosterService(db).list_groups()[0].id
            notes = NoteService(db, vault).notes(group_id)
            assert {n.title: n.body for n in notes} == NOTE_BODIES
            assert not any(n.damaged for n in notes)
            vault.lock()
        return opening
    finally:
        db.close()


def test_killed_before_commit_keeps_the_old_passphrase(
    db_file: Path, children: list[Child]
) -> None:
    child = start(children, db_file, "before-commit", OLD, NEW)
    assert child.next_line() == "ready"
    child.kill()
    assert child.process.returncode != 0
    assert opening_passphrases(db_file) == [OLD]


def test_killed_after_commit_keeps_the_new_passphrase(db_file: Path, children: list[Child]) -> None:
    child = start(children, db_file, "after-commit", OLD, NEW)
    assert child.next_line() == "ready"
    child.kill()
    assert child.process.returncode != 0
    assert opening_passphrases(db_file) == [NEW]


def test_killed_at_any_moment_of_repeated_changes_one_passphrase_opens(
    db_file: Path, children: list[Child]
) -> None:
    child = start(children, db_file, "loop", OLD, NEW)
    said = [child.next_line() for _ in range(12)]
    child.kill()  # straight away: wherever the loop happens to be
    assert said == [NEW, OLD] * 6
    opening = opening_passphrases(db_file)
    assert opening in ([OLD], [NEW])
