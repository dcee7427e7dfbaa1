"""The backup commands: ``peercircle backup``, ``peercircle backups``, ``peercircle restore``.

Imported by ``cli.build_parser``, so nothing here imports SQLite, SQLAlchemy or the services
at module level: each command imports what it needs when it runs. No Qt here.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from peercircle.cli_support import CliError

if TYPE_CHECKING:
    from peercircle.db.backup import BackupInfo
    from peercircle.db.restore import RestoreResult

SERVER_MESSAGE = "Your organisation's database is backed up on its server; ask whoever runs it."
_REASONS = {
    "manual": "backed up by you",
    "on-close": "on closing",
    "daily": "daily",
    "before-restore": "before a restore",
    "before-upgrade": "before an update",
}


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = commands.add_parser(
        "backup",
        help="make a verified backup of your data",
        description="Make a verified backup of your data (a complete copy, checked before it "
        "is kept). Without -o it goes into the backups folder of the data folder, where the "
        "10 newest backups and one for each of the last 8 weeks are kept.",
    )
    backup.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        help="write the backup to FILE instead (a new file: an existing one is not replaced)",
    )
    backup.set_defaults(run=_backup)

    listing = commands.add_parser(
        "backups",
        help="list the backups of your data, newest first",
        description="List the backups in the backups folder of the data folder, newest "
        "first, with when and why each was made.",
    )
    listing.set_defaults(run=_list_backups)

    restore = commands.add_parser(
        "restore",
        help="put a backup in place of your current data",
        description="Put a backup in place of your current data. The backup is checked "
        "first; the data it replaces is backed up first (or, if it is damaged, moved aside, "
        "never deleted). Members erased since the backup was made are erased again. "
        "PeerCircle must be closed.",
    )
    restore.add_argument("file", metavar="FILE", type=Path, help="the backup to restore")
    restore.set_defaults(run=_restore)


def _refuse_server_database(args: argparse.Namespace) -> None:
    """Backups are of the data folder's SQLite file; a database named by an address is not."""
    from peercircle.paths import database_url

    url = database_url(getattr(args, "database_url", None))
    if url is None:
        return
    if url.lower().startswith("sqlite"):
        raise CliError(
            "Backups are made of a data folder: run this with --data-dir instead of a "
            "database address. Nothing was changed."
        )
    raise CliError(SERVER_MESSAGE)


def describe_size(size: int) -> str:
    """Bytes in plain words: “820 bytes”, “64 KB”, “1.2 MB”, “3.4 GB”."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1000**2:
        return f"{size / 1000:.0f} KB"
    if size < 1000**3:
        return f"{size / 1000**2:.1f} MB"
    return f"{size / 1000**3:.1f} GB"


def _describe(info: BackupInfo) -> str:
    when = info.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
    return f"{when}, {_REASONS.get(info.reason.value, info.reason.value)}"


# ---- backup --------------------------------------------------------------------------------


def _backup(args: argparse.Namespace, directory: Path) -> int:
    from peercircle.db.backup import BackupError, BackupReason, take_backup, write_backup
    from peercircle.logs import configure_logging
    from peercircle.paths import database_path

    _refuse_server_database(args)
    source = database_path(directory)
    if not source.is_file():
        raise CliError(f"There is no PeerCircle data in {directory} to back up yet.")
    configure_logging(directory)
    output: Path | None = args.output
    try:
        if output is None:
            info = take_backup(directory, BackupReason.MANUAL)
            target, size = info.path, info.size
        else:
            if output.exists() or output.is_symlink():
                raise CliError(
                    f"{output} already exists; choose a new file name. Nothing was written."
                )
            write_backup(source, output)
            target, size = output, output.stat().st_size
    except BackupError as exc:
        raise CliError(str(exc)) from exc
    print(f"Backed up your data to {target} ({describe_size(size)}). It has been checked.")
    return 0


# ---- backups -------------------------------------------------------------------------------


def _list_backups(args: argparse.Namespace, directory: Path) -> int:
    from peercircle.db.backup import backups_dir, list_backups

    _refuse_server_database(args)
    folder = backups_dir(directory)
    backups = list_backups(directory)
    if not backups:
        print(f"No backups yet. They will be kept in {folder}.")
        return 0
    count = f"{len(backups)} backup{'s' if len(backups) != 1 else ''}"
    print(f"{count} in {folder}, newest first (local time):")
    for info in backups:
        print(f"  {_describe(info):<34} {describe_size(info.size):>9}   {info.path.name}")
    return 0


# ---- restore -------------------------------------------------------------------------------


def _restore(args: argparse.Namespace, directory: Path) -> int:
    from peercircle.db import DatabaseError
    from peercircle.db.backup import BackupError, verify_backup
    from peercircle.instance_lock import AlreadyRunningError, InstanceLock
    from peercircle.logs import configure_logging
    from peercircle.paths import ensure_private_dir

    _refuse_server_database(args)
    backup: Path = args.file
    try:
        verify_backup(backup)
    except BackupError as exc:
        raise CliError(str(exc)) from exc
    try:
        ensure_private_dir(directory)
    except OSError as exc:
        raise CliError(
            f"Could not open the data folder {directory}: {exc.strerror or exc}. "
            "Nothing was changed."
        ) from exc
    lock = InstanceLock(directory)
    try:
        lock.acquire()
    except AlreadyRunningError as exc:
        raise CliError(
            f"PeerCircle is open with this data folder ({directory}). Close it, then restore "
            "again. Nothing was changed."
        ) from exc
    except OSError as exc:
        raise CliError(
            f"Could not use the data folder {directory}: {exc.strerror or exc}. "
            "Nothing was changed."
        ) from exc
    try:
        configure_logging(directory)
        result = _restore_locked(directory, backup)
    except (BackupError, DatabaseError) as exc:
        raise CliError(str(exc)) from exc
    finally:
        lock.release()
    _print_restored(backup, result)
    return 0


def _restore_locked(directory: Path, backup: Path) -> RestoreResult:
    """Restore while holding the lock: over the current data, or, if that is damaged, with
    the damaged file moved aside."""
    from peercircle.db import DamagedDatabaseError
    from peercircle.db.backup import SourceDamagedError
    from peercircle.db.health import check_database
    from peercircle.paths import database_path
    from peercircle.services.backups import restore_and_reapply

    current = database_path(directory)
    damaged = False
    if current.exists():
        try:
            check_database(current)
        except DamagedDatabaseError:
            damaged = True
    try:
        return restore_and_reapply(directory, backup, damaged=damaged)
    except SourceDamagedError:
        # The start-up check of a big file reads only its structure; the full check made
        # while backing it up found the damage. Move it aside like any damaged file.
        if damaged:
            raise
        return restore_and_reapply(directory, backup, damaged=True)


def _print_restored(backup: Path, result: RestoreResult) -> None:
    from peercircle.db.backup import BackupInfo

    restored = result.restored_from
    if isinstance(restored, BackupInfo):
        print(f"Restored the backup from {_describe(restored)} ({restored.path}).")
    else:
        print(f"Restored the backup {backup}.")
    if result.safety_backup is not None:
        print(f"The data it replaced was backed up first: {result.safety_backup.path}")
    if result.moved_aside is not None:
        print(f"The damaged data file was moved aside, not deleted: {result.moved_aside}")
