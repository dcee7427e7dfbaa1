"""Shared by the privacy and crash tests (imported as ``from security_helpers import ...``)."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
from dataclasses import dataclass

import pytest

from peercircle.services.follow_ups import FollowUpService
from peercircle.services.notes import NoteService
from peercircle.services.vault import VaultService
from peercircle.services.vault_crypto import KdfParams

FAST_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)
"""Cheap Argon2id settings: every test except the one about the real settings uses these."""
PASSPHRASE = "blue kettle on the stairs"


@dataclass(frozen=True)
class Circle:
    """A set-up, unlocked vault with one group, two members, notes and follow-ups."""

    vault: VaultService
    notes: NoteService
    follow_ups: FollowUpService
    recovery_code: str
    group_id: int
    member_ids: tuple[int, int]
    note_ids: tuple[int, int, int]
    follow_up_ids: tuple[int, int]


class ChildProcess:
    """A child Python process running ``script`` (``python -c``), its output read line by
    line on a thread, so waiting for a line has a deadline on every platform. The crash
    tests wait for the line that says the child reached its point, then SIGKILL it."""

    def __init__(self, script: str, *args: str, line_timeout: float = 20.0) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", script, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self._line_timeout = line_timeout
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def next_line(self) -> str:
        try:
            line = self._lines.get(timeout=self._line_timeout)
        except queue.Empty:
            pytest.fail("the child said nothing")
        if line is None:
            self.process.wait()
            assert self.process.stderr is not None
            pytest.fail(f"the child ended early:\n{self.process.stderr.read()}")
        return line

    def kill(self) -> None:
        """SIGKILL (on POSIX): no clean-up of any kind runs in the child."""
        self.process.kill()
        self.process.wait()
        self._reader.join()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            assert stream is not None
            stream.close()
