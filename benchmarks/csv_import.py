"""Importing a 5,000-row roster CSV: preview plus the all-or-nothing commit.

python benchmarks/csv_import.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from peercircle.db import open_database
from peercircle.paths import database_path
from peercircle.services.roster_csv import commit_roster_import, preview_roster_import

FIRST = ["Ana", "Zofia", "Łucja", "Δήμητρα", "Ангелина", "Hiền", "José", "Siobhán", "Mai", "Omar"]
LAST = ["Kowalska", "Nguyễn", "O'Brien", "Papadopoulou", "Иванова", "García-López", "Tanaka"]


def make_csv(rows: int) -> bytes:
    lines = ["First name;Last name;E-mail;Phone;Pronouns;Joined"]
    for i in range(rows):
        lines.append(
            f"{FIRST[i % len(FIRST)]};{LAST[i % len(LAST)]} {i};person{i}@example.org;"
            f"555-01{i % 100:02d};they/them;2025-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def main() -> int:
    data = make_csv(5000)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(database_path(Path(tmp)))
        start = time.perf_counter()
        preview = preview_roster_import(db, data, "Benchmark circle")
        previewed = time.perf_counter()
        result = commit_roster_import(db, preview)
        done = time.perf_counter()
        db.close()
    print(f"5,000-row CSV import: added {result.added}")
    print(f"  preview {1000 * (previewed - start):6.0f} ms")
    print(f"  commit  {1000 * (done - previewed):6.0f} ms")
    print(f"  total   {1000 * (done - start):6.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
