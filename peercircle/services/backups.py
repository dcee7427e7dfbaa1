"""Restoring a backup: the one way the app and the command line put a backup in place.

Members erased since the backup was taken would come back with it, so their erasures are
read before anything is replaced and applied again to the restored data. No Qt here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from peercircle.db import DatabaseError, open_database
from peercircle.db.restore import RestoreResult, restore_backup
from peercircle.paths import database_path


def restore_and_reapply(
    data_dir: Path, backup: Path, *, damaged: bool = False, now: dt.datetime | None = None
) -> RestoreResult:
    """Restore ``backup`` as the data of ``data_dir`` (see ``restore_backup``), bring it up to
    this version of PeerCircle and erase again everyone erased since it was taken.

    The caller must have closed every connection to the database. BackupError if the restore
    could not be done (nothing changed); DatabaseError if the restored data could not be
    finished (the restore itself is done, and the replaced data is in the safety backup).
    """
    from peercircle.services.erasure import carried_erasures, reapply_erasures

    erasures = carried_erasures(data_dir)  # before the database that records them is replaced
    result = restore_backup(data_dir, backup, now=now, damaged=damaged)
    try:
        db = open_database(database_path(data_dir))
    except DatabaseError as exc:
        raise DatabaseError(f"The backup was restored, but it could not be opened: {exc}") from exc
    try:
        reapply_erasures(db, erasures)
    finally:
        db.close()
    return result


__all__ = ["restore_and_reapply"]
