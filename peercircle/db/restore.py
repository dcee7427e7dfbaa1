"""Putting a backup back in place of the database, and moving a damaged database aside.

The data that is replaced is backed up first (or, if it is damaged, renamed and kept), and the
backup is written into place with SQLite's backup API, so nothing of the user's is ever deleted
or overwritten. No Qt here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from peercircle.db.backup import (
    NOTHING_CHANGED,
    SIDE_SUFFIXES,
    STAMP_FORMAT,
    BackupError,
    BackupInfo,
    BackupReason,
    SourceDamagedError,
    aware_utc,
    backup_info,
    backups_dir,
    remove_leftovers,
    rotate,
    take_unrotated,
    verify_backup,
    write_backup,
)
from peercircle.db.schema import HEAD_REVISION
from peercircle.files import os_error_reason, sync_folder
from peercircle.paths import database_path

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RestoreResult:
    restored_from: BackupInfo | Path
    """The backup put back: a BackupInfo if it is one of ``backups/``, else its path."""
    safety_backup: BackupInfo | None
    """The copy of the data that was replaced (None when it was damaged or there was none)."""
    moved_aside: Path | None
    """The damaged database's new name (when restoring over a damaged one)."""


# ---- restoring ----------------------------------------------------------------------------


def _side_files(db_path: Path) -> list[Path]:
    return [Path(f"{db_path}{suffix}") for suffix in SIDE_SUFFIXES]


def move_aside(db_path: Path, *, now: dt.datetime | None = None) -> Path:
    """Rename the database file (and its -wal/-shm) to ``<name>.damaged-<UTC stamp>.sqlite3``
    next to it; never deletes or overwrites anything. Returns the new name of the database.

    The -wal and -shm go first: a -wal left behind would be read into the next file at
    ``db_path``. Raises BackupError if there is nothing to move or it cannot be moved.
    """
    stamp = aware_utc(now).strftime(STAMP_FORMAT)
    present = [p for p in (*_side_files(db_path), db_path) if p.exists()]
    if not present:
        raise BackupError(f"There is no data file at {db_path} to move aside.")
    counter = 1
    while True:
        suffix = f"-{counter}" if counter > 1 else ""
        new = db_path.with_name(f"{db_path.stem}.damaged-{stamp}{suffix}{db_path.suffix}")
        if not any(p.exists() for p in (new, *_side_files(new))):
            break
        counter += 1
    try:
        for old in present:
            os.rename(old, Path(f"{new}{old.name[len(db_path.name) :]}"))
    except OSError as exc:
        reason = os_error_reason(exc)
        raise BackupError(
            f"The damaged data file could not be moved aside: {reason}. It has not been deleted.",
            reason,
        ) from exc
    sync_folder(db_path.parent)
    _log.info("Damaged database moved aside: %s.", new.name)
    return new


def _move_back(moved: Path, db_path: Path) -> None:
    for suffix in ("", *SIDE_SUFFIXES):
        with contextlib.suppress(OSError):
            if Path(f"{moved}{suffix}").exists() and not Path(f"{db_path}{suffix}").exists():
                os.rename(f"{moved}{suffix}", f"{db_path}{suffix}")
    sync_folder(db_path.parent)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _fold_write_ahead_log(db_path: Path) -> None:
    """Fold a leftover -wal into the database and let SQLite remove it (and the -shm), so
    that no page of the replaced database is ever read into the restored one."""
    try:
        con = sqlite3.connect(
            f"{db_path.absolute().as_uri()}?mode=rw", uri=True, isolation_level=None
        )
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise BackupError(
            f"The data could not be made ready to be replaced ({exc}). {NOTHING_CHANGED}"
        ) from exc
    wal, shm = _side_files(db_path)
    if wal.exists():  # the last connection to close removes it: someone still has it open
        raise BackupError(
            "PeerCircle's data is still in use by another program or window. Close it, then "
            f"try again. {NOTHING_CHANGED}"
        )
    with contextlib.suppress(FileNotFoundError):
        shm.unlink()  # an index of a -wal that is no longer there


def _refuse_newer(backup: Path, revision: str) -> None:
    if revision == HEAD_REVISION:
        return
    from peercircle.db import migrate

    if revision not in migrate.known_revisions():
        raise BackupError(
            f"{backup} was made by a newer version of PeerCircle. Install the newest "
            f"PeerCircle to restore it. {NOTHING_CHANGED}"
        )


def restore_backup(
    data_dir: Path, backup: Path, *, now: dt.datetime | None = None, damaged: bool = False
) -> RestoreResult:
    """Put the backup ``backup`` in place of the database of ``data_dir``.

    The backup is checked first (BackupError if it is not usable: nothing changed). The data
    it replaces is backed up first (BEFORE_RESTORE; if that fails, nothing changed), or, if
    ``damaged``, moved aside. The caller must have closed every connection to the database.
    """
    moment = aware_utc(now)
    db_path = database_path(data_dir)
    revision = verify_backup(backup)
    _refuse_newer(backup, revision)
    if _same_file(backup, db_path):
        raise BackupError(
            f"{backup} is PeerCircle's data file in use, not a backup. {NOTHING_CHANGED}"
        )
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise BackupError(
            f"The data folder {data_dir} could not be made: {os_error_reason(exc)}. "
            f"{NOTHING_CHANGED}"
        ) from exc
    safety = moved = None
    if damaged or not db_path.exists():
        # A -wal or -shm without its database is moved aside too, never read into the new one.
        if any(p.exists() for p in (db_path, *_side_files(db_path))):
            moved = move_aside(db_path, now=moment)
    else:
        try:
            safety = take_unrotated(data_dir, db_path, BackupReason.BEFORE_RESTORE, moment)
        except BackupError as exc:
            kind = SourceDamagedError if isinstance(exc, SourceDamagedError) else BackupError
            raise kind(
                f"Your current data could not be backed up before restoring: {exc.reason}. "
                f"{NOTHING_CHANGED}",
                exc.reason,
            ) from exc
        _fold_write_ahead_log(db_path)
    remove_leftovers(data_dir)
    try:
        write_backup(backup, db_path)
    except BaseException:
        if moved is not None:  # never leave the folder without its data file
            _move_back(moved, db_path)
        raise
    _log.info("Backup restored.")
    rotate(data_dir, now=moment, keep=(backup,))
    restored: BackupInfo | Path = backup
    if _same_file(backup.parent, backups_dir(data_dir)):
        restored = backup_info(backup) or backup
    return RestoreResult(restored_from=restored, safety_backup=safety, moved_aside=moved)


__all__ = ["RestoreResult", "move_aside", "restore_backup"]
