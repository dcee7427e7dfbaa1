"""Opening a group with 25 members and 200 weekly meetings: its Meetings and Attendance tabs.

    python benchmarks/open_group.py

Every meeting has attendance for everyone and a recorded sharing round. Prints the median
of 5 runs (after one warm-up) for ``MeetingsScreen.show_group`` (the meeting list and the
check-in of the latest meeting, which is what a click on the group shows),
``HistoryScreen.show_group`` (the Attendance tab), each with service calls included, the
history with its first paint, and the service calls on their own. Goal: under 200 ms each.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from peercircle.app import create_application  # noqa: E402
from peercircle.db import Database, open_database  # noqa: E402
from peercircle.db.models import (  # noqa: E402
    Attendance,
    Meeting,
    Member,
    Membership,
    Round,
    RoundTurn,
)
from peercircle.domain import AttendanceStatus, RoundOrder, TimeMode  # noqa: E402
from peercircle.paths import database_path  # noqa: E402
from peercircle.services.meetings import MeetingService  # noqa: E402
from peercircle.services.roster import GroupDraft, RosterService  # noqa: E402
from peercircle.services.rounds import RoundService  # noqa: E402
from peercircle.ui.dialog_service import DialogService  # noqa: E402
from peercircle.ui.meetings.history_screen import HistoryScreen  # noqa: E402
from peercircle.ui.meetings.meetings_screen import MeetingsScreen  # noqa: E402

MEMBERS = 25
MEETINGS = 200
RUNS = 5
GOAL_MS = 200.0
FIRST_DAY = dt.date(2022, 12, 6)  # a Tuesday; 200 weeks on is late 2026


def build(db: Database) -> int:
    """The group, its members, meetings, marks and rounds, inserted in bulk; its id."""
    rng = random.Random(7)
    group_id = RosterService(db).create_group(GroupDraft("Benchmark Circle", 1)).id
    statuses = [AttendanceStatus.PRESENT] * 14 + [
        AttendanceStatus.LATE,
        AttendanceStatus.EXCUSED,
        AttendanceStatus.ABSENT,
        AttendanceStatus.ABSENT,
    ]
    with db.session() as s:
        member_ids = list(
            s.scalars(
                insert(Member).returning(Member.id),
                [
                    {"display_name": f"Member {n:02d}", "joined_on": FIRST_DAY}
                    for n in range(MEMBERS)
                ],
            )
        )
        s.execute(
            insert(Membership),
            [
                {"group_id": group_id, "member_id": m, "seat_order": seat}
                for seat, m in enumerate(member_ids)
            ],
        )
        meeting_ids = list(
            s.scalars(
                insert(Meeting).returning(Meeting.id),
                [
                    {
                        "group_id": group_id,
                        "date": FIRST_DAY + dt.timedelta(weeks=week),
                        "topic": f"Topic {week % 12}",
                        "guest_count": week % 3,
                    }
                    for week in range(MEETINGS)
                ],
            )
        )
        marks = [
            (meeting, member, rng.choice(statuses))
            for meeting in meeting_ids
            for member in member_ids
        ]
        s.execute(
            insert(Attendance),
            [{"meeting_id": m, "member_id": p, "status": status} for m, p, status in marks],
        )
        round_ids = list(
            s.scalars(
                insert(Round).returning(Round.id),
                [
                    {
                        "meeting_id": meeting,
                        "order_mode": RoundOrder.SEATED,
                        "time_mode": TimeMode.PER_SPEAKER,
                        "time_seconds": 180,
                        "warning_seconds": 30,
                        "started_at": dt.datetime.combine(
                            FIRST_DAY + dt.timedelta(weeks=week), dt.time(18, 45)
                        ),
                        "elapsed_seconds": 0.0,
                    }
                    for week, meeting in enumerate(meeting_ids)
                ],
            )
        )
        came = {(meeting, member) for meeting, member, status in marks if status.attended}
        turns = []
        for meeting, round_id in zip(meeting_ids, round_ids, strict=True):
            offset = 0.0
            here = [m for m in member_ids if (meeting, m) in came]
            for position, member in enumerate(here):
                passed = rng.random() < 0.1
                seconds = 0.0 if passed else rng.uniform(60, 240)
                turns.append(
                    {
                        "round_id": round_id,
                        "member_id": member,
                        "position": position,
                        "start_offset": offset,
                        "end_offset": offset + seconds,
                        "duration_seconds": seconds,
                        "allotted_seconds": 180.0,
                        "passed": passed,
                        "check_in_later": False,
                        "came_back": False,
                    }
                )
                offset += seconds
        s.execute(insert(RoundTurn), turns)
    print(
        f"{MEMBERS} members, {MEETINGS} meetings, {len(marks)} attendance marks, "
        f"{len(round_ids)} rounds with {len(turns)} turns"
    )
    return group_id


def median_ms(action: Callable[[], object]) -> float:
    action()  # warm-up
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    create_application()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(database_path(Path(tmp)))
        group_id = build(db)
        group = RosterService(db).get_group(group_id)
        meetings, rounds = MeetingService(db), RoundService(db)
        meetings_screen = MeetingsScreen(DialogService())
        meetings_screen.set_services(meetings)
        meetings_screen.resize(1100, 700)
        meetings_screen.show()
        screen = HistoryScreen()
        screen.set_services(meetings, rounds)
        screen.resize(1100, 700)
        screen.show()
        QApplication.processEvents()

        def open_and_paint() -> None:
            screen.show_group(group)
            screen.repaint()
            QApplication.processEvents()

        results = [
            ("MeetingsScreen.show_group", median_ms(lambda: meetings_screen.show_group(group))),
            ("HistoryScreen.show_group", median_ms(lambda: screen.show_group(group))),
            ("  … and first paint", median_ms(open_and_paint)),
            ("MeetingService.list_meetings", median_ms(lambda: meetings.list_meetings(group_id))),
            ("MeetingService.group_history", median_ms(lambda: meetings.group_history(group_id))),
            ("RoundService.talk_time_share", median_ms(lambda: rounds.talk_time_share(group_id))),
        ]
        shown = screen.meeting_model.rowCount(), screen.member_model.rowCount()
        screen.close()
        meetings_screen.close()
        db.close()
    print(f"median of {RUNS} runs after a warm-up ({shown[0]} meetings, {shown[1]} members shown)")
    for label, ms in results:
        print(f"  {label:<30} {ms:7.1f} ms")
    opened = max(results[0][1], results[1][1])
    verdict = "within" if opened < GOAL_MS else "OVER"
    print(f"opening the group (slower tab): {opened:.1f} ms, {verdict} the {GOAL_MS:.0f} ms goal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
