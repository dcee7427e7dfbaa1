"""One PeerCircle at a time per data folder: a lock on ``<data dir>/peercircle.lock``.

Two windows on the same data would each think their screens are current, and a restore
must never replace the file under a running app. The lock belongs to the open file, so the
operating system lets go of it when the process ends, however it ends: a crash never leaves
a stale lock behind. The file itself stays (empty, readable by the user only).
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from types import TracebackType

LOCK_FILENAME = "peercircle.lock"


class AlreadyRunningError(Exception):
    """Another PeerCircle holds the lock on this data folder; the message says what to do."""


def lock_path(data_dir: Path) -> Path:
    return data_dir / LOCK_FILENAME


class InstanceLock:
    """``with InstanceLock(data_dir): ...``, or ``acquire()`` … ``release()``.

    ``acquire()`` raises AlreadyRunningError while another PeerCircle (or another
    InstanceLock in this process) holds the lock, and OSError if the lock file cannot be
    made (the data folder must exist).
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = lock_path(data_dir)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            locked = _lock(fd)
        except BaseException:
            os.close(fd)
            raise
        if not locked:
            os.close(fd)
            raise AlreadyRunningError(
                f"PeerCircle is already open on this computer with the same data folder "
                f"({self.data_dir}). Switch to that window, or close it first."
            )
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> bool:
        """True once locked; False if another process holds the lock."""
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except PermissionError:  # EACCES: the byte is locked by someone else
            return False
        except OSError as exc:
            if exc.errno == errno.EDEADLOCK:
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> bool:
        """True once locked; False if another process holds the lock."""
        # flock belongs to the open file: a second open() in this same process conflicts
        # too, so the lock means the same thing in tests as between two processes.
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


__all__ = ["LOCK_FILENAME", "AlreadyRunningError", "InstanceLock", "lock_path"]
