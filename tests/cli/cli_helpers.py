"""Run ``python -m peercircle`` as a person would, and check what it printed.

Imported as ``from cli_helpers import ...``: pytest's default (prepend) import mode puts
``tests/cli`` on ``sys.path``. ``tests/cli/conftest.py`` has pytest rewrite the asserts here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from peercircle.paths import DATA_DIR_ENV

IMPORT_TIME = "import time:"


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    modules: frozenset[str]


def run_peercircle(
    *args: str, python_options: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """``python [python_options] -m peercircle ARGS``: UTF-8 output, no data folder setting."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}
    env.pop(DATA_DIR_ENV, None)
    return subprocess.run(
        [sys.executable, *python_options, "-m", "peercircle", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


def run_cli(data_dir: Path, *args: str) -> Run:
    """A command on ``data_dir``, run with ``-X importtime`` to learn which modules it loaded."""
    done = run_peercircle("--data-dir", str(data_dir), *args, python_options=("-X", "importtime"))
    lines = done.stderr.splitlines()
    timings = [line for line in lines if line.startswith(IMPORT_TIME)]
    stderr = "".join(line + "\n" for line in lines if not line.startswith(IMPORT_TIME))
    modules = frozenset(line.rsplit("|", 1)[-1].strip() for line in timings)
    return Run(done.returncode, done.stdout, stderr, modules)


def assert_headless(result: Run, command_module: str = "peercircle.cli") -> None:
    """The command never loaded Qt; ``command_module`` loaded shows the timings are read."""
    assert command_module in result.modules, "import times are being read"
    loaded = {m for m in result.modules if m.split(".")[0] in ("PySide6", "shiboken6")}
    assert not loaded, f"a headless command imported Qt: {sorted(loaded)[:5]}"


def assert_one_line_error(result: Run, *words: str) -> None:
    """Exit status 1 and one line on stderr, ``peercircle: ...``, holding every word."""
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("peercircle: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]
