"""Writing a file safely (completely or not at all), and why a file could not be used, in
plain words. No Qt here."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` completely or not at all: a temporary file in the same
    folder, on the disk before it takes the place of anything already at ``path``.

    The file is readable and writable by the user only (mkstemp makes it 0600 and
    os.replace keeps that). Raises OSError if it cannot be written; then no temporary file
    is left and whatever was at ``path`` is unchanged."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    sync_folder(path.parent)


def os_error_reason(exc: OSError) -> str:
    """Why reading or writing a file failed, in a few plain words to follow “because” or a
    colon: “the disk is full”. A missing file is for the caller to say (here, ENOENT means
    the folder to write in is missing)."""
    if isinstance(exc, FileNotFoundError):
        return "that folder does not exist"
    if isinstance(exc, PermissionError):
        return "PeerCircle is not allowed to open that file, or not allowed to write there"
    if isinstance(exc, IsADirectoryError):
        return "a folder already has that name"
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the disk cannot be written to"
    return exc.strerror or str(exc)


def sync_folder(folder: Path) -> None:
    """Make the rename itself survive a power cut (POSIX; elsewhere nothing to do)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


__all__ = ["os_error_reason", "sync_folder", "write_atomically"]
