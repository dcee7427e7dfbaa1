"""PeerCircle opens no network connections: not the window, not any command-line job.

Every run happens under ``strace -f`` watching the ``socket`` and ``connect`` system calls
(of the process and everything it starts); the trace must have none at all. The jobs are
read from the command line's own parser, so a command added later without a recipe here
fails this test instead of escaping it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from peercircle.cli import build_parser
from peercircle.paths import DATA_DIR_ENV, database_path

STRACE = shutil.which("strace")
pytestmark = pytest.mark.skipif(
    STRACE is None, reason="strace is not installed (.ci/run installs it); cannot watch sockets"
)

DATABASE_URL_ENV = "PEERCIRCLE_DATABASE_URL"
GROUP = "Tuesday Evening Circle"  # one of the demo data's groups
GUI = "the window (smoke test)"
TIMEOUT = 120


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def cli_jobs() -> list[str]:
    """Every job the command line offers: each command, and each ``pdf`` document apart."""
    jobs: list[str] = []
    for name, parser in subcommands(build_parser()).items():
        nested = subcommands(parser)
        if nested:
            jobs.extend(f"{name} {sub}" for sub in nested)
        else:
            jobs.append(name)
    return jobs


# ---- a recipe for every job: valid arguments on a data folder with the demo data in it ----


@dataclass(frozen=True)
class Inputs:
    """Files the jobs read, made once; ``out`` is the job's own folder for what it writes."""

    roster_csv: Path
    attendance_csv: Path
    backup: Path
    out: Path


Recipe = Callable[[Inputs], list[str]]

RECIPES: dict[str, Recipe] = {
    "demo-data": lambda i: ["demo-data", "--members", "12"],
    "import-roster": lambda i: ["import-roster", str(i.roster_csv), "--group", GROUP],
    "import-attendance": lambda i: [
        "import-attendance",
        str(i.attendance_csv),
        "--group",
        GROUP,
        "--add-unknown",
    ],
    "export-roster": lambda i: ["export-roster", "-o", str(i.out / "everyone.csv")],
    "pdf sign-in": lambda i: [
        "pdf",
        "sign-in",
        "--group",
        GROUP,
        "--date",
        "2026-11-24",
        "-o",
        str(i.out / "sign-in.pdf"),
    ],
    "pdf attendance": lambda i: [
        "pdf",
        "attendance",
        "--group",
        GROUP,
        "--from",
        "2000-01-01",
        "--to",
        "2099-12-31",
        "-o",
        str(i.out / "attendance.pdf"),
    ],
    "pdf handout": lambda i: ["pdf", "handout", "--group", GROUP, "-o", str(i.out / "h.pdf")],
    "pdf agreements": lambda i: ["pdf", "agreements", "--group", GROUP, "-o", str(i.out / "a.pdf")],
    "backup": lambda i: ["backup"],
    "backups": lambda i: ["backups"],
    "restore": lambda i: ["restore", str(i.backup)],
    "export-member": lambda i: [
        "export-member",
        "--member-id",
        "1",
        "-o",
        str(i.out / "member.json"),
        "--pdf",
        str(i.out / "member.pdf"),
    ],
    "erase-member": lambda i: ["erase-member", "--member-id", "1", "--yes"],
}
"""How to run each job for real. The demo data is made first; every other job then runs on
its own copy of that data folder."""


def write_inputs(folder: Path) -> Inputs:
    roster = folder / "roster.csv"
    roster.write_text(
        "Name,Full name,E-mail\nÁgnes K.,Ágnes Kovács,agnes@example.org\nОльга,,\n"
        "Nguyễn Thị Mai,,mai@example.org\n",
        encoding="utf-8",
    )
    attendance = folder / "attendance.csv"
    attendance.write_text("Name,2026-01-06,2026-01-13\nÁgnes K.,x,L\nОльга,E,A\n", encoding="utf-8")
    return Inputs(roster, attendance, folder / "backup.sqlite3", folder)


# ---- running under strace --------------------------------------------------------------


@dataclass(frozen=True)
class Traced:
    command: list[str]
    returncode: int
    stdout: str
    stderr: str
    trace: list[str] = field(repr=False)
    env: dict[str, str] = field(repr=False)

    @property
    def network_calls(self) -> list[str]:
        return [line for line in self.trace if "socket(" in line or "connect(" in line]

    def explain(self) -> str:
        return f"{' '.join(self.command)}\nexit {self.returncode}\n{self.stdout}\n{self.stderr}"


def child_env() -> dict[str, str]:
    """This environment without a data folder or database setting: only ``--data-dir``."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}
    env.pop(DATA_DIR_ENV, None)
    env.pop(DATABASE_URL_ENV, None)
    return env


def strace_options() -> list[str]:
    """Only the two calls stop the process when strace can filter them in the kernel."""
    assert STRACE is not None
    usage = subprocess.run([STRACE, "-h"], capture_output=True, text=True, check=False).stdout
    return ["--seccomp-bpf"] if "--seccomp-bpf" in usage else []


def traced(trace: Path, command: list[str], options: list[str]) -> Traced:
    assert STRACE is not None
    env = child_env()
    done = subprocess.run(
        [STRACE, "-f", "-qq", *options, "-e", "trace=socket,connect", "-o", str(trace), *command],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=TIMEOUT,
        check=False,
    )
    lines = trace.read_text(encoding="utf-8", errors="replace").splitlines()
    return Traced(command, done.returncode, done.stdout, done.stderr, lines, env)


def peercircle(folder: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "peercircle", "--data-dir", str(folder), *args]


@dataclass(frozen=True)
class Run:
    traced: Traced
    folder: Path


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Every job, each under its own strace: the demo data first, then the rest side by side,
    each on its own copy of the demo data folder."""
    root = tmp_path_factory.mktemp("no network")
    options = strace_options()
    inputs = write_inputs(root)
    base = root / "demo"
    demo = traced(
        root / "demo-data.trace", peercircle(base, *RECIPES["demo-data"](inputs)), options
    )
    assert demo.returncode == 0, demo.explain()
    results = {"demo-data": Run(demo, base)}
    source = sqlite3.connect(database_path(base))
    target = sqlite3.connect(inputs.backup)
    try:
        source.backup(target)  # a valid copy of the demo data for `restore` to restore
    finally:
        target.close()
        source.close()

    def run(number: int, job: str) -> tuple[str, Run]:
        folder = root / f"job {number}"
        shutil.copytree(base, folder)
        out = root / f"out {number}"
        out.mkdir()
        trace = root / f"job {number}.trace"
        if job == GUI:
            command = peercircle(folder, "--smoke-test")
        else:
            argv = RECIPES[job](
                Inputs(inputs.roster_csv, inputs.attendance_csv, inputs.backup, out)
            )
            command = peercircle(folder, *argv)
        return job, Run(traced(trace, command, options), folder)

    jobs = [GUI, *(job for job in cli_jobs() if job != "demo-data" and job in RECIPES)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results.update(pool.map(lambda numbered: run(*numbered), enumerate(jobs)))
    return results


# ---- the checks --------------------------------------------------------------------------


def test_every_job_of_the_command_line_has_a_recipe() -> None:
    jobs = cli_jobs()
    assert {"import-roster", "demo-data", "pdf sign-in"} <= set(jobs), jobs
    missing = [job for job in jobs if job not in RECIPES]
    assert missing == [], f"add a recipe for {missing} to RECIPES (jobs found: {jobs})"


def test_the_trace_sees_a_socket_when_one_is_opened(tmp_path: Path) -> None:
    # Without this, a strace that traced nothing would pass every other test here.
    opened = traced(
        tmp_path / "control.trace",
        [sys.executable, "-c", "import socket; socket.socket().close()"],
        strace_options(),
    )
    assert opened.returncode == 0, opened.explain()
    assert [line for line in opened.network_calls if "socket(AF_INET" in line], opened.trace


@pytest.mark.parametrize("job", [GUI, *cli_jobs()])
def test_no_network_calls(runs: dict[str, Run], job: str) -> None:
    assert job in runs, f"no recipe for {job!r}: add one to RECIPES"
    result, folder = runs[job].traced, runs[job].folder
    assert DATABASE_URL_ENV not in result.env
    worked = result.returncode == 0
    assert worked, result.explain()
    assert database_path(folder).is_file()  # it worked on its own data folder
    assert result.network_calls == [], "\n".join(result.network_calls)
