"""What the start-up check of the data file costs, on a typical and on a big database.

    python benchmarks/startup_check.py [--path DIR] [--runs 20]

Typical: the sample data (``peercircle demo-data``: three groups, 24 members, four months of
meetings), checked with SQLite's ``quick_check``. Also a database just under
``QUICK_CHECK_LIMIT`` (the slowest quick_check at start-up). Big: the database of
``benchmarks/backup.py`` (10,000 members, five years of weekly meetings), cached in DIR;
above ``QUICK_CHECK_LIMIT`` it gets the structural check. Prints the median of ``--runs``
runs of ``check_database`` for each, and, to show why big files are not quick-checked at
start-up, ``quick_check`` and ``integrity_check`` on the big file. Goal: under 50 ms.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from backup import cached_database  # noqa: E402  (benchmarks/backup.py: the big database)

from peercircle.db import open_database  # noqa: E402
from peercircle.db.health import QUICK_CHECK_LIMIT, check_database  # noqa: E402
from peercircle.paths import database_path  # noqa: E402

GOAL_MS = 50.0


def median_ms(action: Callable[[], object], runs: int) -> float:
    action()  # warm the disk cache, as at any start but the first after booting
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def sqlite_check(path: Path, pragma: str) -> None:
    con = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        assert con.execute(f"PRAGMA {pragma}").fetchall() == [("ok",)]
    finally:
        con.close()


def at_the_limit(folder: Path) -> Path:
    """A PeerCircle database a little under ``QUICK_CHECK_LIMIT``: the slowest quick_check
    a start-up can meet."""
    path = database_path(folder)
    open_database(path).close()
    con = sqlite3.connect(path)
    try:
        while path.stat().st_size < QUICK_CHECK_LIMIT - 200_000:
            con.executemany(
                "INSERT INTO members (display_name, full_name, pronouns, email, phone, "
                "emergency_contact, status, may_contact, created_at, updated_at, version) "
                "VALUES (?, ?, '', '', '', '', 'active', 0, '2026-01-01 10:00:00', "
                "'2026-01-01 10:00:00', 1)",
                [(f"Member {i}", f"Invented Person {i} of the long name") for i in range(2000)],
            )
            con.commit()
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--path",
        type=Path,
        default=Path(tempfile.gettempdir()) / "peercircle-benchmark-backup",
        help="folder caching the big database (shared with benchmarks/backup.py)",
    )
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    big = cached_database(args.path)
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp, "demo")
        subprocess.run(
            [sys.executable, "-m", "peercircle", "--data-dir", str(demo), "demo-data"],
            check=True,
            capture_output=True,
        )
        typical = database_path(demo)
        limit = at_the_limit(Path(tmp, "limit"))
        rows = [
            (name, path.stat().st_size, median_ms(lambda p=path: check_database(p), args.runs))
            for name, path in (
                ("typical (sample data)", typical),
                ("just under the limit", limit),
                ("big (benchmarks/backup.py)", big),
            )
        ]
    print(
        f"check_database, median of {args.runs} runs (quick_check up to "
        f"{QUICK_CHECK_LIMIT / 2**20:.0f} MiB, structural check above)"
    )
    worst = 0.0
    for name, size, ms in rows:
        kind = "quick_check" if size <= QUICK_CHECK_LIMIT else "structural"
        print(f"  {name:<28} {size / 1e6:8.1f} MB  {kind:<11} {ms:7.1f} ms")
        worst = max(worst, ms)
    quick = median_ms(lambda: sqlite_check(big, "quick_check"), 3)
    full = median_ms(lambda: sqlite_check(big, "integrity_check"), 3)
    size_mb = big.stat().st_size / 1e6
    print(f"for comparison, on the big file ({size_mb:.1f} MB), median of 3:")
    print(f"  quick_check      {quick:8.0f} ms ({quick / size_mb:.1f} ms/MB)")
    print(f"  integrity_check  {full:8.0f} ms")
    verdict = "met" if worst < GOAL_MS else "NOT met"
    print(f"goal: under {GOAL_MS:.0f} ms at start-up: {verdict}")
    return 0 if worst < GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
