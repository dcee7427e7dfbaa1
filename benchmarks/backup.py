"""A verified backup of a large database: 10,000 members, five years of weekly meetings.

    python benchmarks/backup.py [--path DIR] [--runs 5]

The database (834 groups of 12, 260 meetings each, a mark for every member at every meeting:
about 2.6 million attendance rows, plus a sharing round at every tenth meeting) is built once
with plain sqlite3 on a migrated file and cached in DIR (default: a folder in the temporary
directory). Prints the best and median of ``--runs`` runs of ``write_backup`` (copy with the
backup API, check, fsync, rename), of ``verify_backup`` on the copy, and, to show what the
check costs, the bare copy and both of SQLite's checks (``quick_check``, ``integrity_check``).
Goal: a verified backup in under 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from peercircle.db import open_database
from peercircle.db.backup import VERIFY_PRAGMA, verify_backup, write_backup
from peercircle.paths import database_path

MEMBERS = 10_000
GROUP_SIZE = 12
WEEKS = 260
ROUND_EVERY = 10
FIRST_DAY = dt.date(2021, 1, 5)
GOAL_S = 1.0
STATUSES = ["present"] * 14 + ["late", "excused", "absent", "absent"]


def _stamp(day: dt.date, hour: int = 19) -> str:
    """A DateTime as SQLAlchemy stores it in SQLite."""
    return f"{day.isoformat()} {hour:02d}:00:00.000000"


def _batches(rows: Iterator[tuple[object, ...]], size: int = 50_000) -> Iterator[list[object]]:
    batch: list[object] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def build(path: Path) -> None:
    """The benchmark database at ``path``, migrated by PeerCircle, filled with plain sqlite3."""
    open_database(path).close()
    rng = random.Random(6)
    created = _stamp(FIRST_DAY, 18)
    groups = -(-MEMBERS // GROUP_SIZE)
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("BEGIN")
        con.executemany(
            "INSERT INTO groups (id, name, meeting_weekday, place, agreements, created_at, "
            "updated_at, version) VALUES (?, ?, 1, 'Community room', '', ?, ?, 1)",
            [(g + 1, f"Circle {g + 1:03d}", created, created) for g in range(groups)],
        )
        con.executemany(
            "INSERT INTO members (id, display_name, full_name, pronouns, email, phone, "
            "emergency_contact, joined_on, status, may_contact, created_at, updated_at, version)"
            " VALUES (?, ?, ?, '', ?, '555-0100', '', ?, 'active', 1, ?, ?, 1)",
            [
                (
                    m + 1,
                    f"Member {m + 1:05d}",
                    f"Invented Person {m + 1:05d}",
                    f"member{m + 1}@example.org",
                    FIRST_DAY.isoformat(),
                    created,
                    created,
                )
                for m in range(MEMBERS)
            ],
        )
        con.executemany(
            "INSERT INTO memberships (group_id, member_id, role, seat_order, created_at) "
            "VALUES (?, ?, 'member', ?, ?)",
            [(m // GROUP_SIZE + 1, m + 1, m % GROUP_SIZE, created) for m in range(MEMBERS)],
        )
        meetings = [
            (g * WEEKS + w + 1, g + 1, FIRST_DAY + dt.timedelta(weeks=w))
            for g in range(groups)
            for w in range(WEEKS)
        ]
        con.executemany(
            "INSERT INTO meetings (id, group_id, date, place, topic, facilitator, guest_count, "
            "created_at, updated_at, version) VALUES (?, ?, ?, '', ?, '', 0, ?, ?, 1)",
            [
                (mid, gid, day.isoformat(), f"Topic {mid % 12}", _stamp(day), _stamp(day))
                for mid, gid, day in meetings
            ],
        )

        def seats(gid: int) -> range:
            return range((gid - 1) * GROUP_SIZE + 1, min(gid * GROUP_SIZE, MEMBERS) + 1)

        marks = (
            (mid, member, rng.choice(STATUSES)) for mid, gid, _ in meetings for member in seats(gid)
        )
        for batch in _batches(marks):
            con.executemany(
                "INSERT INTO attendance (meeting_id, member_id, status) VALUES (?, ?, ?)", batch
            )
        held = [(mid, gid, day) for mid, gid, day in meetings if mid % ROUND_EVERY == 0]
        con.executemany(
            "INSERT INTO rounds (id, meeting_id, order_mode, time_mode, time_seconds, "
            "warning_seconds, started_at, elapsed_seconds, created_at) "
            "VALUES (?, ?, 'seated', 'per_speaker', 180, 30, ?, 2100.0, ?)",
            [(n + 1, mid, _stamp(day), _stamp(day)) for n, (mid, _, day) in enumerate(held)],
        )
        turns = (
            (n + 1, member, pos, pos * 180.0, pos * 180.0 + 170.0, 170.0, 180.0, 0, 0, 0)
            for n, (_, gid, _) in enumerate(held)
            for pos, member in enumerate(seats(gid))
        )
        for batch in _batches(turns):
            con.executemany(
                "INSERT INTO round_turns (round_id, member_id, position, start_offset, "
                "end_offset, duration_seconds, allotted_seconds, passed, check_in_later, "
                "came_back) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                batch,
            )
        con.execute("COMMIT")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def cached_database(folder: Path) -> Path:
    """The benchmark database in ``folder``, built on first use."""
    path = database_path(folder)
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / "building"
    if partial.exists():
        for old in partial.iterdir():
            old.unlink()
    start = time.perf_counter()
    build(database_path(partial))
    database_path(partial).rename(path)
    print(f"built {path} in {time.perf_counter() - start:.1f} s")
    return path


def timed(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Best and median seconds of ``runs`` runs (after one warm-up run)."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def bare_copy(source: Path, target: Path) -> None:
    """The backup API alone: no check, no fsync."""
    target.unlink(missing_ok=True)
    src = sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        dst.execute("PRAGMA journal_mode=OFF")
        dst.execute("PRAGMA synchronous=OFF")
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def check(path: Path, pragma: str) -> None:
    con = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        assert con.execute(f"PRAGMA {pragma}").fetchall() == [("ok",)]
    finally:
        con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--path",
        type=Path,
        default=Path(tempfile.gettempdir()) / "peercircle-benchmark-backup",
        help="folder caching the benchmark database",
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    source = cached_database(args.path)
    with sqlite3.connect(source) as con:
        attendance = con.execute("SELECT count(*) FROM attendance").fetchone()[0]
        turns = con.execute("SELECT count(*) FROM round_turns").fetchone()[0]
    con.close()
    size = source.stat().st_size
    print(f"database: {size / 1e6:.0f} MB, {attendance:,} attendance rows, {turns:,} turns")

    with tempfile.TemporaryDirectory(dir=args.path) as tmp:
        target = Path(tmp) / "backup.sqlite3"
        bare = Path(tmp) / "bare.sqlite3"
        results = [
            ("write_backup (verified)", timed(lambda: write_backup(source, target), args.runs)),
            ("verify_backup", timed(lambda: verify_backup(target), args.runs)),
            ("  backup API copy alone", timed(lambda: bare_copy(source, bare), args.runs)),
            ("  PRAGMA quick_check", timed(lambda: check(target, "quick_check"), args.runs)),
            (
                "  PRAGMA integrity_check",
                timed(lambda: check(target, "integrity_check"), args.runs),
            ),
        ]
    print(f"best / median of {args.runs} runs (verification: PRAGMA {VERIFY_PRAGMA})")
    for label, (best, median) in results:
        print(f"  {label:<28} {best * 1000:7.0f} ms  {median * 1000:7.0f} ms")
    backup_median = results[0][1][1]
    verdict = "within" if backup_median < GOAL_S else "OVER"
    print(f"verified backup: {backup_median:.2f} s (median), {verdict} the {GOAL_S:.0f} s goal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
