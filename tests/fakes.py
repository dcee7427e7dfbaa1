"""Fakes shared by the service and UI tests: a clock the test moves, a chime that counts.

Imported as ``from fakes import FakeClock``: ``tests/`` has no ``__init__.py``, so pytest's
default (prepend) import mode puts this folder on ``sys.path`` when it loads
``tests/conftest.py``, before any test module.
"""

from __future__ import annotations


class FakeClock:
    """A clock that only moves when the test says so: set ``now`` or add to it."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class CountingChime:
    """A silent chime that counts how often it was played."""

    def __init__(self) -> None:
        self.played = 0

    def play(self) -> None:
        self.played += 1
