"""One PeerCircle per data folder: the lock is exclusive, private, and gone with its holder."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from peercircle.instance_lock import LOCK_FILENAME, AlreadyRunningError, InstanceLock


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


def test_the_lock_file_is_private_and_the_lock_is_exclusive(folder: Path) -> None:
    old_umask = os.umask(0)
    try:
        first = InstanceLock(folder)
        first.acquire()
    finally:
        os.umask(old_umask)
    assert first.held
    assert stat.S_IMODE((folder / LOCK_FILENAME).stat().st_mode) == 0o600
    second = InstanceLock(folder)
    with pytest.raises(AlreadyRunningError) as caught:
        second.acquire()
    assert not second.held
    assert str(caught.value) == (
        f"PeerCircle is already open on this computer with the same data folder ({folder}). "
        "Switch to that window, or close it first."
    )
    first.release()
    with second:
        assert second.held
    assert not second.held


def test_acquiring_twice_and_releasing_twice_are_harmless(folder: Path) -> None:
    lock = InstanceLock(folder)
    lock.acquire()
    lock.acquire()
    lock.release()
    lock.release()
    with InstanceLock(folder):
        pass


def test_other_data_folders_are_not_locked(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with InstanceLock(tmp_path / "a"), InstanceLock(tmp_path / "b"):
        pass


def test_a_missing_data_folder_is_an_os_error_not_a_running_app(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        InstanceLock(tmp_path / "missing").acquire()


HOLDER = """
import sys
from pathlib import Path
from peercircle.instance_lock import InstanceLock
lock = InstanceLock(Path(sys.argv[1]))
lock.acquire()
print("held", flush=True)
sys.stdin.read()
"""


def test_a_lock_held_by_another_process_is_refused_and_freed_when_it_dies(folder: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None
        try:
            assert child.stdout.readline().strip() == "held"
            with pytest.raises(AlreadyRunningError):
                InstanceLock(folder).acquire()
        finally:
            child.kill()  # no clean release: the operating system lets go of the lock
            child.wait()
    with InstanceLock(folder):
        pass
