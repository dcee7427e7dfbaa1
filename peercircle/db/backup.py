"""Verified, rotating backups of the SQLite database, and putting one back.

A backup is written with SQLite's backup API (a consistent copy even while PeerCircle is
writing; never a raw file copy) into a private temporary file, checked, made durable and only
then given its name, so ``backups/`` only ever holds complete, verified copies. Nothing here
deletes the user's data: a damaged database is moved aside, a replaced one is backed up first.
No Qt here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import logging
import os
import re
import secrets
import sqlite3
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from peercircle.db.database import DatabaseError
from peercircle.db.schema import HEAD_REVISION
from peercircle.files import os_error_reason, sync_folder
from peercircle.paths import database_path

BACKUP_DIRNAME = "backups"
KEEP_NEWEST = 10
"""Rotation keeps this many of the newest backups…"""
KEEP_WEEKS = 8
"""…plus the newest backup of each of this many ISO weeks (this one and the ones before)."""
DAILY_INTERVAL = dt.timedelta(hours=24)
VERIFY_PRAGMA = "quick_check"
"""How a backup is checked: see ``verify_backup`` and ``benchmarks/backup.py`` for why."""

_SQLITE_HEADER = b"SQLite format 3\x00"
_STAMP_FORMAT = "%Y%m%d-%H%M%S"
_SIDE_SUFFIXES = ("-wal", "-shm")
_UNCHANGED = "Your data is unchanged."
_NOTHING_CHANGED = "Nothing was changed."
_log = logging.getLogger(__name__)


class BackupReason(enum.StrEnum):
    MANUAL = "manual"
    ON_CLOSE = "on-close"
    DAILY = "daily"
    BEFORE_RESTORE = "before-restore"
    BEFORE_UPGRADE = "before-upgrade"


_NAME = re.compile(
    r"peercircle-(?P<stamp>\d{8}-\d{6})-(?P<reason>"
    + "|".join(re.escape(r.value) for r in BackupReason)
    + r")(?:-(?P<counter>[1-9]\d*))?\.sqlite3"
)
_TEMP = re.compile(r"\.peercircle-(?P<pid>\d+)-[0-9a-f]+\.tmp(?:-journal|-wal|-shm)?")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    """Aware UTC, to the second, from the file name."""
    reason: BackupReason
    size: int
    """Bytes."""


@dataclass(frozen=True)
class RestoreResult:
    restored_from: BackupInfo | Path
    """The backup put back: a BackupInfo if it is one of ``backups/``, else its path."""
    safety_backup: BackupInfo | None
    """The copy of the data that was replaced (None when it was damaged or there was none)."""
    moved_aside: Path | None
    """The damaged database's new name (when restoring over a damaged one)."""


class BackupError(DatabaseError):
    """A backup or restore could not be done; the message is ready to show and says what is
    safe. ``reason`` is its cause in a few words (“the disk is full”), to quote elsewhere."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class SourceDamagedError(BackupError):
    """The database being copied is damaged (its copy failed the check); it was not changed."""


# ---- where backups are and what they are called ------------------------------------------


def backups_dir(data_dir: Path) -> Path:
    return data_dir / BACKUP_DIRNAME


def _utc(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        return dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(dt.UTC)


def _parse(path: Path) -> tuple[dt.datetime, BackupReason, int] | None:
    match = _NAME.fullmatch(path.name)
    if match is None:
        return None
    try:
        taken = dt.datetime.strptime(match["stamp"], _STAMP_FORMAT).replace(tzinfo=dt.UTC)
    except ValueError:  # 20261399-…: looks like ours, is not
        return None
    return taken, BackupReason(match["reason"]), int(match["counter"] or 1)


def _scan(folder: Path) -> list[tuple[BackupInfo, int]]:
    """Every backup in ``folder`` with its counter, newest first (no file is opened)."""
    found = []
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    for entry in entries:
        parsed = _parse(Path(entry.path))
        if parsed is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            size = entry.stat(follow_symlinks=False).st_size
        except OSError:  # removed meanwhile
            continue
        taken, reason, counter = parsed
        found.append((BackupInfo(Path(entry.path), taken, reason, size), counter))
    found.sort(key=lambda pair: (pair[0].taken_at, pair[1]), reverse=True)
    return found


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """The backups in ``backups/``, newest first, from their names and sizes alone."""
    return [info for info, _ in _scan(backups_dir(data_dir))]


def _new_name(folder: Path, taken_at: dt.datetime, reason: BackupReason) -> Path:
    """A name for a backup taken at ``taken_at``; the counter goes up for every backup of the
    same second (whatever its reason), so the newest-first order never depends on the reason."""
    stamp = taken_at.strftime(_STAMP_FORMAT)
    counters = [c for info, c in _scan(folder) if info.taken_at == taken_at]
    counter = max(counters, default=0) + 1
    while True:
        suffix = f"-{counter}" if counter > 1 else ""
        path = folder / f"peercircle-{stamp}-{reason.value}{suffix}.sqlite3"
        if not path.exists():
            return path
        counter += 1


def _info(path: Path) -> BackupInfo | None:
    parsed = _parse(path)
    if parsed is None:
        return None
    taken, reason, _ = parsed
    return BackupInfo(path, taken, reason, path.stat().st_size)


# ---- writing and checking one backup ------------------------------------------------------


def _read_only_uri(path: Path) -> str:
    # Percent-encoded, so "#", "?" and "%" in folder names stay part of the path.
    return f"{path.absolute().as_uri()}?mode=ro"


def _sqlite_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF  # the primary code of an extended one


def _check(con: sqlite3.Connection) -> bool:
    rows = con.execute(f"PRAGMA {VERIFY_PRAGMA}").fetchall()
    return rows == [("ok",)]


def _revision(con: sqlite3.Connection) -> str | None:
    """The stored Alembic revision; None if there is none (not a PeerCircle database)."""
    tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in tables:
        return None
    row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row and isinstance(row[0], str) else None


def _unwritten(reason: str) -> BackupError:
    return BackupError(f"The backup could not be written: {reason}. {_UNCHANGED}", reason)


def _failure(exc: sqlite3.Error, source: Path, folder: Path) -> BackupError:
    """What a failed copy means, in plain words."""
    code = _sqlite_code(exc)
    if code == sqlite3.SQLITE_FULL:
        return _unwritten("the disk is full")
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
        return _unwritten(f"PeerCircle is not allowed to write in {folder}")
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        reason = f"the data file {source} is damaged"
        return SourceDamagedError(
            f"The backup could not be made: {reason} ({exc}). It has not been changed.", reason
        )
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        reason = "the data was busy"
        return BackupError(
            f"The backup could not be made: {reason}. Try again in a moment. {_UNCHANGED}", reason
        )
    if code == sqlite3.SQLITE_CANTOPEN:
        reason = f"{source} could not be opened"
        return BackupError(f"The backup could not be made: {reason}. {_UNCHANGED}", reason)
    if code == sqlite3.SQLITE_IOERR:
        return _unwritten("the disk could not be read or written")
    return BackupError(f"The backup could not be made: {exc}. {_UNCHANGED}", str(exc))


def _copy(
    source: Path, temp: Path, pages: int, progress: Callable[[int, int], None] | None
) -> None:
    """Copy ``source`` into the empty file ``temp``, put the copy on the disk and check it;
    BackupError if it cannot be made or fails the check, OSError if it cannot be synced."""
    folder = temp.parent
    try:
        dst = sqlite3.connect(str(temp), isolation_level=None)
        try:
            # The temporary file is thrown away if anything goes wrong, so it needs no
            # journal; it is made durable with one fsync once it is complete.
            dst.execute("PRAGMA journal_mode=OFF")
            dst.execute("PRAGMA synchronous=OFF")
            src = sqlite3.connect(_read_only_uri(source), uri=True, isolation_level=None)
            try:
                src.execute("PRAGMA busy_timeout=5000")
                src.backup(dst, pages=pages, progress=_steps(progress))
            finally:
                src.close()
            # The copy would say "WAL" like the database it came from: a backup is one
            # self-contained file.
            dst.execute("PRAGMA journal_mode=DELETE")
            # The fsync waits on the disk and the check on the processor: do both at once.
            with ThreadPoolExecutor(max_workers=1) as pool:
                synced = pool.submit(_fsync_file, temp)
                intact = _check(dst)
                revision = _revision(dst) if intact else None
            synced.result()
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise _failure(exc, source, folder) from exc
    if not intact:
        reason = f"the copy of {source} did not pass its check, so that file may be damaged"
        raise SourceDamagedError(
            f"The backup could not be made: {reason}. It has not been changed.", reason
        )
    if revision is None:
        reason = f"{source} is not a PeerCircle database"
        raise BackupError(f"The backup could not be made: {reason}. It has not been changed.")


def _steps(
    progress: Callable[[int, int], None] | None,
) -> Callable[[int, int, int], None] | None:
    """sqlite3 reports (status, pages remaining, pages in all); ours gets the last two."""
    if progress is None:
        return None

    def step(_status: int, remaining: int, total: int) -> None:
        progress(remaining, total)

    return step


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)  # Windows flushes only a file open for writing
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_temp(temp: Path) -> None:
    for path in (temp, *(Path(f"{temp}{s}") for s in ("-journal", *_SIDE_SUFFIXES))):
        with contextlib.suppress(OSError):
            path.unlink()


def write_backup(
    source: Path,
    target: Path,
    *,
    pages: int = -1,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write a verified copy of the database ``source`` to ``target`` (0600), or nothing.

    Uses SQLite's backup API into a temporary file next to ``target`` (``pages`` and
    ``progress`` go to it), checks the copy, puts it on the disk, then renames it onto
    ``target``. ``progress(remaining, total)`` is called with page counts after each step of
    ``pages`` pages. Raises BackupError with a plain message on any failure; then no temporary
    file is left and whatever was at ``target`` is unchanged.
    """
    folder = target.parent
    temp = folder / f".peercircle-{os.getpid()}-{secrets.token_hex(6)}.tmp"
    try:
        os.close(os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise _unwritten(os_error_reason(exc)) from exc
    try:
        _copy(source, temp, pages, progress)
        os.replace(temp, target)
    except OSError as exc:
        _remove_temp(temp)
        raise _unwritten(os_error_reason(exc)) from exc
    except BaseException:
        _remove_temp(temp)
        raise
    sync_folder(folder)


def verify_backup(path: Path) -> str:
    """The Alembic revision stored in the backup at ``path``, once it has passed its check.

    Opens it read-only. Raises BackupError if it cannot be read, is damaged or is not a
    PeerCircle database. The check is SQLite's ``quick_check``: every page, every record and
    every NOT NULL and CHECK constraint, but not whether each index matches its table — that
    would be several times slower on a large file, and an index can be rebuilt from its
    table while lost rows cannot.
    """

    def not_ours(detail: str = "") -> BackupError:
        because = f" ({detail})" if detail else ""
        return BackupError(
            f"{path} is not a PeerCircle backup: it is damaged or is another kind of "
            f"file{because}. {_NOTHING_CHANGED}",
            "it is not a PeerCircle backup",
        )

    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except OSError as exc:
        reason = os_error_reason(exc)
        if isinstance(exc, FileNotFoundError):
            reason = "there is no such file"
        raise BackupError(f"{path} could not be read: {reason}. {_NOTHING_CHANGED}") from exc
    if header != _SQLITE_HEADER:
        raise not_ours()
    try:
        con = sqlite3.connect(_read_only_uri(path), uri=True, isolation_level=None)
        try:
            intact = _check(con)
            revision = _revision(con) if intact else None
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise not_ours(str(exc)) from exc
    if not intact:
        raise BackupError(
            f"{path} is damaged: it did not pass its check. Choose another backup. "
            f"{_NOTHING_CHANGED}",
            "it is damaged",
        )
    if revision is None:
        raise not_ours()
    return revision


# ---- taking, listing and rotating backups -------------------------------------------------


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        # Windows will not delete a file another process has open, so trying is safe there.
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, belongs to someone else
        return True
    return True


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove temporary files of backups (or restores) in ``folder`` whose writer was killed;
    those still being written by a running process are left alone. Returns what was removed."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        match = _TEMP.fullmatch(entry.name)
        if match is None or _pid_alive(int(match["pid"])):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def _take(data_dir: Path, database: Path, reason: BackupReason, now: dt.datetime) -> BackupInfo:
    """A verified backup of ``database`` in ``backups/``, not rotated yet."""
    if not database.exists():
        raise BackupError(
            f"There is no PeerCircle data in {database.parent} to back up yet.",
            "there is no data yet",
        )
    folder = backups_dir(data_dir)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise _unwritten(os_error_reason(exc)) from exc
    remove_leftovers(folder)
    taken_at = now.replace(microsecond=0)
    target = _new_name(folder, taken_at, reason)
    write_backup(database, target)
    _log.info("Backup written: %s.", target.name)
    return BackupInfo(target, taken_at, reason, target.stat().st_size)


def take_backup(
    data_dir: Path,
    reason: BackupReason,
    *,
    now: dt.datetime | None = None,
    database: Path | None = None,
) -> BackupInfo:
    """Back up the database of ``data_dir`` (or ``database``, a file in it under another name)
    into ``backups/``, then rotate; the new backup. BackupError if it could not be made."""
    moment = _utc(now)
    info = _take(data_dir, database or database_path(data_dir), reason, moment)
    rotate(data_dir, now=moment)
    return info


def _iso_week(moment: dt.datetime) -> tuple[int, int]:
    year, week, _ = moment.isocalendar()
    return year, week


def rotate(data_dir: Path, *, now: dt.datetime, keep: Collection[Path] = ()) -> list[Path]:
    """Remove the backups rotation no longer keeps; the paths removed.

    Kept: the ``KEEP_NEWEST`` newest, plus the newest of each ISO week (UTC) of the last
    ``KEEP_WEEKS`` weeks, plus anything in ``keep``. The newest backup is never removed.
    """
    moment = _utc(now)
    backups = list_backups(data_dir)
    kept = {info.path for info in backups[:KEEP_NEWEST]}
    kept.update(Path(path) for path in keep)
    weeks = {_iso_week(moment - dt.timedelta(weeks=n)) for n in range(KEEP_WEEKS)}
    for info in backups:  # newest first: the first of each week is its newest
        week = _iso_week(info.taken_at)
        if week in weeks:
            weeks.discard(week)
            kept.add(info.path)
    removed = []
    for info in backups:
        if info.path in kept:
            continue
        try:
            info.path.unlink()
        except OSError:
            continue  # kept for now; the next rotation tries again
        removed.append(info.path)
        _log.info("Old backup removed: %s.", info.path.name)
    return removed


def newest_verified_backup(data_dir: Path) -> BackupInfo | None:
    """The newest backup that passes ``verify_backup``; None if there is none."""
    for info in list_backups(data_dir):
        try:
            verify_backup(info.path)
        except BackupError:
            continue
        return info
    return None


def last_backup_at(data_dir: Path) -> dt.datetime | None:
    backups = list_backups(data_dir)
    return backups[0].taken_at if backups else None


def daily_backup_due(data_dir: Path, *, now: dt.datetime) -> bool:
    """True if no backup (of any reason) was taken in the 24 hours up to ``now``."""
    moment = _utc(now)
    return not any(
        moment - DAILY_INTERVAL < info.taken_at <= moment for info in list_backups(data_dir)
    )


# ---- restoring ----------------------------------------------------------------------------


def _side_files(db_path: Path) -> list[Path]:
    return [Path(f"{db_path}{suffix}") for suffix in _SIDE_SUFFIXES]


def move_aside(db_path: Path, *, now: dt.datetime | None = None) -> Path:
    """Rename the database file (and its -wal/-shm) to ``<name>.damaged-<UTC stamp>.sqlite3``
    next to it; never deletes or overwrites anything. Returns the new name of the database.

    The -wal and -shm go first: a -wal left behind would be read into the next file at
    ``db_path``. Raises BackupError if there is nothing to move or it cannot be moved.
    """
    stamp = _utc(now).strftime(_STAMP_FORMAT)
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
    for suffix in ("", *_SIDE_SUFFIXES):
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
            f"The data could not be made ready to be replaced ({exc}). {_NOTHING_CHANGED}"
        ) from exc
    wal, shm = _side_files(db_path)
    if wal.exists():  # the last connection to close removes it: someone still has it open
        raise BackupError(
            "PeerCircle's data is still in use by another program or window. Close it, then "
            f"try again. {_NOTHING_CHANGED}"
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
            f"PeerCircle to restore it. {_NOTHING_CHANGED}"
        )


def restore_backup(
    data_dir: Path, backup: Path, *, now: dt.datetime | None = None, damaged: bool = False
) -> RestoreResult:
    """Put the backup ``backup`` in place of the database of ``data_dir``.

    The backup is checked first (BackupError if it is not usable: nothing changed). The data
    it replaces is backed up first (BEFORE_RESTORE; if that fails, nothing changed), or, if
    ``damaged``, moved aside. The caller must have closed every connection to the database.
    """
    moment = _utc(now)
    db_path = database_path(data_dir)
    revision = verify_backup(backup)
    _refuse_newer(backup, revision)
    if _same_file(backup, db_path):
        raise BackupError(
            f"{backup} is PeerCircle's data file in use, not a backup. {_NOTHING_CHANGED}"
        )
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise BackupError(
            f"The data folder {data_dir} could not be made: {os_error_reason(exc)}. "
            f"{_NOTHING_CHANGED}"
        ) from exc
    safety = moved = None
    if damaged or not db_path.exists():
        # A -wal or -shm without its database is moved aside too, never read into the new one.
        if any(p.exists() for p in (db_path, *_side_files(db_path))):
            moved = move_aside(db_path, now=moment)
    else:
        try:
            safety = _take(data_dir, db_path, BackupReason.BEFORE_RESTORE, moment)
        except BackupError as exc:
            kind = SourceDamagedError if isinstance(exc, SourceDamagedError) else BackupError
            raise kind(
                f"Your current data could not be backed up before restoring: {exc.reason}. "
                f"{_NOTHING_CHANGED}",
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
        restored = _info(backup) or backup
    return RestoreResult(restored_from=restored, safety_backup=safety, moved_aside=moved)


__all__ = [
    "BACKUP_DIRNAME",
    "BackupError",
    "BackupInfo",
    "BackupReason",
    "RestoreResult",
    "SourceDamagedError",
    "backups_dir",
    "daily_backup_due",
    "last_backup_at",
    "list_backups",
    "move_aside",
    "newest_verified_backup",
    "remove_leftovers",
    "restore_backup",
    "rotate",
    "take_backup",
    "verify_backup",
    "write_backup",
]
