"""Verified, rotating backups of the SQLite database (putting one back: ``restore.py``).

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
from peercircle.db.health import SQLITE_HEADER, read_only_uri, stored_revision
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

STAMP_FORMAT = "%Y%m%d-%H%M%S"
SIDE_SUFFIXES = ("-wal", "-shm")
_UNCHANGED = "Your data is unchanged."
NOTHING_CHANGED = "Nothing was changed."
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


def aware_utc(now: dt.datetime | None) -> dt.datetime:
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
        taken = dt.datetime.strptime(match["stamp"], STAMP_FORMAT).replace(tzinfo=dt.UTC)
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
    stamp = taken_at.strftime(STAMP_FORMAT)
    counters = [c for info, c in _scan(folder) if info.taken_at == taken_at]
    counter = max(counters, default=0) + 1
    while True:
        suffix = f"-{counter}" if counter > 1 else ""
        path = folder / f"peercircle-{stamp}-{reason.value}{suffix}.sqlite3"
        if not path.exists():
            return path
        counter += 1


def backup_info(path: Path) -> BackupInfo | None:
    parsed = _parse(path)
    if parsed is None:
        return None
    taken, reason, _ = parsed
    return BackupInfo(path, taken, reason, path.stat().st_size)


# ---- writing and checking one backup ------------------------------------------------------


def _sqlite_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF  # the primary code of an extended one


def _check(con: sqlite3.Connection) -> bool:
    rows = con.execute(f"PRAGMA {VERIFY_PRAGMA}").fetchall()
    return rows == [("ok",)]


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
            src = sqlite3.connect(read_only_uri(source), uri=True, isolation_level=None)
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
                revision = stored_revision(dst) if intact else None
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
    for path in (temp, *(Path(f"{temp}{s}") for s in ("-journal", *SIDE_SUFFIXES))):
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
            f"file{because}. {NOTHING_CHANGED}",
            "it is not a PeerCircle backup",
        )

    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as exc:
        reason = os_error_reason(exc)
        if isinstance(exc, FileNotFoundError):
            reason = "there is no such file"
        raise BackupError(f"{path} could not be read: {reason}. {NOTHING_CHANGED}") from exc
    if header != SQLITE_HEADER:
        raise not_ours()
    try:
        con = sqlite3.connect(read_only_uri(path), uri=True, isolation_level=None)
        try:
            intact = _check(con)
            revision = stored_revision(con) if intact else None
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise not_ours(str(exc)) from exc
    if not intact:
        raise BackupError(
            f"{path} is damaged: it did not pass its check. Choose another backup. "
            f"{NOTHING_CHANGED}",
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


def take_unrotated(
    data_dir: Path, database: Path, reason: BackupReason, now: dt.datetime
) -> BackupInfo:
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
    moment = aware_utc(now)
    info = take_unrotated(data_dir, database or database_path(data_dir), reason, moment)
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
    moment = aware_utc(now)
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
    moment = aware_utc(now)
    return not any(
        moment - DAILY_INTERVAL < info.taken_at <= moment for info in list_backups(data_dir)
    )


__all__ = [
    "NOTHING_CHANGED",
    "SIDE_SUFFIXES",
    "STAMP_FORMAT",
    "aware_utc",
    "backup_info",
    "take_unrotated",
    "BACKUP_DIRNAME",
    "BackupError",
    "BackupInfo",
    "BackupReason",
    "SourceDamagedError",
    "backups_dir",
    "daily_backup_due",
    "last_backup_at",
    "list_backups",
    "newest_verified_backup",
    "remove_leftovers",
    "rotate",
    "take_backup",
    "verify_backup",
    "write_backup",
]
