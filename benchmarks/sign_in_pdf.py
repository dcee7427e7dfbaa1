"""A sign-in sheet for a 30-member group, written to a file: median of 10 runs after a warm-up
(the warm-up loads the fonts once, as the app does on its first printout). Goal: < 150 ms.

python benchmarks/sign_in_pdf.py
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from peercircle.pdf.sign_in import SignInSheet, build_sign_in

FIRST = ["Ágnes", "Łucja", "Nguyễn Văn", "Ольга", "Ελένη", "王", "さくら", "Søren", "Zoë", "Chidi"]
LAST = ["Kovács", "Wójcik", "An", "Петрова", "Παπαδοπούλου", "秀英", "Tanaka", "Dubois", "Okafor"]
GOAL_MS = 150.0


def sheet(members: int) -> SignInSheet:
    names = tuple(f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}" for i in range(members))
    return SignInSheet(
        group_name="Benchmark circle",
        meeting_date=dt.date(2026, 11, 26),
        starts_at=dt.time(18, 30),
        place="Riverside Community Hall, Room 2",
        names=names,
    )


def main() -> int:
    data = sheet(30)
    timings = []
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "sign-in.pdf"
        build_sign_in(data, target, generated_on=dt.date(2026, 11, 24))  # warm-up
        for _ in range(10):
            start = time.perf_counter()
            pages = build_sign_in(data, target, generated_on=dt.date(2026, 11, 24))
            timings.append(1000 * (time.perf_counter() - start))
    median = statistics.median(timings)
    print(f"Sign-in sheet, 30 members + 6 blank rows ({pages} pages): median {median:.0f} ms of 10")
    print(
        f"  fastest {min(timings):.0f} ms, slowest {max(timings):.0f} ms (goal < {GOAL_MS:.0f} ms)"
    )
    return 0 if median < GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
