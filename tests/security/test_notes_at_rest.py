"""Nothing private reaches the disk in the clear: not the database, its -wal and -shm files,
nor the app log — for note titles, bodies and tags, follow-up reasons and outcomes, the
versions they replaced, deleted notes, search words, the passphrase and the recovery code."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from peercircle.db import Database
from peercircle.paths import database_path
from peercircle.services.follow_ups import FollowUpService
from peercircle.services.notes import NoteService
from peercircle.services.notes_types import FollowUpDraft, NoteDraft
from peercircle.services.roster import RosterService
from peercircle.services.roster_types import GroupDraft, MemberDraft
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import normalise_recovery_code
from peercircle.services.vault_types import WrongPassphraseError

PASSPHRASE = "Ωmega lantern över the bridge"
WRONG_PASSPHRASE = "Ωmega lantern under the bridge"
DUE = dt.date(2025, 3, 14)
ROSTER_NAME = "Radosław-plain-roster-name"
"""Stored in the clear on purpose (rosters are not encrypted): proves the scan finds text."""

# Every string below is written into an encrypted field at some point.
OLD_TITLE = "Zanzibar-quokka-77"
OLD_BODY = "Ágnes-sleeps-ŁÓDŹ badly since the move"
OLD_TAG = "Ñandú-café-señal"  # latin-1 can encode this one
NEW_TITLE = "秘密のメモ-第二版"
NEW_BODY = "Nguyễn-xin-chào-42 said the new job helps"
NEW_TAG = "Ольга-тревога-19"
SECOND_TITLE = "Grüße-aus-Köln-3"
SECOND_BODY = "Fjörður-Þórunn-88 brought her sister"
DELETED_TITLE = "Kraków-ołówek-5150"
DELETED_BODY = "Θάλασσα-μυστικό-61 told a story about the sea"
OLD_REASON = "Ask-Żaneta-about-court-date"
NEW_REASON = "Phone-Ñusta-Quispe-about-hearing"
OUTCOME = "Relieved-après-l'audience-éé"
SEARCH_WORD = "quokka-77-search"
SECRETS = (
    OLD_TITLE,
    OLD_BODY,
    OLD_TAG,
    NEW_TITLE,
    NEW_BODY,
    NEW_TAG,
    SECOND_TITLE,
    SECOND_BODY,
    DELETED_TITLE,
    DELETED_BODY,
    OLD_REASON,
    NEW_REASON,
    OUTCOME,
    PASSPHRASE,
    WRONG_PASSPHRASE,
)


def encodings(text: str) -> list[bytes]:
    """``text`` as it could sit in a file: UTF-8, UTF-16-LE, and latin-1 if it can."""
    found = [text.encode("utf-8"), text.encode("utf-16-le")]
    with contextlib.suppress(UnicodeEncodeError):
        found.append(text.encode("latin-1"))
    return found


@dataclass(frozen=True)
class Written:
    """What the scenario left behind: the recovery code (to look for) and the database."""

    recovery_code: str
    db_file: Path


def write_private_things(db: Database, vault: VaultService, data_dir: Path) -> Written:
    """Set up a vault and use it the way a facilitator would; leave it locked."""
    roster = RosterService(db)
    group_id = roster.create_group(GroupDraft("Tuesday Circle", 1)).id
    member_id = roster.create_member(MemberDraft(ROSTER_NAME), group_id=group_id).id
    code = vault.set_up(PASSPHRASE)
    notes = NoteService(db, vault)
    follow_ups = FollowUpService(db, vault)

    note = notes.create(NoteDraft(group_id, OLD_TITLE, OLD_BODY, (OLD_TAG,), member_id=member_id))
    note = notes.update(note.id, NoteDraft(group_id, NEW_TITLE, NEW_BODY, (NEW_TAG,)), note.version)
    notes.create(NoteDraft(group_id, SECOND_TITLE, f"{SECOND_BODY} {SEARCH_WORD}"))
    doomed = notes.create(NoteDraft(group_id, DELETED_TITLE, DELETED_BODY))
    assert [n.title for n in notes.search(group_id, SEARCH_WORD)] == [SECOND_TITLE]
    assert [n.title for n in notes.search(group_id, "nguyen xin")] == [NEW_TITLE]
    notes.delete(doomed.id)

    follow_up = follow_ups.create(
        FollowUpDraft(member_id, DUE, OLD_REASON, group_id, note_id=note.id)
    )
    follow_up = follow_ups.update(
        follow_up.id, FollowUpDraft(member_id, DUE, NEW_REASON, group_id), follow_up.version
    )
    follow_up = follow_ups.complete(follow_up.id, OUTCOME, follow_up.version)
    assert follow_up.outcome == OUTCOME

    vault.lock()
    with pytest.raises(WrongPassphraseError):
        vault.unlock(WRONG_PASSPHRASE)
    vault.unlock_with_recovery_code(code.lower())
    assert notes.note(note.id).body == NEW_BODY
    vault.lock()
    return Written(recovery_code=code, db_file=database_path(data_dir))


def files_to_scan(db_file: Path, data_dir: Path) -> list[Path]:
    candidates = [db_file, Path(f"{db_file}-wal"), Path(f"{db_file}-shm")]
    logs = sorted(p for p in (data_dir / "logs").rglob("*") if p.is_file())
    return [p for p in candidates if p.exists()] + logs


def leaks(paths: list[Path], secrets: list[str]) -> list[tuple[str, str]]:
    """(file name, secret) for every secret found in any encoding in any file."""
    found = []
    for path in paths:
        raw = path.read_bytes()
        for secret in secrets:
            if any(encoded in raw for encoded in encodings(secret)):
                found.append((path.name, secret))
    return found


def test_nothing_private_is_on_disk_in_the_clear(
    db: Database, vault: VaultService, data_dir: Path, app_log: Path
) -> None:
    written = write_private_things(db, vault, data_dir)
    letters = normalise_recovery_code(written.recovery_code)
    assert letters is not None
    secrets = [*SECRETS, written.recovery_code, letters]

    # Still open: the write-ahead log and its index are there, as after a crash.
    wal, shm = Path(f"{written.db_file}-wal"), Path(f"{written.db_file}-shm")
    assert wal.exists() and wal.stat().st_size > 0
    assert shm.exists()
    open_files = files_to_scan(written.db_file, data_dir)
    assert {written.db_file, wal, shm, app_log} <= set(open_files)
    # The scan does find text that is stored in the clear (the roster).
    assert any(ROSTER_NAME.encode() in p.read_bytes() for p in open_files)
    assert leaks(open_files, secrets) == []

    # Closed: everything checkpointed into the database file itself.
    db.close()
    assert not wal.exists()
    closed_files = files_to_scan(written.db_file, data_dir)
    assert ROSTER_NAME.encode() in written.db_file.read_bytes()
    assert leaks(closed_files, secrets) == []


def test_the_log_records_events_by_id(
    db: Database, vault: VaultService, data_dir: Path, app_log: Path
) -> None:
    write_private_things(db, vault, data_dir)
    lines = app_log.read_text(encoding="utf-8").splitlines()
    for event in (
        "Private notes vault set up.",
        "Note 1 saved.",
        "Note 3 deleted.",
        "Follow-up 1 done.",
        "Unlocking failed: wrong passphrase.",
        "Private notes unlocked with the recovery code.",
        "Private notes locked.",
    ):
        assert any(line.endswith(event) for line in lines), event
    assert not any(ROSTER_NAME in line for line in lines)
